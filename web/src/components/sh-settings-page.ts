/**
 * Settings: profile and preferences, notifications, security (password, sessions, API tokens), people (users, grants,
 * invitations; owner and admins), the audit log, privacy (what is stored, export, deletion, TLS), and system
 * (health, log level, log lines, backups; the owner only).
 */
import { css, html, LitElement } from "lit";
import { customElement, property } from "lit/decorators.js";
import { store } from "../data/hub-context.ts";
import { navigate } from "../data/router.ts";
import { StoreController } from "../data/store.ts";
import { sharedStyles } from "../styles/shared.ts";
import "./sh-audit-settings.ts";
import "./sh-notifications-settings.ts";
import "./sh-people-settings.ts";
import "./sh-privacy-settings.ts";
import "./sh-profile-settings.ts";
import "./sh-security-settings.ts";
import "./sh-system-settings.ts";

const SECTIONS = [
  { id: "profile", label: "Profile", admin: false },
  { id: "notifications", label: "Notifications", admin: false },
  { id: "security", label: "Security", admin: false },
  { id: "people", label: "People", admin: true },
  { id: "audit", label: "Audit log", admin: false },
  { id: "privacy", label: "Privacy and data", admin: false },
  { id: "system", label: "System", admin: true, owner: true },
] as const;

@customElement("sh-settings-page")
export class ShSettingsPage extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      :host {
        display: block;
      }
      .layout {
        display: grid;
        gap: var(--sh-gap);
        grid-template-columns: minmax(0, 1fr);
      }
      @media (min-width: 860px) {
        .layout {
          grid-template-columns: 200px minmax(0, 1fr);
          align-items: start;
        }
      }
      nav {
        display: flex;
        gap: 4px;
        overflow-x: auto;
      }
      @media (min-width: 860px) {
        nav {
          flex-direction: column;
          position: sticky;
          top: 80px;
        }
      }
      nav a {
        padding: 10px 14px;
        border-radius: var(--sh-radius-small);
        color: var(--sh-text-2);
        text-decoration: none;
        font-weight: 600;
        white-space: nowrap;
      }
      nav a[aria-current="page"] {
        background: var(--sh-primary-soft);
        color: var(--sh-primary);
      }
      h1 {
        margin-bottom: var(--sh-gap);
      }
    `,
  ];

  @property() accessor section = "profile";
  readonly #store = new StoreController(this, store);

  #content() {
    switch (this.section) {
      case "notifications":
        return html`<sh-notifications-settings></sh-notifications-settings>`;
      case "security":
        return html`<sh-security-settings></sh-security-settings>`;
      case "people":
        return this.#store.store.isAdmin
          ? html`<sh-people-settings></sh-people-settings>`
          : html`<p class="card">Only the owner and admins manage people.</p>`;
      case "audit":
        return html`<sh-audit-settings></sh-audit-settings>`;
      case "privacy":
        return html`<sh-privacy-settings></sh-privacy-settings>`;
      case "system":
        return this.#store.store.me?.user.role === "owner"
          ? html`<sh-system-settings></sh-system-settings>`
          : html`<p class="card">Only the hub's owner manages the system.</p>`;
      default:
        return html`<sh-profile-settings></sh-profile-settings>`;
    }
  }

  override render() {
    const admin = this.#store.store.isAdmin;
    const owner = this.#store.store.me?.user.role === "owner";
    return html`<h1>Settings</h1>
      <div class="layout">
        <nav aria-label="Settings sections">
          ${SECTIONS.filter((s) => (admin || !s.admin) && (owner || !("owner" in s))).map(
            (s) => html`<a
              href=${`/settings/${s.id}`}
              aria-current=${this.section === s.id ? "page" : "false"}
              @click=${(e: MouseEvent) => {
                e.preventDefault();
                navigate(`/settings/${s.id}`);
              }}
              >${s.label}</a
            >`,
          )}
        </nav>
        <div>${this.#content()}</div>
      </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "sh-settings-page": ShSettingsPage;
  }
}
