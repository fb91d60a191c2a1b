/**
 * The map of one finished cleaning session as it was when the run ended (the hub keeps each session's final
 * map: rooms, the path driven, restrictions, dock), read-only on the same canvas as the live map, with what
 * the run did and the picture to download. A modal dialog: Escape or Close shuts it and gives focus back.
 */
import { css, html, LitElement, nothing, type PropertyValues } from "lit";
import { customElement, property, query, state } from "lit/decorators.js";
import type { CleaningSession } from "../data/api.ts";
import { ActionRunner } from "../data/command-runner.ts";
import { durationLabel, JOB_LABELS, labelOf, RESULT_LABELS, runAreaLabel } from "../data/format.ts";
import { store } from "../data/hub-context.ts";
import { downloadName, mapDownloads, mapsApi } from "../data/map-api.ts";
import { mapJsonToModel } from "../data/map-json.ts";
import type { MapModel } from "../data/map-model.ts";
import { dialogStyles } from "../styles/dialog.ts";
import { sharedStyles } from "../styles/shared.ts";
import "./sh-error-box.ts";
import "./sh-icon.ts";
import "./sh-map-canvas.ts";

@customElement("sh-session-map")
export class ShSessionMap extends LitElement {
  static override styles = [
    sharedStyles,
    dialogStyles,
    css`
      /* A map wants room: nearly the whole phone, up to 960 px on a desktop. */
      dialog {
        width: min(960px, calc(100vw - 16px));
        max-width: none;
        max-height: calc(100dvh - 16px);
        box-sizing: border-box;
        padding: 16px;
      }
      header {
        display: flex;
        align-items: flex-start;
        gap: 8px;
      }
      header > div {
        flex: 1;
        min-width: 0;
      }
      h2 {
        margin: 0;
        overflow-wrap: anywhere;
      }
      .fact {
        white-space: nowrap;
      }
      sh-map-canvas {
        height: min(60dvh, 560px);
      }
      .placeholder {
        display: grid;
        place-items: center;
        min-height: 200px;
        border-radius: var(--sh-radius);
        background: var(--sh-surface-2);
        text-align: center;
        padding: 16px;
      }
    `,
  ];

  @property() accessor robotId = "";
  /** The session to show; null keeps the dialog closed. */
  @property({ attribute: false }) accessor session: CleaningSession | null = null;
  @state() accessor model: (MapModel & { version: number }) | null = null;
  /** The run's floor, named when the robot has several. */
  @state() accessor floor: string | null = null;
  /** Set when the hub kept no map for the session (retention, or a robot without maps). */
  @state() accessor missing: string | null = null;
  @query("dialog") accessor dialog!: HTMLDialogElement | null;
  readonly #actions = new ActionRunner(this);

  override updated(changed: PropertyValues<this>): void {
    if (!changed.has("session")) return;
    const session = this.session;
    if (!session) {
      if (this.dialog?.open) this.dialog.close();
      return;
    }
    if (!this.dialog?.open) this.dialog?.showModal();
    void this.#load(session);
  }

  async #load(session: CleaningSession): Promise<void> {
    this.model = null;
    this.floor = null;
    this.missing = null;
    this.#actions.clearError();
    await this.#actions.run("load", async () => {
      try {
        const json = await mapsApi.snapshot(this.robotId, session.jobId);
        if (this.session?.jobId !== session.jobId) return;
        this.model = mapJsonToModel(json);
        this.floor = json.floors.length > 1 ? json.floor : null;
      } catch (err) {
        if ((err as { code?: string }).code !== "map_not_found") throw err;
        if (this.session?.jobId === session.jobId)
          this.missing = "The hub kept no map of this run (it is older than what the hub keeps).";
      }
    });
  }

  #close(): void {
    this.dialog?.close();
  }

  override render() {
    const s = this.session;
    return html`<dialog
      aria-labelledby="session-map-title"
      @close=${() => this.dispatchEvent(new CustomEvent("session-map-closed"))}
    >
      ${s ? this.#content(s) : nothing}
    </dialog>`;
  }

  #content(s: CleaningSession) {
    const robotName = store.robots.get(this.robotId)?.name ?? this.robotId;
    const rooms = s.rooms.map((r) => store.roomName(this.robotId, r.id)).join(", ");
    const title = `${labelOf(JOB_LABELS, s.kind)}${rooms ? `: ${rooms}` : ""}`;
    const when = new Date(s.startedAt);
    const stamp = when.toISOString().slice(0, 16).replace(/[:T]/g, "-");
    const facts = [
      when.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" }),
      durationLabel(s.durationS),
      ...[runAreaLabel(s, store.units)].filter((a) => a !== null),
      s.result ? labelOf(RESULT_LABELS, s.result) : "Running",
      ...(this.floor ? [`floor “${this.floor}”`] : []),
    ];
    return html`<div class="stack">
      <header>
        <div>
          <h2 id="session-map-title">${title}</h2>
          <p class="muted small" data-testid="session-facts">
            ${facts.map((f, i) => html`${i ? " · " : ""}<span class="fact">${f}</span>`)}
          </p>
        </div>
        <button class="icon ghost" aria-label="Close" @click=${() => this.#close()}>
          <sh-icon name="close"></sh-icon>
        </button>
      </header>
      <sh-error-box .error=${this.#actions.error} @dismiss=${() => this.#actions.clearError()}></sh-error-box>
      ${
        this.model
          ? html`<sh-map-canvas
            .model=${this.model}
            tool="view"
            label=${`Map of ${robotName} at the end of this run: rooms, the path it drove, restrictions and its dock`}
          ></sh-map-canvas>`
          : html`<p class="placeholder muted" role="status">
            ${this.missing ?? (this.#actions.error ? "The map could not be loaded." : "Loading the map…")}
          </p>`
      }
      <div class="row">
        ${
          this.model
            ? html`<a
              class="button"
              href=${mapDownloads.sessionPng(this.robotId, s.jobId)}
              download=${downloadName(robotName, `run-${stamp}`, "png")}
              >Download image (PNG)</a
            >`
            : nothing
        }
        <button @click=${() => this.#close()}>Close</button>
      </div>
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "sh-session-map": ShSessionMap;
  }
}
