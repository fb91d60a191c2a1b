/**
 * `sweephub reset-password <user>`: the way back in for someone who forgot their password (typically the
 * owner, who has nobody to ask). Whoever can run commands on the hub's machine already owns its data, so
 * this needs no old password; it applies the same password policy as the API, signs the user out everywhere
 * and leaves an entry in the audit log. API tokens (Home Assistant, scripts) keep working unless
 * `--revoke-tokens` asks otherwise: after a suspected break-in, revoke them too (the attacker may have made one).
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { AuditLog } from "../audit/audit-log.ts";
import { AuditRepository } from "../audit/audit-repository.ts";
import { AccountsService } from "../auth/accounts-service.ts";
import { CredentialRepository } from "../auth/credential-repository.ts";
import { GrantRepository } from "../auth/grant-repository.ts";
import { UserRepository } from "../auth/user-repository.ts";
import type { Config } from "../config/schema.ts";
import { HubError } from "../core/errors.ts";
import { EventBus } from "../core/event-bus.ts";
import type { Logger } from "../logging.ts";
import { openDatabase } from "../store/database.ts";

export interface ResetPasswordOptions {
  dataDir: string;
  config: Config;
  username: string;
  password: string;
  /** Also delete every API token of the user. */
  revokeTokens?: boolean;
  log: Logger;
}

export interface ResetPasswordResult {
  username: string;
  role: string;
  /** API tokens deleted (with revokeTokens), or still valid (without). */
  tokens: { revoked: number; kept: number };
}

export async function resetPassword(o: ResetPasswordOptions): Promise<ResetPasswordResult> {
  const file = join(o.dataDir, "sweephub.db");
  if (!existsSync(file)) {
    throw new HubError("user_not_found", `There is no hub database in ${o.dataDir} (set SWEEPHUB_DATA?)`);
  }
  const db = openDatabase(file, o.log);
  try {
    const users = new UserRepository(db);
    const user = users.byUsername(o.username);
    if (!user) {
      const names = users.list().map((u) => u.username);
      throw new HubError(
        "user_not_found",
        `No user is named ${JSON.stringify(o.username)}${names.length ? `; users: ${names.join(", ")}` : " (the hub has no users yet: finish onboarding in the dashboard)"}`,
      );
    }
    const audit = new AuditLog({
      repo: new AuditRepository(db),
      log: o.log,
      retentionDays: o.config.audit.retentionDays,
    });
    const credentials = new CredentialRepository(db);
    const accounts = new AccountsService({
      users,
      grants: new GrantRepository(db),
      credentials,
      audit,
      bus: new EventBus(),
      log: o.log,
    });
    await accounts.setPassword(user.id, o.password);
    const revoked = o.revokeTokens ? credentials.deleteTokensOf(user.id) : 0;
    const kept = credentials.tokensOf(user.id).length;
    audit.record({
      action: "user.password_reset",
      actor: { type: "system", name: "hub" },
      subjectUserId: user.id,
      details: { via: "cli", tokensRevoked: revoked },
    });
    return { username: user.username, role: user.role, tokens: { revoked, kept } };
  } finally {
    db.close();
  }
}
