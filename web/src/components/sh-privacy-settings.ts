/**
 * Privacy and data: what the hub stores, where, how long and who sees it (from its running configuration);
 * download all your data; per-robot consent (keep history, camera recordings) and deleting a robot's data;
 * deleting your account; and the hub's local CA certificate for HTTPS.
 */
import { css, html, LitElement, nothing } from "lit";
import { customElement, state } from "lit/decorators.js";
import { authApi, type Consent, type PrivacyReport } from "../data/auth-api.ts";
import { ActionRunner } from "../data/command-runner.ts";
import { store } from "../data/hub-context.ts";
import { navigate } from "../data/router.ts";
import { signOut } from "../data/session.ts";
import { StoreController } from "../data/store.ts";
import { sharedStyles } from "../styles/shared.ts";
import "./sh-error-box.ts";

@customElement("sh-privacy-settings")
export class ShPrivacySettings extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      dl {
        margin: 0;
        display: flex;
        flex-direction: column;
        gap: 12px;
      }
      dt {
        font-weight: 600;
      }
      dd {
        margin: 2px 0 0;
        color: var(--sh-text-2);
        font-size: 0.9rem;
      }
      code {
        font-family: var(--sh-mono);
        overflow-wrap: anywhere;
      }
      .robot {
        display: flex;
        flex-direction: column;
        gap: 6px;
        padding: 10px 0;
        border-bottom: 1px solid var(--sh-border);
      }
      form {
        display: flex;
        gap: 8px;
        flex-wrap: wrap;
        align-items: end;
      }
      form label {
        flex: 1;
        min-width: 200px;
      }
    `,
  ];

  @state() accessor report: PrivacyReport | null = null;
  @state() accessor consents = new Map<string, Consent>();
  readonly #store = new StoreController(this, store);
  readonly #actions = new ActionRunner(this);

  override connectedCallback(): void {
    super.connectedCallback();
    void this.#actions.run("load", async () => {
      this.report = await authApi.privacy();
      const entries = await Promise.all(
        [...store.robots.keys()].map(async (id) => [id, await authApi.consent(id)] as const),
      );
      this.consents = new Map(entries);
    });
  }

  #setConsent(robotId: string, change: Partial<Consent>) {
    const current = this.consents.get(robotId);
    if (!current) return;
    void this.#actions.run(`consent-${robotId}`, async () => {
      const next = await authApi.setConsent(robotId, { ...current, ...change });
      this.consents = new Map(this.consents).set(robotId, next);
    });
  }

  override render() {
    const r = this.report;
    const auth = this.#store.store.auth;
    const robots = [...this.#store.store.robots.values()];
    const owner = this.#store.store.me?.user.role === "owner";
    return html`<div class="stack">
      <sh-error-box .error=${this.#actions.error} @dismiss=${() => this.#actions.clearError()}></sh-error-box>
      <section class="card stack" aria-labelledby="stored-title">
        <h2 id="stored-title">What this hub stores</h2>
        ${r?.cloud ? html`<p><strong>Cloud:</strong> ${r.cloud}</p>` : nothing}
        ${r?.dataFolder ? html`<p class="small">Data folder: <code>${r.dataFolder}</code></p>` : nothing}
        <dl>
          ${(r?.items ?? []).map(
            (i) => html`<div>
              <dt>${i.description}</dt>
              <dd>Where: <code>${i.location}</code></dd>
              <dd>How long: ${i.retention}</dd>
              <dd>Who can see it: ${i.visibleTo}</dd>
            </div>`,
          )}
        </dl>
      </section>
      <section class="card stack" aria-labelledby="export-title">
        <h2 id="export-title">Your data</h2>
        <p class="muted small">
          One zip with your account, your audit entries${owner ? ", and every robot's data and history" : ""}.
        </p>
        <div><a class="button primary" href="/api/me/export" download>Download my data</a></div>
      </section>
      ${
        robots.length
          ? html`<section class="card stack" aria-labelledby="robots-title">
            <h2 id="robots-title">Robot data</h2>
            ${robots.map((robot) => {
              const c = this.consents.get(robot.id);
              const manage = this.#store.store.isAdmin;
              return html`<div class="robot">
                <strong>${robot.name}</strong>
                ${
                  c
                    ? html`<label class="check"
                        ><input
                          type="checkbox"
                          .checked=${c.keepHistory}
                          ?disabled=${!manage}
                          @change=${(e: Event) => this.#setConsent(robot.id, { keepHistory: (e.target as HTMLInputElement).checked })}
                        />
                        Keep cleaning history</label
                      >
                      <label class="check"
                        ><input
                          type="checkbox"
                          .checked=${c.recordCamera}
                          ?disabled=${!manage}
                          @change=${(e: Event) => this.#setConsent(robot.id, { recordCamera: (e.target as HTMLInputElement).checked })}
                        />
                        Allow camera recordings</label
                      >`
                    : nothing
                }
                ${
                  manage
                    ? html`<div>
                      <button
                        class="danger"
                        aria-label=${`Delete all data of ${robot.name}`}
                        @click=${() => {
                          if (
                            !confirm(
                              `Delete the history, maps and recordings of ${robot.name}? It stays paired.`,
                            )
                          )
                            return;
                          void this.#actions.run(`data-${robot.id}`, () => authApi.deleteRobotData(robot.id));
                        }}
                      >
                        Delete ${robot.name}'s data
                      </button>
                    </div>`
                    : nothing
                }
              </div>`;
            })}
          </section>`
          : nothing
      }
      <section class="card stack" aria-labelledby="tls-title">
        <h2 id="tls-title">Secure connection</h2>
        ${
          auth?.caCertificate
            ? html`<p class="muted small">
                  This hub uses its own certificate authority for HTTPS. Install its certificate on your phones and computers
                  to trust the hub without warnings.
                </p>
                <div><a class="button" href=${auth.caCertificate} download="sweephub-ca.crt">Download the CA certificate</a></div>`
            : html`<p class="muted small">
                ${auth?.https ? "This hub uses HTTPS with a certificate you provided." : "This hub is reached over plain HTTP. Turn on HTTPS in the hub's configuration to protect passwords on your network."}
              </p>`
        }
      </section>
      <section class="card stack" aria-labelledby="delete-title">
        <h2 id="delete-title">Delete your account</h2>
        ${
          owner
            ? html`<p class="muted small">You own this hub. <a
                href="/settings/people"
                @click=${(e: MouseEvent) => {
                  if (e.metaKey || e.ctrlKey || e.shiftKey) return;
                  e.preventDefault();
                  navigate("/settings/people");
                }}
                >Make another person the owner</a
              > (in People) before deleting your account.</p>`
            : html`<p class="muted small">Your account and your data are deleted; robots stay with the hub.</p>
              <form
                @submit=${(e: Event) => {
                  e.preventDefault();
                  const password = String(new FormData(e.target as HTMLFormElement).get("password") ?? "");
                  if (!confirm("Delete your account now? This cannot be undone.")) return;
                  void this.#actions.run("delete", async () => {
                    await authApi.deleteAccount(password);
                    await signOut().catch(() => {});
                    navigate("/login", true);
                  });
                }}
              >
                <label>Your password <input name="password" type="password" autocomplete="current-password" required /></label>
                <button class="danger" type="submit">Delete my account</button>
              </form>`
        }
      </section>
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "sh-privacy-settings": ShPrivacySettings;
  }
}
