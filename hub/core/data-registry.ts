/**
 * Where personal and robot data lives, so that data rights (access, export, delete; docs/api.md "Privacy and
 * data rights") cover every feature, including ones added later. A feature that stores data about a robot or a
 * user registers a provider here once (in the composition root); export, deletion, unpairing and the privacy
 * page then include it without changes elsewhere. See docs/architecture.md "Data registry".
 */

/** Files for the export zip: path inside the archive -> content (JSON-able values are written as JSON). */
export type ExportFiles = Record<string, string | Uint8Array | object>;

export interface DataProvider {
  /** Stable id, e.g. "cleaning-history"; also the folder name in the export. */
  id: string;
  /** For the privacy page: what is stored, in words a person understands. */
  description: string;
  /** Where: a table in the hub's database or a path in the data folder (absolute). */
  location: string;
  /** How long it is kept, e.g. "14 days (retention.days)". */
  retention: string;
  /** Who can see it, e.g. "users with view access to the robot". */
  visibleTo: string;
  /** Everything held about this robot, for owners' exports. */
  exportRobot?(robotId: string): ExportFiles | Promise<ExportFiles>;
  /** Deletes everything held about this robot (called for "delete robot data" and on unpair). */
  deleteRobot?(robotId: string): void | Promise<void>;
  /** Everything held about this user. */
  exportUser?(userId: string): ExportFiles | Promise<ExportFiles>;
  /** Deletes everything held about this user (account deletion). */
  deleteUser?(userId: string): void | Promise<void>;
}

export class DataRegistry {
  readonly #providers = new Map<string, DataProvider>();

  register(provider: DataProvider): () => void {
    if (this.#providers.has(provider.id)) throw new Error(`data provider ${provider.id} registered twice`);
    this.#providers.set(provider.id, provider);
    return () => this.#providers.delete(provider.id);
  }

  list(): DataProvider[] {
    return [...this.#providers.values()];
  }

  async exportRobot(robotId: string): Promise<ExportFiles> {
    const out: ExportFiles = {};
    for (const p of this.list()) {
      if (!p.exportRobot) continue;
      for (const [name, data] of Object.entries(await p.exportRobot(robotId))) out[`${p.id}/${name}`] = data;
    }
    return out;
  }

  async exportUser(userId: string): Promise<ExportFiles> {
    const out: ExportFiles = {};
    for (const p of this.list()) {
      if (!p.exportUser) continue;
      for (const [name, data] of Object.entries(await p.exportUser(userId))) out[`${p.id}/${name}`] = data;
    }
    return out;
  }

  /** Runs every provider even if one fails, then reports the failures together. */
  async deleteRobot(robotId: string): Promise<void> {
    await runAll(this.list().map((p) => () => p.deleteRobot?.(robotId)));
  }

  async deleteUser(userId: string): Promise<void> {
    await runAll(this.list().map((p) => () => p.deleteUser?.(userId)));
  }
}

async function runAll(steps: (() => void | Promise<void>)[]): Promise<void> {
  const errors: unknown[] = [];
  for (const step of steps) {
    try {
      await step();
    } catch (err) {
      errors.push(err);
    }
  }
  if (errors.length === 1) throw errors[0];
  if (errors.length > 1) throw new AggregateError(errors, "deleting data failed in several places");
}
