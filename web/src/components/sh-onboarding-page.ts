/** The first visit: create the owner account (with the onboarding code when not on the hub's own computer). */
import { html, LitElement, nothing } from "lit";
import { customElement, state } from "lit/decorators.js";
import { authApi, type NewAccount } from "../data/auth-api.ts";
import { ActionRunner } from "../data/command-runner.ts";
import { store } from "../data/hub-context.ts";
import { navigate } from "../data/router.ts";
import { signedIn } from "../data/session.ts";
import { authPageStyles } from "../styles/auth-page.ts";
import { sharedStyles } from "../styles/shared.ts";
import "./sh-error-box.ts";
import "./sh-icon.ts";
import "./sh-new-account-form.ts";

@customElement("sh-onboarding-page")
export class ShOnboardingPage extends LitElement {
  static override styles = [sharedStyles, authPageStyles];
  readonly #actions = new ActionRunner(this);
  @state() accessor code = "";

  override render() {
    const needsCode = store.auth?.onboardingCodeRequired ?? false;
    return html`<section class="card" aria-labelledby="title">
      <div class="logo"><sh-icon name="robot"></sh-icon>sweephub</div>
      <h1 id="title">Welcome</h1>
      <p class="muted">Create the owner account of this hub. You can invite the rest of your household afterwards.</p>
      <sh-error-box .error=${this.#actions.error} @dismiss=${() => this.#actions.clearError()}></sh-error-box>
      <sh-new-account-form
        submitLabel="Create owner account"
        ?busy=${this.#actions.pending !== null}
        @account=${(e: CustomEvent<NewAccount>) =>
          this.#actions.run("onboard", async () => {
            await authApi.onboard({
              ...e.detail,
              ...(needsCode ? { onboardingCode: this.code.trim() } : {}),
            });
            await signedIn();
            navigate("/", true);
          })}
      >
        ${
          needsCode
            ? html`<label
              >Onboarding code
              <input
                inputmode="numeric"
                required
                .value=${this.code}
                @input=${(e: Event) => {
                  this.code = (e.target as HTMLInputElement).value;
                }}
              />
              <span class="small muted">You are not on the hub's computer: type the 8 digits from data/onboarding-code.txt on the hub.</span>
            </label>`
            : nothing
        }
      </sh-new-account-form>
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "sh-onboarding-page": ShOnboardingPage;
  }
}
