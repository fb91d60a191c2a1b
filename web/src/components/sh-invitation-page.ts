/**
 * Accepting an invitation: the code travels in the link's fragment (/invite#CODE), so it never reaches a server
 * log; the page shows what the invitation offers, then creates the account.
 */
import { html, LitElement, nothing } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import { authApi, type InvitationPreview, type NewAccount } from "../data/auth-api.ts";
import { ActionRunner } from "../data/command-runner.ts";
import { store } from "../data/hub-context.ts";
import { navigate } from "../data/router.ts";
import { signedIn } from "../data/session.ts";
import { authPageStyles } from "../styles/auth-page.ts";
import { sharedStyles } from "../styles/shared.ts";
import "./sh-error-box.ts";
import "./sh-icon.ts";
import "./sh-new-account-form.ts";

@customElement("sh-invitation-page")
export class ShInvitationPage extends LitElement {
  static override styles = [sharedStyles, authPageStyles];
  /** From the link's fragment (/invite#CODE) or typed in. */
  @property() accessor code = "";
  @state() accessor preview: InvitationPreview | null = null;
  readonly #actions = new ActionRunner(this);

  override connectedCallback(): void {
    super.connectedCallback();
    if (!this.code) this.code = decodeURIComponent(window.location.hash.slice(1));
    if (this.code) void this.#preview();
  }

  #preview() {
    return this.#actions.run("preview", async () => {
      this.preview = await authApi.previewInvitation(this.code.trim());
    });
  }

  override render() {
    const p = this.preview;
    return html`<section class="card" aria-labelledby="title">
      <div class="logo"><sh-icon name="robot"></sh-icon>${store.auth?.hubName ?? "sweephub"}</div>
      <h1 id="title">You are invited</h1>
      <sh-error-box .error=${this.#actions.error} @dismiss=${() => this.#actions.clearError()}></sh-error-box>
      ${
        p
          ? html`<p>
                ${p.invitedBy ? html`<strong>${p.invitedBy}</strong> invites you` : "You are invited"} as
                ${p.role === "admin" ? "an admin" : "a member"}. The invitation expires
                ${new Date(p.expiresAt).toLocaleString()}.
              </p>
              ${
                p.robots.length
                  ? html`<ul aria-label="Robots you will get">
                    ${p.robots.map(
                      (r) =>
                        html`<li>${r.name}: ${r.control ? "view and control" : "view only"}${r.camera ? ", camera" : ""}</li>`,
                    )}
                  </ul>`
                  : nothing
              }
              <sh-new-account-form
                submitLabel="Create my account"
                ?busy=${this.#actions.pending !== null}
                @account=${(e: CustomEvent<NewAccount>) =>
                  this.#actions.run("accept", async () => {
                    await authApi.acceptInvitation({ ...e.detail, code: this.code.trim() });
                    await signedIn();
                    navigate("/", true);
                  })}
              ></sh-new-account-form>`
          : html`<form
              @submit=${(e: Event) => {
                e.preventDefault();
                void this.#preview();
              }}
            >
              <label
                >Invitation code
                <input
                  autocomplete="off"
                  required
                  .value=${this.code}
                  @input=${(e: Event) => {
                    this.code = (e.target as HTMLInputElement).value;
                  }}
              /></label>
              <button class="primary" type="submit" aria-busy=${this.#actions.isPending("preview")}>Continue</button>
            </form>`
      }
      <p class="small muted">Already have an account? <a href="/login" @click=${(e: Event) => {
        e.preventDefault();
        navigate("/login");
      }}>Sign in</a></p>
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "sh-invitation-page": ShInvitationPage;
  }
}
