/**
 * Adding a robot: robots announced on the network are listed live (paired ones marked); pick one, type the
 * 8-digit setup code from its sticker, and see progress, then success or the hub's reason for failure. Robots
 * the hub cannot discover (another subnet, Docker without host networking) are added by address.
 */
import { css, html, LitElement, nothing } from "lit";
import { customElement, state } from "lit/decorators.js";
import { discoveryApi, robotsApi } from "../data/api.ts";
import { ActionRunner } from "../data/command-runner.ts";
import { relativeTime } from "../data/format.ts";
import { store } from "../data/hub-context.ts";
import { navigate } from "../data/router.ts";
import { StoreController } from "../data/store.ts";
import { sharedStyles } from "../styles/shared.ts";
import "./sh-error-box.ts";
import "./sh-icon.ts";

/** Keeps digits only and groups them 4-4 as on the sticker; the hub accepts spaces and dashes. */
const formatCode = (raw: string) => {
  const digits = raw.replace(/\D/g, "").slice(0, 8);
  return digits.length > 4 ? `${digits.slice(0, 4)} ${digits.slice(4)}` : digits;
};

@customElement("sh-add-robot-page")
export class ShAddRobotPage extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      :host {
        display: block;
        max-width: 720px;
      }
      .stack {
        gap: var(--sh-gap);
      }
      ul {
        list-style: none;
        margin: 0;
        padding: 0;
        display: flex;
        flex-direction: column;
        gap: 8px;
      }
      li button {
        width: 100%;
        justify-content: space-between;
        border-radius: var(--sh-radius-small);
        text-align: left;
        padding: 10px 14px;
        min-height: 56px;
      }
      li button[aria-pressed="true"] {
        border-color: var(--sh-primary);
        background: var(--sh-primary-soft);
      }
      .who {
        display: flex;
        flex-direction: column;
        font-weight: 600;
      }
      .who span {
        font-weight: 400;
      }
      form {
        display: flex;
        flex-direction: column;
        gap: 12px;
      }
      .code {
        font-family: var(--sh-mono);
        font-size: 1.4rem;
        letter-spacing: 0.12em;
        max-width: 14ch;
      }
      .grid2 {
        display: grid;
        grid-template-columns: 1fr 120px;
        gap: 8px;
      }
      .progress {
        display: flex;
        align-items: center;
        gap: 10px;
      }
      .spinner {
        width: 20px;
        height: 20px;
        border-radius: 50%;
        border: 3px solid var(--sh-primary-soft);
        border-top-color: var(--sh-primary);
        animation: spin 0.9s linear infinite;
      }
      @keyframes spin {
        to {
          transform: rotate(360deg);
        }
      }
      @media (prefers-reduced-motion: reduce) {
        .spinner {
          animation: none;
        }
      }
      details summary {
        cursor: pointer;
        font-weight: 600;
        min-height: 44px;
        display: flex;
        align-items: center;
      }
    `,
  ];

  readonly #store = new StoreController(this, store);
  readonly #actions = new ActionRunner(this);
  @state() accessor selected: string | null = null;
  @state() accessor code = "";
  @state() accessor host = "";
  @state() accessor port = "";
  @state() accessor discoveryEnabled = true;

  override connectedCallback(): void {
    super.connectedCallback();
    void discoveryApi
      .list()
      .then((d) => {
        this.discoveryEnabled = d.enabled;
        store.setDiscovery(d.robots);
      })
      .catch(() => {});
  }

  #pair(e: Event) {
    e.preventDefault();
    const manual = !this.selected;
    void this.#actions.run("pair", async () => {
      const robot = await robotsApi.pair(
        manual
          ? { host: this.host.trim(), port: Number(this.port), code: this.code }
          : { robotId: this.selected!, code: this.code },
      );
      store.acceptAnswer(robot);
      navigate(`/robots/${encodeURIComponent(robot.id)}`);
    });
  }

  override render() {
    const found = this.#store.store.discovery.filter((r) => !r.known);
    const pairing = this.#actions.isPending("pair");
    const codeOk = this.code.replace(/\D/g, "").length === 8;
    const manualOk = this.host.trim().length > 0 && Number(this.port) >= 1 && Number(this.port) <= 65535;
    return html`<div class="stack">
      <h1>Add a robot</h1>
      <section class="card stack" aria-labelledby="found-title">
        <div class="row between">
          <h2 id="found-title">Robots on your network</h2>
          <button
            class="ghost"
            ?disabled=${!this.discoveryEnabled}
            aria-busy=${this.#actions.isPending("scan")}
            @click=${() => this.#actions.run("scan", () => discoveryApi.scan())}
          >
            <sh-icon name="refresh"></sh-icon> Search again
          </button>
        </div>
        ${
          !this.discoveryEnabled
            ? html`<p class="muted">Discovery is turned off in the hub's configuration; add the robot by its address below.</p>`
            : found.length === 0
              ? html`<p class="muted" role="status">
                Looking for robots… Make sure the robot is on, connected to the same network, and not paired
                with another hub.
              </p>`
              : html`<ul aria-label="Discovered robots">
                ${found.map(
                  (r) => html`<li>
                    <button
                      aria-pressed=${this.selected === r.id}
                      @click=${() => {
                        this.selected = this.selected === r.id ? null : r.id;
                        this.#actions.clearError();
                      }}
                    >
                      <span class="who"
                        >${r.name}<span class="muted small">${r.model} · ${r.host}</span></span
                      >
                      <span class="small muted"
                        >${r.paired ? "Paired with another hub" : `seen ${relativeTime(r.lastSeenAt)}`}</span
                      >
                    </button>
                  </li>`,
                )}
              </ul>`
        }
      </section>
      <form class="card" @submit=${this.#pair} aria-labelledby="code-title">
        <h2 id="code-title">${this.selected ? `Pair ${found.find((r) => r.id === this.selected)?.name ?? this.selected}` : "Pair by address"}</h2>
        ${
          this.selected
            ? nothing
            : html`<p class="muted small">Choose a robot above, or type the address shown in the robot's app or on your router.</p>
              <div class="grid2">
                <label
                  >Address<input
                    name="host"
                    autocomplete="off"
                    placeholder="192.168.1.40"
                    .value=${this.host}
                    @input=${(e: Event) => {
                      this.host = (e.target as HTMLInputElement).value;
                    }}
                /></label>
                <label
                  >Port<input
                    name="port"
                    inputmode="numeric"
                    placeholder="8443"
                    .value=${this.port}
                    @input=${(e: Event) => {
                      this.port = (e.target as HTMLInputElement).value.replace(/\D/g, "");
                    }}
                /></label>
              </div>`
        }
        <label
          >Setup code
          <input
            class="code"
            name="code"
            inputmode="numeric"
            autocomplete="one-time-code"
            placeholder="1234 5678"
            aria-describedby="code-help"
            .value=${this.code}
            @input=${(e: Event) => {
              const input = e.target as HTMLInputElement;
              this.code = formatCode(input.value);
              input.value = this.code;
            }}
          />
        </label>
        <p id="code-help" class="muted small">8 digits, printed on the sticker under the robot's lid.</p>
        <sh-error-box .error=${this.#actions.error} @dismiss=${() => this.#actions.clearError()}></sh-error-box>
        ${
          pairing
            ? html`<div class="progress" role="status">
              <span class="spinner" aria-hidden="true"></span> Pairing: exchanging keys with the robot…
            </div>`
            : nothing
        }
        <div class="row">
          <button class="primary" type="submit" ?disabled=${pairing || !codeOk || (!this.selected && !manualOk)}>
            Pair robot
          </button>
        </div>
      </form>
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "sh-add-robot-page": ShAddRobotPage;
  }
}
