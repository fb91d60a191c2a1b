/** Wear of brushes, filter, mop pad and sensors, with a reset after replacing a part. */
import { css, html, LitElement } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import type { Consumable } from "../../../integrations/sweep/protocol/robot-state.ts";
import { robotsApi } from "../data/api.ts";
import { ActionRunner } from "../data/command-runner.ts";
import { CONSUMABLE_LABELS, durationLabel, labelOf } from "../data/format.ts";
import { cssProps } from "../styles/css-props.ts";
import { sharedStyles } from "../styles/shared.ts";
import "./sh-error-box.ts";

@customElement("sh-consumables")
export class ShConsumables extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      :host {
        display: block;
      }
      ul {
        list-style: none;
        padding: 0;
        margin: 0;
        display: flex;
        flex-direction: column;
        gap: 12px;
      }
      li {
        display: grid;
        grid-template-columns: 1fr auto;
        gap: 4px 12px;
        align-items: center;
      }
      .what {
        display: flex;
        flex-direction: column;
      }
      .meter {
        grid-column: 1 / -1;
        height: 8px;
        border-radius: 4px;
        background: var(--sh-surface-2);
        overflow: hidden;
      }
      .meter span {
        display: block;
        height: 100%;
        background: var(--sh-ok);
      }
      .meter.low span {
        background: var(--sh-danger);
      }
      button {
        min-height: 36px;
      }
    `,
  ];

  @property() accessor robotId = "";
  @property({ type: Boolean }) accessor readonly = false;
  @state() accessor items: Consumable[] = [];
  readonly #actions = new ActionRunner(this);

  override connectedCallback(): void {
    super.connectedCallback();
    void this.#load();
  }

  #load() {
    return this.#actions.run("load", async () => {
      this.items = (await robotsApi.consumables(this.robotId)).consumables;
    });
  }

  override render() {
    return html`<sh-error-box .error=${this.#actions.error} @dismiss=${() => this.#actions.clearError()}></sh-error-box>
      <ul>
        ${this.items.map(
          (c) => html`<li>
            <span class="what"
              ><strong>${labelOf(CONSUMABLE_LABELS, c.id)}</strong>
              <span class="muted small"
                >${c.remainingPercent} % · about ${durationLabel(Math.max(0, c.lifetimeMin - c.usedMin) * 60)} left</span
              ></span
            >
            <button
              ?disabled=${this.readonly || this.#actions.pending !== null}
              aria-busy=${this.#actions.isPending(c.id)}
              aria-label=${`Reset ${labelOf(CONSUMABLE_LABELS, c.id)} after replacing it`}
              @click=${() =>
                this.#actions.run(c.id, async () => {
                  await robotsApi.command(this.robotId, "reset_consumable", { id: c.id });
                  this.items = (await robotsApi.consumables(this.robotId)).consumables;
                })}
            >
              Reset
            </button>
            <div
              class="meter ${c.remainingPercent < 15 ? "low" : ""}"
              role="meter"
              aria-valuemin="0"
              aria-valuemax="100"
              aria-valuenow=${c.remainingPercent}
              aria-label=${`${labelOf(CONSUMABLE_LABELS, c.id)} remaining`}
            >
              <span style=${cssProps({ width: `${c.remainingPercent}%` })}></span>
            </div>
          </li>`,
        )}
      </ul>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "sh-consumables": ShConsumables;
  }
}
