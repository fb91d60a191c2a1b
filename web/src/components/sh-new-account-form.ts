/**
 * The fields of a new account (onboarding and accepting an invitation): user name, display name, password
 * twice. Checks what it can before sending (the hub checks again and explains anything else).
 */
import { css, html, LitElement } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import type { NewAccount } from "../data/auth-api.ts";
import { sharedStyles } from "../styles/shared.ts";

export const PASSWORD_MIN = 10;

@customElement("sh-new-account-form")
export class ShNewAccountForm extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      form {
        display: flex;
        flex-direction: column;
        gap: 14px;
      }
      .field {
        display: flex;
        flex-direction: column;
        gap: 4px;
      }
      .problem {
        color: var(--sh-danger);
        font-weight: 400;
      }
    `,
  ];

  @property() accessor submitLabel = "Create account";
  @property({ type: Boolean }) accessor busy = false;
  @state() accessor mismatch = false;

  #submit(e: Event) {
    e.preventDefault();
    const data = new FormData(e.target as HTMLFormElement);
    const text = (k: string) => String(data.get(k) ?? "").trim();
    const password = String(data.get("password") ?? "");
    this.mismatch = password !== String(data.get("confirm") ?? "");
    if (this.mismatch) return;
    const account: NewAccount = { username: text("username"), password };
    const displayName = text("displayName");
    if (displayName) account.displayName = displayName;
    this.dispatchEvent(new CustomEvent<NewAccount>("account", { detail: account }));
  }

  override render() {
    return html`<form @submit=${this.#submit}>
      <slot></slot>
      <div class="field">
        <label
          >User name
          <input
            name="username"
            autocomplete="username"
            required
            minlength="3"
            maxlength="32"
            pattern="[A-Za-z0-9][A-Za-z0-9._\\-]*"
            aria-describedby="username-hint"
          />
        </label>
        <span id="username-hint" class="small muted">3–32 letters, digits, dots, dashes or underscores.</span>
      </div>
      <div class="field">
        <label>Your name <input name="displayName" autocomplete="name" maxlength="64" aria-describedby="name-hint" /></label>
        <span id="name-hint" class="small muted">Optional; shown to the people you share robots with.</span>
      </div>
      <div class="field">
        <label
          >Password
          <input
            name="password"
            type="password"
            autocomplete="new-password"
            required
            minlength=${PASSWORD_MIN}
            aria-describedby="password-hint"
          />
        </label>
        <span id="password-hint" class="small muted"
          >At least ${PASSWORD_MIN} characters; not a common password and not your user name.</span
        >
      </div>
      <label
        >Repeat password
        <input
          name="confirm"
          type="password"
          autocomplete="new-password"
          required
          aria-invalid=${this.mismatch}
          aria-describedby="mismatch"
        />
        ${this.mismatch ? html`<span id="mismatch" class="small problem" role="alert">The passwords do not match.</span>` : ""}
      </label>
      <button class="primary" type="submit" ?disabled=${this.busy} aria-busy=${this.busy}>${this.submitLabel}</button>
    </form>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "sh-new-account-form": ShNewAccountForm;
  }
}
