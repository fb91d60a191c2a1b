/**
 * People (owner and admins): who has an account, their role, and per-robot access (view, control, camera),
 * changed or revoked at once (their open dashboards lose access live); invitations with robot grants, whose
 * code and link are shown once. The owner can hand ownership to another person (confirmed with their password in a
 * dialog that says what changes).
 */
import { css, html, LitElement, nothing } from "lit";
import { customElement, state } from "lit/decorators.js";
import { authApi, type GrantSet, type Invitation, type UserWithGrants } from "../data/auth-api.ts";
import { ActionRunner } from "../data/command-runner.ts";
import { relativeTime } from "../data/format.ts";
import { store } from "../data/hub-context.ts";
import { setMe } from "../data/session.ts";
import { StoreController } from "../data/store.ts";
import { dialogStyles } from "../styles/dialog.ts";
import { sharedStyles } from "../styles/shared.ts";
import "./sh-error-box.ts";

type Access = "none" | "view" | "control";

const accessOf = (g: GrantSet | undefined): Access => (!g?.view ? "none" : g.control ? "control" : "view");
const grantsOf = (a: Access, camera: boolean): GrantSet => ({
  view: a !== "none",
  control: a === "control",
  camera: a !== "none" && camera,
});
const ACCESS_LABELS: Record<Access, string> = {
  none: "No access",
  view: "View only",
  control: "View and control",
};

@customElement("sh-people-settings")
export class ShPeopleSettings extends LitElement {
  static override styles = [
    sharedStyles,
    dialogStyles,
    css`
      .user {
        display: flex;
        flex-direction: column;
        gap: 8px;
        padding: 12px 0;
        border-bottom: 1px solid var(--sh-border);
      }
      .user:last-child {
        border-bottom: none;
      }
      .grants {
        display: grid;
        grid-template-columns: repeat(auto-fill, minmax(220px, 1fr));
        gap: 8px;
      }
      select {
        min-height: 38px;
      }
      form {
        display: grid;
        gap: 12px;
      }
    `,
  ];

  @state() accessor users: UserWithGrants[] = [];
  @state() accessor invitations: Invitation[] = [];
  @state() accessor created: { code: string; link: string } | null = null;
  /** The user the owner is about to make the owner (the confirmation dialog is open). */
  @state() accessor transferTo: UserWithGrants | null = null;
  readonly #store = new StoreController(this, store);
  readonly #actions = new ActionRunner(this);

  override connectedCallback(): void {
    super.connectedCallback();
    void this.#load();
  }

  #load() {
    return this.#actions.run("load", async () => {
      const [u, i] = await Promise.all([authApi.users(), authApi.invitations()]);
      this.users = u.users;
      this.invitations = i.invitations;
    });
  }

  #setAccess(user: UserWithGrants, robotId: string, access: Access, camera: boolean) {
    return this.#actions.run(`grant-${user.id}-${robotId}`, async () => {
      if (access === "none") await authApi.revokeGrants(user.id, robotId);
      else await authApi.setGrants(user.id, robotId, grantsOf(access, camera));
      this.users = (await authApi.users()).users;
    });
  }

  #openTransfer(user: UserWithGrants) {
    this.transferTo = user;
    void this.updateComplete.then(() => this.renderRoot.querySelector("dialog")?.showModal());
  }

  #closeTransfer() {
    this.renderRoot.querySelector("dialog")?.close();
    this.transferTo = null;
  }

  async #transfer(e: Event) {
    e.preventDefault();
    const target = this.transferTo;
    if (!target) return;
    const password = String(new FormData(e.target as HTMLFormElement).get("password") ?? "");
    // Close first: an error (a wrong password) is shown in the page's error box, outside the modal.
    this.#closeTransfer();
    await this.#actions.run(`transfer-${target.id}`, async () => {
      await authApi.transferOwnership(target.id, password);
      setMe(await authApi.me());
      this.users = (await authApi.users()).users;
    });
  }

  #renderTransferDialog() {
    const u = this.transferTo;
    if (!u) return nothing;
    const name = u.displayName || u.username;
    return html`<dialog aria-labelledby="transfer-title" @close=${() => (this.transferTo = null)}>
      <form class="stack" @submit=${this.#transfer}>
        <h2 id="transfer-title">Make ${name} the owner?</h2>
        <p>
          ${name} becomes the hub's owner: they manage everyone (including you), Matter and the hub's operations, and only
          they can hand ownership on again.
        </p>
        <p><strong>You become an admin.</strong> You keep every robot and can still manage members, but not ${name}.</p>
        <label>Your password <input name="password" type="password" autocomplete="current-password" required /></label>
        <div class="row">
          <button class="danger" type="submit">Make ${name} the owner</button>
          <button class="ghost" type="button" @click=${() => this.#closeTransfer()}>Cancel</button>
        </div>
      </form>
    </dialog>`;
  }

  async #invite(e: Event) {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const f = new FormData(form);
    const grants = [...this.#store.store.robots.keys()]
      .map((robotId) => ({ robotId, access: String(f.get(`inv-${robotId}`) ?? "none") as Access }))
      .filter((g) => g.access !== "none")
      .map((g) => ({ robotId: g.robotId, ...grantsOf(g.access, false) }));
    await this.#actions.run("invite", async () => {
      const res = await authApi.invite({
        role: f.get("role") === "admin" ? "admin" : "member",
        grants,
        expiresInHours: Number(f.get("hours")) || 72,
        note: String(f.get("note") ?? "").trim(),
      });
      this.created = { code: res.code, link: `${window.location.origin}${res.link}` };
      this.invitations = (await authApi.invitations()).invitations;
      form.reset();
    });
  }

  override render() {
    const robots = [...this.#store.store.robots.values()];
    const me = this.#store.store.me?.user;
    const busy = this.#actions.pending !== null;
    return html`<div class="stack">
      <sh-error-box .error=${this.#actions.error} @dismiss=${() => this.#actions.clearError()}></sh-error-box>
      ${this.#renderTransferDialog()}
      <section class="card" aria-labelledby="users-title">
        <h2 id="users-title">People</h2>
        ${this.users.map((u) => {
          const self = u.id === me?.id;
          const elevated = u.role === "owner" || u.role === "admin";
          return html`<div class="user" data-user=${u.username}>
            <div class="row between">
              <span><strong>${u.displayName || u.username}</strong> <span class="muted small">@${u.username} · joined ${relativeTime(u.createdAt)}</span></span>
              <span class="row">
                ${
                  u.role === "owner" || self || me?.role !== "owner"
                    ? html`<span class="chip">${u.role}</span>`
                    : html`<select
                      aria-label=${`Role of ${u.username}`}
                      ?disabled=${busy}
                      @change=${(e: Event) =>
                        this.#actions.run(`role-${u.id}`, async () => {
                          await authApi.setRole(
                            u.id,
                            (e.target as HTMLSelectElement).value as "admin" | "member",
                          );
                          this.users = (await authApi.users()).users;
                        })}
                    >
                      <option value="member" ?selected=${u.role === "member"}>Member</option>
                      <option value="admin" ?selected=${u.role === "admin"}>Admin</option>
                    </select>`
                }
                ${
                  u.role !== "owner" && !self && me?.role === "owner"
                    ? html`<button
                      ?disabled=${busy}
                      aria-label=${`Make ${u.username} the owner`}
                      @click=${() => this.#openTransfer(u)}
                    >
                      Make owner
                    </button>`
                    : nothing
                }
                ${
                  u.role !== "owner" && !self
                    ? html`<button
                      class="danger"
                      ?disabled=${busy}
                      aria-label=${`Remove ${u.username}`}
                      @click=${() => {
                        if (
                          !confirm(
                            `Remove ${u.displayName || u.username}? Their account and data are deleted.`,
                          )
                        )
                          return;
                        void this.#actions.run(`remove-${u.id}`, async () => {
                          await authApi.removeUser(u.id);
                          this.users = this.users.filter((x) => x.id !== u.id);
                        });
                      }}
                    >
                      Remove
                    </button>`
                    : nothing
                }
              </span>
            </div>
            ${
              elevated
                ? html`<p class="muted small">${u.role === "owner" ? "The owner" : "Admins"} can use every robot.</p>`
                : html`<div class="grants">
                  ${robots.map((r) => {
                    const g = u.robots.find((x) => x.robotId === r.id)?.grants;
                    return html`<label
                      >${r.name}
                      <select
                        aria-label=${`Access of ${u.username} to ${r.name}`}
                        ?disabled=${busy}
                        @change=${(e: Event) =>
                          this.#setAccess(
                            u,
                            r.id,
                            (e.target as HTMLSelectElement).value as Access,
                            g?.camera ?? false,
                          )}
                      >
                        ${(["none", "view", "control"] as const).map(
                          (a) =>
                            html`<option value=${a} ?selected=${accessOf(g) === a}>${ACCESS_LABELS[a]}</option>`,
                        )}
                      </select>
                    </label>`;
                  })}
                </div>`
            }
          </div>`;
        })}
      </section>
      <section class="card stack" aria-labelledby="invite-title">
        <h2 id="invite-title">Invite someone</h2>
        ${
          this.created
            ? html`<div class="stack" role="status">
              <strong>Send this link (or the code) to the person. It is shown only now.</strong>
              <div class="secret" data-testid="invite-link">${this.created.link}</div>
              <span class="muted small">Code: <span class="secret" data-testid="invite-code">${this.created.code}</span></span>
              <div class="row">
                <button @click=${() => navigator.clipboard?.writeText(this.created?.link ?? "")}>Copy link</button>
                <button class="ghost" @click=${() => (this.created = null)}>Done</button>
              </div>
            </div>`
            : nothing
        }
        <form @submit=${this.#invite}>
          <label
            >Role
            <select name="role">
              <option value="member">Member: uses the robots you choose</option>
              ${me?.role === "owner" ? html`<option value="admin">Admin: manages robots and people</option>` : nothing}
            </select>
          </label>
          ${robots.map(
            (r) => html`<label
              >${r.name}
              <select name=${`inv-${r.id}`} aria-label=${`Invitation access to ${r.name}`}>
                ${(["none", "view", "control"] as const).map(
                  (a) => html`<option value=${a} ?selected=${a === "control"}>${ACCESS_LABELS[a]}</option>`,
                )}
              </select>
            </label>`,
          )}
          <label
            >Valid for
            <select name="hours">
              <option value="24">1 day</option>
              <option value="72" selected>3 days</option>
              <option value="168">1 week</option>
            </select>
          </label>
          <label>Note <span class="small muted">(for you, e.g. who it is for)</span><input name="note" maxlength="200" /></label>
          <div><button class="primary" type="submit" aria-busy=${this.#actions.isPending("invite")}>Create invitation</button></div>
        </form>
        ${
          this.invitations.length
            ? html`<h3>Invitations</h3>
              <ul class="rows" aria-label="Invitations">
                ${this.invitations.map(
                  (i) => html`<li>
                    <span
                      >${i.note || `${i.role} invitation`} <span class="chip ${i.status === "pending" ? "active" : ""}">${i.status}</span>
                      <span class="muted small">created ${relativeTime(i.createdAt)}</span></span
                    >
                    ${
                      i.status === "pending"
                        ? html`<button
                          ?disabled=${busy}
                          @click=${() =>
                            this.#actions.run(`inv-${i.id}`, async () => {
                              await authApi.revokeInvitation(i.id);
                              this.invitations = (await authApi.invitations()).invitations;
                            })}
                        >
                          Revoke
                        </button>`
                        : nothing
                    }
                  </li>`,
                )}
              </ul>`
            : nothing
        }
      </section>
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "sh-people-settings": ShPeopleSettings;
  }
}
