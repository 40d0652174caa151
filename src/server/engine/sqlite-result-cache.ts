// The embedded default cache: one SQLite file (better-sqlite3, WAL), so finished work survives a
// restart. Several BFF processes on one machine may share the file; across machines use Redis.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { ResultCache } from './result-cache.js';

/** SQLite's default limit of bound parameters per statement is 32,766; stay well below it. */
const keysPerLookup = 500;

export class SqliteResultCache implements ResultCache {
  readonly kind = 'sqlite';
  private readonly database: Database.Database;
  private readonly select: Map<number, Database.Statement<string[], { key: string; value: string }>> = new Map();
  private readonly upsert: Database.Statement<[string, string, number]>;
  private readonly insertMany: (entries: ReadonlyMap<string, string>, expiresAt: number) => void;

  constructor(
    file: string,
    private readonly ttlSeconds: number,
  ) {
    if (file !== ':memory:') mkdirSync(path.dirname(file), { recursive: true });
    this.database = new Database(file);
    this.database.pragma('journal_mode = WAL');
    // WAL with synchronous=NORMAL survives a process crash; only an OS crash may lose the last writes.
    this.database.pragma('synchronous = NORMAL');
    this.database.pragma('busy_timeout = 5000');
    this.database.exec('CREATE TABLE IF NOT EXISTS results (key TEXT PRIMARY KEY, value TEXT NOT NULL, expires_at INTEGER NOT NULL) WITHOUT ROWID');
    this.database.prepare('DELETE FROM results WHERE expires_at <= ?').run(Date.now());
    this.upsert = this.database.prepare(
      'INSERT INTO results (key, value, expires_at) VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at',
    );
    this.insertMany = this.database.transaction((entries: ReadonlyMap<string, string>, expiresAt: number) => {
      for (const [key, value] of entries) this.upsert.run(key, value, expiresAt);
    });
  }

  async getMany(keys: readonly string[]): Promise<Map<string, string>> {
    const found = new Map<string, string>();
    for (let start = 0; start < keys.length; start += keysPerLookup) {
      const slice = keys.slice(start, start + keysPerLookup);
      for (const row of this.selectFor(slice.length).all(...slice)) {
        found.set(row.key, row.value);
      }
    }
    // Expired rows are filtered in the statement and deleted at the next start.
    return found;
  }

  async setMany(entries: ReadonlyMap<string, string>): Promise<void> {
    if (entries.size === 0) return;
    this.insertMany(entries, Date.now() + this.ttlSeconds * 1000);
  }

  async close(): Promise<void> {
    if (this.database.open) this.database.close();
  }

  private selectFor(count: number): Database.Statement<string[], { key: string; value: string }> {
    let statement = this.select.get(count);
    if (statement === undefined) {
      const placeholders = new Array<string>(count).fill('?').join(',');
      statement = this.database.prepare<string[], { key: string; value: string }>(
        `SELECT key, value FROM results WHERE key IN (${placeholders}) AND expires_at > unixepoch('subsec') * 1000`,
      );
      this.select.set(count, statement);
    }
    return statement;
  }
}
