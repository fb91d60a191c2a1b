/**
 * The user's order of a floor's rooms: move a room up or down (buttons, so it works from the keyboard and on a
 * phone), or drag it with the mouse. The hub keeps the order (PUT .../map/rooms/order, the whole list at once, so a reorder is never half
 * applied) and every room list follows it: the room picker, "all rooms", history, the overview.
 *
 * A move shows at once and is saved in the background; moves made while a save is under way are sent together
 * once it answers, and maps arriving meanwhile do not pull the list back to the old order. If the hub refuses
 * (access lost, robot removed, the map changed), the list returns to the hub's order and the error says why.
 */
import { css, html, LitElement, nothing } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import { repeat } from "lit/directives/repeat.js";
import { describeError, type ErrorText } from "../data/error-text.ts";
import { mapsApi } from "../data/map-api.ts";
import type { MapJson } from "../data/map-json.ts";
import { moveRoom, moveRoomTo } from "../data/room-order.ts";
import { cssProps } from "../styles/css-props.ts";
import { sharedStyles } from "../styles/shared.ts";
import "./sh-error-box.ts";
import "./sh-icon.ts";

@customElement("sh-room-order")
export class ShRoomOrder extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      :host {
        display: block;
      }
      ol {
        list-style: none;
        margin: 0;
        padding: 0;
        display: flex;
        flex-direction: column;
        gap: 4px;
      }
      li {
        display: flex;
        align-items: center;
        gap: 8px;
        padding: 2px 0;
        border-block: 2px solid transparent;
      }
      li[draggable="true"] {
        cursor: grab;
      }
      /* Where a dragged room would land. */
      li.drop-before {
        border-top-color: var(--sh-primary);
      }
      li.drop-after {
        border-bottom-color: var(--sh-primary);
      }
      .place {
        flex: none;
        width: 1.6em;
        text-align: right;
        color: var(--sh-text-2);
        font-variant-numeric: tabular-nums;
      }
      .swatch {
        flex: none;
        width: 12px;
        height: 12px;
        border-radius: 3px;
        border: 1px solid var(--sh-border);
      }
      .name {
        flex: 1;
        min-width: 0;
        overflow-wrap: anywhere;
      }
      button.icon {
        min-height: 40px;
        width: 40px;
      }
      .status {
        min-height: 1.4em;
      }
    `,
  ];

  @property() accessor robotId = "";
  @property({ attribute: false }) accessor map: MapJson | null = null;
  @property({ type: Boolean }) accessor disabled = false;
  /** The order shown while it is being saved (null: the hub's order, from the map). */
  @state() accessor pending: string[] | null = null;
  @state() accessor saving = false;
  @state() accessor error: ErrorText | null = null;
  /** What screen readers hear after a move ("Kitchen is now 2 of 6"). */
  @state() accessor announcement = "";
  /** The room being dragged, and the row it would land on. */
  @state() accessor dragging: string | null = null;
  @state() accessor dropTarget: string | null = null;
  /** The order the hub has confirmed last, to know whether another save is needed. */
  #saved: string[] = [];

  /** The hub's order of the rooms on the map. */
  #hubOrder(): string[] {
    return [...(this.map?.rooms ?? [])].sort((a, b) => a.order - b.order).map((r) => r.id);
  }

  #move(id: string, by: -1 | 1, name: string): void {
    if (this.#apply(moveRoom(this.#shown(), id, by), id, name)) void this.#keepFocus(id, by);
  }

  /** The order on screen: the one being saved, else the hub's. */
  #shown(): string[] {
    return this.pending ?? this.#hubOrder();
  }

  /** Shows `next` at once and saves it; false when nothing changed. */
  #apply(next: string[], id: string, name: string): boolean {
    if (next.join("\n") === this.#shown().join("\n")) return false;
    this.pending = next;
    this.error = null;
    this.announcement = `${name} is now ${next.indexOf(id) + 1} of ${next.length}`;
    if (!this.saving) void this.#save();
    return true;
  }

  // Dragging a row is a shortcut for the mouse; the buttons stay the way for keyboards and screen readers.
  #dragStart(e: DragEvent, id: string): void {
    if (this.disabled) return;
    this.dragging = id;
    e.dataTransfer?.setData("text/plain", id);
    if (e.dataTransfer) e.dataTransfer.effectAllowed = "move";
  }

  #dragOver(e: DragEvent, id: string): void {
    if (!this.dragging) return;
    e.preventDefault();
    if (e.dataTransfer) e.dataTransfer.dropEffect = "move";
    this.dropTarget = id;
  }

  #drop(e: DragEvent, id: string, name: string): void {
    e.preventDefault();
    const dragged = this.dragging;
    this.#dragEnd();
    if (!dragged || dragged === id) return;
    const shown = this.#shown();
    this.#apply(moveRoomTo(shown, dragged, shown.indexOf(id)), dragged, name);
  }

  #dragEnd(): void {
    this.dragging = null;
    this.dropTarget = null;
  }

  /** Saves the shown order, then again while moves were made during the save. */
  async #save(): Promise<void> {
    this.saving = true;
    this.#saved = this.#hubOrder();
    const floor = this.map?.floor;
    try {
      while (this.pending && this.pending.join("\n") !== this.#saved.join("\n")) {
        const sending = this.pending;
        const json = await mapsApi.setRoomOrder(this.robotId, sending, floor);
        this.#saved = sending;
        this.dispatchEvent(new CustomEvent("map-changed", { detail: json }));
      }
      this.pending = null;
    } catch (err) {
      this.pending = null;
      this.error = describeError(err);
      this.announcement = "The order was not saved";
    } finally {
      this.saving = false;
    }
  }

  /** The pressed button stays focused as its room moves; at either end, the other arrow of the room takes it. */
  async #keepFocus(id: string, by: -1 | 1): Promise<void> {
    await this.updateComplete;
    const row = this.renderRoot.querySelector(`li[data-room="${CSS.escape(id)}"]`);
    const same = row?.querySelector<HTMLButtonElement>(`button[data-by="${by}"]`);
    const other = row?.querySelector<HTMLButtonElement>(`button[data-by="${-by}"]`);
    (same && !same.disabled ? same : other)?.focus();
  }

  override render() {
    const map = this.map;
    if (!map || map.rooms.length === 0) return html`<p class="muted small">This floor has no rooms yet.</p>`;
    const byId = new Map(map.rooms.map((r) => [r.id, r]));
    const ids = this.#shown().filter((id) => byId.has(id));
    const from = this.dragging ? ids.indexOf(this.dragging) : -1;
    return html`<sh-error-box .error=${this.error} @dismiss=${() => (this.error = null)}></sh-error-box>
      <ol aria-label="Order of rooms" aria-busy=${this.saving}>
        ${repeat(
          ids,
          (id) => id,
          (id, i) => {
            const room = byId.get(id)!;
            const drop =
              this.dropTarget === id && this.dragging !== id ? (i < from ? "before" : "after") : "";
            return html`<li
              data-room=${id}
              class=${drop ? `drop-${drop}` : ""}
              draggable=${this.disabled ? "false" : "true"}
              @dragstart=${(e: DragEvent) => this.#dragStart(e, id)}
              @dragover=${(e: DragEvent) => this.#dragOver(e, id)}
              @drop=${(e: DragEvent) => this.#drop(e, id, byId.get(this.dragging ?? "")?.name ?? "")}
              @dragend=${() => this.#dragEnd()}
            >
              <span class="place" aria-hidden="true">${i + 1}</span>
              <span class="swatch" style=${cssProps({ background: room.color })} aria-hidden="true"></span>
              <span class="name">${room.name}</span>
              <button
                class="icon"
                data-by="-1"
                aria-label=${`Move ${room.name} up`}
                title="Move up"
                ?disabled=${this.disabled || i === 0}
                @click=${() => this.#move(id, -1, room.name)}
              >
                <sh-icon name="up"></sh-icon>
              </button>
              <button
                class="icon"
                data-by="1"
                aria-label=${`Move ${room.name} down`}
                title="Move down"
                ?disabled=${this.disabled || i === ids.length - 1}
                @click=${() => this.#move(id, 1, room.name)}
              >
                <sh-icon name="down"></sh-icon>
              </button>
            </li>`;
          },
        )}
      </ol>
      <p class="status muted small" role="status">
        ${this.saving ? "Saving the order…" : this.announcement ? `${this.announcement}.` : nothing}
      </p>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "sh-room-order": ShRoomOrder;
  }
}
