// Overnight mode: a whole job goes to the provider's batch API (OpenAI, Azure OpenAI: half the price,
// answered within 24 hours). The job runner (../job-runner.ts) hands an overnight job to this runner as
// one batch covering every item; each call does one step and returns: the first submits the batch
// file and keeps the provider's batch id with the job, later ones look at the batch once; while it
// runs, the runner hands the job back until checkBackAt, so no worker waits for hours and any instance,
// after any restart, continues the same batch. When the batch ends, its answers are imported through
// the operation's own checks (batch-requests.ts) and the job completes with every item.
import type { CreateJobRequest, JobItemResult } from '../../../contract/jobs.js';
import type { ClassifyResponse } from '../../../contract/operations/classify.js';
import type { TranslateResponse } from '../../../contract/operations/translate.js';
import type { Usage } from '../../../contract/schemas.js';
import { AppError, cancelledError } from '../../errors.js';
import { MeteredLanguageModel, type OperationContext } from '../../operations/shared/operation-context.js';
import { finishedBatchStates, type BatchLineOutcome, type BatchStatus } from '../../providers/batch-api.js';
import type { LanguageModel } from '../../providers/language-model.js';
import type { OvernightContext, OvernightRunner } from '../job-runner.js';
import type { StoredJob } from '../job-store.js';
import { CapturingModel, captureRequests, ReplayingModel } from './batch-requests.js';

export interface OvernightSettings {
  /** LLM_BATCH_POLL_MS: the longest wait between two looks at a running batch. */
  pollMilliseconds: number;
}

/** The wait before the first look: a small batch may be done in a minute or two. */
const firstLookMilliseconds = 60_000;
/** The most one waits between two looks, however slow the batch is going. */
const longestWaitMilliseconds = 3_600_000;

/** Why overnight mode cannot run with this model, as the 400 a job's creation answers; undefined when it can. */
export function overnightUnavailable(model: LanguageModel): AppError | undefined {
  if (model.batchApi !== undefined) return undefined;
  const provider = model.provider === 'local' ? 'the embedded local model' : `${model.provider} (${model.modelId})`;
  return new AppError(
    'INVALID_REQUEST',
    `Overnight mode needs OpenAI or Azure OpenAI (their batch API); this server uses ${provider}. Send the job with mode now instead.`,
  );
}

export function createOvernightRunner(settings: OvernightSettings): OvernightRunner {
  return (job, context) => runOvernightJob(job, context, settings);
}

export async function runOvernightJob(job: StoredJob, context: OvernightContext, settings: OvernightSettings): Promise<void> {
  const batchApi = context.model.batchApi;
  if (batchApi === undefined) throw overnightUnavailable(context.model) ?? new AppError('INTERNAL_ERROR', 'No batch API.');
  const request = jobRequest(context.request);
  const runWith = (model: LanguageModel, signal: AbortSignal) => {
    const operationContext: OperationContext = { model, limits: context.limits, signal };
    return context.operation.run(request, operationContext);
  };

  const batchId = job.overnight?.providerBatchId;
  if (batchId === undefined) {
    const capturing = new CapturingModel(context.model, (options) => batchApi.requestBody(options));
    const lines = await captureRequests(capturing, (signal) => runWith(capturing, signal), { signal: context.signal });
    // Nothing to ask (empty items only): the operation answers without the provider.
    if (lines.length === 0) return importAnswers(context, runWith, new Map());
    if (context.signal.aborted) throw cancelledError();
    const batch = await batchApi.submit(lines, { signal: context.signal, metadata: { job: job.id } });
    context.logger.info({ jobId: job.id, providerBatchId: batch.id, requests: lines.length }, 'overnight: batch submitted');
    await context.saveState({ providerBatchId: batch.id, checkBackAt: nextLook(batch, settings, Date.now()) });
    return;
  }

  let status: BatchStatus;
  try {
    status = await batchApi.retrieve(batchId, context.signal);
  } catch (error) {
    // The batch runs on at the provider: a look that failed is tried again later, not counted against the job.
    if (!(error instanceof AppError) || !error.retryable || context.signal.aborted) throw error;
    await context.saveState({ providerBatchId: batchId, checkBackAt: Date.now() + Math.min(settings.pollMilliseconds, firstLookMilliseconds) });
    return;
  }
  if (!finishedBatchStates.includes(status.state)) {
    await context.saveState({ providerBatchId: batchId, checkBackAt: nextLook(status, settings, Date.now()) });
    return;
  }
  context.logger.info({ jobId: job.id, providerBatchId: batchId, state: status.state, counts: status.counts }, 'overnight: batch ended');
  if (status.state === 'failed') {
    const reasons = status.errors.length > 0 ? `: ${status.errors.slice(0, 3).join('; ')}` : '';
    throw new AppError(
      'PROVIDER_REJECTED_REQUEST',
      `The provider refused the overnight batch${reasons}. Run the job again with mode now, or ask the administrator.`,
    );
  }
  if (status.state === 'cancelled' || status.state === 'cancelling') {
    throw new AppError('PROVIDER_ERROR', 'The overnight batch was cancelled at the provider before it finished. Run the job again.', { retryable: false });
  }
  // Completed, or expired: an expired batch still delivers what it answered, and the rest fail per item.
  return importAnswers(context, runWith, await batchApi.outcomes(status, context.signal));
}

async function importAnswers(
  context: OvernightContext,
  runWith: (model: LanguageModel, signal: AbortSignal) => Promise<unknown>,
  outcomes: ReadonlyMap<string, BatchLineOutcome>,
): Promise<void> {
  // Metered: the job's usage counts the batch's answers and the live follow-up calls alike.
  const metered = new MeteredLanguageModel(new ReplayingModel(context.model, outcomes));
  const response = await runWith(metered, context.signal);
  if (context.signal.aborted) throw cancelledError();
  const { results, model } = jobResults(context.request.operation, response);
  await context.complete({ results, usage: metered.meter.toUsage(), model });
}

/**
 * When to look again: by the batch's own pace once it has answered some requests (the time so far for
 * what is done, scaled to what is left), at first after a minute; never later than the poll setting, an
 * hour, or the batch's deadline.
 */
export function nextLook(status: BatchStatus, settings: OvernightSettings, now: number): number {
  const { total, completed, failed } = status.counts;
  const answered = completed + failed;
  const createdAt = status.createdAt?.getTime();
  let wait = Math.min(settings.pollMilliseconds, firstLookMilliseconds);
  if (createdAt !== undefined && answered > 0 && total > answered) {
    wait = ((now - createdAt) * (total - answered)) / answered;
  }
  // Not sooner than a look is worth (10 s, or the poll setting when shorter), nor later than the setting or an hour.
  wait = Math.max(Math.min(settings.pollMilliseconds, 10_000), Math.min(wait, settings.pollMilliseconds, longestWaitMilliseconds));
  const deadline = status.expiresAt?.getTime();
  return Math.round(deadline === undefined ? now + wait : Math.min(now + wait, Math.max(now, deadline)));
}

/** The operation's request; translation reports a failed text per item instead of failing the whole job. */
function jobRequest(job: CreateJobRequest): unknown {
  return job.operation === 'translate' ? { ...job.request, perItemErrors: true } : job.request;
}

/** One result per item of the request, in order: the operation's response as the job's results. */
export function jobResults(operation: CreateJobRequest['operation'], response: unknown): { results: JobItemResult[]; model: string; usage: Usage } {
  if (operation === 'classify') {
    const { results, model, usage } = response as ClassifyResponse;
    return { results: results.map((result, index) => ({ index, ...result })), model, usage };
  }
  const { results, translations, model, usage } = response as TranslateResponse;
  return { results: (results ?? translations.map((text) => ({ text }))).map((result, index) => ({ index, ...result })), model, usage };
}
