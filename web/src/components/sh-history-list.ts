/** The robot's cleaning sessions, newest first: what, when, how long, how much, and how it ended. */
import { css, html, LitElement } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import { type CleaningSession, robotsApi } from "../data/api.ts";
import { ActionRunner } from "../data/command-runner.ts";
import { areaLabel, durationLabel, JOB_LABELS, RESULT_LABELS, relativeTime } from "../data/format.ts";
import { store } from "../data/hub-context.ts";
import { StoreController } from "../data/store.ts";
import { sharedStyles } from "../styles/shared.ts";
import "./sh-error-box.ts";

@customElement("sh-history-list")
export class ShHistoryList extends LitElement {
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
      }
      li {
        display: grid;
        grid-template-columns: 1fr auto;
        gap: 2px 12px;
        padding: 12px 0;
        border-bottom: 1px solid var(--sh-border);
      }
      li:last-child {
        border-bottom: none;
      }
    `,
  ];

  @property() accessor robotId = "";
  @state() accessor sessions: CleaningSession[] = [];
  @state() accessor loaded = false;
  readonly #actions = new ActionRunner(this);
  // Room names may load after the sessions: re-render when they arrive.
  readonly #store = new StoreController(this, store);

  override connectedCallback(): void {
    super.connectedCallback();
    void this.#actions.run("load", async () => {
      this.sessions = (await robotsApi.history(this.robotId, 50)).sessions;
      this.loaded = true;
    });
  }

  override render() {
    if (this.#actions.error) return html`<sh-error-box .error=${this.#actions.error}></sh-error-box>`;
    if (this.loaded && this.sessions.length === 0) return html`<p class="muted">No cleaning runs yet.</p>`;
    return html`<ol aria-label="Cleaning history">
      ${this.sessions.map((s) => {
        const rooms = s.rooms.map((r) => this.#store.store.roomName(s.robotId, r.id)).join(", ");
        return html`<li>
          <strong>${JOB_LABELS[s.kind] ?? s.kind}${rooms ? `: ${rooms}` : ""}</strong>
          <span class="chip ${s.result === "completed" ? "ok" : s.result ? "warn" : "active"}"
            >${s.result ? (RESULT_LABELS[s.result] ?? s.result) : "Running"}</span
          >
          <span class="muted small"
            >${relativeTime(s.startedAt)} · ${durationLabel(s.durationS)} · ${areaLabel(s.areaM2, store.units)}</span
          >
        </li>`;
      })}
    </ol>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "sh-history-list": ShHistoryList;
  }
}
