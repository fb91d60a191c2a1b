/** Your profile (name, optional email and phone) and preferences (theme, units, language, notifications). */
import { css, html, LitElement } from "lit";
import { customElement, state } from "lit/decorators.js";
import { authApi, type Preferences } from "../data/auth-api.ts";
import { ActionRunner } from "../data/command-runner.ts";
import { store } from "../data/hub-context.ts";
import { setMe } from "../data/session.ts";
import { StoreController } from "../data/store.ts";
import { sharedStyles } from "../styles/shared.ts";
import "./sh-error-box.ts";

const NOTIFICATION_LABELS: Record<keyof Preferences["notifications"], string> = {
  cleaningFinished: "A cleaning run finished",
  robotErrors: "A robot needs attention",
  consumables: "A part needs replacing",
  security: "Security notices",
};

@customElement("sh-profile-settings")
export class ShProfileSettings extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      form {
        display: flex;
        flex-direction: column;
        gap: 14px;
      }
      .grid {
        display: grid;
        gap: 14px;
        grid-template-columns: repeat(auto-fit, minmax(220px, 1fr));
      }
      .saved {
        color: var(--sh-ok);
      }
    `,
  ];

  readonly #store = new StoreController(this, store);
  readonly #profile = new ActionRunner(this);
  readonly #password = new ActionRunner(this);
  @state() accessor saved = "";

  async #saveProfile(e: Event) {
    e.preventDefault();
    const f = new FormData(e.target as HTMLFormElement);
    const text = (k: string) => String(f.get(k) ?? "").trim();
    const notifications = Object.fromEntries(
      Object.keys(NOTIFICATION_LABELS).map((k) => [k, f.get(`n-${k}`) === "on"]),
    ) as Preferences["notifications"];
    const account = await this.#profile.run("save", () =>
      authApi.updateProfile({
        displayName: text("displayName"),
        email: text("email") || null,
        phone: text("phone") || null,
        preferences: {
          theme: text("theme") as Preferences["theme"],
          units: text("units") as Preferences["units"],
          language: text("language") || "en",
          notifications,
        },
      }),
    );
    if (account && this.#store.store.me) {
      setMe({ ...this.#store.store.me, user: account });
      this.saved = "Saved.";
    }
  }

  async #changePassword(e: Event) {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const f = new FormData(form);
    const ok = await this.#password.run("password", async () => {
      if (f.get("new") !== f.get("confirm")) throw new Error("The new passwords do not match.");
      await authApi.changePassword(String(f.get("current")), String(f.get("new")));
      return true;
    });
    if (ok) {
      form.reset();
      this.saved = "Password changed. Your other sessions were signed out.";
    }
  }

  override render() {
    const me = this.#store.store.me;
    if (!me) return html`<p class="muted">Loading…</p>`;
    const u = me.user;
    const p = u.preferences;
    return html`<div class="stack">
      <p class="saved" role="status">${this.saved}</p>
      <form class="card" @submit=${this.#saveProfile} @input=${() => (this.saved = "")} aria-labelledby="profile-title">
        <h2 id="profile-title">Profile</h2>
        <p class="muted small">Signed in as <strong>${u.username}</strong> (${u.role}).</p>
        <div class="grid">
          <label>Display name <input name="displayName" maxlength="64" .value=${u.displayName} /></label>
          <label>Email <span class="small muted">(optional)</span><input name="email" type="email" .value=${u.email ?? ""} /></label>
          <label>Phone <span class="small muted">(optional)</span><input name="phone" type="tel" .value=${u.phone ?? ""} /></label>
        </div>
        <h3>Preferences</h3>
        <div class="grid">
          <label
            >Theme
            <select name="theme">
              ${(["system", "light", "dark"] as const).map(
                (t) =>
                  html`<option value=${t} ?selected=${p.theme === t}>${t === "system" ? "Follow the system" : t === "light" ? "Light" : "Dark"}</option>`,
              )}
            </select>
          </label>
          <label
            >Units
            <select name="units">
              <option value="metric" ?selected=${p.units === "metric"}>Metric (m²)</option>
              <option value="imperial" ?selected=${p.units === "imperial"}>Imperial (ft²)</option>
            </select>
          </label>
          <label
            >Language
            <select name="language">
              <option value="en" ?selected=${p.language === "en"}>English</option>
            </select>
          </label>
        </div>
        <fieldset>
          <legend>Tell me when</legend>
          ${Object.entries(NOTIFICATION_LABELS).map(
            ([k, label]) => html`<label class="check"
              ><input type="checkbox" name=${`n-${k}`} ?checked=${p.notifications[k as keyof Preferences["notifications"]]} />
              ${label}</label
            >`,
          )}
        </fieldset>
        <sh-error-box .error=${this.#profile.error} @dismiss=${() => this.#profile.clearError()}></sh-error-box>
        <div><button class="primary" type="submit" aria-busy=${this.#profile.isPending("save")}>Save profile</button></div>
      </form>
      <form class="card" @submit=${this.#changePassword} aria-labelledby="pw-title">
        <h2 id="pw-title">Password</h2>
        <div class="grid">
          <label>Current password <input name="current" type="password" autocomplete="current-password" required /></label>
          <label>New password <input name="new" type="password" autocomplete="new-password" required minlength="10" /></label>
          <label>Repeat new password <input name="confirm" type="password" autocomplete="new-password" required /></label>
        </div>
        <sh-error-box .error=${this.#password.error} @dismiss=${() => this.#password.clearError()}></sh-error-box>
        <div><button type="submit" aria-busy=${this.#password.isPending("password")}>Change password</button></div>
      </form>
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "sh-profile-settings": ShProfileSettings;
  }
}
