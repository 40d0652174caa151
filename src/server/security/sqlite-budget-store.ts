// Daily token budgets on one machine, in an SQLite file, so a restart does not hand every user a
// fresh budget. rate-limiter-flexible's SQLite limiter counts in one upsert inside a transaction, so
// requests at once (and processes sharing the file) never lose an increment. Several instances on
// several machines share budgets through Redis instead.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { RateLimiterSQLite } from 'rate-limiter-flexible';

export interface SqliteBudgetCounter {
  counter: RateLimiterSQLite;
  close(): void;
}

const tableName = 'token_budgets';
/** Yesterday's counters are dead weight: swept at start and every hour. */
const sweepIntervalMilliseconds = 60 * 60 * 1000;

export async function openSqliteBudgetCounter(file: string, dailyTokens: number): Promise<SqliteBudgetCounter> {
  if (file !== ':memory:') mkdirSync(path.dirname(file), { recursive: true });
  const database = new Database(file);
  database.pragma('journal_mode = WAL');
  database.pragma('busy_timeout = 5000');
  const counter = await new Promise<RateLimiterSQLite>((resolve, reject) => {
    const limiter: RateLimiterSQLite = new RateLimiterSQLite(
      // The day is part of each key and its expiry is set per reservation (customDuration): duration is a fallback.
      { storeClient: database, storeType: 'better-sqlite3', tableName, keyPrefix: 'budget', points: dailyTokens, duration: 86_400 },
      (error) => (error === undefined || error === null ? resolve(limiter) : reject(error)),
    );
  });
  carryOverEarlierCounters(database);
  const sweep = database.prepare(`DELETE FROM ${tableName} WHERE expire IS NOT NULL AND expire <= ?`);
  sweep.run(Date.now());
  const timer = setInterval(() => sweep.run(Date.now()), sweepIntervalMilliseconds);
  timer.unref();
  return {
    counter,
    close: () => {
      clearInterval(timer);
      database.close();
    },
  };
}

/** Today's counters of the file's earlier layout (table budgets, before rate-limiter-flexible): an upgrade must not hand out fresh budgets. */
function carryOverEarlierCounters(database: Database.Database): void {
  const earlier = database.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'budgets'").get();
  if (earlier === undefined) return;
  database.transaction(() => {
    database
      .prepare(`INSERT OR IGNORE INTO ${tableName} (key, points, expire) SELECT 'budget:' || key, total, expires_at FROM budgets WHERE expires_at > ?`)
      .run(Date.now());
    database.exec('DROP TABLE budgets');
  })();
}
