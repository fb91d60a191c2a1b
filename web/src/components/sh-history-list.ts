/**
 * The robot's cleaning sessions, newest first: what, when, how long, how much, and how it ended; runs that start
 * or end while it is open show at once. A finished run whose final map the hub kept opens that map ("Map"); a
 * run without one says so.
 */
import { css, html, LitElement, nothing } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import { type CleaningSession, robotsApi } from "../data/api.ts";
import { ActionRunner } from "../data/command-runner.ts";
import { durationLabel, JOB_LABELS, RESULT_LABELS, relativeTime, runAreaLabel } from "../data/format.ts";
import { live, store } from "../data/hub-context.ts";
import { mapsApi } from "../data/map-api.ts";
import { StoreController } from "../data/store.ts";
import { sharedStyles } from "../styles/shared.ts";
import "./sh-error-box.ts";
import "./sh-session-map.ts";

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
        align-items: center;
        gap: 2px 12px;
        padding: 12px 0;
        border-bottom: 1px solid var(--sh-border);
      }
      li:last-child {
        border-bottom: none;
      }
      li button {
        min-height: 36px;
        padding: 0 14px;
      }
      .no-map {
        text-align: right;
      }
    `,
  ];

  @property() accessor robotId = "";
  @state() accessor sessions: CleaningSession[] = [];
  /** Sessions whose final map the hub kept (null: the robot makes no maps). */
  @state() accessor withMap: Set<string> | null = null;
  @state() accessor loaded = false;
  /** The session whose map is open. */
  @state() accessor open: CleaningSession | null = null;
  readonly #actions = new ActionRunner(this);
  // Room names may load after the sessions: re-render when they arrive.
  readonly #store = new StoreController(this, store);
  /** The button that opened the map, focused again when it closes. */
  #opener: HTMLElement | null = null;

  #stopListening: (() => void) | null = null;
  #loading = false;
  #loadAgain = false;

  override connectedCallback(): void {
    super.connectedCallback();
    // A run that starts or ends while the list is open shows at once (the hub records the run and keeps its map
    // before it tells clients).
    this.#stopListening = live.on("event", (msg) => {
      const name = String(msg.name);
      if (
        msg.robotId === this.robotId &&
        (name === "event.cleaning_started" || name === "event.cleaning_finished")
      )
        void this.#load();
    });
    void this.#load();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#stopListening?.();
    this.#stopListening = null;
  }

  /** Loads the runs and which have a map; a request to load during a load runs once more after it. */
  async #load(): Promise<void> {
    if (this.#loading) {
      this.#loadAgain = true;
      return;
    }
    this.#loading = true;
    try {
      do {
        this.#loadAgain = false;
        await this.#actions.run("load", async () => {
          const hasMaps = Boolean(store.robots.get(this.robotId)?.capabilities.map);
          const [history, snapshots] = await Promise.all([
            robotsApi.history(this.robotId, 50),
            hasMaps ? mapsApi.snapshots(this.robotId) : null,
          ]);
          this.sessions = history.sessions;
          this.withMap = snapshots ? new Set(snapshots.snapshots.map((x) => x.jobId)) : null;
          this.loaded = true;
        });
      } while (this.#loadAgain);
    } finally {
      this.#loading = false;
    }
  }

  #openMap(session: CleaningSession, e: Event): void {
    this.#opener = e.currentTarget as HTMLElement;
    this.open = session;
  }

  #closed(): void {
    this.open = null;
    this.#opener?.focus();
    this.#opener = null;
  }

  override render() {
    if (this.#actions.error) return html`<sh-error-box .error=${this.#actions.error}></sh-error-box>`;
    if (this.loaded && this.sessions.length === 0) return html`<p class="muted">No cleaning runs yet.</p>`;
    return html`<ol aria-label="Cleaning history">
        ${this.sessions.map((s) => {
          const rooms = s.rooms.map((r) => this.#store.store.roomName(s.robotId, r.id)).join(", ");
          const when = relativeTime(s.startedAt);
          const area = runAreaLabel(s, store.units);
          return html`<li>
            <strong>${JOB_LABELS[s.kind] ?? s.kind}${rooms ? `: ${rooms}` : ""}</strong>
            <span class="chip ${s.result === "completed" ? "ok" : s.result ? "warn" : "active"}"
              >${s.result ? (RESULT_LABELS[s.result] ?? s.result) : "Running"}</span
            >
            <span class="muted small"
              >${when} · ${durationLabel(s.durationS)}${area ? ` · ${area}` : ""}</span
            >
            ${this.#mapAction(s, when)}
          </li>`;
        })}
      </ol>
      ${
        this.loaded && this.withMap === null
          ? html`<p class="muted small">This robot makes no maps, so its runs have none to show.</p>`
          : nothing
      }
      <sh-session-map
        .robotId=${this.robotId}
        .session=${this.open}
        @session-map-closed=${() => this.#closed()}
      ></sh-session-map>`;
  }

  #mapAction(s: CleaningSession, when: string) {
    if (s.finishedAt === null || this.withMap === null) return nothing;
    if (!this.withMap.has(s.jobId)) return html`<span class="muted small no-map">No map kept</span>`;
    return html`<button aria-label=${`Map of the run ${when}`} @click=${(e: Event) => this.#openMap(s, e)}>
      Map
    </button>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "sh-history-list": ShHistoryList;
  }
}
