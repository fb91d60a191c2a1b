/** Invitations: a code (stored hashed) that lets one person create an account with a role and robot grants. */
import type { Database } from "../store/database.ts";
import type { GrantSet } from "./grant-repository.ts";

export interface InvitationGrant extends GrantSet {
  robotId: string;
}

export interface InvitationRecord {
  id: string;
  role: "admin" | "member";
  grants: InvitationGrant[];
  note: string;
  createdBy: string | null;
  createdAt: number;
  expiresAt: number;
  usedAt: number | null;
  usedBy: string | null;
}

interface Row {
  id: string;
  role: "admin" | "member";
  grants: string;
  note: string;
  created_by: string | null;
  created_at: number;
  expires_at: number;
  used_at: number | null;
  used_by: string | null;
}

export class InvitationRepository {
  private readonly stmts;

  constructor(db: Database) {
    this.stmts = {
      insert: db.prepare(`
        INSERT INTO invitations (id, code_hash, role, grants, note, created_by, created_at, expires_at)
        VALUES (@id, @codeHash, @role, @grants, @note, @createdBy, @createdAt, @expiresAt)`),
      byHash: db.prepare<[string], Row>("SELECT * FROM invitations WHERE code_hash = ?"),
      get: db.prepare<[string], Row>("SELECT * FROM invitations WHERE id = ?"),
      list: db.prepare<[], Row>("SELECT * FROM invitations ORDER BY created_at DESC"),
      use: db.prepare("UPDATE invitations SET used_at = ?, used_by = ? WHERE id = ? AND used_at IS NULL"),
      remove: db.prepare("DELETE FROM invitations WHERE id = ?"),
    };
  }

  insert(inv: Omit<InvitationRecord, "usedAt" | "usedBy"> & { codeHash: string }): void {
    this.stmts.insert.run({ ...inv, grants: JSON.stringify(inv.grants) });
  }

  byCodeHash(codeHash: string): InvitationRecord | undefined {
    const row = this.stmts.byHash.get(codeHash);
    return row && toInvitation(row);
  }

  get(id: string): InvitationRecord | undefined {
    const row = this.stmts.get.get(id);
    return row && toInvitation(row);
  }

  list(): InvitationRecord[] {
    return this.stmts.list.all().map(toInvitation);
  }

  /** Marks it used; false if someone used it first (two people racing with one code). */
  markUsed(id: string, userId: string, now: number): boolean {
    return this.stmts.use.run(now, userId, id).changes > 0;
  }

  remove(id: string): boolean {
    return this.stmts.remove.run(id).changes > 0;
  }
}

function toInvitation(r: Row): InvitationRecord {
  return {
    id: r.id,
    role: r.role,
    grants: JSON.parse(r.grants) as InvitationGrant[],
    note: r.note,
    createdBy: r.created_by,
    createdAt: r.created_at,
    expiresAt: r.expires_at,
    usedAt: r.used_at,
    usedBy: r.used_by,
  };
}
