/**
 * The dashboard shell: header with navigation, the "reconnecting" banner, and the page for the current path.
 * Deep links work because the hub answers every non-API path with this app (hub/api/routes/static.ts).
 */
import { css, html, LitElement } from "lit";
import { customElement, state } from "lit/decorators.js";
import { describeError } from "../data/error-text.ts";
import { live, store } from "../data/hub-context.ts";
import { matchRoute, navigate, type Route } from "../data/router.ts";
import { refreshSession, signOut } from "../data/session.ts";
import { StoreController } from "../data/store.ts";
import { sharedStyles } from "../styles/shared.ts";
import "./sh-add-robot-page.ts";
import "./sh-connection-banner.ts";
import "./sh-error-box.ts";
import "./sh-icon.ts";
import "./sh-invitation-page.ts";
import "./sh-login-page.ts";
import "./sh-notice-toasts.ts";
import "./sh-onboarding-page.ts";
import "./sh-robot-page.ts";
import "./sh-robots-page.ts";
import "./sh-settings-page.ts";

@customElement("sh-app")
export class ShApp extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      :host {
        display: flex;
        flex-direction: column;
        min-height: 100vh;
      }
      .skip {
        position: absolute;
        left: -999px;
      }
      .skip:focus {
        left: 8px;
        top: 8px;
        z-index: 10;
        background: var(--sh-surface);
        padding: 8px 12px;
        border-radius: var(--sh-radius-small);
      }
      header {
        position: sticky;
        top: 0;
        z-index: 5;
        background: color-mix(in srgb, var(--sh-bg) 88%, transparent);
        backdrop-filter: blur(8px);
        border-bottom: 1px solid var(--sh-border);
      }
      .bar {
        max-width: 1280px;
        margin: 0 auto;
        display: flex;
        align-items: center;
        gap: 8px;
        padding: 8px max(12px, env(safe-area-inset-left));
      }
      .brand {
        display: flex;
        align-items: center;
        gap: 8px;
        font-weight: 800;
        font-size: 1.1rem;
        color: var(--sh-text);
        text-decoration: none;
        margin-right: auto;
      }
      .brand sh-icon {
        color: var(--sh-primary);
        width: 26px;
        height: 26px;
      }
      nav {
        display: flex;
        gap: 4px;
      }
      nav a {
        display: inline-flex;
        align-items: center;
        gap: 6px;
        min-height: 44px;
        padding: 0 12px;
        border-radius: 999px;
        color: var(--sh-text-2);
        font-weight: 600;
        text-decoration: none;
      }
      nav a[aria-current="page"] {
        color: var(--sh-primary);
        background: var(--sh-primary-soft);
      }
      main {
        flex: 1;
        width: 100%;
        max-width: 1280px;
        margin: 0 auto;
        padding: var(--sh-gap) max(12px, env(safe-area-inset-left)) 48px;
      }
      .notices {
        display: flex;
        align-items: center;
        justify-content: center;
        gap: 8px;
        padding: 8px 16px;
        background: var(--sh-warn-soft);
        color: var(--sh-text);
        font-size: 0.9rem;
      }
      .notices sh-icon {
        color: var(--sh-warn);
      }
      main.gate {
        padding-top: 24px;
      }
      .badge {
        display: inline-grid;
        place-items: center;
        min-width: 20px;
        height: 20px;
        padding: 0 6px;
        border-radius: 999px;
        background: var(--sh-danger);
        color: #fff;
        font-size: 0.75rem;
      }
      @media (max-width: 560px) {
        nav a span.label {
          position: absolute;
          width: 1px;
          height: 1px;
          overflow: hidden;
          clip: rect(0 0 0 0);
        }
        nav a {
          padding: 0 12px;
        }
      }
    `,
  ];

  @state() accessor route: Route = matchRoute(window.location.pathname);
  @state() accessor bootError: string | null = null;
  readonly #store = new StoreController(this, store);
  readonly #onPop = () => {
    this.route = matchRoute(window.location.pathname);
    window.scrollTo(0, 0);
    // Move focus to the new page for screen readers and keyboard users (not on first load).
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>("main")?.focus());
  };

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener("popstate", this.#onPop);
    void this.#boot();
  }

  async #boot() {
    try {
      this.bootError = null;
      await refreshSession();
    } catch (err) {
      const e = describeError(err);
      this.bootError = `${e.title}. ${e.message}`;
    }
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener("popstate", this.#onPop);
    live.stop();
  }

  #link(path: string) {
    return (e: MouseEvent) => {
      if (e.metaKey || e.ctrlKey || e.shiftKey) return;
      e.preventDefault();
      navigate(path);
    };
  }

  #page() {
    const r = this.route;
    switch (r.page) {
      case "robots":
        return html`<sh-robots-page></sh-robots-page>`;
      case "add-robot":
        return html`<sh-add-robot-page></sh-add-robot-page>`;
      case "robot":
        return html`<sh-robot-page .robotId=${r.robotId} .tab=${r.tab}></sh-robot-page>`;
      case "settings":
        return html`<sh-settings-page .section=${r.section}></sh-settings-page>`;
      case "login":
      case "onboarding":
        navigate("/", true);
        return html``;
      case "invitation":
        return html`<section class="card stack">
          <h1>You are signed in</h1>
          <p class="muted">To accept an invitation for a new account, sign out first.</p>
        </section>`;
      default:
        return html`<section class="card stack">
          <h1>Page not found</h1>
          <p class="muted">There is nothing at this address.</p>
          <a href="/" @click=${this.#link("/")}>Go to your robots</a>
        </section>`;
    }
  }

  #gate() {
    const auth = this.#store.store.auth;
    if (this.bootError) {
      return html`<main id="main" class="gate">
        <section class="card stack" role="alert">
          <h1>The hub cannot be reached</h1>
          <p class="muted">${this.bootError}</p>
          <button class="primary" @click=${() => this.#boot()}>Try again</button>
        </section>
      </main>`;
    }
    if (!auth)
      return html`<main id="main" class="gate" aria-busy="true"><p class="muted">Loading…</p></main>`;
    if (!auth.onboarded)
      return html`<main id="main" class="gate"><sh-onboarding-page></sh-onboarding-page></main>`;
    if (this.route.page === "invitation") {
      return html`<main id="main" class="gate"><sh-invitation-page .code=${this.route.code}></sh-invitation-page></main>`;
    }
    return html`<main id="main" class="gate"><sh-login-page></sh-login-page></main>`;
  }

  override render() {
    const auth = this.#store.store.auth;
    if (!auth || this.bootError || !auth.onboarded || !auth.signedIn) return this.#gate();
    const me = this.#store.store.me;
    const page = this.route.page;
    const current = (p: string) => (p === page ? "page" : "false");
    return html`<a class="skip" href="#main">Skip to content</a>
      <header>
        <div class="bar">
          <a class="brand" href="/" @click=${this.#link("/")} aria-label="sweephub home">
            <sh-icon name="robot"></sh-icon>sweephub
          </a>
          <nav aria-label="Main">
            <a href="/" aria-current=${page === "robots" || page === "robot" ? "page" : "false"} @click=${this.#link("/")}
              ><sh-icon name="robot"></sh-icon><span class="label">Robots</span></a
            >
            ${
              !auth.accounts || this.#store.store.isAdmin
                ? html`<a href="/robots/add" aria-current=${current("add-robot")} @click=${this.#link("/robots/add")}
                  ><sh-icon name="plus"></sh-icon><span class="label">Add robot</span></a
                >`
                : ""
            }
            ${
              auth.accounts
                ? html`<a
                    href=${me?.unreadNotices ? "/settings/notifications" : "/settings/profile"}
                    aria-current=${current("settings")}
                    @click=${this.#link(me?.unreadNotices ? "/settings/notifications" : "/settings/profile")}
                    aria-label=${me?.unreadNotices ? `Settings, ${notificationCount(me.unreadNotices)}` : "Settings"}
                    ><sh-icon name="settings"></sh-icon><span class="label">Settings</span>${
                      me?.unreadNotices
                        ? html`<span class="badge" aria-hidden="true">${me.unreadNotices}</span>`
                        : ""
                    }</a
                  >
                  <button
                    class="ghost icon"
                    aria-label=${`Sign out ${me?.user.displayName || me?.user.username || ""}`.trim()}
                    title="Sign out"
                    @click=${async () => {
                      await signOut().catch(() => {});
                      navigate("/login", true);
                    }}
                  >
                    <sh-icon name="logout"></sh-icon>
                  </button>`
                : ""
            }
          </nav>
        </div>
        <sh-connection-banner></sh-connection-banner>
      </header>
      ${
        me?.unreadNotices && page !== "settings"
          ? html`<div class="notices" role="status">
              <sh-icon name="bell"></sh-icon>
              <span
                >${me.unreadNotices === 1 ? "A notification waits" : `${me.unreadNotices} notifications wait`} for
                you.</span
              >
              <a href="/settings/notifications" @click=${this.#link("/settings/notifications")}>Review</a>
            </div>`
          : ""
      }
      <main id="main" tabindex="-1">${this.#page()}</main>
      <sh-notice-toasts></sh-notice-toasts>`;
  }
}

const notificationCount = (n: number) => (n === 1 ? "1 new notification" : `${n} new notifications`);

declare global {
  interface HTMLElementTagNameMap {
    "sh-app": ShApp;
  }
}
