/**
 * Pick rooms in the order they should be cleaned (the number shows the order; tapping again removes a room),
 * set repeats, and clean. The same order shows on the map; tapping rooms on the map edits the same list.
 */
import { css, html, LitElement, nothing } from "lit";
import { customElement, property } from "lit/decorators.js";
import type { Room } from "../../../integrations/sweep/protocol/robot-state.ts";
import { areaLabel } from "../data/format.ts";
import { store } from "../data/hub-context.ts";
import { positionOf, type RoomPick, setRepeats, toggleRoom } from "../data/room-order.ts";
import { sharedStyles } from "../styles/shared.ts";

@customElement("sh-room-picker")
export class ShRoomPicker extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      :host {
        display: block;
      }
      ul {
        list-style: none;
        margin: 0;
        padding: 0;
        display: grid;
        grid-template-columns: repeat(auto-fill, minmax(150px, 1fr));
        gap: 8px;
      }
      li {
        display: flex;
        flex-direction: column;
        gap: 4px;
      }
      button.room {
        /* Long room names wrap instead of being cut ("Reading nook 2" must not read "Reading nook"). */
        white-space: normal;
        justify-content: flex-start;
        border-radius: var(--sh-radius-small);
        width: 100%;
        text-align: left;
        gap: 10px;
        padding: 6px 12px;
        min-height: 52px;
      }
      button.room[aria-pressed="true"] {
        background: var(--sh-primary-soft);
        border-color: var(--sh-primary);
      }
      .badge {
        flex: none;
        display: inline-grid;
        place-items: center;
        width: 26px;
        height: 26px;
        border-radius: 50%;
        border: 2px solid var(--sh-border);
        font-size: 0.85rem;
      }
      [aria-pressed="true"] .badge {
        background: var(--sh-primary);
        border-color: var(--sh-primary);
        color: var(--sh-primary-text);
      }
      .name {
        display: flex;
        flex-direction: column;
        line-height: 1.2;
        min-width: 0;
        overflow-wrap: anywhere;
      }
      .name span {
        font-weight: 400;
      }
      select {
        min-height: 36px;
        font-size: 0.85rem;
      }
    `,
  ];

  @property({ attribute: false }) accessor rooms: Room[] = [];
  @property({ attribute: false }) accessor order: RoomPick[] = [];
  @property({ type: Number }) accessor maxRepeats = 1;
  @property({ type: Boolean }) accessor disabled = false;

  #change(order: RoomPick[]) {
    this.dispatchEvent(new CustomEvent("order-changed", { detail: order }));
  }

  override render() {
    return html`<ul aria-label="Rooms, in cleaning order when selected">
      ${this.rooms.map((room) => {
        const pos = positionOf(this.order, room.id);
        const pick = this.order.find((p) => p.id === room.id);
        return html`<li>
          <button
            class="room"
            aria-pressed=${pos > 0}
            ?disabled=${this.disabled}
            aria-label=${pos > 0 ? `${room.name}, number ${pos} in order` : room.name}
            @click=${() => this.#change(toggleRoom(this.order, room.id))}
          >
            <span class="badge" aria-hidden="true">${pos > 0 ? pos : ""}</span>
            <span class="name">${room.name}<span class="muted small">${areaLabel(room.areaM2, store.units)}</span></span>
          </button>
          ${
            pick && this.maxRepeats > 1
              ? html`<select
                aria-label=${`Passes over ${room.name}`}
                ?disabled=${this.disabled}
                @change=${(e: Event) =>
                  this.#change(
                    setRepeats(
                      this.order,
                      room.id,
                      Number((e.target as HTMLSelectElement).value),
                      this.maxRepeats,
                    ),
                  )}
              >
                ${Array.from({ length: this.maxRepeats }, (_, i) => i + 1).map(
                  (n) =>
                    html`<option value=${n} ?selected=${n === pick.repeats}>${n === 1 ? "1 pass" : `${n} passes`}</option>`,
                )}
              </select>`
              : nothing
          }
        </li>`;
      })}
    </ul>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "sh-room-picker": ShRoomPicker;
  }
}
