/**
 * Map editing for one floor: restrictions (no-go and no-mop areas, virtual walls: drawn on the map, listed here
 * with delete), room tools (rename, colour, merge two rooms, split a room along a drawn line), the rooms'
 * order and the floor switcher.
 * Every change goes through the hub to the robot, which confirms it with its new map (docs/api.md §Editing).
 */
import { css, html, LitElement, nothing } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import { ActionRunner } from "../data/command-runner.ts";
import { mapsApi } from "../data/map-api.ts";
import type { MapJson } from "../data/map-json.ts";
import { sharedStyles } from "../styles/shared.ts";
import "./sh-error-box.ts";
import "./sh-room-order.ts";

const HEX_COLOR = /^#[0-9a-f]{6}$/i;

export type DrawPurpose = "no_go" | "no_mop" | "virtual_wall" | "split";
export type Shape = { x1: number; y1: number; x2: number; y2: number };

const RESTRICTION_LABELS = {
  no_go: "No-go area",
  no_mop: "No-mop area",
  virtual_wall: "Virtual wall",
} as const;

@customElement("sh-map-editor")
export class ShMapEditor extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      :host {
        display: block;
      }
      section + section {
        margin-top: var(--sh-gap);
        padding-top: var(--sh-gap);
        border-top: 1px solid var(--sh-border);
      }
      ul {
        list-style: none;
        margin: 0;
        padding: 0;
        display: flex;
        flex-direction: column;
        gap: 6px;
      }
      li {
        display: flex;
        align-items: center;
        gap: 8px;
      }
      li > span {
        flex: 1;
        min-width: 0;
      }
      li button {
        min-height: 36px;
        padding: 0 12px;
      }
      .swatch {
        flex: none;
        width: 32px;
        height: 32px;
        padding: 2px;
        border-radius: var(--sh-radius-small);
        border: 1px solid var(--sh-border);
        background: none;
        cursor: pointer;
      }
      .hint {
        padding: 8px 12px;
        border-radius: var(--sh-radius-small);
        background: var(--sh-primary-soft);
        color: var(--sh-text);
      }
      form {
        display: flex;
        gap: 6px;
        flex: 1;
      }
      form input {
        min-height: 36px;
      }
      input[type="checkbox"] {
        width: 20px;
        min-height: 20px;
      }
    `,
  ];

  @property() accessor robotId = "";
  @property({ attribute: false }) accessor map: MapJson | null = null;
  /** What the map is waiting for the user to draw (set by this editor, shown by the page). */
  @property() accessor drawing: DrawPurpose | null = null;
  @state() accessor renaming: string | null = null;
  @state() accessor mergePick: string[] = [];
  @state() accessor splitRoom: string | null = null;
  readonly #actions = new ActionRunner(this);

  /** The page hands over what was drawn on the map for the current purpose. */
  async shapeDrawn(shape: Shape): Promise<void> {
    const purpose = this.drawing;
    if (!purpose || !this.map) return;
    const floor = this.map.floor;
    await this.#change(purpose, () =>
      purpose === "split"
        ? mapsApi.splitRoom(this.robotId, this.splitRoom!, shape, floor)
        : mapsApi.addRestriction(this.robotId, { kind: purpose, ...shape }, floor),
    );
    this.#draw(null);
  }

  #draw(purpose: DrawPurpose | null) {
    this.dispatchEvent(new CustomEvent("draw-request", { detail: purpose }));
  }

  async #change(name: string, call: () => Promise<MapJson | null>) {
    const json = await this.#actions.run(name, call);
    if (json) this.dispatchEvent(new CustomEvent("map-changed", { detail: json }));
    return json;
  }

  override render() {
    const map = this.map;
    if (!map) return html`<p class="muted">The map editor opens once the robot has sent its map.</p>`;
    const busy = this.#actions.pending !== null;
    return html`<sh-error-box .error=${this.#actions.error} @dismiss=${() => this.#actions.clearError()}></sh-error-box>
      ${
        this.drawing
          ? html`<p class="hint" role="status">${this.#drawHint()}
        <button class="ghost" @click=${() => this.#draw(null)}>Cancel</button></p>`
          : nothing
      }
      ${map.floors.length > 1 ? this.#floors(map, busy) : nothing}
      <section aria-labelledby="restr-title" class="stack">
        <h3 id="restr-title">Restrictions</h3>
        <div class="row">
          ${(["no_go", "no_mop", "virtual_wall"] as const).map(
            (
              k,
            ) => html`<button ?disabled=${busy} aria-pressed=${this.drawing === k} @click=${() => this.#draw(k)}>
              Add ${RESTRICTION_LABELS[k].toLowerCase()}
            </button>`,
          )}
        </div>
        ${
          map.restrictions.length === 0
            ? html`<p class="muted small">None yet. No-go areas keep the robot out; no-mop areas keep it out while mopping; virtual walls block a passage.</p>`
            : html`<ul aria-label="Restrictions">
              ${map.restrictions.map(
                (r, i) => html`<li>
                  <span>${RESTRICTION_LABELS[r.kind]} ${i + 1}</span>
                  <button
                    class="danger"
                    ?disabled=${busy}
                    aria-label=${`Delete ${RESTRICTION_LABELS[r.kind].toLowerCase()} ${i + 1}`}
                    @click=${() => this.#change(`del-${r.id}`, () => mapsApi.deleteRestriction(this.robotId, r.id, map.floor).then((j) => j ?? mapsApi.get(this.robotId, map.floor)))}
                  >
                    Delete
                  </button>
                </li>`,
              )}
            </ul>`
        }
      </section>
      <section aria-labelledby="rooms-edit-title" class="stack">
        <h3 id="rooms-edit-title">Rooms</h3>
        <ul aria-label="Rooms to edit">
          ${map.rooms.map((room) => this.#roomRow(room, busy))}
        </ul>
        <div class="row">
          <button
            ?disabled=${busy || this.mergePick.length !== 2}
            @click=${() =>
              this.#change("merge", () =>
                mapsApi.mergeRooms(this.robotId, this.mergePick as [string, string], map.floor),
              ).then((ok) => {
                if (ok) this.mergePick = [];
              })}
          >
            Merge ${this.mergePick.length === 2 ? this.mergePick.map((id) => map.rooms.find((r) => r.id === id)?.name ?? id).join(" + ") : "two checked rooms"}
          </button>
        </div>
      </section>
      <section aria-labelledby="room-order-title" class="stack">
        <h3 id="room-order-title">Order of rooms</h3>
        <p class="muted small">The room picker and “All rooms” follow this order; it is kept by the hub.</p>
        <sh-room-order
          .robotId=${this.robotId}
          .map=${map}
          ?disabled=${busy}
          @map-changed=${(e: CustomEvent<MapJson>) => this.dispatchEvent(new CustomEvent("map-changed", { detail: e.detail }))}
        ></sh-room-order>
      </section>`;
  }

  #drawHint(): string {
    switch (this.drawing) {
      case "no_go":
        return "Drag on the map to draw the no-go area.";
      case "no_mop":
        return "Drag on the map to draw the no-mop area.";
      case "virtual_wall":
        return "Drag on the map from one end of the wall to the other.";
      case "split":
        return `Draw the line that splits ${this.map?.rooms.find((r) => r.id === this.splitRoom)?.name ?? "the room"}.`;
      default:
        return "";
    }
  }

  #floors(map: MapJson, busy: boolean) {
    return html`<section class="stack" aria-labelledby="floor-title">
      <h3 id="floor-title">Floor</h3>
      <label
        >Show floor
        <select
          ?disabled=${busy}
          @change=${(e: Event) => this.dispatchEvent(new CustomEvent("floor-view", { detail: (e.target as HTMLSelectElement).value }))}
        >
          ${map.floors.map((f) => html`<option value=${f} ?selected=${f === map.floor}>${f}${f === map.currentFloor ? " (robot is here)" : ""}</option>`)}
        </select>
      </label>
      ${
        map.floor !== map.currentFloor
          ? html`<button
            ?disabled=${busy}
            @click=${() => this.#change("floor", () => mapsApi.setFloor(this.robotId, map.floor))}
          >
            The robot is on this floor now
          </button>`
          : nothing
      }
    </section>`;
  }

  #roomRow(room: MapJson["rooms"][number], busy: boolean) {
    if (this.renaming === room.id) {
      return html`<li>
        <form
          @submit=${(e: Event) => {
            e.preventDefault();
            const name = String(new FormData(e.target as HTMLFormElement).get("name") ?? "").trim();
            if (!name) return;
            void this.#change(`rename-${room.id}`, () =>
              mapsApi.renameRoom(this.robotId, room.id, name, this.map?.floor),
            ).then((ok) => {
              if (ok) this.renaming = null;
            });
          }}
        >
          <input name="name" aria-label=${`New name for ${room.name}`} .value=${room.name} maxlength="100" required />
          <button class="primary" type="submit" ?disabled=${busy}>Save</button>
          <button type="button" @click=${() => (this.renaming = null)}>Cancel</button>
        </form>
      </li>`;
    }
    const checked = this.mergePick.includes(room.id);
    return html`<li>
      <input
        type="checkbox"
        aria-label=${`Pick ${room.name} to merge`}
        .checked=${checked}
        ?disabled=${busy || (!checked && this.mergePick.length >= 2)}
        @change=${() => {
          this.mergePick = checked
            ? this.mergePick.filter((id) => id !== room.id)
            : [...this.mergePick, room.id];
        }}
      />
      <input
        type="color"
        class="swatch"
        aria-label=${`Colour of ${room.name}`}
        title="Colour on the map"
        .value=${HEX_COLOR.test(room.color) ? room.color : "#cccccc"}
        ?disabled=${busy}
        @change=${(e: Event) => {
          const color = (e.target as HTMLInputElement).value;
          if (!HEX_COLOR.test(color) || color.toLowerCase() === room.color.toLowerCase()) return;
          void this.#change(`color-${room.id}`, () =>
            mapsApi.setRoomColor(this.robotId, room.id, color, this.map?.floor),
          );
        }}
      />
      <span>${room.name}</span>
      <button ?disabled=${busy} aria-label=${`Rename ${room.name}`} @click=${() => (this.renaming = room.id)}>Rename</button>
      <button
        ?disabled=${busy}
        aria-label=${`Split ${room.name}`}
        @click=${() => {
          this.splitRoom = room.id;
          this.#draw("split");
        }}
      >
        Split
      </button>
    </li>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "sh-map-editor": ShMapEditor;
  }
}
