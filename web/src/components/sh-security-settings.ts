/**
 * Sign-in sessions (sign out any) and API tokens (create: shown once; revoke). Security notices are listed with
 * the other notifications (sh-notifications-settings.ts).
 */
import { css, html, LitElement, nothing } from "lit";
import { customElement, state } from "lit/decorators.js";
import { authApi, type SessionInfo, type TokenInfo } from "../data/auth-api.ts";
import { ActionRunner } from "../data/command-runner.ts";
import { describeAgent, relativeTime } from "../data/format.ts";
import { sharedStyles } from "../styles/shared.ts";
import "./sh-error-box.ts";

const SCOPE_LABELS = {
  read: "Read (state, maps, history)",
  control: "Control (also send commands)",
  manage: "Manage (everything your account may do)",
} as const;

@customElement("sh-security-settings")
export class ShSecuritySettings extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      form {
        display: grid;
        gap: 12px;
      }
    `,
  ];

  @state() accessor sessions: SessionInfo[] = [];
  @state() accessor tokens: TokenInfo[] = [];
  @state() accessor newToken: string | null = null;
  readonly #actions = new ActionRunner(this);

  override connectedCallback(): void {
    super.connectedCallback();
    void this.#load();
  }

  #load() {
    return this.#actions.run("load", async () => {
      const [s, t] = await Promise.all([authApi.sessions(), authApi.tokens()]);
      this.sessions = s.sessions;
      this.tokens = t.tokens;
    });
  }

  async #createToken(e: Event) {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const f = new FormData(form);
    const scopes = (["read", "control", "manage"] as const).filter((s) => f.get(`scope-${s}`) === "on");
    const days = Number(f.get("days"));
    await this.#actions.run("token", async () => {
      if (scopes.length === 0) throw new Error("Choose at least one permission for the token.");
      const created = await authApi.createToken({
        name: String(f.get("name") ?? "").trim(),
        scopes,
        ...(days > 0 ? { expiresInDays: days } : {}),
      });
      this.newToken = created.token;
      this.tokens = [created.info, ...this.tokens];
      form.reset();
    });
  }

  override render() {
    const busy = this.#actions.pending !== null;
    return html`<div class="stack">
      <sh-error-box .error=${this.#actions.error} @dismiss=${() => this.#actions.clearError()}></sh-error-box>
      <section class="card stack" aria-labelledby="sessions-title">
        <h2 id="sessions-title">Where you are signed in</h2>
        <ul class="rows" aria-label="Sessions">
          ${this.sessions.map(
            (s) => html`<li>
              <span
                ><strong>${describeAgent(s.userAgent)}</strong>${s.current ? html` <span class="chip ok">This browser</span>` : nothing}<br /><span
                  class="muted small"
                  >${s.ip} · last used ${relativeTime(s.lastUsedAt)}</span
                ></span
              >
              <button
                ?disabled=${busy}
                @click=${() =>
                  this.#actions.run(`session-${s.id}`, async () => {
                    await authApi.revokeSession(s.id);
                    this.sessions = this.sessions.filter((x) => x.id !== s.id);
                  })}
              >
                Sign out
              </button>
            </li>`,
          )}
        </ul>
      </section>
      <section class="card stack" aria-labelledby="tokens-title">
        <h2 id="tokens-title">API tokens</h2>
        <p class="muted small">For integrations such as Home Assistant scripts: send as <code>Authorization: Bearer …</code>.</p>
        ${
          this.newToken
            ? html`<div class="stack" role="status">
              <strong>Copy the token now: it is not shown again.</strong>
              <div class="secret" data-testid="new-token">${this.newToken}</div>
              <div class="row">
                <button @click=${() => navigator.clipboard?.writeText(this.newToken ?? "")}>Copy</button>
                <button class="ghost" @click=${() => (this.newToken = null)}>Done</button>
              </div>
            </div>`
            : nothing
        }
        <ul class="rows" aria-label="Tokens">
          ${this.tokens.map(
            (t) => html`<li>
              <span
                ><strong>${t.name}</strong> <span class="muted small">${t.scopes.join(", ")}</span><br /><span class="muted small"
                  >${t.lastUsedAt ? `last used ${relativeTime(t.lastUsedAt)}${t.lastUsedIp ? ` from ${t.lastUsedIp}` : ""}` : "never used"}${
                    t.expiresAt ? ` · expires ${new Date(t.expiresAt).toLocaleDateString()}` : ""
                  }</span
                ></span
              >
              <button
                class="danger"
                ?disabled=${busy}
                aria-label=${`Revoke token ${t.name}`}
                @click=${() =>
                  this.#actions.run(`token-${t.id}`, async () => {
                    await authApi.revokeToken(t.id);
                    this.tokens = this.tokens.filter((x) => x.id !== t.id);
                  })}
              >
                Revoke
              </button>
            </li>`,
          )}
        </ul>
        <form @submit=${this.#createToken} aria-label="New token">
          <label>Name <input name="name" required maxlength="64" placeholder="e.g. Home Assistant" /></label>
          <fieldset>
            <legend>Permissions</legend>
            ${(["read", "control", "manage"] as const).map(
              (s) =>
                html`<label class="check"><input type="checkbox" name=${`scope-${s}`} ?checked=${s === "read"} /> ${SCOPE_LABELS[s]}</label>`,
            )}
          </fieldset>
          <label
            >Expires
            <select name="days">
              <option value="30">in 30 days</option>
              <option value="365" selected>in a year</option>
              <option value="0">never</option>
            </select>
          </label>
          <div><button class="primary" type="submit" aria-busy=${this.#actions.isPending("token")}>Create token</button></div>
        </form>
      </section>
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "sh-security-settings": ShSecuritySettings;
  }
}
