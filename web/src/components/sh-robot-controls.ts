/**
 * Controls of one robot: start/pause/resume, stop, dock, locate, and the presets its capabilities offer (fan
 * speed, water level, cleaning mode). Each shows progress while the hub works and the hub's reason on failure.
 */
import { css, html, LitElement, nothing } from "lit";
import { customElement, property } from "lit/decorators.js";
import type { RobotView } from "../../../hub/core/robot-view.ts";
import { robotsApi } from "../data/api.ts";
import { ActionRunner } from "../data/command-runner.ts";
import { FAN_LABELS, MODE_LABELS, quickActions, WATER_LABELS } from "../data/format.ts";
import { store } from "../data/hub-context.ts";
import { sharedStyles } from "../styles/shared.ts";
import "./sh-error-box.ts";
import "./sh-icon.ts";

@customElement("sh-robot-controls")
export class ShRobotControls extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      :host {
        display: block;
      }
      .buttons {
        display: grid;
        grid-template-columns: repeat(3, minmax(0, 1fr));
        gap: 8px;
      }
      .buttons button {
        padding: 0 8px;
      }
      .buttons .primary {
        grid-column: 1 / -1;
      }
      .presets {
        display: grid;
        grid-template-columns: repeat(auto-fit, minmax(140px, 1fr));
        gap: 12px;
      }
    `,
  ];

  @property({ attribute: false }) accessor robot!: RobotView;
  /** Set when the user may only look (grant `view`): every control is disabled, with the reason said once. */
  @property({ type: Boolean }) accessor readonly = false;
  readonly #actions = new ActionRunner(this);

  #command(name: string, body: Record<string, unknown> = {}) {
    return this.#actions.run(name, async () => {
      const { robot } = await robotsApi.command(this.robot.id, name, body);
      store.acceptAnswer(robot);
    });
  }

  override render() {
    const r = this.robot;
    const s = r.state;
    const caps = r.capabilities;
    const q = quickActions(r);
    const busy = this.#actions.pending !== null;
    const off = r.connection !== "online" || !s;
    const btn = (name: string, label: string, icon: string, enabled: boolean, primary = false) =>
      html`<button
        class=${primary ? "primary" : ""}
        ?disabled=${off || busy || !enabled}
        aria-busy=${this.#actions.isPending(name)}
        @click=${() => this.#command(name)}
      >
        <sh-icon name=${icon}></sh-icon>${label}
      </button>`;
    const select = (
      label: string,
      command: string,
      field: string,
      value: string | undefined,
      options: readonly string[] | undefined,
      labels: Record<string, string>,
    ) =>
      options
        ? html`<label
            >${label}
            <select
              ?disabled=${off || busy}
              aria-busy=${this.#actions.isPending(command)}
              @change=${(e: Event) => this.#command(command, { [field]: (e.target as HTMLSelectElement).value })}
            >
              ${options.map((o) => html`<option value=${o} ?selected=${o === value}>${labels[o] ?? o}</option>`)}
            </select></label
          >`
        : nothing;
    if (this.readonly) {
      return html`<p class="muted" role="note">You can view this robot but not control it. Ask the hub's owner for control access.</p>`;
    }
    return html`<section class="stack" aria-label="Controls">
      ${
        caps.basic_control
          ? html`<div class="buttons">
            ${
              q.primary
                ? btn(
                    q.primary.command,
                    q.primary.label,
                    q.primary.command === "pause" ? "pause" : "play",
                    true,
                    true,
                  )
                : btn("start", "Start", "play", false, true)
            }
            ${btn("stop", "Stop", "stop", q.canStop)} ${btn("dock", "Dock", "home", q.canDock)}
            ${caps.locate ? btn("locate", "Locate", "locate", true) : nothing}
          </div>`
          : nothing
      }
      <div class="presets">
        ${select("Suction", "set_fan_speed", "fanSpeed", s?.fanSpeed, caps.fan_speed?.presets, FAN_LABELS)}
        ${select("Water", "set_water_level", "waterLevel", s?.waterLevel, caps.water_level?.presets, WATER_LABELS)}
        ${select("Mode", "set_mode", "mode", s?.mode, caps.clean_mode?.modes, MODE_LABELS)}
      </div>
      <sh-error-box .error=${this.#actions.error} @dismiss=${() => this.#actions.clearError()}></sh-error-box>
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "sh-robot-controls": ShRobotControls;
  }
}
