// The embedded default cache: one SQLite file (better-sqlite3, WAL), so finished work survives a
// restart. Several BFF processes on one machine may share the file; across machines use Redis.
//
// Time: each entry keeps when it was stored, and a read compares that with the TTL configured now, so
// an entry older than CACHE_TTL_SECONDS is never returned (a lowered TTL applies to old entries too).
// Expired entries are deleted when the file is opened and then on a schedule; deletes overwrite the
// text (secure_delete), so a summary past its TTL or purged does not linger in free pages.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { cacheForTenant, type PurgeableResultStore, type ResultCache } from './result-cache.js';

/** SQLite's default limit of bound parameters per statement is 32,766; stay well below it. */
const keysPerLookup = 500;
/** Expired entries are deleted at least this often (and once per TTL when the TTL is shorter). */
const longestSweepIntervalMilliseconds = 3600 * 1000;

type Row = { key: string; value: string };

export interface SqliteResultCacheOptions {
  /** How often expired entries are deleted; default: the TTL, at most an hour. */
  sweepIntervalMilliseconds?: number;
}

export class SqliteResultCache implements ResultCache, PurgeableResultStore {
  readonly kind = 'sqlite';
  private readonly database: Database.Database;
  private readonly select: Map<number, Database.Statement<(string | number)[], Row>> = new Map();
  private readonly upsert: Database.Statement<[string, string, number]>;
  private readonly insertMany: (entries: ReadonlyMap<string, string>, storedAt: number) => void;
  private readonly deleteStoredBefore: Database.Statement<[number]>;
  private readonly sweepTimer: NodeJS.Timeout;

  constructor(
    file: string,
    private readonly ttlSeconds: number,
    options: SqliteResultCacheOptions = {},
  ) {
    if (file !== ':memory:') mkdirSync(path.dirname(file), { recursive: true });
    this.database = new Database(file);
    this.database.pragma('journal_mode = WAL');
    // WAL with synchronous=NORMAL survives a process crash; only an OS crash may lose the last writes.
    this.database.pragma('synchronous = NORMAL');
    this.database.pragma('busy_timeout = 5000');
    this.database.pragma('secure_delete = ON');
    // The first schema (`results`, before tenant partitions) held keys no tenant can reach any more.
    this.database.exec('DROP TABLE IF EXISTS results');
    this.database.exec(
      'CREATE TABLE IF NOT EXISTS result_entries (key TEXT PRIMARY KEY, value TEXT NOT NULL, stored_at INTEGER NOT NULL) WITHOUT ROWID;' +
        'CREATE INDEX IF NOT EXISTS result_entries_stored_at ON result_entries (stored_at)',
    );
    this.upsert = this.database.prepare(
      'INSERT INTO result_entries (key, value, stored_at) VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value, stored_at = excluded.stored_at',
    );
    this.insertMany = this.database.transaction((entries: ReadonlyMap<string, string>, storedAt: number) => {
      for (const [key, value] of entries) this.upsert.run(key, value, storedAt);
    });
    this.deleteStoredBefore = this.database.prepare('DELETE FROM result_entries WHERE stored_at <= ?');
    this.sweepExpired();
    const interval = options.sweepIntervalMilliseconds ?? Math.min(longestSweepIntervalMilliseconds, ttlSeconds * 1000);
    this.sweepTimer = setInterval(() => {
      try {
        this.sweepExpired();
      } catch {
        // A busy or full disk: the next sweep tries again, and reads ignore expired entries anyway.
      }
    }, interval);
    this.sweepTimer.unref();
  }

  async getMany(keys: readonly string[]): Promise<Map<string, string>> {
    const found = new Map<string, string>();
    const oldestValid = this.expiredUpTo();
    for (let start = 0; start < keys.length; start += keysPerLookup) {
      const slice = keys.slice(start, start + keysPerLookup);
      for (const row of this.selectFor(slice.length).all(oldestValid, ...slice)) {
        found.set(row.key, row.value);
      }
    }
    return found;
  }

  async setMany(entries: ReadonlyMap<string, string>): Promise<void> {
    if (entries.size === 0) return;
    this.insertMany(entries, Date.now());
  }

  forTenant(tenantId: string | undefined): ResultCache {
    return cacheForTenant(this, tenantId);
  }

  /** Deletes the entries older than the TTL; returns how many. */
  sweepExpired(): number {
    return this.deleteStoredBefore.run(this.expiredUpTo()).changes;
  }

  async purge(partitionPrefix?: string): Promise<number> {
    const deleted =
      partitionPrefix === undefined
        ? this.database.prepare('DELETE FROM result_entries').run().changes
        : this.database.prepare('DELETE FROM result_entries WHERE substr(key, 1, ?) = ?').run(partitionPrefix.length, partitionPrefix).changes;
    // The WAL still holds the deleted pages until a checkpoint: write them back and empty it.
    this.database.pragma('wal_checkpoint(TRUNCATE)');
    return deleted;
  }

  async close(): Promise<void> {
    clearInterval(this.sweepTimer);
    if (this.database.open) this.database.close();
  }

  /** Entries stored at or before this instant are expired. */
  private expiredUpTo(): number {
    return Date.now() - this.ttlSeconds * 1000;
  }

  private selectFor(count: number): Database.Statement<(string | number)[], Row> {
    let statement = this.select.get(count);
    if (statement === undefined) {
      const placeholders = new Array<string>(count).fill('?').join(',');
      statement = this.database.prepare<(string | number)[], Row>(`SELECT key, value FROM result_entries WHERE stored_at > ? AND key IN (${placeholders})`);
      this.select.set(count, statement);
    }
    return statement;
  }
}
