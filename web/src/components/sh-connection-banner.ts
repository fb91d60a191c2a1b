/**
 * Says when the live connection to the hub is down: the page keeps the last data it had, and this banner makes
 * clear that it is not live until the connection is back (it reconnects by itself).
 */
import { css, html, LitElement, nothing } from "lit";
import { customElement } from "lit/decorators.js";
import { live, store } from "../data/hub-context.ts";
import { StoreController } from "../data/store.ts";
import { sharedStyles } from "../styles/shared.ts";

@customElement("sh-connection-banner")
export class ShConnectionBanner extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      :host {
        display: block;
      }
      .banner {
        display: flex;
        align-items: center;
        justify-content: center;
        gap: 12px;
        padding: 6px 16px;
        background: var(--sh-warn-soft);
        color: var(--sh-warn);
        font-weight: 600;
        font-size: 0.9rem;
      }
      .dot {
        width: 8px;
        height: 8px;
        border-radius: 50%;
        background: currentColor;
        animation: pulse 1.2s ease-in-out infinite;
      }
      @keyframes pulse {
        50% {
          opacity: 0.3;
        }
      }
      @media (prefers-reduced-motion: reduce) {
        .dot {
          animation: none;
        }
      }
      button {
        min-height: 32px;
        padding: 0 12px;
      }
    `,
  ];

  readonly #store = new StoreController(this, store);

  override render() {
    const state = this.#store.store.connection;
    if (state === "online" || (state === "connecting" && !this.#store.store.everConnected)) return nothing;
    return html`<div class="banner" role="status" data-testid="reconnecting">
      <span class="dot" aria-hidden="true"></span>
      Reconnecting to the hub… shown data may be out of date.
      <button class="ghost" @click=${() => live.restart()}>Retry now</button>
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "sh-connection-banner": ShConnectionBanner;
  }
}
