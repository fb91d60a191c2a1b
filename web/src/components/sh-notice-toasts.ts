/**
 * New notifications as toasts while the dashboard is open (pushed over the live connection, docs/api.md
 * "Notifications"). A toast stays until the user dismisses it or hides it (no timer: nobody should have to read
 * against a clock; hiding keeps it in the list); only the newest few are shown, all of them wait in Settings → Notifications.
 */
import { css, html, LitElement } from "lit";
import { customElement, state } from "lit/decorators.js";
import type { Notice } from "../data/auth-api.ts";
import { describeError } from "../data/error-text.ts";
import { store } from "../data/hub-context.ts";
import { dismissNotice, NOTICE_LABELS, NOTICES_DISMISSED, noticeTone } from "../data/notices.ts";
import { navigate } from "../data/router.ts";
import { sharedStyles } from "../styles/shared.ts";
import "./sh-icon.ts";

/** More would cover the page on a phone; the rest are in the list. */
const MAX_TOASTS = 3;

@customElement("sh-notice-toasts")
export class ShNoticeToasts extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      :host {
        position: fixed;
        z-index: 20;
        right: max(12px, env(safe-area-inset-right));
        bottom: max(12px, env(safe-area-inset-bottom));
        left: max(12px, env(safe-area-inset-left));
        display: flex;
        flex-direction: column;
        align-items: flex-end;
        gap: 8px;
        pointer-events: none;
      }
      .toast {
        pointer-events: auto;
        width: min(420px, 100%);
        display: flex;
        flex-direction: column;
        gap: 8px;
        padding: 12px 14px;
        background: var(--sh-surface);
        border: 1px solid var(--sh-border);
        border-left: 4px solid var(--sh-ok);
        border-radius: var(--sh-radius-small);
        box-shadow: var(--sh-shadow);
      }
      .toast.warn {
        border-left-color: var(--sh-warn);
      }
      .toast.danger {
        border-left-color: var(--sh-danger);
      }
      .title {
        display: flex;
        align-items: center;
        justify-content: space-between;
        gap: 8px;
      }
      .title button.icon {
        margin: -8px -8px -8px 0;
      }
      .actions {
        display: flex;
        gap: 8px;
        justify-content: flex-end;
        flex-wrap: wrap;
      }
      .error {
        color: var(--sh-danger);
      }
    `,
  ];

  @state() accessor toasts: { notice: Notice; error: string | null }[] = [];
  readonly #onNotice = (e: Event) => {
    const notice = (e as CustomEvent<Notice>).detail;
    if (this.toasts.some((t) => t.notice.id === notice.id)) return;
    this.toasts = [{ notice, error: null }, ...this.toasts].slice(0, MAX_TOASTS);
  };
  /** Dismissed in the list (or another toast): no longer news. */
  readonly #onDismissed = (e: Event) => {
    const id = (e as CustomEvent<number | null>).detail;
    this.toasts = id === null ? [] : this.toasts.filter((t) => t.notice.id !== id);
  };

  override connectedCallback(): void {
    super.connectedCallback();
    store.addEventListener("notice", this.#onNotice);
    store.addEventListener(NOTICES_DISMISSED, this.#onDismissed);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    store.removeEventListener("notice", this.#onNotice);
    store.removeEventListener(NOTICES_DISMISSED, this.#onDismissed);
  }

  #hide(id: number) {
    this.toasts = this.toasts.filter((t) => t.notice.id !== id);
  }

  async #dismiss(id: number) {
    try {
      await dismissNotice(id);
    } catch (err) {
      const e = describeError(err);
      this.toasts = this.toasts.map((t) =>
        t.notice.id === id ? { ...t, error: `${e.title}. ${e.message}` } : t,
      );
    }
  }

  override render() {
    return this.toasts.map(
      ({ notice: n, error }) => html`<div
        class=${`toast ${noticeTone(n)}`}
        role="status"
        aria-label=${NOTICE_LABELS[n.kind] ?? "Notification"}
        data-notice=${n.id}
      >
        <div class="title">
          <strong>${NOTICE_LABELS[n.kind] ?? "Notification"}</strong>
          <button
            class="ghost icon"
            aria-label="Hide this notification for now"
            title="Hide (it stays in your notifications)"
            @click=${() => this.#hide(n.id)}
          >
            <sh-icon name="close"></sh-icon>
          </button>
        </div>
        <span>${n.message}</span>
        ${error ? html`<span class="error small">${error}</span>` : ""}
        <div class="actions">
          <button
            class="ghost"
            @click=${() => {
              this.#hide(n.id);
              navigate("/settings/notifications");
            }}
          >
            All notifications
          </button>
          <button class="primary" @click=${() => this.#dismiss(n.id)}>Dismiss</button>
        </div>
      </div>`,
    );
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "sh-notice-toasts": ShNoticeToasts;
  }
}
