/** The overview: a card per paired robot, or a friendly start when there is none yet. */
import { css, html, LitElement } from "lit";
import { customElement } from "lit/decorators.js";
import { loadRooms, store } from "../data/hub-context.ts";
import { navigate } from "../data/router.ts";
import { StoreController } from "../data/store.ts";
import { sharedStyles } from "../styles/shared.ts";
import "./sh-icon.ts";
import "./sh-robot-card.ts";

@customElement("sh-robots-page")
export class ShRobotsPage extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      :host {
        display: block;
      }
      .head {
        display: flex;
        align-items: center;
        justify-content: space-between;
        margin-bottom: var(--sh-gap);
        gap: 8px;
      }
      .grid {
        display: grid;
        gap: var(--sh-gap);
        grid-template-columns: repeat(auto-fill, minmax(min(100%, 300px), 1fr));
      }
      .empty {
        text-align: center;
        padding: 48px 16px;
        display: flex;
        flex-direction: column;
        align-items: center;
        gap: 12px;
      }
      .empty sh-icon {
        width: 56px;
        height: 56px;
        color: var(--sh-primary);
      }
    `,
  ];

  readonly #store = new StoreController(this, store);

  override render() {
    const robots = [...this.#store.store.robots.values()].sort((a, b) => a.name.localeCompare(b.name));
    for (const r of robots) void loadRooms(r.id);
    const add = (e: Event) => {
      e.preventDefault();
      navigate("/robots/add");
    };
    // Only the owner and admins pair robots; members see the robots shared with them.
    const mayAdd = !this.#store.store.auth?.accounts || this.#store.store.isAdmin;
    if (robots.length === 0 && this.#store.store.everConnected && !mayAdd) {
      return html`<section class="card empty" aria-labelledby="empty-title">
        <sh-icon name="robot"></sh-icon>
        <h1 id="empty-title">No robots shared with you</h1>
        <p class="muted">Robots appear here as soon as the hub's owner or an admin gives you access.</p>
      </section>`;
    }
    if (robots.length === 0 && this.#store.store.everConnected) {
      return html`<section class="card empty" aria-labelledby="empty-title">
        <sh-icon name="robot"></sh-icon>
        <h1 id="empty-title">No robots yet</h1>
        <p class="muted">Add your robot vacuum: sweephub finds robots on your network, then asks for the 8-digit setup code on its sticker.</p>
        <a class="button primary" href="/robots/add" @click=${add}><sh-icon name="plus"></sh-icon> Add a robot</a>
      </section>`;
    }
    return html`<div class="head">
        <h1>Robots</h1>
        ${mayAdd ? html`<a class="button" href="/robots/add" @click=${add}><sh-icon name="plus"></sh-icon> Add robot</a>` : ""}
      </div>
      <div class="grid" role="list">
        ${robots.map(
          (r) => html`<sh-robot-card
              role="listitem"
              .robot=${r}
              .room=${this.#store.store.roomName(r.id, r.state?.currentRoom)}
            ></sh-robot-card>`,
        )}
      </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "sh-robots-page": ShRobotsPage;
  }
}
