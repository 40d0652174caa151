// The job store when instances share work (REDIS_URL): a job's batches are BullMQ jobs on one queue,
// claimed by any instance with BullMQ's lock (renewed by the runner's heartbeat); an instance that
// dies stops renewing, BullMQ's stalled-job check (run by every instance) puts the batch back in the
// queue, and another instance claims it. The job itself, its request and its results are plain
// Redis keys beside the queue: a Lua script writes a batch's results, its completion and the job's
// counts in one step, and a batch already completed is never written again (first completion wins).
// Every key expires with the job (JOB_RESULT_TTL_SECONDS after it ended), so Redis deletes it itself.
import { randomUUID } from 'node:crypto';
import { Queue, RedisConnection, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import type { ErrorBody } from '../../contract/common-schemas.js';
import type { CreateJobRequest, JobItemResult, JobState } from '../../contract/jobs.js';
import {
  countFailed,
  type BatchOutcome,
  type ClaimedBatch,
  type CompletionResult,
  type JobStore,
  type JobStoreTimes,
  type NewJob,
  type OvernightState,
  type StoredJob,
} from './job-store.js';

const keyPrefix = 'office-llm-addin:job:';
const queueName = 'job-batches';
const bullPrefix = 'office-llm-addin:bull';

interface BatchData {
  jobId: string;
  batchIndex: number;
  from: number;
  to: number;
  /** Failed attempts so far (a hand-back at shutdown is not one). */
  failures?: number;
}

const keys = (jobId: string) => ({
  job: `${keyPrefix}${jobId}`,
  request: `${keyPrefix}${jobId}:request`,
  results: `${keyPrefix}${jobId}:results`,
  completed: `${keyPrefix}${jobId}:completed`,
  batchesDone: `${keyPrefix}${jobId}:batches-done`,
});

// KEYS: job, results, completed, batches-done, request. ARGV: batch index, now, result TTL (ms),
// items, failed items, prompt tokens, completion tokens, requests, cached items, model, then index/value pairs.
const completeBatchScript = `
if redis.call('EXISTS', KEYS[1]) == 0 then return {0, ''} end
if redis.call('SADD', KEYS[4], ARGV[1]) == 0 then return {0, redis.call('HGET', KEYS[1], 'state')} end
for i = 11, #ARGV, 2 do redis.call('HSETNX', KEYS[2], ARGV[i], ARGV[i + 1]) end
redis.call('RPUSH', KEYS[3], ARGV[1])
redis.call('HINCRBY', KEYS[1], 'done', ARGV[4])
redis.call('HINCRBY', KEYS[1], 'failed', ARGV[5])
redis.call('HINCRBY', KEYS[1], 'promptTokens', ARGV[6])
redis.call('HINCRBY', KEYS[1], 'completionTokens', ARGV[7])
redis.call('HINCRBY', KEYS[1], 'requests', ARGV[8])
redis.call('HINCRBY', KEYS[1], 'cachedItems', ARGV[9])
if ARGV[10] ~= '' then redis.call('HSET', KEYS[1], 'model', ARGV[10]) end
local batchesDone = redis.call('HINCRBY', KEYS[1], 'batchesDone', 1)
local state = redis.call('HGET', KEYS[1], 'state')
local now = tonumber(ARGV[2])
if state == 'queued' then state = 'running' end
if batchesDone == tonumber(redis.call('HGET', KEYS[1], 'batchCount')) and state == 'running' then
  state = 'completed'
  redis.call('HSET', KEYS[1], 'expiresAt', now + tonumber(ARGV[3]))
end
redis.call('HSET', KEYS[1], 'state', state, 'updatedAt', now)
local expiresAt = tonumber(redis.call('HGET', KEYS[1], 'expiresAt'))
for i = 1, 5 do redis.call('PEXPIREAT', KEYS[i], expiresAt) end
return {1, state}
`;

// KEYS: job, results, completed, batches-done, request. ARGV: new state, error JSON or '', now, result TTL (ms).
const endJobScript = `
local state = redis.call('HGET', KEYS[1], 'state')
if state ~= 'queued' and state ~= 'running' then return 0 end
local expiresAt = tonumber(ARGV[3]) + tonumber(ARGV[4])
redis.call('HSET', KEYS[1], 'state', ARGV[1], 'updatedAt', ARGV[3], 'expiresAt', expiresAt)
if ARGV[2] ~= '' then redis.call('HSET', KEYS[1], 'error', ARGV[2]) end
for i = 1, 5 do redis.call('PEXPIREAT', KEYS[i], expiresAt) end
return 1
`;

// KEYS: job. ARGV: now. A job whose first batch starts is running.
const startJobScript = `
if redis.call('HGET', KEYS[1], 'state') == 'queued' then redis.call('HSET', KEYS[1], 'state', 'running', 'updatedAt', ARGV[1]) end
return 1
`;

export interface BullMqJobStoreOptions extends JobStoreTimes {
  /** BullMQ's lock on a claimed batch (renewed by the runner) and how often stalled batches are looked for. */
  leaseMilliseconds: number;
}

export class BullMqJobStore implements JobStore {
  readonly kind = 'redis';
  /** Jobs, requests and results: fails fast when Redis is down, so the API answers instead of waiting. */
  private readonly client: Redis;
  /** BullMQ's own connection: its commands must retry until Redis is back (maxRetriesPerRequest null). */
  private readonly queueConnection: Redis;
  private readonly queue: Queue<BatchData>;
  private readonly worker: Worker<BatchData>;
  private readonly claimed = new Map<string, Job<BatchData>>();
  private stalledCheck: Promise<void> | undefined;

  constructor(
    url: string,
    private readonly options: BullMqJobStoreOptions,
  ) {
    this.client = new Redis(url, { maxRetriesPerRequest: 1, connectTimeout: 2000 });
    this.client.on('error', () => undefined);
    this.queueConnection = new Redis(url, { maxRetriesPerRequest: null, connectTimeout: 2000 });
    this.queueConnection.on('error', () => undefined);
    this.queue = new Queue<BatchData>(queueName, { connection: this.queueConnection, prefix: bullPrefix });
    this.queue.on('error', () => undefined);
    // Manual processing: the runner claims with getNextJob and renews the lock itself (its heartbeat).
    this.worker = new Worker<BatchData>(queueName, null, {
      connection: this.queueConnection,
      prefix: bullPrefix,
      autorun: false,
      lockDuration: options.leaseMilliseconds,
      stalledInterval: options.leaseMilliseconds,
      // A batch whose instances keep dying goes back to the queue a few times, then the runner fails its job.
      maxStalledCount: 5,
    });
    this.worker.on('error', () => undefined);
    for (const connection of bullMqConnections(this.queue, this.worker)) keepErrorListenerAfterClose(connection);
  }

  async createJob(job: NewJob): Promise<StoredJob> {
    const now = Date.now();
    const id = randomUUID();
    const batchCount = Math.ceil(job.total / job.batchSize);
    const stored: StoredJob = {
      id,
      ownerId: job.ownerId,
      tenantId: job.tenantId,
      operation: job.request.operation,
      mode: job.request.mode ?? 'now',
      state: 'queued',
      createdAt: now,
      updatedAt: now,
      expiresAt: now + this.options.unfinishedTtlMilliseconds,
      total: job.total,
      done: 0,
      failed: 0,
      batchSize: job.batchSize,
      batchCount,
      batchesDone: 0,
      usage: { promptTokens: 0, completionTokens: 0, requests: 0, cachedItems: 0 },
    };
    const jobKeys = keys(id);
    await this.client
      .multi()
      .hset(jobKeys.job, {
        id,
        ownerId: job.ownerId,
        tenantId: job.tenantId ?? '',
        operation: stored.operation,
        mode: stored.mode,
        state: 'queued',
        createdAt: now,
        updatedAt: now,
        expiresAt: stored.expiresAt,
        total: job.total,
        done: 0,
        failed: 0,
        batchSize: job.batchSize,
        batchCount,
        batchesDone: 0,
        promptTokens: 0,
        completionTokens: 0,
        requests: 0,
        cachedItems: 0,
      })
      .set(jobKeys.request, JSON.stringify(job.request))
      .pexpireat(jobKeys.job, stored.expiresAt)
      .pexpireat(jobKeys.request, stored.expiresAt)
      .exec();
    try {
      await this.queue.addBulk(
        Array.from({ length: batchCount }, (_, batchIndex) => ({
          name: 'batch',
          data: { jobId: id, batchIndex, from: batchIndex * job.batchSize, to: Math.min(job.total, (batchIndex + 1) * job.batchSize) },
          // The id makes a batch unique in the queue; finished ones leave it (their results live in the job's keys).
          opts: { jobId: `${id}-${batchIndex}`, removeOnComplete: true, removeOnFail: true },
        })),
      );
    } catch (error) {
      await this.client.del(jobKeys.job, jobKeys.request).catch(() => undefined);
      throw error;
    }
    return stored;
  }

  async getJob(jobId: string): Promise<StoredJob | undefined> {
    const fields = await this.client.hgetall(keys(jobId).job);
    if (fields['id'] === undefined) return undefined;
    const job = toStoredJob(fields);
    // Redis deletes it at expiresAt; until its timer fires the job is already gone for readers.
    return job.expiresAt > Date.now() ? job : undefined;
  }

  async getRequest(jobId: string): Promise<CreateJobRequest | undefined> {
    const stored = await this.client.get(keys(jobId).request);
    return stored === null ? undefined : (JSON.parse(stored) as CreateJobRequest);
  }

  async claimBatch(workerId: string): Promise<ClaimedBatch | undefined> {
    this.stalledCheck ??= this.worker.startStalledCheckTimer().catch(() => undefined);
    for (;;) {
      const leaseToken = `${workerId}:${randomUUID()}`;
      const job = (await this.worker.getNextJob(leaseToken, { block: false })) as Job<BatchData> | undefined;
      if (job === undefined) return undefined;
      const { jobId, batchIndex, from, to, failures = 0 } = job.data;
      // A batch completed by an instance that died before it could tell BullMQ: acknowledge, do not redo.
      if ((await this.client.sismember(keys(jobId).batchesDone, String(batchIndex))) === 1) {
        await job.moveToCompleted('already completed', leaseToken, false).catch(() => undefined);
        continue;
      }
      this.claimed.set(leaseToken, job);
      await this.client.eval(startJobScript, 1, keys(jobId).job, Date.now());
      return { jobId, batchIndex, from, to, leaseToken, attempt: 1 + failures + (job.stalledCounter ?? 0) };
    }
  }

  async renewLease(batch: ClaimedBatch): Promise<boolean> {
    const job = this.claimed.get(batch.leaseToken);
    if (job === undefined) return false;
    try {
      return (await job.extendLock(batch.leaseToken, this.options.leaseMilliseconds)) === 1;
    } catch {
      return false;
    }
  }

  async completeBatch(batch: ClaimedBatch, outcome: BatchOutcome): Promise<CompletionResult> {
    const jobKeys = keys(batch.jobId);
    const pairs = outcome.results.flatMap((result) => [String(result.index), JSON.stringify(result)]);
    const [accepted, state] = (await this.client.eval(
      completeBatchScript,
      5,
      jobKeys.job,
      jobKeys.results,
      jobKeys.completed,
      jobKeys.batchesDone,
      jobKeys.request,
      batch.batchIndex,
      Date.now(),
      this.options.resultTtlMilliseconds,
      outcome.results.length,
      countFailed(outcome.results),
      outcome.usage.promptTokens,
      outcome.usage.completionTokens,
      outcome.usage.requests,
      outcome.usage.cachedItems,
      outcome.model ?? '',
      ...pairs,
    )) as [number, string];
    await this.finish(batch, (job) => job.moveToCompleted(accepted === 1 ? 'completed' : 'duplicate', batch.leaseToken, false));
    return { accepted: accepted === 1, jobState: state === '' ? undefined : (state as JobState) };
  }

  async releaseBatch(batch: ClaimedBatch, options: { failed: boolean; retryDelayMilliseconds?: number }): Promise<void> {
    await this.finish(batch, async (job) => {
      if (!options.failed) {
        await job.moveToWait(batch.leaseToken);
        return;
      }
      await job.updateData({ ...job.data, failures: (job.data.failures ?? 0) + 1 });
      await job.moveToDelayed(Date.now() + (options.retryDelayMilliseconds ?? 0), batch.leaseToken);
    });
  }

  async discardBatch(batch: ClaimedBatch): Promise<void> {
    await this.finish(batch, (job) => job.moveToCompleted('discarded', batch.leaseToken, false));
  }

  async readResults(jobId: string, from: number, to: number): Promise<JobItemResult[]> {
    if (to <= from) return [];
    const indexes = Array.from({ length: to - from }, (_, offset) => String(from + offset));
    const values = await this.client.hmget(keys(jobId).results, ...indexes);
    return values.filter((value): value is string => value !== null).map((value) => JSON.parse(value) as JobItemResult);
  }

  async completedBatches(jobId: string, after: number): Promise<number[]> {
    return (await this.client.lrange(keys(jobId).completed, after, -1)).map(Number);
  }

  async cancelJob(jobId: string): Promise<StoredJob | undefined> {
    await this.endJob(jobId, 'cancelled', undefined);
    return this.getJob(jobId);
  }

  async failJob(jobId: string, error: ErrorBody): Promise<StoredJob | undefined> {
    await this.endJob(jobId, 'failed', error);
    return this.getJob(jobId);
  }

  async saveOvernightState(jobId: string, state: OvernightState): Promise<void> {
    await this.client.hset(keys(jobId).job, 'overnight', JSON.stringify(state), 'updatedAt', Date.now());
  }

  /** Redis expires every key of a job by itself. */
  async deleteExpired(): Promise<number> {
    return 0;
  }

  async queueDepth(): Promise<{ waiting: number; active: number }> {
    // A scrape must not wait for Redis to come back.
    const counts = await Promise.race([
      this.queue.getJobCounts('wait', 'prioritized', 'delayed', 'active'),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error('Redis did not answer')), 1000).unref()),
    ]);
    return { waiting: (counts['wait'] ?? 0) + (counts['prioritized'] ?? 0) + (counts['delayed'] ?? 0), active: counts['active'] ?? 0 };
  }

  async ping(): Promise<void> {
    await this.client.ping();
  }

  async close(): Promise<void> {
    await this.worker.close().catch(() => undefined);
    await this.queue.close().catch(() => undefined);
    await this.client.quit().catch(() => this.client.disconnect());
    await this.queueConnection.quit().catch(() => this.queueConnection.disconnect());
  }

  private async finish(batch: ClaimedBatch, move: (job: Job<BatchData>) => Promise<unknown>): Promise<void> {
    const job = this.claimed.get(batch.leaseToken);
    this.claimed.delete(batch.leaseToken);
    if (job === undefined) return;
    // A lock lost meanwhile (the batch went back to the queue): BullMQ refuses the move, and the batch's
    // next claim sees it completed, or runs it.
    await move(job).catch(() => undefined);
  }

  private async endJob(jobId: string, state: 'cancelled' | 'failed', error: ErrorBody | undefined): Promise<void> {
    const jobKeys = keys(jobId);
    await this.client.eval(
      endJobScript,
      5,
      jobKeys.job,
      jobKeys.results,
      jobKeys.completed,
      jobKeys.batchesDone,
      jobKeys.request,
      state,
      error === undefined ? '' : JSON.stringify(error),
      Date.now(),
      this.options.resultTtlMilliseconds,
    );
  }
}

/**
 * BullMQ's own connection objects: the queue's and the worker's (both over queueConnection) and the
 * worker's blocking duplicate. They are not public API; a BullMQ that no longer has them under these
 * names is skipped here, and test/server/redis-unreachable-errors.test.ts says whether it still needs this.
 */
function bullMqConnections(queue: Queue<BatchData>, worker: Worker<BatchData>): RedisConnection[] {
  const candidates: unknown[] = [Reflect.get(queue, 'connection'), Reflect.get(worker, 'connection'), Reflect.get(worker, 'blockingConnection')];
  return candidates.filter((candidate): candidate is RedisConnection => candidate instanceof RedisConnection);
}

/**
 * Contains a BullMQ 5 defect (taskforcesh/bullmq#3546): a RedisConnection reports a start that failed
 * by emitting 'error' on itself, but its close() removes all of its listeners first. With Redis
 * unreachable, a connection attempt still under way at close fails after that; EventEmitter throws the
 * error to nobody, and it escapes as an unhandled rejection ("connect ECONNREFUSED …", no stack of
 * ours), which Node's default treats as fatal. So a closed connection keeps one listener: it is added
 * in the same run of microtasks as close()'s own cleanup, before any socket can report.
 */
function keepErrorListenerAfterClose(connection: RedisConnection): void {
  const close = connection.close.bind(connection);
  connection.close = async (force?: boolean) => {
    try {
      await close(force);
    } finally {
      if (connection.listenerCount('error') === 0) connection.on('error', () => undefined);
    }
  };
}

function toStoredJob(fields: Record<string, string>): StoredJob {
  const number = (name: string) => Number(fields[name] ?? 0);
  const model = fields['model'];
  const error = fields['error'];
  const overnight = fields['overnight'];
  return {
    id: fields['id'] ?? '',
    ownerId: fields['ownerId'] ?? '',
    tenantId: fields['tenantId'] === '' || fields['tenantId'] === undefined ? undefined : fields['tenantId'],
    operation: fields['operation'] as StoredJob['operation'],
    mode: fields['mode'] as StoredJob['mode'],
    state: fields['state'] as JobState,
    createdAt: number('createdAt'),
    updatedAt: number('updatedAt'),
    expiresAt: number('expiresAt'),
    total: number('total'),
    done: number('done'),
    failed: number('failed'),
    batchSize: number('batchSize'),
    batchCount: number('batchCount'),
    batchesDone: number('batchesDone'),
    usage: {
      promptTokens: number('promptTokens'),
      completionTokens: number('completionTokens'),
      requests: number('requests'),
      cachedItems: number('cachedItems'),
    },
    ...(model === undefined ? {} : { model }),
    ...(error === undefined ? {} : { error: JSON.parse(error) as ErrorBody }),
    ...(overnight === undefined ? {} : { overnight: JSON.parse(overnight) as OvernightState }),
  };
}
