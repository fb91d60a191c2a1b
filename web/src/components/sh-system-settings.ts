/**
 * System settings, for the hub's owner only: whether the hub is healthy (readiness checks and Matter), the log
 * level (changed at runtime, back to the configured one after a restart), the recent log lines (already
 * redacted by the hub), and backups (list, back up now, download).
 */
import { css, html, LitElement } from "lit";
import { customElement, state } from "lit/decorators.js";
import type { MatterStatus } from "../../../hub/matter/matter-types.ts";
import { ActionRunner } from "../data/command-runner.ts";
import {
  BACKUP_KIND_LABELS,
  type Backup,
  type BackupList,
  LOG_LEVEL_CHOICES,
  type LogEntry,
  type LogLevelState,
  READINESS_LABELS,
  type Readiness,
  sizeLabel,
  systemApi,
  visibleLines,
} from "../data/system-api.ts";
import { sharedStyles } from "../styles/shared.ts";
import "./sh-error-box.ts";

type Level = (typeof LOG_LEVEL_CHOICES)[number];
const LOG_LIMIT = 300;
/** How many lines the page keeps while following: the newest, so a long-open page stays small. */
const FOLLOW_KEEP = 1000;
const FOLLOW_EVERY_MS = 3000;
const LEVEL_TONE: Record<Level, string> = {
  fatal: "danger",
  error: "danger",
  warn: "warn",
  info: "active",
  debug: "",
  trace: "",
};

@customElement("sh-system-settings")
export class ShSystemSettings extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      :host {
        display: flex;
        flex-direction: column;
        gap: var(--sh-gap);
      }
      .saved {
        color: var(--sh-ok);
        margin: 0;
      }
      .filters {
        display: grid;
        gap: 10px;
        grid-template-columns: repeat(auto-fill, minmax(160px, 1fr));
        align-items: end;
      }
      ol.log {
        list-style: none;
        margin: 0;
        padding: 0;
        max-height: 70vh;
        overflow-y: auto;
        font-size: 0.875rem;
      }
      ol.log > li {
        padding: 8px 0;
        border-bottom: 1px solid var(--sh-border);
      }
      .line {
        display: grid;
        gap: 2px 10px;
        grid-template-columns: auto auto minmax(0, 1fr);
        align-items: baseline;
      }
      .line .msg {
        grid-column: 1 / -1;
        overflow-wrap: anywhere;
      }
      @media (min-width: 860px) {
        .line {
          grid-template-columns: 90px 70px 130px minmax(0, 1fr);
        }
        .line .msg {
          grid-column: auto;
        }
      }
      .service {
        font-family: var(--sh-mono);
        color: var(--sh-text-2);
        overflow: hidden;
        text-overflow: ellipsis;
        white-space: nowrap;
      }
      details pre {
        font-family: var(--sh-mono);
        font-size: 0.8rem;
        background: var(--sh-surface-2);
        padding: 8px;
        border-radius: var(--sh-radius-small);
        overflow-x: auto;
        white-space: pre-wrap;
        overflow-wrap: anywhere;
        margin: 6px 0 0;
      }
      summary {
        cursor: pointer;
        color: var(--sh-text-2);
        font-size: 0.8rem;
      }
      .name {
        font-family: var(--sh-mono);
        font-size: 0.85rem;
        overflow-wrap: anywhere;
      }
      ul.rows > li.fresh {
        background: var(--sh-primary-soft);
        padding-inline: 10px;
        border-radius: var(--sh-radius-small);
      }
      .checks {
        list-style: none;
        margin: 0;
        padding: 0;
        display: flex;
        flex-wrap: wrap;
        gap: 8px;
      }
    `,
  ];

  @state() accessor readiness: Readiness | null = null;
  @state() accessor matter: MatterStatus | null = null;
  @state() accessor level: LogLevelState | null = null;
  @state() accessor levelSaved = "";
  @state() accessor entries: LogEntry[] = [];
  @state() accessor logLevelFilter: Level | "" = "";
  @state() accessor logText = "";
  @state() accessor logsAvailable = true;
  @state() accessor follow = false;
  #lastSeq = 0;
  #followTimer: ReturnType<typeof setInterval> | null = null;
  @state() accessor backups: BackupList | null = null;
  @state() accessor backupsAvailable = true;
  @state() accessor freshBackup = "";
  readonly #health = new ActionRunner(this);
  readonly #levelRunner = new ActionRunner(this);
  readonly #logs = new ActionRunner(this);
  readonly #backupRunner = new ActionRunner(this);

  override connectedCallback(): void {
    super.connectedCallback();
    void this.#loadHealth();
    void this.#levelRunner.run("load", async () => {
      this.level = await systemApi.logLevel();
    });
    void this.#loadLogs();
    void this.#loadBackups();
  }

  #loadHealth() {
    return this.#health.run("load", async () => {
      const [readiness, matter] = await Promise.all([systemApi.readiness(), systemApi.matter()]);
      this.readiness = readiness;
      this.matter = matter;
    });
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#setFollow(false);
  }

  /** Following polls for lines newer than the last one seen (`after`), as a terminal's `tail -f` would. */
  #setFollow(on: boolean) {
    this.follow = on;
    if (this.#followTimer) clearInterval(this.#followTimer);
    this.#followTimer = on ? setInterval(() => void this.#pollLogs(), FOLLOW_EVERY_MS) : null;
  }

  async #pollLogs() {
    if (this.#logs.pending) return;
    try {
      const { entries, lastSeq } = await systemApi.logs({
        ...(this.logLevelFilter ? { level: this.logLevelFilter } : {}),
        after: this.#lastSeq,
        limit: LOG_LIMIT,
      });
      this.#lastSeq = lastSeq;
      // A Refresh may have answered while this poll was out: keep each line once.
      const newest = this.entries.at(-1)?.seq ?? 0;
      const fresh = entries.filter((e) => e.seq > newest);
      if (fresh.length > 0) this.entries = [...this.entries, ...fresh].slice(-FOLLOW_KEEP);
    } catch {
      // A missed poll is retried by the next one; the page keeps what it shows (Refresh reports errors).
    }
  }

  #loadLogs() {
    return this.#logs.run("load", async () => {
      try {
        const { entries, lastSeq } = await systemApi.logs({
          ...(this.logLevelFilter ? { level: this.logLevelFilter } : {}),
          limit: LOG_LIMIT,
        });
        this.entries = entries;
        this.#lastSeq = lastSeq;
      } catch (err) {
        // A hub started with its own logger keeps no recent lines: say so instead of showing an error.
        if ((err as { status?: number }).status === 404) this.logsAvailable = false;
        else throw err;
      }
    });
  }

  #loadBackups() {
    return this.#backupRunner.run("load", async () => {
      try {
        this.backups = await systemApi.backups();
      } catch (err) {
        if ((err as { status?: number }).status === 404) this.backupsAvailable = false;
        else throw err;
      }
    });
  }

  #changeLevel(e: Event) {
    const level = (e.target as HTMLSelectElement).value as Level;
    this.levelSaved = "";
    void this.#levelRunner.run("save", async () => {
      this.level = await systemApi.setLogLevel(level);
      this.levelSaved = `Log level is now ${level}.`;
    });
  }

  #backupNow() {
    this.freshBackup = "";
    void this.#backupRunner.run("create", async () => {
      const created = await systemApi.backupNow();
      this.backups = await systemApi.backups();
      this.freshBackup = created.name;
    });
  }

  #renderHealth() {
    const r = this.readiness;
    const m = this.matter;
    return html`<section class="card stack" aria-labelledby="health-title">
      <div class="row between">
        <h2 id="health-title">Health</h2>
        <button @click=${() => this.#loadHealth()} aria-busy=${this.#health.isPending("load")}>Check again</button>
      </div>
      <sh-error-box .error=${this.#health.error} @dismiss=${() => this.#health.clearError()}></sh-error-box>
      ${
        r
          ? html`<p data-testid="ready">
              ${r.ready ? html`<span class="chip ok">Ready</span> Everything the hub needs is working.` : html`<span class="chip danger">Not ready</span> Something below needs attention.`}
            </p>
            <ul class="checks" aria-label="Readiness checks">
              ${Object.entries(r.checks).map(
                ([k, ok]) =>
                  html`<li class="chip ${ok ? "ok" : "danger"}">${READINESS_LABELS[k] ?? k}: ${ok ? "OK" : "failing"}</li>`,
              )}
              ${
                m
                  ? html`<li class="chip ${m.state === "running" ? "ok" : m.state === "failed" ? "danger" : m.enabled ? "warn" : ""}">
                      Matter: ${m.enabled ? m.state : "off"}${m.state === "running" ? ` (${m.nodes.length} ${m.nodes.length === 1 ? "robot" : "robots"})` : ""}
                    </li>`
                  : ""
              }
            </ul>
            ${m?.error ? html`<p class="muted small">Matter: ${m.error}</p>` : ""}`
          : ""
      }
    </section>`;
  }

  #renderLevel() {
    const l = this.level;
    return html`<section class="card stack" aria-labelledby="level-title">
      <h2 id="level-title">Log level</h2>
      <p class="muted small">
        How much the hub writes to its log. More detail helps when something goes wrong; the change lasts until the
        hub restarts${l ? html`, then it is <strong>${l.configured}</strong> again (log.level in the configuration)` : ""}.
      </p>
      <label
        >Level
        <select aria-label="Hub log level" @change=${this.#changeLevel} ?disabled=${!l || this.#levelRunner.pending !== null} aria-busy=${this.#levelRunner.isPending("save")}>
          ${LOG_LEVEL_CHOICES.map((v) => html`<option value=${v} ?selected=${l?.level === v}>${v}</option>`)}
        </select>
      </label>
      <p class="saved" role="status">${this.levelSaved}</p>
      <sh-error-box .error=${this.#levelRunner.error} @dismiss=${() => this.#levelRunner.clearError()}></sh-error-box>
    </section>`;
  }

  #renderLogs() {
    if (!this.logsAvailable)
      return html`<section class="card stack" aria-labelledby="logs-title">
        <h2 id="logs-title">Recent log lines</h2>
        <p class="muted">This hub does not keep recent log lines: it writes them to its own log only.</p>
      </section>`;
    const lines = visibleLines(this.entries, this.logText);
    return html`<section class="card stack" aria-labelledby="logs-title">
      <div class="row between">
        <h2 id="logs-title">Recent log lines</h2>
        <button @click=${() => this.#loadLogs()} aria-busy=${this.#logs.isPending("load")}>Refresh</button>
      </div>
      <p class="muted small">Newest first. Passwords, tokens, keys and codes are removed before lines are kept.</p>
      <div class="filters" role="group" aria-label="Log filters">
        <label
          >At least
          <select
            aria-label="Show lines of at least"
            @change=${(e: Event) => {
              this.logLevelFilter = (e.target as HTMLSelectElement).value as Level | "";
              void this.#loadLogs();
            }}
          >
            <option value="">Any level</option>
            ${LOG_LEVEL_CHOICES.map((v) => html`<option value=${v} ?selected=${this.logLevelFilter === v}>${v}</option>`)}
          </select>
        </label>
        <label
          >Containing
          <input
            type="search"
            aria-label="Show lines containing"
            .value=${this.logText}
            @input=${(e: Event) => (this.logText = (e.target as HTMLInputElement).value)}
          />
        </label>
      </div>
      <label class="check"
        ><input
          type="checkbox"
          .checked=${this.follow}
          @change=${(e: Event) => this.#setFollow((e.target as HTMLInputElement).checked)}
        />
        Follow: add new lines as they are written</label
      >
      <sh-error-box .error=${this.#logs.error} @dismiss=${() => this.#logs.clearError()}></sh-error-box>
      <ol class="log" aria-label="Log lines">
        ${lines.map((e) => {
          const details = Object.keys(e.fields).length > 0;
          return html`<li data-testid="log-line">
            <div class="line">
              <time class="muted small" datetime=${new Date(e.time).toISOString()} title=${new Date(e.time).toLocaleString()}
                >${new Date(e.time).toLocaleTimeString()}</time
              >
              <span><span class="chip ${LEVEL_TONE[e.level]}">${e.level}</span></span>
              <span class="service">${e.service ?? "hub"}</span>
              <span class="msg">${e.msg}</span>
            </div>
            ${details ? html`<details><summary>Details</summary><pre>${JSON.stringify(e.fields, null, 2)}</pre></details>` : ""}
          </li>`;
        })}
      </ol>
      ${lines.length === 0 && !this.#logs.pending ? html`<p class="muted">No lines match.</p>` : ""}
    </section>`;
  }

  #renderBackups() {
    if (!this.backupsAvailable)
      return html`<section class="card stack" aria-labelledby="backups-title">
        <h2 id="backups-title">Backups</h2>
        <p class="muted">Backups are not available on this hub.</p>
      </section>`;
    const b = this.backups;
    return html`<section class="card stack" aria-labelledby="backups-title">
      <div class="row between">
        <h2 id="backups-title">Backups</h2>
        <button class="primary" @click=${() => this.#backupNow()} ?disabled=${this.#backupRunner.isPending("load")} aria-busy=${this.#backupRunner.isPending("create")}>
          ${this.#backupRunner.isPending("create") ? "Backing up…" : "Back up now"}
        </button>
      </div>
      <p class="muted small">
        A backup holds the database, settings and maps of everyone on this hub: keep downloads somewhere safe.
        ${b ? html`Kept in <span class="name">${b.dir}</span>.` : ""}
        ${b?.nextScheduledAt ? html`Next scheduled backup: ${new Date(b.nextScheduledAt).toLocaleString()}.` : ""}
      </p>
      <p class="saved" role="status">${this.freshBackup ? `Backup written: ${this.freshBackup}` : ""}</p>
      <sh-error-box .error=${this.#backupRunner.error} @dismiss=${() => this.#backupRunner.clearError()}></sh-error-box>
      ${
        b && b.backups.length === 0
          ? html`<p class="muted">No backups yet.</p>`
          : html`<ul class="rows" aria-label="Backups">
              ${(b?.backups ?? []).map(
                (
                  x: Backup,
                ) => html`<li data-testid="backup" class=${x.name === this.freshBackup ? "fresh" : ""}>
                  <div class="stack">
                    <span class="name">${x.name}</span>
                    <span class="muted small"
                      >${new Date(x.createdAt).toLocaleString()} · ${sizeLabel(x.bytes)} ·
                      <span class="chip">${BACKUP_KIND_LABELS[x.kind]}</span></span
                    >
                  </div>
                  <a class="button" href=${systemApi.backupUrl(x.name)} download=${x.name} aria-label=${`Download ${x.name}`}>Download</a>
                </li>`,
              )}
            </ul>`
      }
    </section>`;
  }

  override render() {
    return html`${this.#renderHealth()} ${this.#renderLevel()} ${this.#renderLogs()} ${this.#renderBackups()}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "sh-system-settings": ShSystemSettings;
  }
}
