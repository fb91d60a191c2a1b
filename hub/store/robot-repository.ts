/**
 * Paired robots: what pairing established (address, certificate, fingerprint) plus what the hub
 * learns later (info, last seen, last state). Rows are camelCase records outside this file.
 */
import type { Database } from "./database.ts";

export type IdentityStatus = "ok" | "changed";

export interface PairedRobotRecord {
  id: string;
  name: string;
  model: string;
  manufacturer: string;
  firmware: string;
  serial: string;
  host: string;
  port: number;
  certPem: string;
  fingerprint: string;
  capabilities: Record<string, unknown>;
  identityStatus: IdentityStatus;
  pairedAt: number;
  lastSeenAt: number | null;
  lastState: unknown | null;
  /** Position in the dashboard; new robots go last. */
  sortOrder: number;
}

/** What pairing knows about a robot. Re-pairing replaces all of it and resets identityStatus to "ok". */
export interface PairingData {
  id: string;
  name: string;
  model: string;
  manufacturer?: string;
  firmware?: string;
  serial?: string;
  host: string;
  port: number;
  certPem: string;
  fingerprint: string;
  capabilities?: Record<string, unknown>;
  pairedAt: number;
}

export interface RobotInfo {
  name?: string;
  model?: string;
  manufacturer?: string;
  firmware?: string;
  serial?: string;
  capabilities?: Record<string, unknown>;
}

interface RobotRow {
  id: string;
  name: string;
  model: string;
  manufacturer: string;
  firmware: string;
  serial: string;
  host: string;
  port: number;
  cert_pem: string;
  fingerprint: string;
  capabilities: string;
  identity_status: IdentityStatus;
  paired_at: number;
  last_seen_at: number | null;
  last_state: string | null;
  sort_order: number;
}

export class RobotRepository {
  private readonly stmts;
  private readonly reorderAll: (ids: readonly string[]) => void;

  constructor(db: Database) {
    this.stmts = {
      list: db.prepare<[], RobotRow>("SELECT * FROM robots ORDER BY sort_order, paired_at, id"),
      get: db.prepare<[string], RobotRow>("SELECT * FROM robots WHERE id = ?"),
      upsert: db.prepare(`
        INSERT INTO robots (id, name, model, manufacturer, firmware, serial, host, port, cert_pem, fingerprint,
                            capabilities, identity_status, paired_at, sort_order)
        VALUES (@id, @name, @model, @manufacturer, @firmware, @serial, @host, @port, @certPem, @fingerprint,
                @capabilities, 'ok', @pairedAt, (SELECT coalesce(max(sort_order), -1) + 1 FROM robots))
        ON CONFLICT (id) DO UPDATE SET
          name = excluded.name, model = excluded.model, manufacturer = excluded.manufacturer,
          firmware = excluded.firmware, serial = excluded.serial, host = excluded.host, port = excluded.port,
          cert_pem = excluded.cert_pem, fingerprint = excluded.fingerprint, capabilities = excluded.capabilities,
          identity_status = 'ok', paired_at = excluded.paired_at`),
      updateAddress: db.prepare("UPDATE robots SET host = ?, port = ? WHERE id = ?"),
      updateInfo: db.prepare(`
        UPDATE robots SET
          name = coalesce(@name, name), model = coalesce(@model, model),
          manufacturer = coalesce(@manufacturer, manufacturer), firmware = coalesce(@firmware, firmware),
          serial = coalesce(@serial, serial), capabilities = coalesce(@capabilities, capabilities)
        WHERE id = @id`),
      markIdentity: db.prepare("UPDATE robots SET identity_status = ? WHERE id = ?"),
      touchSeen: db.prepare("UPDATE robots SET last_seen_at = ? WHERE id = ?"),
      saveLastState: db.prepare("UPDATE robots SET last_state = ? WHERE id = ?"),
      setSortOrder: db.prepare("UPDATE robots SET sort_order = ? WHERE id = ?"),
      remove: db.prepare("DELETE FROM robots WHERE id = ?"),
    };
    this.reorderAll = db.transaction((ids: readonly string[]) => {
      for (const [i, id] of ids.entries()) this.stmts.setSortOrder.run(i, id);
    });
  }

  list(): PairedRobotRecord[] {
    return this.stmts.list.all().map(toRecord);
  }

  get(id: string): PairedRobotRecord | undefined {
    const row = this.stmts.get.get(id);
    return row ? toRecord(row) : undefined;
  }

  /** Inserts a newly paired robot (last in order) or replaces the pairing data of a known one. */
  upsertPaired(rec: PairingData): PairedRobotRecord {
    this.stmts.upsert.run({
      id: rec.id,
      name: rec.name,
      model: rec.model,
      manufacturer: rec.manufacturer ?? "",
      firmware: rec.firmware ?? "",
      serial: rec.serial ?? "",
      host: rec.host,
      port: rec.port,
      certPem: rec.certPem,
      fingerprint: rec.fingerprint,
      capabilities: JSON.stringify(rec.capabilities ?? {}),
      pairedAt: rec.pairedAt,
    });
    return this.get(rec.id)!;
  }

  /** Returns false if the robot is unknown (true for every method below likewise). */
  updateAddress(id: string, host: string, port: number): boolean {
    return this.stmts.updateAddress.run(host, port, id).changes > 0;
  }

  /** Updates the given fields; omitted ones keep their value. */
  updateInfo(id: string, info: RobotInfo): boolean {
    return (
      this.stmts.updateInfo.run({
        id,
        name: info.name ?? null,
        model: info.model ?? null,
        manufacturer: info.manufacturer ?? null,
        firmware: info.firmware ?? null,
        serial: info.serial ?? null,
        capabilities: info.capabilities ? JSON.stringify(info.capabilities) : null,
      }).changes > 0
    );
  }

  markIdentity(id: string, status: IdentityStatus): boolean {
    return this.stmts.markIdentity.run(status, id).changes > 0;
  }

  touchSeen(id: string, at: number): boolean {
    return this.stmts.touchSeen.run(at, id).changes > 0;
  }

  /** Stores any JSON-serialisable value (null clears it); `get` returns it parsed. */
  saveLastState(id: string, state: unknown): boolean {
    return this.stmts.saveLastState.run(state == null ? null : JSON.stringify(state), id).changes > 0;
  }

  /** Sets the dashboard order to the given ids; robots not listed keep their current position value. */
  reorder(ids: readonly string[]): void {
    this.reorderAll(ids);
  }

  /** Forgets a robot and, by cascade, its cleaning history. */
  remove(id: string): boolean {
    return this.stmts.remove.run(id).changes > 0;
  }
}

function toRecord(row: RobotRow): PairedRobotRecord {
  return {
    id: row.id,
    name: row.name,
    model: row.model,
    manufacturer: row.manufacturer,
    firmware: row.firmware,
    serial: row.serial,
    host: row.host,
    port: row.port,
    certPem: row.cert_pem,
    fingerprint: row.fingerprint,
    capabilities: JSON.parse(row.capabilities) as Record<string, unknown>,
    identityStatus: row.identity_status,
    pairedAt: row.paired_at,
    lastSeenAt: row.last_seen_at,
    lastState: row.last_state === null ? null : (JSON.parse(row.last_state) as unknown),
    sortOrder: row.sort_order,
  };
}
