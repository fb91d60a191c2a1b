/**
 * A robot in Matter (owner only): the QR code and manual code to add it to Apple Home, Google Home, Alexa or
 * Home Assistant while it is commissionable; the controllers (fabrics) it belongs to, each removable; and a
 * button to open a new pairing window for a second controller. Polls while waiting for a controller.
 */
import { css, html, LitElement, nothing } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import QRCode from "qrcode";
import { ApiError } from "../data/api.ts";
import { ActionRunner } from "../data/command-runner.ts";
import { fabricName, groupManualCode, type MatterNode, matterApi } from "../data/matter-api.ts";
import { sharedStyles } from "../styles/shared.ts";
import "./sh-error-box.ts";

const POLL_MS = 3_000;

@customElement("sh-matter-panel")
export class ShMatterPanel extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      :host {
        display: block;
      }
      .pair {
        display: flex;
        gap: 16px;
        flex-wrap: wrap;
        align-items: center;
      }
      img {
        width: 168px;
        height: 168px;
        background: #fff;
        border-radius: var(--sh-radius-small);
        padding: 6px;
        image-rendering: pixelated;
      }
      .code {
        font-family: var(--sh-mono);
        font-size: 1.3rem;
        letter-spacing: 0.06em;
      }
    `,
  ];

  @property() accessor robotId = "";
  @state() accessor node: MatterNode | null = null;
  @state() accessor qr: string | null = null;
  /** Why there is no panel (Matter turned off or not running), in words. */
  @state() accessor unavailable: string | null = null;
  readonly #actions = new ActionRunner(this);
  #timer: ReturnType<typeof setInterval> | null = null;

  override connectedCallback(): void {
    super.connectedCallback();
    void this.#load();
    this.#timer = setInterval(() => {
      if (this.node?.commissionable) void this.#load(true);
    }, POLL_MS);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    if (this.#timer) clearInterval(this.#timer);
  }

  async #load(quiet = false) {
    try {
      await this.#show(await matterApi.node(this.robotId));
    } catch (err) {
      if (err instanceof ApiError && (err.code === "matter_disabled" || err.code === "matter_unavailable")) {
        this.unavailable = err.message;
        this.node = null;
      } else if (!quiet) void this.#actions.run("load", () => Promise.reject(err));
    }
  }

  async #show(node: MatterNode) {
    this.unavailable = null;
    this.node = node;
    this.qr = node.qrPairingCode
      ? await QRCode.toDataURL(node.qrPairingCode, { errorCorrectionLevel: "M", margin: 1, width: 336 })
      : null;
  }

  override render() {
    if (this.unavailable) return html`<p class="muted">${this.unavailable}</p>`;
    const n = this.node;
    const busy = this.#actions.pending !== null;
    return html`<div class="stack">
      <sh-error-box .error=${this.#actions.error} @dismiss=${() => this.#actions.clearError()}></sh-error-box>
      ${
        !n
          ? html`<p class="muted">Loading…</p>`
          : html`${
              n.commissionable && n.manualPairingCode
                ? html`<div class="pair">
                  ${this.qr ? html`<img src=${this.qr} alt="Matter QR code to add this robot to a smart home app" />` : nothing}
                  <div class="stack">
                    <p>Scan the code in your smart home app (Apple Home, Google Home, Alexa, Home Assistant), or type:</p>
                    <span class="code" data-testid="matter-code">${groupManualCode(n.manualPairingCode)}</span>
                    ${n.windowClosesAt ? html`<span class="muted small">The code works until ${new Date(n.windowClosesAt).toLocaleTimeString()}.</span>` : nothing}
                  </div>
                </div>`
                : html`<div class="row between">
                  <span class="muted">${n.fabrics.length ? "To add it to one more app, open a pairing window." : "Not in a smart home app yet."}</span>
                  <button
                    ?disabled=${busy}
                    aria-busy=${this.#actions.isPending("window")}
                    @click=${() => this.#actions.run("window", async () => this.#show(await matterApi.openWindow(this.robotId)))}
                  >
                    Add to another app
                  </button>
                </div>`
            }
            ${
              n.fabrics.length
                ? html`<h3>Added to</h3>
                  <ul class="rows" aria-label="Smart home apps">
                    ${n.fabrics.map(
                      (f) => html`<li>
                        <span>${fabricName(f)}</span>
                        <button
                          class="danger"
                          ?disabled=${busy}
                          aria-label=${`Remove from ${fabricName(f)}`}
                          @click=${() => {
                            if (!confirm(`Remove the robot from ${fabricName(f)}?`)) return;
                            void this.#actions.run(`fabric-${f.fabricIndex}`, async () =>
                              this.#show(await matterApi.removeFabric(this.robotId, f.fabricIndex)),
                            );
                          }}
                        >
                          Remove
                        </button>
                      </li>`,
                    )}
                  </ul>`
                : nothing
            }`
      }
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "sh-matter-panel": ShMatterPanel;
  }
}
