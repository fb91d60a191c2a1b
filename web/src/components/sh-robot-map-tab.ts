/**
 * The robot page's main tab: the live map with its tools (tap rooms in order, draw zones, tap a point, edit the
 * map), the controls, and the ordered room selection. The map comes live from the hub's map stream when the
 * robot has one; otherwise the canvas shows the robot, its dock and the path it drove, from its live state.
 */
import { css, html, LitElement, nothing } from "lit";
import { customElement, property, query, state } from "lit/decorators.js";
import type { RobotView } from "../../../hub/core/robot-view.ts";
import { ApiError, robotsApi } from "../data/api.ts";
import { ActionRunner } from "../data/command-runner.ts";
import { robotHeadline } from "../data/format.ts";
import { live, store } from "../data/hub-context.ts";
import { downloadName, mapDownloads, mapsApi } from "../data/map-api.ts";
import { type MapJson, mapJsonRooms, mapJsonToModel } from "../data/map-json.ts";
import { emptyMap, type MapModel } from "../data/map-model.ts";
import { type LiveMapModel, MapSubscription } from "../data/map-subscription.ts";
import type { Bounds, Point } from "../data/map-view.ts";
import { cleanRoomsBody, pickAll, type RoomPick, toggleRoom } from "../data/room-order.ts";
import { StoreController } from "../data/store.ts";
import { sharedStyles } from "../styles/shared.ts";
import { twoColumnStyles } from "../styles/two-columns.ts";
import "./sh-error-box.ts";
import type { MapTool } from "./sh-map-canvas.ts";
import "./sh-map-canvas.ts";
import type { DrawPurpose, Shape, ShMapEditor } from "./sh-map-editor.ts";
import "./sh-map-editor.ts";
import "./sh-mapping-pass.ts";
import "./sh-robot-controls.ts";
import "./sh-room-picker.ts";

type Mode = "view" | "rooms" | "zone" | "goto" | "edit";

@customElement("sh-robot-map-tab")
export class ShRobotMapTab extends LitElement {
  static override styles = [
    sharedStyles,
    twoColumnStyles,
    css`
      :host {
        display: block;
      }
      sh-map-canvas {
        height: min(62vh, 640px);
      }
      .tools {
        display: flex;
        gap: 4px;
        padding: 4px;
        background: var(--sh-surface-2);
        border-radius: 999px;
        width: fit-content;
        max-width: 100%;
        overflow-x: auto;
      }
      .tools button {
        min-height: 36px;
        border: none;
        background: transparent;
        padding: 0 12px;
      }
      .tools button[aria-pressed="true"] {
        background: var(--sh-surface);
        box-shadow: var(--sh-shadow);
        color: var(--sh-primary);
      }
      .floor-note {
        padding: 8px 12px;
        border-radius: var(--sh-radius-small);
        background: var(--sh-warn-soft);
      }
    `,
  ];

  @property({ attribute: false }) accessor robot!: RobotView;
  /** View-only access: the map shows, controls and editing do not. */
  @property({ type: Boolean }) accessor readonly = false;
  @state() accessor mode: Mode = "view";
  @state() accessor drawing: DrawPurpose | null = null;
  @state() accessor order: RoomPick[] = [];
  @state() accessor zones: Bounds[] = [];
  @state() accessor target: Point | null = null;
  /** Another floor's map the user chose to look at (not live). */
  @state() accessor otherFloor: (MapModel & { version: number }) | null = null;
  @state() accessor otherFloorJson: MapJson | null = null;
  /** A Valetudo map file the user opened to look at (converted by the hub; not this robot's map). */
  @state() accessor imported: { file: string; model: MapModel & { version: number } } | null = null;
  @query("sh-map-editor") accessor editor!: ShMapEditor | null;
  readonly #map = new MapSubscription(this, live);
  // Rooms and trails live in the store; re-render when they change, not only when the robot does.
  readonly #store = new StoreController(this, store);
  readonly #actions = new ActionRunner(this);

  override willUpdate(): void {
    this.#map.follow(this.robot.connection === "online" || this.#map.model ? this.robot.id : null);
  }

  /** The live map last handed to the store's room names. */
  #sharedJson: MapJson | null = null;

  override updated(): void {
    // Names edited here (or arriving with a new map) show everywhere else at once, e.g. on the overview's card.
    const json = this.#map.json;
    if (json && json !== this.#sharedJson && json.floor === json.currentFloor) {
      this.#sharedJson = json;
      store.setRooms(this.robot.id, mapJsonRooms(json));
    }
  }

  #model(): MapModel | LiveMapModel {
    if (this.imported) return this.imported.model;
    if (this.otherFloor) return this.otherFloor;
    if (this.#map.model) return this.#map.model;
    const s = this.robot.state;
    if (!s) return emptyMap();
    const dock = store.docks.get(this.robot.id);
    return {
      ...emptyMap(),
      floor: s.floor,
      robot: s.pose,
      dock: dock && dock.floor === s.floor ? dock : null,
      path: store.trails.get(this.robot.id)?.points ?? [],
    };
  }

  #canvasTool(): MapTool {
    if (this.mode === "edit") {
      if (this.drawing === "virtual_wall" || this.drawing === "split") return "line";
      return this.drawing ? "zone" : "view";
    }
    return this.mode;
  }

  #run(name: string, body: Record<string, unknown>, after?: () => void) {
    return this.#actions.run(name, async () => {
      const { robot } = await robotsApi.command(this.robot.id, name, body);
      store.acceptAnswer(robot);
      after?.();
    });
  }

  async #viewFloor(floor: string) {
    const json = this.#map.json;
    if (!json || floor === json.floor) {
      this.otherFloor = null;
      this.otherFloorJson = null;
      return;
    }
    await this.#actions.run("floor", async () => {
      const other = await mapsApi.get(this.robot.id, floor);
      this.otherFloor = mapJsonToModel(other);
      this.otherFloorJson = other;
    });
  }

  #mapChanged(json: MapJson) {
    if (this.otherFloorJson && json.floor === this.otherFloorJson.floor && json.floor !== json.currentFloor) {
      this.otherFloor = mapJsonToModel(json);
      this.otherFloorJson = json;
    } else {
      this.otherFloor = null;
      this.otherFloorJson = null;
      this.#map.replace(json);
    }
  }

  override render() {
    const robot = this.robot;
    const s = robot.state;
    const caps = robot.capabilities;
    const json = this.otherFloorJson ?? this.#map.json;
    const model = this.#model();
    const roomsOnMap = model.rooms.length > 0;
    const online = robot.connection === "online";
    const busy = this.#actions.pending !== null;
    const control = !this.readonly;
    // The map's rooms carry the user's names and order; without a map, the robot's own list.
    const live = this.#map.json;
    const rooms = live ? mapJsonRooms(live) : this.#store.store.rooms.get(robot.id);
    const roomName = store.roomName(robot.id, s?.currentRoom);
    const label = `Map of ${robot.name}${s ? `: ${robotHeadline(robot).label.toLowerCase()}${roomName ? ` in ${roomName}` : ""}` : ""}`;
    const modes: [Mode, string, boolean][] = [
      ["view", "Move map", true],
      ["rooms", "Pick rooms", !this.imported && control && roomsOnMap && Boolean(caps.room_cleaning)],
      ["zone", "Draw zone", !this.imported && control && Boolean(caps.zone_cleaning)],
      ["goto", "Go to point", !this.imported && control && Boolean(caps.go_to)],
      ["edit", "Edit map", !this.imported && control && json !== null],
    ];
    return html`<div class="layout">
      <div class="stack">
        <div class="tools" role="group" aria-label="Map tool">
          ${modes
            .filter(([, , ok]) => ok)
            .map(
              ([m, text]) =>
                html`<button
                  aria-pressed=${this.mode === m}
                  @click=${() => {
                    this.mode = m;
                    this.drawing = null;
                  }}
                >
                  ${text}
                </button>`,
            )}
        </div>
        ${
          this.imported
            ? html`<p class="floor-note row between" role="status">
              <span>Showing the Valetudo map “${this.imported.file}”, not ${robot.name}'s map.</span>
              <button @click=${() => (this.imported = null)}>Back to the live map</button>
            </p>`
            : this.otherFloor
              ? html`<p class="floor-note" role="status">Showing floor “${this.otherFloor.floor}”; the robot is on another floor.</p>`
              : nothing
        }
        <sh-map-canvas
          .model=${model}
          .tool=${this.#canvasTool()}
          .selectedRooms=${this.order}
          .zones=${this.zones}
          .target=${this.target}
          label=${label}
          @zone-drawn=${(e: CustomEvent<Shape>) => {
            if (this.mode === "edit") void this.editor?.shapeDrawn(e.detail);
            else this.zones = [...this.zones, e.detail].slice(-(caps.zone_cleaning?.maxZones ?? 1));
          }}
          @line-drawn=${(e: CustomEvent<Shape>) => void this.editor?.shapeDrawn(e.detail)}
          @point-picked=${(e: CustomEvent<Point>) => {
            this.target = e.detail;
          }}
          @room-tapped=${(e: CustomEvent<string>) => {
            this.order = toggleRoom(this.order, e.detail);
          }}
        ></sh-map-canvas>
        ${this.mode === "zone" ? this.#zonePanel(online, busy) : nothing}
        ${this.mode === "goto" ? this.#gotoPanel(online, busy) : nothing}
        <sh-error-box .error=${this.#actions.error ?? this.#map.error} @dismiss=${() => this.#actions.clearError()}></sh-error-box>
      </div>
      <div class="side">
        ${
          this.mode === "edit"
            ? html`<section class="card" aria-label="Edit map">
              <sh-map-editor
                .robotId=${robot.id}
                .map=${json}
                .drawing=${this.drawing}
                @draw-request=${(e: CustomEvent<DrawPurpose | null>) => {
                  this.drawing = e.detail;
                }}
                @map-changed=${(e: CustomEvent<MapJson>) => this.#mapChanged(e.detail)}
                @floor-view=${(e: CustomEvent<string>) => void this.#viewFloor(e.detail)}
              ></sh-map-editor>
            </section>`
            : nothing
        }
        <section class="card" aria-labelledby="controls-title">
          <h2 id="controls-title" class="visually-hidden">Controls</h2>
          <sh-robot-controls .robot=${robot} ?readonly=${this.readonly}></sh-robot-controls>
        </section>
        ${
          caps.room_cleaning
            ? html`<section class="card stack" aria-labelledby="rooms-title">
              <div class="row between">
                <h2 id="rooms-title">Rooms</h2>
                <div class="row">
                  ${
                    control && rooms && this.order.length < rooms.rooms.length
                      ? html`<button class="ghost" @click=${() => (this.order = pickAll(rooms.rooms, this.order))}>All rooms</button>`
                      : nothing
                  }
                  ${this.order.length ? html`<button class="ghost" @click=${() => (this.order = [])}>Clear</button>` : nothing}
                </div>
              </div>
              ${
                rooms
                  ? html`<sh-room-picker
                    .rooms=${rooms.rooms}
                    .order=${this.order}
                    .maxRepeats=${caps.room_cleaning.maxRepeats}
                    ?disabled=${!control}
                    @order-changed=${(e: CustomEvent<RoomPick[]>) => {
                      this.order = e.detail;
                    }}
                  ></sh-room-picker>`
                  : html`<p class="muted">${online ? "Loading rooms…" : "Rooms show when the robot is online."}</p>`
              }
              ${
                control
                  ? html`<button
                    class="primary"
                    ?disabled=${!online || busy || this.order.length === 0}
                    aria-busy=${this.#actions.isPending("clean_rooms")}
                    @click=${() => this.#run("clean_rooms", cleanRoomsBody(this.order), () => (this.order = []))}
                  >
                    ${this.order.length === 0 ? "Select rooms to clean" : `Clean ${this.order.length} room${this.order.length === 1 ? "" : "s"} in this order`}
                  </button>`
                  : nothing
              }
            </section>`
            : nothing
        }
        ${control && caps.mapping_pass && !this.imported ? html`<sh-mapping-pass .robot=${robot}></sh-mapping-pass>` : nothing}
        ${this.#downloadPanel(json)}
      </div>
    </div>`;
  }

  async #openValetudo(input: HTMLInputElement) {
    const file = input.files?.[0];
    input.value = "";
    if (!file) return;
    await this.#actions.run("import", async () => {
      let body: unknown;
      try {
        body = JSON.parse(await file.text());
      } catch {
        throw new ApiError(
          "invalid_request",
          400,
          `“${file.name}” is not JSON: choose a map exported by Valetudo.`,
        );
      }
      const json = await mapsApi.importValetudo(body);
      this.mode = "view";
      this.imported = { file: file.name, model: mapJsonToModel(json) };
    });
  }

  #downloadPanel(json: MapJson | null) {
    const { id, name } = this.robot;
    const open = html`<label class="button"
      >Open a Valetudo map…
      <input
        class="visually-hidden"
        type="file"
        accept=".json,application/json"
        ?disabled=${this.#actions.pending !== null}
        @change=${(e: Event) => void this.#openValetudo(e.target as HTMLInputElement)}
    /></label>`;
    if (!json) {
      return html`<section class="card stack" aria-labelledby="download-title">
        <h2 id="download-title">Maps from files</h2>
        <p class="muted small">Look at a map exported by Valetudo (it is not sent to the robot).</p>
        <div class="row">${open}</div>
      </section>`;
    }
    return html`<section class="card stack" aria-labelledby="download-title">
      <h2 id="download-title">Save the map</h2>
      <p class="muted small">
        The map of floor “${json.floor}” as it is now: a picture, or Valetudo map JSON for other tools. You can also
        look at a map exported by Valetudo (it is not sent to the robot).
      </p>
      <div class="row">
        <a class="button" href=${mapDownloads.png(id, json.floor)} download=${downloadName(name, json.floor, "png")}
          >Download image (PNG)</a
        >
        <a
          class="button"
          href=${mapDownloads.valetudo(id, json.floor)}
          download=${downloadName(name, json.floor, "valetudo.json")}
          >Export (Valetudo JSON)</a
        >
        ${open}
      </div>
    </section>`;
  }

  #zonePanel(online: boolean, busy: boolean) {
    const max = this.robot.capabilities.zone_cleaning?.maxZones ?? 1;
    return html`<div class="card stack">
      <p class="muted small">Drag on the map to draw up to ${max} zone${max === 1 ? "" : "s"}.</p>
      <div class="row">
        <button
          class="primary"
          ?disabled=${!online || busy || this.zones.length === 0}
          aria-busy=${this.#actions.isPending("clean_zones")}
          @click=${() => this.#run("clean_zones", { zones: this.zones }, () => (this.zones = []))}
        >
          Clean ${this.zones.length === 1 ? "zone" : `${this.zones.length} zones`}
        </button>
        <button ?disabled=${this.zones.length === 0} @click=${() => (this.zones = [])}>Clear zones</button>
      </div>
    </div>`;
  }

  #gotoPanel(online: boolean, busy: boolean) {
    return html`<div class="card stack">
      <p class="muted small">Tap the map where the robot should go.</p>
      <div class="row">
        <button
          class="primary"
          ?disabled=${!online || busy || !this.target}
          aria-busy=${this.#actions.isPending("go_to")}
          @click=${() => this.#run("go_to", { ...this.target! }, () => (this.target = null))}
        >
          Go there
        </button>
      </div>
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "sh-robot-map-tab": ShRobotMapTab;
  }
}
