/**
 * The audit log: owners and admins browse everyone's entries, others see what they did and what concerns them.
 * Filters by person, robot, kind of action, outcome and dates; older entries load on demand.
 */
import { css, html, LitElement } from "lit";
import { customElement, state } from "lit/decorators.js";
import { type AuditEntry, type AuditFilter, authApi, type UserWithGrants } from "../data/auth-api.ts";
import { ActionRunner } from "../data/command-runner.ts";
import { auditActionLabel } from "../data/format.ts";
import { store } from "../data/hub-context.ts";
import { StoreController } from "../data/store.ts";
import { sharedStyles } from "../styles/shared.ts";
import "./sh-error-box.ts";

const PAGE = 50;
const ACTION_FILTERS: [string, string][] = [
  ["", "Everything"],
  ["auth.", "Sign-ins and sessions"],
  ["robot.", "Robot commands"],
  ["map.", "Maps"],
  ["history.", "History"],
  ["user.", "Accounts"],
  ["grant.", "Robot access"],
  ["invitation.", "Invitations"],
  ["token.", "API tokens"],
  ["access.", "Refused access"],
];

@customElement("sh-audit-settings")
export class ShAuditSettings extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      form {
        display: grid;
        gap: 10px;
        grid-template-columns: repeat(auto-fill, minmax(160px, 1fr));
        align-items: end;
      }
      .table {
        overflow-x: auto;
      }
      table {
        width: 100%;
        border-collapse: collapse;
        font-size: 0.9rem;
      }
      th,
      td {
        text-align: left;
        padding: 8px 6px;
        border-bottom: 1px solid var(--sh-border);
        vertical-align: top;
      }
      th {
        color: var(--sh-text-2);
        font-size: 0.8rem;
        white-space: nowrap;
      }
      td.when {
        white-space: nowrap;
      }
    `,
  ];

  @state() accessor entries: AuditEntry[] = [];
  @state() accessor users: UserWithGrants[] = [];
  @state() accessor filter: AuditFilter = {};
  @state() accessor more = false;
  readonly #store = new StoreController(this, store);
  readonly #actions = new ActionRunner(this);

  override connectedCallback(): void {
    super.connectedCallback();
    if (store.isAdmin)
      void authApi.users().then(
        (u) => (this.users = u.users),
        () => {},
      );
    void this.#search();
  }

  #query(filter: AuditFilter) {
    return store.isAdmin ? authApi.audit(filter) : authApi.myAudit(filter);
  }

  #search(append = false) {
    return this.#actions.run("search", async () => {
      const before = append ? this.entries.at(-1)?.id : undefined;
      const { entries } = await this.#query({ ...this.filter, limit: PAGE, ...(before ? { before } : {}) });
      this.entries = append ? [...this.entries, ...entries] : entries;
      this.more = entries.length === PAGE;
    });
  }

  #apply(e: Event) {
    e.preventDefault();
    const f = new FormData(e.target as HTMLFormElement);
    const text = (k: string) => String(f.get(k) ?? "");
    const day = (k: string, end: boolean) => {
      const v = text(k);
      if (!v) return undefined;
      const t = new Date(`${v}T00:00:00`).getTime();
      return end ? t + 86_400_000 : t;
    };
    const filter: AuditFilter = {};
    if (text("user")) filter.userId = text("user");
    if (text("robot")) filter.robotId = text("robot");
    if (text("action")) filter.action = text("action");
    if (text("outcome")) filter.outcome = text("outcome") as AuditFilter["outcome"];
    const from = day("from", false);
    const to = day("to", true);
    if (from !== undefined) filter.from = from;
    if (to !== undefined) filter.to = to;
    this.filter = filter;
    void this.#search();
  }

  override render() {
    const robots = [...this.#store.store.robots.values()];
    const robotName = (id: string | null) => (id ? (this.#store.store.robots.get(id)?.name ?? id) : "");
    return html`<section class="card stack" aria-labelledby="audit-title">
      <h2 id="audit-title">Audit log</h2>
      <p class="muted small">
        ${this.#store.store.isAdmin ? "Everything done on this hub, newest first." : "What you did, and what concerns your account, newest first."}
      </p>
      <form @submit=${this.#apply} aria-label="Filters">
        ${
          this.#store.store.isAdmin
            ? html`<label
              >Person
              <select name="user">
                <option value="">Anyone</option>
                ${this.users.map((u) => html`<option value=${u.id}>${u.displayName || u.username}</option>`)}
              </select>
            </label>`
            : ""
        }
        <label
          >Robot
          <select name="robot">
            <option value="">Any robot</option>
            ${robots.map((r) => html`<option value=${r.id}>${r.name}</option>`)}
          </select>
        </label>
        <label
          >What
          <select name="action">
            ${ACTION_FILTERS.map(([v, l]) => html`<option value=${v}>${l}</option>`)}
          </select>
        </label>
        <label
          >Outcome
          <select name="outcome">
            <option value="">Any</option>
            <option value="ok">Succeeded</option>
            <option value="denied">Denied</option>
            <option value="failed">Failed</option>
          </select>
        </label>
        <label>From <input name="from" type="date" /></label>
        <label>To <input name="to" type="date" /></label>
        <button class="primary" type="submit">Filter</button>
      </form>
      <sh-error-box .error=${this.#actions.error} @dismiss=${() => this.#actions.clearError()}></sh-error-box>
      <div class="table">
        <table>
          <thead>
            <tr><th scope="col">When</th><th scope="col">Who</th><th scope="col">What</th><th scope="col">Robot</th><th scope="col">Result</th><th scope="col">From</th></tr>
          </thead>
          <tbody>
            ${this.entries.map(
              (e) => html`<tr>
                <td class="when">${new Date(e.at).toLocaleString()}</td>
                <td>${e.actorName}</td>
                <td>${auditActionLabel(e.action, e.details)}</td>
                <td>${robotName(e.robotId)}</td>
                <td><span class="chip ${e.outcome === "ok" ? "ok" : "danger"}">${e.outcome === "ok" ? "OK" : e.outcome === "denied" ? "Denied" : "Failed"}</span></td>
                <td class="muted small">${e.ip ?? ""}</td>
              </tr>`,
            )}
          </tbody>
        </table>
      </div>
      ${this.entries.length === 0 && !this.#actions.pending ? html`<p class="muted">No entries match.</p>` : ""}
      ${this.more ? html`<div><button @click=${() => this.#search(true)} aria-busy=${this.#actions.isPending("search")}>Older entries</button></div>` : ""}
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "sh-audit-settings": ShAuditSettings;
  }
}
