/**
 * One robot: the live map with its tools (select rooms in order, draw zones, tap a point), controls and
 * presets; details (consumables, identity, unpair); and the cleaning history.
 */
import { css, html, LitElement, nothing } from "lit";
import { customElement, property } from "lit/decorators.js";
import type { RobotView } from "../../../hub/core/robot-view.ts";
import { robotsApi } from "../data/api.ts";
import { ActionRunner } from "../data/command-runner.ts";
import { relativeTime, robotHeadline } from "../data/format.ts";
import { loadRooms, store } from "../data/hub-context.ts";
import { navigate, type RobotTab } from "../data/router.ts";
import { StoreController } from "../data/store.ts";
import { sharedStyles } from "../styles/shared.ts";
import { twoColumnStyles } from "../styles/two-columns.ts";
import "./sh-battery.ts";
import "./sh-consumables.ts";
import "./sh-error-box.ts";
import "./sh-history-list.ts";
import "./sh-icon.ts";
import "./sh-matter-panel.ts";
import "./sh-robot-map-tab.ts";

@customElement("sh-robot-page")
export class ShRobotPage extends LitElement {
  static override styles = [
    sharedStyles,
    twoColumnStyles,
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
  readonly #store = new StoreController(this, store);
  readonly #actions = new ActionRunner(this);

  override updated(): void {
    void loadRooms(this.robotId);
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
        ${this.tab === "map" ? html`<sh-robot-map-tab .robot=${robot} ?readonly=${!this.#store.store.grantsFor(robot.id).control}></sh-robot-map-tab>` : this.tab === "details" ? this.#detailsTab(robot) : html`<sh-history-list .robotId=${robot.id}></sh-history-list>`}
      </div>`;
  }

  #detailsTab(robot: RobotView) {
    return html`<div class="layout">
      <div class="stack">
        ${
          robot.capabilities.consumables
            ? html`<section class="card stack" aria-labelledby="cons-title">
              <h2 id="cons-title">Maintenance</h2>
              <sh-consumables .robotId=${robot.id} ?readonly=${!this.#store.store.grantsFor(robot.id).control}></sh-consumables>
            </section>`
            : nothing
        }
      </div>
      <div class="side">
        ${
          this.#store.store.me?.user.role === "owner"
            ? html`<section class="card stack" aria-labelledby="matter-title">
              <h2 id="matter-title">Smart home (Matter)</h2>
              <sh-matter-panel .robotId=${robot.id}></sh-matter-panel>
            </section>`
            : nothing
        }
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
        ${
          this.#store.store.isAdmin || !this.#store.store.auth?.accounts
            ? html`<section class="card stack" aria-labelledby="danger-title">
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
        </section>`
            : nothing
        }
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

declare global {
  interface HTMLElementTagNameMap {
    "sh-robot-page": ShRobotPage;
  }
}
