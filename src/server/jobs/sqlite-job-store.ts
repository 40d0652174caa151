// The job store on one machine: one SQLite file (better-sqlite3, WAL), so jobs survive a restart and
// several BFF processes on the machine may share the file. A batch is claimed in an IMMEDIATE
// transaction (one writer at a time across processes) with a lease that the worker renews; a lease
// that ran out makes the batch claimable again. A batch's results and its completion are one
// transaction, and a batch already done is never written again.
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { ErrorBody, Usage } from '../../contract/common-schemas.js';
import type { CreateJobRequest, JobItemResult, JobState } from '../../contract/jobs.js';
import {
  countFailed,
  emptyUsage,
  type BatchOutcome,
  type ClaimedBatch,
  type CompletionResult,
  type JobStore,
  type JobStoreTimes,
  type NewJob,
  type OvernightState,
  type StoredJob,
} from './job-store.js';

interface JobRow {
  id: string;
  owner_id: string;
  tenant_id: string | null;
  operation: StoredJob['operation'];
  mode: StoredJob['mode'];
  state: JobState;
  created_at: number;
  updated_at: number;
  expires_at: number;
  total: number;
  done: number;
  failed: number;
  batch_size: number;
  batch_count: number;
  batches_done: number;
  usage: string;
  model: string | null;
  error: string | null;
  overnight: string | null;
}

interface BatchRow {
  job_id: string;
  batch_index: number;
  from_index: number;
  to_index: number;
  attempts: number;
}

const schema = `
CREATE TABLE IF NOT EXISTS jobs (
  id TEXT PRIMARY KEY, owner_id TEXT NOT NULL, tenant_id TEXT, operation TEXT NOT NULL, mode TEXT NOT NULL, state TEXT NOT NULL,
  request TEXT NOT NULL, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL, expires_at INTEGER NOT NULL,
  total INTEGER NOT NULL, done INTEGER NOT NULL DEFAULT 0, failed INTEGER NOT NULL DEFAULT 0,
  batch_size INTEGER NOT NULL, batch_count INTEGER NOT NULL, batches_done INTEGER NOT NULL DEFAULT 0,
  usage TEXT NOT NULL, model TEXT, error TEXT, overnight TEXT
);
CREATE INDEX IF NOT EXISTS jobs_expires_at ON jobs (expires_at);
CREATE TABLE IF NOT EXISTS job_batches (
  job_id TEXT NOT NULL, batch_index INTEGER NOT NULL, from_index INTEGER NOT NULL, to_index INTEGER NOT NULL,
  state TEXT NOT NULL, lease_token TEXT, lease_until INTEGER NOT NULL DEFAULT 0, available_at INTEGER NOT NULL DEFAULT 0,
  attempts INTEGER NOT NULL DEFAULT 0, completed_sequence INTEGER,
  PRIMARY KEY (job_id, batch_index)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS job_batches_claimable ON job_batches (state, available_at);
CREATE TABLE IF NOT EXISTS job_results (
  job_id TEXT NOT NULL, item_index INTEGER NOT NULL, value TEXT NOT NULL, PRIMARY KEY (job_id, item_index)
) WITHOUT ROWID;
`;

export class SqliteJobStore implements JobStore {
  readonly kind = 'sqlite';
  private readonly database: Database.Database;

  constructor(
    file: string,
    private readonly times: JobStoreTimes,
  ) {
    if (file !== ':memory:') mkdirSync(path.dirname(file), { recursive: true });
    this.database = new Database(file);
    this.database.pragma('journal_mode = WAL');
    this.database.pragma('synchronous = NORMAL');
    this.database.pragma('busy_timeout = 5000');
    // Results are document content: deleted ones must not linger in free pages.
    this.database.pragma('secure_delete = ON');
    this.database.exec(schema);
  }

  async createJob(job: NewJob): Promise<StoredJob> {
    const now = Date.now();
    const id = randomUUID();
    const batchCount = Math.ceil(job.total / job.batchSize);
    const insertBatch = this.database.prepare(
      "INSERT INTO job_batches (job_id, batch_index, from_index, to_index, state, available_at) VALUES (?, ?, ?, ?, 'waiting', ?)",
    );
    this.database.transaction(() => {
      this.database
        .prepare(
          `INSERT INTO jobs (id, owner_id, tenant_id, operation, mode, state, request, created_at, updated_at, expires_at, total, batch_size, batch_count, usage)
           VALUES (?, ?, ?, ?, ?, 'queued', ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          id,
          job.ownerId,
          job.tenantId ?? null,
          job.request.operation,
          job.request.mode ?? 'now',
          JSON.stringify(job.request),
          now,
          now,
          now + this.times.unfinishedTtlMilliseconds,
          job.total,
          job.batchSize,
          batchCount,
          JSON.stringify(emptyUsage()),
        );
      for (let index = 0; index < batchCount; index += 1) {
        insertBatch.run(id, index, index * job.batchSize, Math.min(job.total, (index + 1) * job.batchSize), now);
      }
    })();
    const created = await this.getJob(id);
    if (created === undefined) throw new Error('the job just stored cannot be read');
    return created;
  }

  async getJob(jobId: string): Promise<StoredJob | undefined> {
    const row = this.database.prepare<[string, number], JobRow>('SELECT * FROM jobs WHERE id = ? AND expires_at > ?').get(jobId, Date.now());
    return row === undefined ? undefined : toStoredJob(row);
  }

  async getRequest(jobId: string): Promise<CreateJobRequest | undefined> {
    const row = this.database.prepare<[string], { request: string }>('SELECT request FROM jobs WHERE id = ?').get(jobId);
    return row === undefined ? undefined : (JSON.parse(row.request) as CreateJobRequest);
  }

  async claimBatch(workerId: string, leaseMilliseconds: number): Promise<ClaimedBatch | undefined> {
    const claim = this.database.transaction((): ClaimedBatch | undefined => {
      const now = Date.now();
      // Oldest job first; a batch whose lease ran out (its worker died) is as claimable as a waiting one.
      const row = this.database
        .prepare<[number, number, number], BatchRow>(
          `SELECT b.job_id, b.batch_index, b.from_index, b.to_index, b.attempts FROM job_batches b JOIN jobs j ON j.id = b.job_id
           WHERE ((b.state = 'waiting' AND b.available_at <= ?) OR (b.state = 'active' AND b.lease_until <= ?))
             AND j.state IN ('queued', 'running') AND j.expires_at > ?
           ORDER BY j.created_at, b.batch_index LIMIT 1`,
        )
        .get(now, now, now);
      if (row === undefined) return undefined;
      const leaseToken = `${workerId}:${randomUUID()}`;
      this.database
        .prepare("UPDATE job_batches SET state = 'active', lease_token = ?, lease_until = ?, attempts = attempts + 1 WHERE job_id = ? AND batch_index = ?")
        .run(leaseToken, now + leaseMilliseconds, row.job_id, row.batch_index);
      this.database.prepare("UPDATE jobs SET state = 'running', updated_at = ? WHERE id = ? AND state = 'queued'").run(now, row.job_id);
      return { jobId: row.job_id, batchIndex: row.batch_index, from: row.from_index, to: row.to_index, leaseToken, attempt: row.attempts + 1 };
    });
    return claim.immediate();
  }

  async renewLease(batch: ClaimedBatch, leaseMilliseconds: number): Promise<boolean> {
    const changes = this.database
      .prepare("UPDATE job_batches SET lease_until = ? WHERE job_id = ? AND batch_index = ? AND state = 'active' AND lease_token = ?")
      .run(Date.now() + leaseMilliseconds, batch.jobId, batch.batchIndex, batch.leaseToken).changes;
    return changes === 1;
  }

  async completeBatch(batch: ClaimedBatch, outcome: BatchOutcome): Promise<CompletionResult> {
    const complete = this.database.transaction((): CompletionResult => {
      const now = Date.now();
      const job = this.database.prepare<[string], JobRow>('SELECT * FROM jobs WHERE id = ?').get(batch.jobId);
      const state = this.database
        .prepare<[string, number], { state: string }>('SELECT state FROM job_batches WHERE job_id = ? AND batch_index = ?')
        .get(batch.jobId, batch.batchIndex);
      // First completion wins: whoever finishes a batch later (its lease had run out) writes nothing.
      if (job === undefined || state === undefined || state.state === 'done') return { accepted: false, jobState: job?.state };
      const insert = this.database.prepare('INSERT OR IGNORE INTO job_results (job_id, item_index, value) VALUES (?, ?, ?)');
      for (const result of outcome.results) insert.run(batch.jobId, result.index, JSON.stringify(result));
      const batchesDone = job.batches_done + 1;
      this.database
        .prepare("UPDATE job_batches SET state = 'done', lease_token = NULL, completed_sequence = ? WHERE job_id = ? AND batch_index = ?")
        .run(batchesDone, batch.jobId, batch.batchIndex);
      const finished = batchesDone === job.batch_count && (job.state === 'queued' || job.state === 'running');
      const jobState: JobState = finished ? 'completed' : job.state === 'queued' ? 'running' : job.state;
      this.database
        .prepare(
          `UPDATE jobs SET done = done + ?, failed = failed + ?, batches_done = ?, usage = ?, model = coalesce(?, model), state = ?, updated_at = ?,
             expires_at = CASE WHEN ? THEN ? ELSE expires_at END WHERE id = ?`,
        )
        .run(
          outcome.results.length,
          countFailed(outcome.results),
          batchesDone,
          JSON.stringify(addUsage(JSON.parse(job.usage) as Usage, outcome.usage)),
          outcome.model ?? null,
          jobState,
          now,
          finished ? 1 : 0,
          now + this.times.resultTtlMilliseconds,
          batch.jobId,
        );
      return { accepted: true, jobState };
    });
    return complete.immediate();
  }

  async releaseBatch(batch: ClaimedBatch, options: { failed: boolean; retryDelayMilliseconds?: number }): Promise<void> {
    // A hand-back (shutdown, lost lease) is not the batch's fault: it does not count as an attempt.
    this.database
      .prepare(
        `UPDATE job_batches SET state = 'waiting', lease_token = NULL, lease_until = 0, available_at = ?, attempts = attempts - ?
         WHERE job_id = ? AND batch_index = ? AND state = 'active' AND lease_token = ?`,
      )
      .run(Date.now() + (options.retryDelayMilliseconds ?? 0), options.failed ? 0 : 1, batch.jobId, batch.batchIndex, batch.leaseToken);
  }

  async discardBatch(batch: ClaimedBatch): Promise<void> {
    this.database
      .prepare("UPDATE job_batches SET state = 'discarded', lease_token = NULL WHERE job_id = ? AND batch_index = ? AND lease_token = ?")
      .run(batch.jobId, batch.batchIndex, batch.leaseToken);
  }

  async readResults(jobId: string, from: number, to: number): Promise<JobItemResult[]> {
    return this.database
      .prepare<[string, number, number], { value: string }>(
        'SELECT value FROM job_results WHERE job_id = ? AND item_index >= ? AND item_index < ? ORDER BY item_index',
      )
      .all(jobId, from, to)
      .map((row) => JSON.parse(row.value) as JobItemResult);
  }

  async completedBatches(jobId: string, after: number): Promise<number[]> {
    return this.database
      .prepare<[string, number], { batch_index: number }>(
        'SELECT batch_index FROM job_batches WHERE job_id = ? AND completed_sequence > ? ORDER BY completed_sequence',
      )
      .all(jobId, after)
      .map((row) => row.batch_index);
  }

  async cancelJob(jobId: string): Promise<StoredJob | undefined> {
    this.endJob(jobId, 'cancelled', undefined);
    return this.getJob(jobId);
  }

  async failJob(jobId: string, error: ErrorBody): Promise<StoredJob | undefined> {
    this.endJob(jobId, 'failed', error);
    return this.getJob(jobId);
  }

  async saveOvernightState(jobId: string, state: OvernightState): Promise<void> {
    this.database.prepare('UPDATE jobs SET overnight = ?, updated_at = ? WHERE id = ?').run(JSON.stringify(state), Date.now(), jobId);
  }

  async deleteExpired(): Promise<number> {
    const remove = this.database.transaction((now: number) => {
      const expired = 'SELECT id FROM jobs WHERE expires_at <= ?';
      this.database.prepare(`DELETE FROM job_results WHERE job_id IN (${expired})`).run(now);
      this.database.prepare(`DELETE FROM job_batches WHERE job_id IN (${expired})`).run(now);
      return this.database.prepare('DELETE FROM jobs WHERE expires_at <= ?').run(now).changes;
    });
    return remove(Date.now());
  }

  async queueDepth(): Promise<{ waiting: number; active: number }> {
    const rows = this.database
      .prepare<[], { state: string; count: number }>(
        "SELECT b.state, count(*) AS count FROM job_batches b JOIN jobs j ON j.id = b.job_id WHERE j.state IN ('queued', 'running') GROUP BY b.state",
      )
      .all();
    const count = (state: string) => rows.find((row) => row.state === state)?.count ?? 0;
    return { waiting: count('waiting'), active: count('active') };
  }

  async ping(): Promise<void> {
    this.database.prepare('SELECT 1').get();
  }

  async close(): Promise<void> {
    if (this.database.open) this.database.close();
  }

  private endJob(jobId: string, state: 'cancelled' | 'failed', error: ErrorBody | undefined): void {
    const now = Date.now();
    this.database
      .prepare("UPDATE jobs SET state = ?, error = ?, updated_at = ?, expires_at = ? WHERE id = ? AND state IN ('queued', 'running')")
      .run(state, error === undefined ? null : JSON.stringify(error), now, now + this.times.resultTtlMilliseconds, jobId);
  }
}

function toStoredJob(row: JobRow): StoredJob {
  return {
    id: row.id,
    ownerId: row.owner_id,
    tenantId: row.tenant_id ?? undefined,
    operation: row.operation,
    mode: row.mode,
    state: row.state,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    expiresAt: row.expires_at,
    total: row.total,
    done: row.done,
    failed: row.failed,
    batchSize: row.batch_size,
    batchCount: row.batch_count,
    batchesDone: row.batches_done,
    usage: JSON.parse(row.usage) as Usage,
    ...(row.model === null ? {} : { model: row.model }),
    ...(row.error === null ? {} : { error: JSON.parse(row.error) as ErrorBody }),
    ...(row.overnight === null ? {} : { overnight: JSON.parse(row.overnight) as OvernightState }),
  };
}

export function addUsage(total: Usage, more: Usage): Usage {
  return {
    promptTokens: total.promptTokens + more.promptTokens,
    completionTokens: total.completionTokens + more.completionTokens,
    requests: total.requests + more.requests,
    cachedItems: total.cachedItems + more.cachedItems,
  };
}
