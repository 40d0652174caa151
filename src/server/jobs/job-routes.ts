// The jobs API (contract/jobs.ts), registered inside the protected API context so every route needs a
// caller. A job belongs to the caller who created it (request.identity.userId, as the operation
// routes key budgets): anyone else gets 404, as if it did not exist. Results are read by range or
// followed as Server-Sent Events; a follower polls the store (every instance sees every other's
// results in it, SQLite file or Redis), so it may connect to any instance and reconnect to another.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import {
  createJobRequestSchema,
  jobResultsQuerySchema,
  type CreateJobRequest,
  type JobEnvelope,
  type JobResultsResponse,
  type JobStatus,
} from '../../contract/jobs.js';
import { apiRoutes } from '../../contract/routes.js';
import type { Limits } from '../config.js';
import { AppError } from '../errors.js';
import { EventStream } from '../http/sse.js';
import { parseBody } from '../http/validation.js';
import type { ServerOperation } from '../operations/define-operation.js';
import type { LanguageModel } from '../providers/language-model.js';
import type { TokenBudget } from '../security/token-budget.js';
import type { JobMetrics } from './job-metrics.js';
import { batchRange, isEnded, type JobStore, type StoredJob } from './job-store.js';
import { overnightUnavailable } from './overnight/run-overnight-job.js';

/** The most results one range read returns (the contract's `to` is at most from + 5000). */
export const maxResultsPerRead = 5000;
const followPollMilliseconds = 250;

export interface JobRouteDependencies {
  store: JobStore;
  model: LanguageModel;
  limits: Limits;
  budget: TokenBudget;
  operations: readonly ServerOperation[];
  metrics: JobMetrics;
  /** Items per batch for mode now (JOB_BATCH_SIZE). */
  batchSize: number;
  overnightAvailable: boolean;
}

export function registerJobRoutes(app: FastifyInstance, dependencies: JobRouteDependencies): void {
  const { store } = dependencies;
  const jobPath = `${apiRoutes.jobs}/:id`;
  const followers = new Set<EventStream>();
  // Shutting down: followers are told nothing more comes from here; they reconnect (to another instance).
  app.addHook('preClose', async () => {
    for (const follower of followers) follower.end();
  });

  app.post(apiRoutes.jobs, async (request, reply) => {
    const input = parseBody(createJobRequestSchema, request.body);
    const mode = input.mode ?? 'now';
    if (mode === 'overnight' && !dependencies.overnightAvailable) {
      throw (
        overnightUnavailable(dependencies.model) ??
        new AppError('INVALID_REQUEST', 'Overnight mode is not available on this server (its provider has no batch API here): send mode now.')
      );
    }
    const operation = dependencies.operations.find((candidate) => candidate.contract.name === input.operation);
    if (operation === undefined) throw new AppError('INVALID_REQUEST', `The ${input.operation} operation is not served here.`);
    const owner = ownerOf(request);
    // The estimate checks the input limits (413) and the owner's day: a job that cannot fit in what is
    // left today is refused now, not halfway. Each batch then reserves and settles its own share.
    const reservation = await dependencies.budget.reserve(owner.ownerId, () =>
      operation.estimateTokens(input.request, { model: dependencies.model, limits: dependencies.limits }),
    );
    await reservation.settle(0);
    const total = itemCount(input);
    const job = await store.createJob({ ...owner, request: input, total, batchSize: mode === 'overnight' ? total : dependencies.batchSize });
    dependencies.metrics.jobsCreated.inc({ operation: input.operation, mode });
    return reply.code(202).send({ job: toJobStatus(job) } satisfies JobEnvelope);
  });

  app.get(jobPath, async (request) => ({ job: toJobStatus(await ownedJob(store, request)) }) satisfies JobEnvelope);

  app.get(`${jobPath}/results`, async (request) => {
    const job = await ownedJob(store, request);
    const query = parseBody(jobResultsQuerySchema, request.query ?? {});
    if (query.to !== undefined && query.to - query.from > maxResultsPerRead) {
      throw new AppError('INVALID_REQUEST', `Ask for at most ${maxResultsPerRead} results at once: set to ≤ from + ${maxResultsPerRead}.`);
    }
    const to = Math.min(job.total, query.to ?? query.from + maxResultsPerRead);
    const results = to > query.from ? await store.readResults(job.id, query.from, to) : [];
    return { job: toJobStatus(job), results } satisfies JobResultsResponse;
  });

  app.delete(jobPath, async (request) => {
    const job = await ownedJob(store, request);
    const after = isEnded(job.state) ? job : ((await store.cancelJob(job.id)) ?? job);
    if (!isEnded(job.state) && after.state === 'cancelled') {
      dependencies.metrics.jobsEnded.inc({ operation: job.operation, state: 'cancelled' });
      // An overnight job's batch waits at the provider between looks: cancel it there too, so it is not
      // billed for work no one will read. Best effort: the job is cancelled here whatever the provider says.
      const providerBatchId = job.overnight?.providerBatchId;
      if (providerBatchId !== undefined && dependencies.model.batchApi !== undefined) {
        await dependencies.model.batchApi.cancel(providerBatchId).catch((error: unknown) => {
          request.log.warn({ errorName: error instanceof Error ? error.name : undefined }, 'the provider did not take the cancellation of an overnight batch');
        });
      }
    }
    return { job: toJobStatus(after) } satisfies JobEnvelope;
  });

  app.get(`${jobPath}/events`, async (request, reply) => {
    const job = await ownedJob(store, request);
    reply.hijack();
    const stream = new EventStream(reply.raw, reply.getHeaders());
    followers.add(stream);
    let closed = false;
    reply.raw.on('close', () => (closed = true));
    try {
      await follow(store, job, stream, () => closed);
    } catch {
      // The store failed mid-stream: the client reconnects and is sent everything again.
      if (!closed) stream.send('error', { error: new AppError('INTERNAL_ERROR', 'The job cannot be read right now. Reconnect in a moment.').toBody() });
    } finally {
      followers.delete(stream);
      stream.end();
    }
    return reply;
  });
}

/** Sends every finished item (batch by batch, in the order they completed), progress, then done or error. */
async function follow(store: JobStore, first: StoredJob, stream: EventStream, isClosed: () => boolean): Promise<void> {
  let job = first;
  let batchesSent = 0;
  let lastDone = -1;
  for (;;) {
    const batches = await store.completedBatches(job.id, batchesSent);
    for (const batchIndex of batches) {
      const { from, to } = batchRange(job, batchIndex);
      for (const result of await store.readResults(job.id, from, to)) stream.send('item', result);
      batchesSent += 1;
      if (isClosed()) return;
    }
    const ended = isEnded(job.state);
    if (job.done !== lastDone || ended) {
      lastDone = job.done;
      stream.send('progress', { done: job.done, total: job.total });
    }
    // Ended and everything it finished sent (a batch completes before its job does, so none is missed).
    if (ended && batches.length === 0) {
      if (job.state === 'failed' && job.error !== undefined) stream.send('error', { error: job.error });
      else stream.send('done', { job: toJobStatus(job) });
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, followPollMilliseconds));
    if (isClosed()) return;
    const now = await store.getJob(job.id);
    if (now === undefined) return;
    job = now;
  }
}

function ownerOf(request: FastifyRequest): { ownerId: string; tenantId: string | undefined } {
  return { ownerId: request.identity?.userId ?? request.ip, tenantId: request.identity?.tenantId };
}

/** The job if the caller owns it; 404 otherwise (another user's job looks like no job at all). */
async function ownedJob(store: JobStore, request: FastifyRequest): Promise<StoredJob> {
  const { id } = request.params as { id: string };
  const job = await store.getJob(id);
  if (job === undefined || job.ownerId !== ownerOf(request).ownerId) {
    throw new AppError('NOT_FOUND', 'There is no such job: it expired, or it was created by someone else. Start the run again.');
  }
  return job;
}

function itemCount(input: CreateJobRequest): number {
  return input.operation === 'classify' ? input.request.items.length : input.request.texts.length;
}

export function toJobStatus(job: StoredJob): JobStatus {
  const iso = (milliseconds: number) => new Date(milliseconds).toISOString();
  return {
    id: job.id,
    operation: job.operation,
    mode: job.mode,
    state: job.state,
    createdAt: iso(job.createdAt),
    updatedAt: iso(job.updatedAt),
    expiresAt: iso(job.expiresAt),
    counts: { total: job.total, done: job.done, failed: job.failed },
    ...(job.overnight?.checkBackAt === undefined ? {} : { checkBackAt: iso(job.overnight.checkBackAt) }),
    ...(job.error === undefined ? {} : { error: job.error }),
    ...(job.model === undefined ? {} : { model: job.model }),
    usage: job.usage,
  };
}
