/**
 * Sharing by invitation: an admin chooses a role and robot grants, the hub returns a code (and a link carrying
 * it) once; the invited person creates their account with it before it expires. Wrong codes count against the
 * caller's address in the risk guard, so codes cannot be guessed online.
 */
import type { AuditLog } from "../audit/audit-log.ts";
import { HubError } from "../core/errors.ts";
import type { AccountsService, NewAccount } from "./accounts-service.ts";
import type { UserActor } from "./actor.ts";
import type { GrantRepository } from "./grant-repository.ts";
import { normalizeGrants } from "./grant-repository.ts";
import type { InvitationGrant, InvitationRecord, InvitationRepository } from "./invitation-repository.ts";
import type { RiskGuard } from "./risk-guard.ts";
import { hashSecret, newId, newInvitationCode, normalizeInvitationCode } from "./secrets.ts";
import type { UserRecord } from "./user-repository.ts";

export interface InvitationServiceOptions {
  invitations: InvitationRepository;
  grants: GrantRepository;
  accounts: AccountsService;
  guard: RiskGuard;
  audit: AuditLog;
  defaultHours: number;
  robotExists: (robotId: string) => boolean;
  now?: () => number;
}

export type InvitationStatus = "pending" | "used" | "expired";

export class InvitationService {
  readonly #o: InvitationServiceOptions;

  constructor(options: InvitationServiceOptions) {
    this.#o = options;
  }

  create(
    actor: UserActor,
    input: { role: "admin" | "member"; grants: InvitationGrant[]; expiresInHours?: number; note?: string },
  ): { code: string; invitation: InvitationRecord } {
    if (input.role === "admin" && actor.role !== "owner")
      throw new HubError("forbidden", "Only the owner can invite admins");
    for (const g of input.grants) {
      if (!this.#o.robotExists(g.robotId))
        throw new HubError("robot_not_found", `No paired robot has id ${JSON.stringify(g.robotId)}`);
    }
    const now = this.#now();
    const code = newInvitationCode();
    const invitation: InvitationRecord = {
      id: newId(),
      role: input.role,
      grants: input.grants.map((g) => ({ robotId: g.robotId, ...normalizeGrants(g) })),
      note: input.note?.trim() ?? "",
      createdBy: actor.userId,
      createdAt: now,
      expiresAt: now + (input.expiresInHours ?? this.#o.defaultHours) * 3_600_000,
      usedAt: null,
      usedBy: null,
    };
    this.#o.invitations.insert({ ...invitation, codeHash: hashSecret(code) });
    this.#o.audit.record({
      action: "invitation.created",
      actor,
      details: { invitationId: invitation.id, role: invitation.role, grants: invitation.grants },
    });
    return { code, invitation };
  }

  list(): (InvitationRecord & { status: InvitationStatus })[] {
    return this.#o.invitations.list().map((i) => ({ ...i, status: this.status(i) }));
  }

  revoke(actor: UserActor, id: string): void {
    if (!this.#o.invitations.remove(id)) throw new HubError("invitation_not_found");
    this.#o.audit.record({ action: "invitation.revoked", actor, details: { invitationId: id } });
  }

  status(i: InvitationRecord): InvitationStatus {
    if (i.usedAt !== null) return "used";
    return i.expiresAt <= this.#now() ? "expired" : "pending";
  }

  /** A pending invitation by its code, or invitation_invalid (counted as a failed attempt). */
  lookup(code: string, ip: string): InvitationRecord {
    this.#o.guard.check(ip);
    const normalized = normalizeInvitationCode(code);
    const inv = normalized ? this.#o.invitations.byCodeHash(hashSecret(normalized)) : undefined;
    if (!inv || this.status(inv) !== "pending") {
      this.#o.guard.failure(ip);
      throw new HubError("invitation_invalid");
    }
    return inv;
  }

  async accept(
    code: string,
    account: NewAccount,
    client: { ip: string; userAgent: string },
  ): Promise<UserRecord> {
    const inv = this.lookup(code, client.ip);
    const user = await this.#o.accounts.createUser(account, inv.role);
    if (!this.#o.invitations.markUsed(inv.id, user.id, this.#now())) {
      // Someone else used the code while this account's password was being hashed.
      await this.#o.accounts.deleteUser(
        {
          type: "user",
          userId: user.id,
          username: user.username,
          role: user.role,
          via: "session",
          credentialId: "",
          scopes: null,
          ...client,
        },
        user.id,
        async () => {},
      );
      throw new HubError("invitation_invalid");
    }
    this.#o.guard.success(client.ip);
    for (const g of inv.grants) {
      if (this.#o.robotExists(g.robotId) && inv.role === "member")
        this.#o.grants.set(user.id, g.robotId, g, inv.createdBy, this.#now());
    }
    this.#o.audit.record({
      action: "invitation.accepted",
      actor: null,
      anonymousName: user.username,
      subjectUserId: user.id,
      ip: client.ip,
      userAgent: client.userAgent,
      details: { invitationId: inv.id, role: inv.role },
    });
    return user;
  }

  #now(): number {
    return (this.#o.now ?? Date.now)();
  }
}
