/** Hub-wide key/value settings (values are strings; JSON helpers for structured ones). */
import type { Database } from "./database.ts";

export class SettingsRepository {
  private readonly stmts;

  constructor(db: Database) {
    this.stmts = {
      get: db.prepare<[string], { value: string }>("SELECT value FROM hub_settings WHERE key = ?"),
      set: db.prepare(
        "INSERT INTO hub_settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
      ),
      delete: db.prepare("DELETE FROM hub_settings WHERE key = ?"),
    };
  }

  get(key: string): string | undefined {
    return this.stmts.get.get(key)?.value;
  }

  set(key: string, value: string): void {
    this.stmts.set.run(key, value);
  }

  delete(key: string): boolean {
    return this.stmts.delete.run(key).changes > 0;
  }

  getJson<T>(key: string): T | undefined {
    const text = this.get(key);
    return text === undefined ? undefined : (JSON.parse(text) as T);
  }

  setJson(key: string, value: unknown): void {
    this.set(key, JSON.stringify(value));
  }
}
