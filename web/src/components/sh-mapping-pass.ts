/**
 * "Map this floor": starts a mapping pass (capability `mapping_pass`, command `map_explore`), in which the robot
 * drives through every room it can reach with the vacuum off to build or refresh its map, then docks. Shown only
 * for robots with the capability and people who may control them; the robot's refusal is shown as it said it.
 */
import { css, html, LitElement, nothing } from "lit";
import { customElement, property } from "lit/decorators.js";
import type { RobotView } from "../../../hub/core/robot-view.ts";
import { robotsApi } from "../data/api.ts";
import { ActionRunner } from "../data/command-runner.ts";
import { store } from "../data/hub-context.ts";
import { sharedStyles } from "../styles/shared.ts";
import "./sh-error-box.ts";
import "./sh-icon.ts";

@customElement("sh-mapping-pass")
export class ShMappingPass extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      :host {
        display: block;
      }
    `,
  ];

  @property({ attribute: false }) accessor robot!: RobotView;
  readonly #actions = new ActionRunner(this);

  #start() {
    return this.#actions.run("map_explore", async () => {
      const { robot } = await robotsApi.command(this.robot.id, "map_explore", {});
      store.acceptAnswer(robot);
    });
  }

  override render() {
    const r = this.robot;
    const s = r.state;
    const mapping = s?.job?.kind === "mapping";
    const online = r.connection === "online" && s !== null;
    const floor = s?.floor ? ` “${s.floor}”` : "";
    return html`<section class="card stack" aria-labelledby="mapping-title">
      <h2 id="mapping-title">Map this floor</h2>
      ${
        mapping
          ? html`<p role="status">
            ${s?.status === "paused" ? "The mapping run is paused." : "Mapping: the map fills in as the robot explores."}
            It returns to its dock when no corner it can reach is left. Pause, Stop and Dock are in the controls.
          </p>`
          : html`<p class="muted small">
            The robot drives through every room of floor${floor} it can reach, with the vacuum and mop off, to build or
            refresh its map, then returns to its dock. No-go areas and virtual walls are respected.
          </p>`
      }
      ${
        mapping
          ? nothing
          : html`<div class="row">
            <button
              ?disabled=${!online || this.#actions.pending !== null}
              aria-busy=${this.#actions.isPending("map_explore")}
              @click=${() => this.#start()}
            >
              <sh-icon name="map"></sh-icon>Start mapping run
            </button>
          </div>`
      }
      <sh-error-box .error=${this.#actions.error} @dismiss=${() => this.#actions.clearError()}></sh-error-box>
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "sh-mapping-pass": ShMappingPass;
  }
}
