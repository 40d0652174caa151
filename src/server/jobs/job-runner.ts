// Runs jobs' batches on this instance: a few workers claim a batch at a time from the store, run it
// through the same operation code as the live routes (classify or translate run(), with the result
// cache, the rate governor and the caller's daily budget), and write its results with its completion.
// While a batch runs, a heartbeat renews its lease and watches its job: a cancelled job aborts the
// batch (the signal reaches the upstream call). On shutdown the workers stop claiming, running
// batches get a bounded grace to finish, and the rest are aborted and handed back at once, so another
// instance continues them without waiting for a lease to run out.
import type { FastifyBaseLogger } from 'fastify';
import type { CreateJobRequest, JobItemResult } from '../../contract/jobs.js';
import type { ClassifyResponse } from '../../contract/operations/classify.js';
import type { TranslateResponse } from '../../contract/operations/translate.js';
import type { Limits } from '../config.js';
import type { ResultCache } from '../engine/result-cache.js';
import { AppError, cancelledError, isAbortError } from '../errors.js';
import { toAppError } from '../http/error-handler.js';
import type { ServerOperation } from '../operations/define-operation.js';
import { MeteredLanguageModel, type OperationContext } from '../operations/shared/operation-context.js';
import type { LanguageModel } from '../providers/language-model.js';
import type { TokenBudget } from '../security/token-budget.js';
import { isEnded, type BatchOutcome, type ClaimedBatch, type CompletionResult, type JobStore, type OvernightState, type StoredJob } from './job-store.js';
import type { JobMetrics } from './job-metrics.js';

/** What an overnight runner (src/server/jobs/overnight/) gets for the one batch that covers its whole job. */
export interface OvernightContext {
  /** The claimed batch: every item of the job ([0, total)). Its lease is renewed while the runner works. */
  batch: ClaimedBatch;
  request: CreateJobRequest;
  store: JobStore;
  model: LanguageModel;
  /** The job's operation (classify or translate): its prompts and answer validation. */
  operation: ServerOperation;
  limits: Limits;
  /** Aborted when the job is cancelled, the lease is lost, or the instance shuts down. */
  signal: AbortSignal;
  logger: FastifyBaseLogger;
  /** Writes every result with the job's completion (first completion wins). */
  complete(outcome: BatchOutcome): Promise<CompletionResult>;
  /** Keeps the provider's batch id and when to look again, for whichever instance claims the job next. */
  saveState(state: OvernightState): Promise<void>;
}

/**
 * Runs an overnight job: submits it to the provider's batch API (or resumes the submission in
 * job.overnight), polls, and calls context.complete with every result. It may also return without
 * completing after context.saveState({ checkBackAt }): the runner then hands the job back, to be
 * claimed again (by any instance) at checkBackAt. Throwing fails the attempt (retried like a batch).
 */
export type OvernightRunner = (job: StoredJob, context: OvernightContext) => Promise<void>;

export interface JobRunnerSettings {
  /** Batches this instance runs at once (JOB_WORKER_CONCURRENCY). */
  concurrency: number;
  /** How long a claim holds a batch without a heartbeat (JOB_LEASE_MS). */
  leaseMilliseconds: number;
  /** How long running batches may finish at shutdown before they are aborted and handed back (JOB_SHUTDOWN_GRACE_MS). */
  shutdownGraceMilliseconds: number;
  /** How often an idle worker looks for a batch. */
  pollMilliseconds?: number;
  /** Attempts per batch (failures, and instances that died with it) before its job fails. */
  maxAttempts?: number;
}

export interface JobRunnerDependencies {
  store: JobStore;
  model: LanguageModel;
  limits: Limits;
  budget: TokenBudget;
  cache?: ResultCache;
  operations: readonly ServerOperation[];
  metrics: JobMetrics;
  logger: FastifyBaseLogger;
  overnightRunner?: OvernightRunner;
  settings: JobRunnerSettings;
}

interface RunningBatch {
  batch: ClaimedBatch;
  controller: AbortController;
  /** Settles when the batch has been completed, handed back or dropped. */
  finished: Promise<void>;
}

/** Why a running batch was aborted: each ends differently (hand back, drop, or nothing to do). */
type AbortReason = 'shutdown' | 'job-ended' | 'lease-lost';

const expirySweepMilliseconds = 60_000;
const overnightDefaultRecheckMilliseconds = 60_000;
/** Upstream calls an aborted batch started wind down for at most this long before its budget settles. */
const settleWaitMilliseconds = 5000;

export class JobRunner {
  private readonly workerId = `${process.pid}-${Math.random().toString(36).slice(2, 10)}`;
  private readonly running = new Set<RunningBatch>();
  private readonly loops: Promise<void>[] = [];
  private readonly requests = new Map<string, CreateJobRequest>();
  private readonly wakeIdle = new AbortController();
  private stopping = false;
  private sweepTimer: NodeJS.Timeout | undefined;

  constructor(private readonly dependencies: JobRunnerDependencies) {}

  get overnightAvailable(): boolean {
    return this.dependencies.overnightRunner !== undefined;
  }

  start(): void {
    const { settings } = this.dependencies;
    for (let index = 0; index < settings.concurrency; index += 1) this.loops.push(this.workLoop());
    this.sweepTimer = setInterval(() => void this.sweepExpired(), expirySweepMilliseconds);
    this.sweepTimer.unref();
    void this.sweepExpired();
  }

  /** Stops claiming; running batches may finish within the grace, then the rest are aborted and handed back. */
  async stop(graceMilliseconds = this.dependencies.settings.shutdownGraceMilliseconds): Promise<void> {
    this.stopping = true;
    clearInterval(this.sweepTimer);
    this.wakeIdle.abort();
    // Only running batches are waited for: a worker waiting for the store (Redis down) must not hold the shutdown.
    const finished = Promise.all([...this.running].map((entry) => entry.finished));
    let timer: NodeJS.Timeout | undefined;
    const graceOver = new Promise<'grace-over'>((resolve) => (timer = setTimeout(() => resolve('grace-over'), graceMilliseconds)));
    const outcome = await Promise.race([finished.then(() => 'finished' as const), graceOver]);
    clearTimeout(timer);
    if (outcome === 'grace-over') {
      const handedBack = this.running.size;
      for (const entry of this.running) entry.controller.abort('shutdown' satisfies AbortReason);
      await finished;
      this.dependencies.logger.warn({ handedBack }, 'shutdown: batches still running after the grace period were handed back');
    }
  }

  /** Sweeps expired jobs now (also once a minute); returns how many were deleted. */
  async sweepExpired(): Promise<number> {
    try {
      return await this.dependencies.store.deleteExpired();
    } catch {
      return 0;
    }
  }

  private async workLoop(): Promise<void> {
    const { store, settings } = this.dependencies;
    while (!this.stopping) {
      let batch: ClaimedBatch | undefined;
      try {
        batch = await store.claimBatch(this.workerId, settings.leaseMilliseconds);
      } catch (error) {
        // The store is unreachable (Redis down): try again after a pause; nothing was claimed.
        this.dependencies.logger.warn({ errorName: error instanceof Error ? error.name : undefined }, 'jobs: claiming a batch failed');
      }
      if (batch === undefined) {
        await idle(settings.pollMilliseconds ?? 250, this.wakeIdle.signal);
        continue;
      }
      if (this.stopping) {
        // Claimed while the shutdown began: straight back to the queue.
        await store.releaseBatch(batch, { failed: false }).catch(() => undefined);
        return;
      }
      await this.runBatch(batch).catch((error: unknown) =>
        this.dependencies.logger.error({ errorName: error instanceof Error ? error.name : undefined }, 'jobs: a batch ended unexpectedly'),
      );
    }
  }

  private async runBatch(batch: ClaimedBatch): Promise<void> {
    const { store, metrics, settings } = this.dependencies;
    const job = await store.getJob(batch.jobId);
    if (job === undefined || isEnded(job.state)) {
      await store.discardBatch(batch);
      return;
    }
    if (batch.attempt > 1) metrics.batchesRetried.inc();
    const maxAttempts = settings.maxAttempts ?? 5;
    if (batch.attempt > maxAttempts) {
      await this.failJob(
        job,
        new AppError('PROVIDER_ERROR', `A part of this job failed ${maxAttempts} times; the job stopped. Results finished so far stay readable.`),
      );
      await store.discardBatch(batch);
      return;
    }
    const request = await this.requestOf(job.id);
    if (request === undefined) {
      await store.discardBatch(batch);
      return;
    }
    if (this.stopping) {
      await store.releaseBatch(batch, { failed: false });
      return;
    }

    let markFinished = () => {};
    const entry: RunningBatch = { batch, controller: new AbortController(), finished: new Promise<void>((resolve) => (markFinished = resolve)) };
    this.running.add(entry);
    const heartbeat = this.startHeartbeat(entry);
    let completed = false;
    try {
      if (job.mode === 'overnight') {
        completed = await this.runOvernight(job, request, entry);
      } else {
        const outcome = await this.runOperation(job, request, entry);
        const completion = await store.completeBatch(batch, outcome);
        completed = true;
        metrics.batches.inc({ outcome: completion.accepted ? 'completed' : 'duplicate' });
        if (completion.accepted && completion.jobState === 'completed') metrics.jobsEnded.inc({ operation: job.operation, state: 'completed' });
      }
      if (!completed) await store.releaseBatch(batch, { failed: false, retryDelayMilliseconds: await this.overnightRecheckDelay(job.id) });
    } catch (error) {
      await this.handleFailure(job, entry, error);
    } finally {
      clearInterval(heartbeat);
      this.running.delete(entry);
      markFinished();
    }
  }

  private async runOperation(job: StoredJob, request: CreateJobRequest, entry: RunningBatch): Promise<BatchOutcome> {
    const { batch } = entry;
    const { budget, limits, cache } = this.dependencies;
    const operation = this.operationFor(job);
    const part = batchRequest(request, batch.from, batch.to);
    const model = new MeteredLanguageModel(this.dependencies.model);
    // The job's estimate was checked against the owner's day when it was created; each batch holds its
    // own share while it runs and settles to what it really used, whatever the outcome.
    const reservation = await budget.reserve(job.ownerId, () => operation.estimateTokens(part, { model: this.dependencies.model, limits }));
    try {
      const context: OperationContext = {
        model,
        limits,
        signal: entry.controller.signal,
        ...(cache === undefined ? {} : { cache: cache.forTenant(job.tenantId) }),
      };
      const response = await operation.run(part, context);
      // Aborted at the last moment: what came back may hold per-item cancellations, not answers.
      if (entry.controller.signal.aborted) throw cancelledError();
      return { results: batchResults(request.operation, response, batch.from), usage: model.meter.toUsage(), model: model.modelId };
    } finally {
      await model.idle(settleWaitMilliseconds);
      await reservation.settle(model.meter.totalTokens);
    }
  }

  /** True when the overnight runner completed the job; false when it asked to be called again later. */
  private async runOvernight(job: StoredJob, request: CreateJobRequest, entry: RunningBatch): Promise<boolean> {
    const { overnightRunner, store, model, limits, logger, metrics } = this.dependencies;
    if (overnightRunner === undefined) {
      throw new AppError('INVALID_REQUEST', 'Overnight mode is not available on this server: run the job without mode overnight.', { retryable: false });
    }
    let completed = false;
    await overnightRunner(job, {
      batch: entry.batch,
      request,
      store,
      model,
      operation: this.operationFor(job),
      limits,
      signal: entry.controller.signal,
      logger,
      complete: async (outcome) => {
        const completion = await store.completeBatch(entry.batch, outcome);
        completed = true;
        metrics.batches.inc({ outcome: completion.accepted ? 'completed' : 'duplicate' });
        if (completion.accepted && completion.jobState === 'completed') metrics.jobsEnded.inc({ operation: job.operation, state: 'completed' });
        return completion;
      },
      saveState: (state) => store.saveOvernightState(job.id, state),
    });
    return completed;
  }

  private async overnightRecheckDelay(jobId: string): Promise<number> {
    const checkBackAt = (await this.dependencies.store.getJob(jobId))?.overnight?.checkBackAt;
    return checkBackAt === undefined ? overnightDefaultRecheckMilliseconds : Math.max(0, checkBackAt - Date.now());
  }

  private async handleFailure(job: StoredJob, entry: RunningBatch, error: unknown): Promise<void> {
    const { store, metrics, logger, settings, limits } = this.dependencies;
    const { batch, controller } = entry;
    const reason = controller.signal.aborted ? (controller.signal.reason as AbortReason) : undefined;
    if (reason === 'shutdown') {
      await store.releaseBatch(batch, { failed: false });
      metrics.batches.inc({ outcome: 'handed-back' });
      return;
    }
    if (reason === 'job-ended') {
      await store.discardBatch(batch);
      metrics.batches.inc({ outcome: 'cancelled' });
      return;
    }
    // Lost lease: the batch is another worker's now; there is nothing to give back.
    if (reason === 'lease-lost' || isAbortError(error)) return;
    const appError = toAppError(error, limits.bodyLimitBytes);
    metrics.batches.inc({ outcome: 'failed' });
    if (appError.retryable && batch.attempt < (settings.maxAttempts ?? 5)) {
      // The governor and retry policy already retried the upstream calls; this waits longer before the batch tries again.
      const delay = Math.min(60_000, 1000 * 2 ** batch.attempt) + (appError.retryAfterSeconds ?? 0) * 1000;
      logger.warn({ jobId: job.id, batchIndex: batch.batchIndex, code: appError.code, attempt: batch.attempt }, 'jobs: a batch failed and will be retried');
      await store.releaseBatch(batch, { failed: true, retryDelayMilliseconds: delay });
      return;
    }
    logger.warn({ jobId: job.id, batchIndex: batch.batchIndex, code: appError.code }, 'jobs: a batch failed; the job stops');
    await this.failJob(job, appError);
    await store.discardBatch(batch);
  }

  private async failJob(job: StoredJob, error: AppError): Promise<void> {
    const failed = await this.dependencies.store.failJob(job.id, error.toBody());
    if (failed?.state === 'failed') this.dependencies.metrics.jobsEnded.inc({ operation: job.operation, state: 'failed' });
  }

  /** Renews the lease and watches the job: a cancelled (or failed, or expired) job aborts the batch. */
  private startHeartbeat(entry: RunningBatch): NodeJS.Timeout {
    const { store, settings } = this.dependencies;
    const interval = Math.max(100, Math.min(1000, Math.floor(settings.leaseMilliseconds / 3)));
    let beating = false;
    const timer = setInterval(() => {
      if (beating || entry.controller.signal.aborted) return;
      beating = true;
      void (async () => {
        try {
          const job = await store.getJob(entry.batch.jobId);
          if (job === undefined || isEnded(job.state)) entry.controller.abort('job-ended' satisfies AbortReason);
          else if (!(await store.renewLease(entry.batch, settings.leaseMilliseconds))) entry.controller.abort('lease-lost' satisfies AbortReason);
        } catch {
          // The store did not answer this time; the lease lasts a few heartbeats.
        } finally {
          beating = false;
        }
      })();
    }, interval);
    timer.unref();
    return timer;
  }

  private operationFor(job: StoredJob): ServerOperation {
    const operation = this.dependencies.operations.find((candidate) => candidate.contract.name === job.operation);
    if (operation === undefined) throw new AppError('INTERNAL_ERROR', `The ${job.operation} operation is not served here.`);
    return operation;
  }

  private async requestOf(jobId: string): Promise<CreateJobRequest | undefined> {
    const known = this.requests.get(jobId);
    if (known !== undefined) return known;
    const request = await this.dependencies.store.getRequest(jobId);
    if (request === undefined) return undefined;
    // A few jobs' requests stay at hand: consecutive batches of one job do not read 10,000 rows again.
    if (this.requests.size >= 4) this.requests.delete(this.requests.keys().next().value ?? '');
    this.requests.set(jobId, request);
    return request;
  }
}

/** The operation's own request for items [from, to) of the job. */
export function batchRequest(request: CreateJobRequest, from: number, to: number): CreateJobRequest['request'] {
  if (request.operation === 'classify') return { ...request.request, items: request.request.items.slice(from, to) };
  // Per-item errors: one untranslatable text must not fail its 499 neighbours.
  return { ...request.request, texts: request.request.texts.slice(from, to), perItemErrors: true };
}

/** The operation's response as per-item results, numbered by their index in the job. */
export function batchResults(operation: CreateJobRequest['operation'], response: unknown, from: number): JobItemResult[] {
  if (operation === 'classify') return (response as ClassifyResponse).results.map((result, offset) => ({ index: from + offset, ...result }));
  const translated = response as TranslateResponse;
  return translated.translations.map((text, offset) => ({ index: from + offset, ...(translated.results?.[offset] ?? { text }) }));
}

function idle(milliseconds: number, wake: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (wake.aborted) return resolve();
    const timer = setTimeout(done, milliseconds);
    wake.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      wake.removeEventListener('abort', done);
      resolve();
    }
  });
}
