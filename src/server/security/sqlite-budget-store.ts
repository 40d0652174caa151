// Daily token budgets on one machine, in an SQLite file, so a restart does not hand every user a
// fresh budget. Several instances on several machines share budgets through Redis instead.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { BudgetCounterStore } from './token-budget.js';

export class SqliteBudgetCounterStore implements BudgetCounterStore {
  private readonly database: Database.Database;
  private readonly addStatement: Database.Statement<[string, number, number, number, number]>;
  private readonly getStatement: Database.Statement<[string, number], { total: number }>;

  constructor(file: string) {
    if (file !== ':memory:') mkdirSync(path.dirname(file), { recursive: true });
    this.database = new Database(file);
    this.database.pragma('journal_mode = WAL');
    this.database.pragma('busy_timeout = 5000');
    this.database.exec('CREATE TABLE IF NOT EXISTS budgets (key TEXT PRIMARY KEY, total INTEGER NOT NULL, expires_at INTEGER NOT NULL) WITHOUT ROWID');
    this.database.prepare('DELETE FROM budgets WHERE expires_at <= ?').run(Date.now());
    // An expired counter starts again from this amount; a live one adds to its total.
    this.addStatement = this.database.prepare(
      `INSERT INTO budgets (key, total, expires_at) VALUES (?, ?, ?)
       ON CONFLICT(key) DO UPDATE SET
         total = CASE WHEN budgets.expires_at <= ? THEN excluded.total ELSE budgets.total + excluded.total END,
         expires_at = CASE WHEN budgets.expires_at <= ? THEN excluded.expires_at ELSE budgets.expires_at END`,
    );
    this.getStatement = this.database.prepare('SELECT total FROM budgets WHERE key = ? AND expires_at > ?');
  }

  async add(key: string, amount: number, ttlSeconds: number): Promise<number> {
    const now = Date.now();
    this.addStatement.run(key, amount, now + ttlSeconds * 1000, now, now);
    return this.getStatement.get(key, now)?.total ?? amount;
  }

  async get(key: string): Promise<number> {
    return this.getStatement.get(key, Date.now())?.total ?? 0;
  }

  close(): void {
    this.database.close();
  }
}
