// The one interface every job store implements: SQLite on one machine (sqlite-job-store.ts), BullMQ
// on Redis when instances share work (bullmq-job-store.ts). The runner (job-runner.ts) and the routes
// (job-routes.ts) know only this; the two stores differ in where the rows live and how a batch is
// claimed, never in what a job means.
//
// A job's items are split into batches of consecutive indexes. A worker claims one batch with a lease
// that it renews while it works (a heartbeat); a worker that dies stops renewing, its lease expires
// and another worker claims the batch again. A batch's results are written together with its
// completion in one atomic step, and only the first completion of a batch counts: a batch answered
// twice upstream never yields two different answers.
import type { ErrorBody, Usage } from '../../contract/common-schemas.js';
import type { CreateJobRequest, JobItemResult, JobMode, JobOperation, JobState } from '../../contract/jobs.js';

export interface StoredJob {
  id: string;
  /** request.identity.userId of the creator (tenant and object id when signed in); nobody else sees the job. */
  ownerId: string;
  tenantId: string | undefined;
  operation: JobOperation;
  mode: JobMode;
  state: JobState;
  /** Epoch milliseconds. */
  createdAt: number;
  updatedAt: number;
  /** When the job and its results are deleted: TTL after the end, or the longest a job may stay unfinished. */
  expiresAt: number;
  total: number;
  done: number;
  failed: number;
  /** Items per batch (the last batch may hold fewer); batch i covers [i·batchSize, min(total, (i+1)·batchSize)). */
  batchSize: number;
  batchCount: number;
  batchesDone: number;
  usage: Usage;
  model?: string;
  error?: ErrorBody;
  /** Overnight mode only: what its runner keeps between polls (the provider's batch id, when to check back). */
  overnight?: OvernightState;
}

export interface OvernightState {
  providerBatchId?: string;
  /** Epoch milliseconds: when the provider's results are expected. */
  checkBackAt?: number;
}

export interface NewJob {
  ownerId: string;
  tenantId: string | undefined;
  request: CreateJobRequest;
  total: number;
  batchSize: number;
}

export interface ClaimedBatch {
  jobId: string;
  batchIndex: number;
  /** First item index (inclusive) and last (exclusive). */
  from: number;
  to: number;
  /** This claim's own lease: renewing, completing or releasing with a stale one changes nothing. */
  leaseToken: string;
  /** 1 on the first claim; more when a worker died, gave it back after a failure, or shut down. */
  attempt: number;
}

export interface BatchOutcome {
  results: JobItemResult[];
  usage: Usage;
  model?: string;
}

export interface CompletionResult {
  /** false: the batch was completed before (by another worker) or the job is gone; nothing was written. */
  accepted: boolean;
  /** The job's state after the write (completed when this was its last batch). */
  jobState: JobState | undefined;
}

export interface JobStore {
  readonly kind: 'sqlite' | 'redis';
  /** Stores the job and its request, and queues its batches; the job is queued until a batch starts. */
  createJob(job: NewJob): Promise<StoredJob>;
  /** The job, or undefined when it does not exist or has expired. */
  getJob(jobId: string): Promise<StoredJob | undefined>;
  getRequest(jobId: string): Promise<CreateJobRequest | undefined>;
  /** The next batch a worker may run, leased for `leaseMilliseconds`; undefined when none is waiting. */
  claimBatch(workerId: string, leaseMilliseconds: number): Promise<ClaimedBatch | undefined>;
  /** Renews the lease (the heartbeat); false when it was lost (expired and claimed by another worker). */
  renewLease(batch: ClaimedBatch, leaseMilliseconds: number): Promise<boolean>;
  /** Writes the batch's results and its completion atomically; the first completion of a batch wins. */
  completeBatch(batch: ClaimedBatch, outcome: BatchOutcome): Promise<CompletionResult>;
  /**
   * Gives the batch back unfinished. `failed`: the work failed and counts as an attempt (retried after
   * `retryDelayMilliseconds`); otherwise (shutdown, cancellation) it is free to claim again at once.
   */
  releaseBatch(batch: ClaimedBatch, options: { failed: boolean; retryDelayMilliseconds?: number }): Promise<void>;
  /** Acknowledges a claimed batch of a job that has ended (cancelled, failed): it is not run and not claimed again. */
  discardBatch(batch: ClaimedBatch): Promise<void>;
  /** Finished items with from ≤ index < to, by index. */
  readResults(jobId: string, from: number, to: number): Promise<JobItemResult[]>;
  /** Batch indexes in the order they completed, starting after the first `after` completions. */
  completedBatches(jobId: string, after: number): Promise<number[]>;
  /** Marks a job that has not ended cancelled; its waiting batches are not run. Returns the job as it is now. */
  cancelJob(jobId: string): Promise<StoredJob | undefined>;
  /** Ends a job that has not ended as failed with this error (its finished results stay readable). */
  failJob(jobId: string, error: ErrorBody): Promise<StoredJob | undefined>;
  /** Overnight mode: keeps the runner's state (the provider's batch id) so another instance can resume polling. */
  saveOvernightState(jobId: string, state: OvernightState): Promise<void>;
  /** Deletes jobs past their expiry with their results; returns how many. */
  deleteExpired(): Promise<number>;
  /** Batches waiting to be claimed and batches being worked on, over all jobs (the queue depth). */
  queueDepth(): Promise<{ waiting: number; active: number }>;
  /** Whether the store answers (the readiness probe). */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface JobStoreTimes {
  /** After a job ends, its results stay this long (JOB_RESULT_TTL_SECONDS). */
  resultTtlMilliseconds: number;
  /** A job that never ends is deleted after this long all the same. */
  unfinishedTtlMilliseconds: number;
}

/** A job never finished is deleted a week after it was created. */
export const defaultUnfinishedTtlMilliseconds = 7 * 24 * 3600 * 1000;

export const emptyUsage = (): Usage => ({ promptTokens: 0, completionTokens: 0, requests: 0, cachedItems: 0 });

export function isEnded(state: JobState): boolean {
  return state === 'completed' || state === 'failed' || state === 'cancelled';
}

export function batchRange(job: Pick<StoredJob, 'batchSize' | 'total'>, batchIndex: number): { from: number; to: number } {
  const from = batchIndex * job.batchSize;
  return { from, to: Math.min(job.total, from + job.batchSize) };
}

export function countFailed(results: readonly JobItemResult[]): number {
  return results.filter((result) => result.error !== undefined).length;
}
