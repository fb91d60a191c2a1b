/**
 * One robot: the live map with its tools (select rooms in order, draw zones, tap a point), controls and
 * presets; details (consumables, identity, unpair); and the cleaning history.
 */
import { css, html, LitElement, nothing } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import type { RobotView } from "../../../hub/core/robot-view.ts";
import { robotsApi } from "../data/api.ts";
import { ActionRunner } from "../data/command-runner.ts";
import { relativeTime, robotHeadline } from "../data/format.ts";
import { loadRooms, store } from "../data/hub-context.ts";
import { emptyMap, type MapModel } from "../data/map-model.ts";
import type { Bounds, Point } from "../data/map-view.ts";
import { cleanRoomsBody, type RoomPick, toggleRoom } from "../data/room-order.ts";
import { navigate, type RobotTab } from "../data/router.ts";
import { StoreController } from "../data/store.ts";
import { sharedStyles } from "../styles/shared.ts";
import "./sh-battery.ts";
import "./sh-consumables.ts";
import "./sh-error-box.ts";
import "./sh-history-list.ts";
import "./sh-icon.ts";
import type { MapTool } from "./sh-map-canvas.ts";
import "./sh-map-canvas.ts";
import "./sh-robot-controls.ts";
import "./sh-room-picker.ts";

@customElement("sh-robot-page")
export class ShRobotPage extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      :host {
        display: block;
      }
      header {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 8px 16px;
        margin-bottom: 12px;
      }
      header h1 {
        margin-right: auto;
      }
      nav[role="tablist"] {
        display: flex;
        gap: 4px;
        border-bottom: 1px solid var(--sh-border);
        margin-bottom: var(--sh-gap);
        overflow-x: auto;
      }
      nav a {
        white-space: nowrap;
        padding: 10px 14px;
        color: var(--sh-text-2);
        text-decoration: none;
        font-weight: 600;
        border-bottom: 3px solid transparent;
      }
      nav a[aria-selected="true"] {
        color: var(--sh-primary);
        border-bottom-color: var(--sh-primary);
      }
      .layout {
        display: grid;
        gap: var(--sh-gap);
        grid-template-columns: minmax(0, 1fr);
      }
      @media (min-width: 960px) {
        .layout {
          grid-template-columns: minmax(0, 1fr) 400px;
          align-items: start;
        }
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
      }
      .tools button[aria-pressed="true"] {
        background: var(--sh-surface);
        box-shadow: var(--sh-shadow);
        color: var(--sh-primary);
      }
      .side {
        display: flex;
        flex-direction: column;
        gap: var(--sh-gap);
      }
      dl {
        display: grid;
        grid-template-columns: auto 1fr;
        gap: 6px 16px;
        margin: 0;
      }
      dt {
        color: var(--sh-text-2);
      }
      dd {
        margin: 0;
        overflow-wrap: anywhere;
      }
      .fault {
        border-color: var(--sh-danger);
        background: var(--sh-danger-soft);
      }
    `,
  ];

  @property() accessor robotId = "";
  @property() accessor tab: RobotTab = "map";
  @state() accessor order: RoomPick[] = [];
  @state() accessor tool: MapTool = "view";
  @state() accessor zones: Bounds[] = [];
  @state() accessor target: Point | null = null;
  readonly #store = new StoreController(this, store);
  readonly #actions = new ActionRunner(this);

  override updated(): void {
    void loadRooms(this.robotId);
  }

  #mapModel(robot: RobotView): MapModel {
    const model = emptyMap();
    const s = robot.state;
    if (!s) return model;
    const dock = store.docks.get(robot.id);
    return {
      ...model,
      floor: s.floor,
      robot: s.pose,
      dock: dock && dock.floor === s.floor ? dock : null,
      path: store.trails.get(robot.id)?.points ?? [],
    };
  }

  #run(name: string, body: Record<string, unknown>, after?: () => void) {
    return this.#actions.run(name, async () => {
      const { robot } = await robotsApi.command(this.robotId, name, body);
      store.upsertRobot(robot);
      after?.();
    });
  }

  override render() {
    const robot = this.#store.store.robots.get(this.robotId);
    if (!robot) {
      return html`<section class="card stack">
        <h1>Robot not found</h1>
        <p class="muted">
          ${this.#store.store.everConnected ? "This robot is not paired with the hub (any more)." : "Loading…"}
        </p>
        <a href="/" @click=${this.#link("/")}>Back to robots</a>
      </section>`;
    }
    const head = robotHeadline(robot);
    const s = robot.state;
    const tabs: [RobotTab, string][] = [
      ["map", "Map"],
      ["details", "Details"],
      ["history", "History"],
    ];
    const base = `/robots/${encodeURIComponent(robot.id)}`;
    return html`<header>
        <h1>${robot.name}</h1>
        <span class="chip ${head.tone}" data-testid="status">${head.label}</span>
        ${s ? html`<sh-battery .percent=${s.battery} .charging=${s.charging}></sh-battery>` : nothing}
      </header>
      ${
        s?.error
          ? html`<div class="card fault" role="alert"><strong>${robot.name} needs attention.</strong> ${s.error.message}</div>`
          : nothing
      }
      ${
        robot.connection !== "online" && robot.connectionError
          ? html`<div class="card fault" role="status">${robot.connectionError}</div>`
          : nothing
      }
      <nav role="tablist" aria-label="Robot sections">
        ${tabs.map(
          ([t, label]) =>
            html`<a
              role="tab"
              aria-selected=${this.tab === t}
              href=${t === "map" ? base : `${base}/${t}`}
              @click=${this.#link(t === "map" ? base : `${base}/${t}`)}
              >${label}</a
            >`,
        )}
      </nav>
      <div role="tabpanel">
        ${this.tab === "map" ? this.#mapTab(robot) : this.tab === "details" ? this.#detailsTab(robot) : html`<sh-history-list .robotId=${robot.id}></sh-history-list>`}
      </div>`;
  }

  #mapTab(robot: RobotView) {
    const s = robot.state;
    const caps = robot.capabilities;
    const rooms = store.rooms.get(robot.id);
    const online = robot.connection === "online";
    const busy = this.#actions.pending !== null;
    const roomName = store.roomName(robot.id, s?.currentRoom);
    const label = `Map of ${robot.name}${s ? `: ${head(robot)}${roomName ? ` in ${roomName}` : ""}` : ""}`;
    const tools: [MapTool, string, boolean][] = [
      ["view", "Move map", true],
      ["zone", "Draw zone", Boolean(caps.zone_cleaning)],
      ["goto", "Go to point", Boolean(caps.go_to)],
    ];
    return html`<div class="layout">
      <div class="stack">
        <div class="tools" role="group" aria-label="Map tool">
          ${tools
            .filter(([, , ok]) => ok)
            .map(
              ([t, text]) =>
                html`<button aria-pressed=${this.tool === t} @click=${() => {
                  this.tool = t;
                }}>${text}</button>`,
            )}
        </div>
        <sh-map-canvas
          .model=${this.#mapModel(robot)}
          .tool=${this.tool}
          .selectedRooms=${this.order}
          .zones=${this.zones}
          .target=${this.target}
          label=${label}
          @zone-drawn=${(e: CustomEvent<Bounds>) => {
            const max = caps.zone_cleaning?.maxZones ?? 1;
            this.zones = [...this.zones, e.detail].slice(-max);
          }}
          @point-picked=${(e: CustomEvent<Point>) => {
            this.target = e.detail;
          }}
          @room-tapped=${(e: CustomEvent<string>) => {
            this.order = toggleRoom(this.order, e.detail);
          }}
        ></sh-map-canvas>
        ${
          this.tool === "zone"
            ? html`<div class="card stack">
              <p class="muted small">Drag on the map to draw up to ${caps.zone_cleaning?.maxZones ?? 1} zones.</p>
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
            </div>`
            : nothing
        }
        ${
          this.tool === "goto"
            ? html`<div class="card stack">
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
            </div>`
            : nothing
        }
        <sh-error-box .error=${this.#actions.error} @dismiss=${() => this.#actions.clearError()}></sh-error-box>
      </div>
      <div class="side">
        <section class="card" aria-labelledby="controls-title">
          <h2 id="controls-title" class="visually-hidden">Controls</h2>
          <sh-robot-controls .robot=${robot}></sh-robot-controls>
        </section>
        ${
          caps.room_cleaning
            ? html`<section class="card stack" aria-labelledby="rooms-title">
              <div class="row between">
                <h2 id="rooms-title">Rooms</h2>
                ${this.order.length ? html`<button class="ghost" @click=${() => (this.order = [])}>Clear</button>` : nothing}
              </div>
              ${
                rooms
                  ? html`<sh-room-picker
                    .rooms=${rooms.rooms}
                    .order=${this.order}
                    .maxRepeats=${caps.room_cleaning.maxRepeats}
                    @order-changed=${(e: CustomEvent<RoomPick[]>) => {
                      this.order = e.detail;
                    }}
                  ></sh-room-picker>`
                  : html`<p class="muted">${online ? "Loading rooms…" : "Rooms show when the robot is online."}</p>`
              }
              <button
                class="primary"
                ?disabled=${!online || busy || this.order.length === 0}
                aria-busy=${this.#actions.isPending("clean_rooms")}
                @click=${() => this.#run("clean_rooms", cleanRoomsBody(this.order), () => (this.order = []))}
              >
                ${this.order.length === 0 ? "Select rooms to clean" : `Clean ${this.order.length} room${this.order.length === 1 ? "" : "s"} in this order`}
              </button>
            </section>`
            : nothing
        }
      </div>
    </div>`;
  }

  #detailsTab(robot: RobotView) {
    return html`<div class="layout">
      <div class="stack">
        ${
          robot.capabilities.consumables
            ? html`<section class="card stack" aria-labelledby="cons-title">
              <h2 id="cons-title">Maintenance</h2>
              <sh-consumables .robotId=${robot.id}></sh-consumables>
            </section>`
            : nothing
        }
      </div>
      <div class="side">
        <section class="card stack" aria-labelledby="info-title">
          <h2 id="info-title">About this robot</h2>
          <dl>
            <dt>Model</dt>
            <dd>${robot.manufacturer} ${robot.model}</dd>
            <dt>Firmware</dt>
            <dd>${robot.firmware}</dd>
            <dt>Serial</dt>
            <dd>${robot.serial}</dd>
            <dt>Address</dt>
            <dd>${robot.address.host}:${robot.address.port}</dd>
            <dt>Added</dt>
            <dd>${relativeTime(robot.pairedAt)}</dd>
            <dt>Last seen</dt>
            <dd>${robot.lastSeenAt ? relativeTime(robot.lastSeenAt) : "never"}</dd>
          </dl>
        </section>
        <section class="card stack" aria-labelledby="danger-title">
          <h2 id="danger-title">Remove robot</h2>
          <p class="muted small">
            The robot forgets this hub and the hub deletes its history. To use it again, pair it with its setup code.
          </p>
          <button
            class="danger"
            aria-busy=${this.#actions.isPending("unpair")}
            @click=${() => {
              if (!confirm(`Remove ${robot.name} from sweephub?`)) return;
              void this.#actions.run("unpair", async () => {
                await robotsApi.unpair(robot.id);
                store.removeRobot(robot.id);
                navigate("/");
              });
            }}
          >
            Remove ${robot.name}
          </button>
          <sh-error-box .error=${this.#actions.error} @dismiss=${() => this.#actions.clearError()}></sh-error-box>
        </section>
      </div>
    </div>`;
  }

  #link(path: string) {
    return (e: MouseEvent) => {
      if (e.metaKey || e.ctrlKey) return;
      e.preventDefault();
      navigate(path);
    };
  }
}

const head = (robot: RobotView) => robotHeadline(robot).label.toLowerCase();

declare global {
  interface HTMLElementTagNameMap {
    "sh-robot-page": ShRobotPage;
  }
}
