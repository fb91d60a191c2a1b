/**
 * The user's notifications, newest first (docs/api.md "Notifications"): finished runs, robots needing
 * attention, parts due and security notices. Open ones can be dismissed one by one or all at once; new ones
 * arrive live. What is notified is chosen under Profile ("Tell me when").
 */
import { css, html, LitElement, nothing } from "lit";
import { customElement, state } from "lit/decorators.js";
import { authApi, type Notice } from "../data/auth-api.ts";
import { ActionRunner } from "../data/command-runner.ts";
import { relativeTime } from "../data/format.ts";
import { store } from "../data/hub-context.ts";
import {
  dismissAllNotices,
  dismissNotice,
  NOTICE_LABELS,
  NOTICES_DISMISSED,
  noticeTone,
} from "../data/notices.ts";
import { navigate } from "../data/router.ts";
import { sharedStyles } from "../styles/shared.ts";
import "./sh-error-box.ts";

@customElement("sh-notifications-settings")
export class ShNotificationsSettings extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      ul.rows > li {
        align-items: flex-start;
      }
      ul.rows > li.open {
        background: var(--sh-surface-2);
        border-radius: var(--sh-radius-small);
        padding: 10px 12px;
        border-bottom: none;
        margin-bottom: 6px;
      }
      ul.rows > li.read {
        color: var(--sh-text-2);
      }
      .text {
        display: flex;
        flex-direction: column;
        gap: 4px;
        min-width: 0;
        flex: 1 1 16rem;
      }
      .head {
        display: flex;
        justify-content: space-between;
        align-items: center;
        gap: 8px;
        flex-wrap: wrap;
      }
    `,
  ];

  @state() accessor notices: Notice[] = [];
  @state() accessor loaded = false;
  readonly #actions = new ActionRunner(this);
  readonly #onNotice = (e: Event) => {
    const n = (e as CustomEvent<Notice>).detail;
    if (!this.notices.some((x) => x.id === n.id)) this.notices = [n, ...this.notices];
  };
  /** Dismissed from a toast or here: show it as read. */
  readonly #onDismissed = (e: Event) => {
    const id = (e as CustomEvent<number | null>).detail;
    const now = Date.now();
    this.notices = this.notices.map((n) =>
      n.dismissedAt === null && (id === null || n.id === id) ? { ...n, dismissedAt: now } : n,
    );
  };

  override connectedCallback(): void {
    super.connectedCallback();
    store.addEventListener("notice", this.#onNotice);
    store.addEventListener(NOTICES_DISMISSED, this.#onDismissed);
    void this.#actions.run("load", async () => {
      this.notices = (await authApi.notices()).notices;
      this.loaded = true;
    });
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    store.removeEventListener("notice", this.#onNotice);
    store.removeEventListener(NOTICES_DISMISSED, this.#onDismissed);
  }

  #item(n: Notice, busy: boolean) {
    const open = n.dismissedAt === null;
    return html`<li class=${open ? "open" : "read"} data-notice=${n.id}>
      <span class="text">
        <span
          ><span class=${`chip ${open ? noticeTone(n) : ""}`}>${NOTICE_LABELS[n.kind] ?? n.kind}</span>
          <span class="muted small">${relativeTime(n.createdAt)}</span></span
        >
        <span>${n.message}</span>
      </span>
      ${
        open
          ? html`<button
              ?disabled=${busy}
              aria-label=${`Dismiss: ${n.message}`}
              @click=${() =>
                this.#actions.run(`notice-${n.id}`, async () => {
                  await dismissNotice(n.id);
                })}
            >
              Dismiss
            </button>`
          : nothing
      }
    </li>`;
  }

  override render() {
    const busy = this.#actions.pending !== null;
    const open = this.notices.filter((n) => n.dismissedAt === null).length;
    return html`<section class="card stack" aria-labelledby="notifications-title">
      <sh-error-box .error=${this.#actions.error} @dismiss=${() => this.#actions.clearError()}></sh-error-box>
      <div class="head">
        <h2 id="notifications-title">Notifications</h2>
        ${
          open > 1
            ? html`<button
                ?disabled=${busy}
                @click=${() =>
                  this.#actions.run("dismiss-all", async () => {
                    await dismissAllNotices();
                  })}
              >
                Dismiss all
              </button>`
            : nothing
        }
      </div>
      <p class="muted small">
        ${open === 0 ? "Nothing needs your attention." : open === 1 ? "1 new notification." : `${open} new notifications.`}
        Choose what you are told about under
        <a
          href="/settings/profile"
          @click=${(e: MouseEvent) => {
            e.preventDefault();
            navigate("/settings/profile");
          }}
          >Profile</a
        >.
      </p>
      ${
        this.notices.length > 0
          ? html`<ul class="rows" aria-label="Notifications">
              ${this.notices.map((n) => this.#item(n, busy))}
            </ul>`
          : this.loaded
            ? html`<p class="muted">No notifications yet.</p>`
            : nothing
      }
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "sh-notifications-settings": ShNotificationsSettings;
  }
}
