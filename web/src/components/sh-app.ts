/**
 * The dashboard shell: header with navigation, the "reconnecting" banner, and the page for the current path.
 * Deep links work because the hub answers every non-API path with this app (hub/api/routes/static.ts).
 */
import { css, html, LitElement } from "lit";
import { customElement, state } from "lit/decorators.js";
import { live, store } from "../data/hub-context.ts";
import { matchRoute, navigate, type Route } from "../data/router.ts";
import { StoreController } from "../data/store.ts";
import { sharedStyles } from "../styles/shared.ts";
import "./sh-add-robot-page.ts";
import "./sh-connection-banner.ts";
import "./sh-icon.ts";
import "./sh-robot-page.ts";
import "./sh-robots-page.ts";

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
      @media (max-width: 560px) {
        nav a span {
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
    live.start();
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
      default:
        return html`<section class="card stack">
          <h1>Page not found</h1>
          <p class="muted">There is nothing at this address.</p>
          <a href="/" @click=${this.#link("/")}>Go to your robots</a>
        </section>`;
    }
  }

  override render() {
    const page = this.route.page;
    const current = (p: string) => (p === page ? "page" : "false");
    void this.#store;
    return html`<a class="skip" href="#main">Skip to content</a>
      <header>
        <div class="bar">
          <a class="brand" href="/" @click=${this.#link("/")} aria-label="sweephub home">
            <sh-icon name="robot"></sh-icon>sweephub
          </a>
          <nav aria-label="Main">
            <a href="/" aria-current=${page === "robots" || page === "robot" ? "page" : "false"} @click=${this.#link("/")}
              ><sh-icon name="robot"></sh-icon><span>Robots</span></a
            >
            <a href="/robots/add" aria-current=${current("add-robot")} @click=${this.#link("/robots/add")}
              ><sh-icon name="plus"></sh-icon><span>Add robot</span></a
            >
          </nav>
        </div>
        <sh-connection-banner></sh-connection-banner>
      </header>
      <main id="main" tabindex="-1">${this.#page()}</main>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "sh-app": ShApp;
  }
}
