/** Battery level with a charging mark; the colour warns when low. */
import { css, html, LitElement } from "lit";
import { customElement, property } from "lit/decorators.js";
import { batteryLabel } from "../data/format.ts";
import { cssProps } from "../styles/css-props.ts";
import "./sh-icon.ts";

@customElement("sh-battery")
export class ShBattery extends LitElement {
  static override styles = css`
    :host {
      display: inline-flex;
      align-items: center;
      gap: 6px;
      font-variant-numeric: tabular-nums;
      font-weight: 600;
    }
    .bar {
      display: block;
      width: 30px;
      height: 14px;
      border: 2px solid currentColor;
      border-radius: 4px;
      padding: 1px;
      position: relative;
      opacity: 0.85;
    }
    .bar::after {
      content: "";
      position: absolute;
      right: -5px;
      top: 3px;
      width: 3px;
      height: 4px;
      background: currentColor;
      border-radius: 0 2px 2px 0;
    }
    .fill {
      display: block;
      height: 100%;
      border-radius: 2px;
      background: var(--sh-ok);
    }
    :host([low]) .fill {
      background: var(--sh-danger);
    }
    sh-icon {
      width: 16px;
      height: 16px;
      color: var(--sh-warn);
    }
  `;

  @property({ type: Number }) accessor percent = 0;
  @property({ type: Boolean }) accessor charging = false;

  override updated(): void {
    this.toggleAttribute("low", this.percent < 20);
  }

  override render() {
    const p = Math.max(0, Math.min(100, this.percent));
    return html`<span class="bar" role="img" aria-label=${`Battery ${batteryLabel(p, this.charging)}`}
        ><span class="fill" style=${cssProps({ width: `${p}%` })}></span></span
      ><span aria-hidden="true">${Math.round(p)} %</span>${
        this.charging ? html`<sh-icon name="bolt"></sh-icon>` : ""
      }`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "sh-battery": ShBattery;
  }
}
