/** Sign in with user name and password; lockouts and wrong passwords are explained by the hub's errors. */
import { html, LitElement } from "lit";
import { customElement } from "lit/decorators.js";
import { authApi } from "../data/auth-api.ts";
import { ActionRunner } from "../data/command-runner.ts";
import { store } from "../data/hub-context.ts";
import { navigate } from "../data/router.ts";
import { signedIn } from "../data/session.ts";
import { authPageStyles } from "../styles/auth-page.ts";
import { sharedStyles } from "../styles/shared.ts";
import "./sh-error-box.ts";
import "./sh-icon.ts";

@customElement("sh-login-page")
export class ShLoginPage extends LitElement {
  static override styles = [sharedStyles, authPageStyles];
  readonly #actions = new ActionRunner(this);

  #submit(e: Event) {
    e.preventDefault();
    const data = new FormData(e.target as HTMLFormElement);
    void this.#actions.run("login", async () => {
      await authApi.login(String(data.get("username") ?? "").trim(), String(data.get("password") ?? ""));
      await signedIn();
      navigate(window.location.pathname === "/login" ? "/" : window.location.pathname, true);
    });
  }

  override render() {
    return html`<section class="card" aria-labelledby="title">
      <div class="logo"><sh-icon name="robot"></sh-icon>${store.auth?.hubName ?? "sweephub"}</div>
      <h1 id="title">Sign in</h1>
      <sh-error-box .error=${this.#actions.error} @dismiss=${() => this.#actions.clearError()}></sh-error-box>
      <form @submit=${this.#submit}>
        <label>User name <input name="username" autocomplete="username" required /></label>
        <label>Password <input name="password" type="password" autocomplete="current-password" required /></label>
        <button class="primary" type="submit" ?disabled=${this.#actions.pending !== null} aria-busy=${this.#actions.isPending("login")}>
          Sign in
        </button>
      </form>
      <p class="small muted">Forgot your password? Ask the hub's owner or an admin to invite you again.</p>
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "sh-login-page": ShLoginPage;
  }
}
