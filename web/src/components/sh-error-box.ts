/** An error in words a person understands (data/error-text.ts), announced to screen readers, dismissible. */
import { css, html, LitElement, nothing } from "lit";
import { customElement, property } from "lit/decorators.js";
import type { ErrorText } from "../data/error-text.ts";
import { sharedStyles } from "../styles/shared.ts";
import "./sh-icon.ts";

@customElement("sh-error-box")
export class ShErrorBox extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      :host {
        display: block;
      }
      .box {
        display: flex;
        gap: 10px;
        align-items: flex-start;
        padding: 12px 14px;
        border-radius: var(--sh-radius-small);
        background: var(--sh-danger-soft);
        color: var(--sh-text);
        border: 1px solid color-mix(in srgb, var(--sh-danger) 35%, transparent);
      }
      sh-icon {
        color: var(--sh-danger);
        margin-top: 2px;
      }
      .text {
        flex: 1;
        min-width: 0;
      }
      strong {
        display: block;
      }
      button.icon {
        min-height: 32px;
        width: 32px;
        margin: -4px -6px 0 0;
      }
    `,
  ];

  @property({ attribute: false }) accessor error: ErrorText | null = null;
  @property({ type: Boolean }) accessor dismissible = true;

  override render() {
    if (!this.error) return nothing;
    return html`<div class="box" role="alert" data-code=${this.error.code}>
      <sh-icon name="warning"></sh-icon>
      <div class="text">
        <strong>${this.error.title}</strong>
        <span>${this.error.message}</span>
      </div>
      ${
        this.dismissible
          ? html`<button
            class="ghost icon"
            aria-label="Dismiss"
            @click=${() => this.dispatchEvent(new Event("dismiss"))}
          >
            <sh-icon name="close"></sh-icon>
          </button>`
          : nothing
      }
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "sh-error-box": ShErrorBox;
  }
}
