// The pane's side of the BFF's durable jobs (contract/jobs.ts): create a job, read its state, fetch
// its results by range, follow its events, cancel it. `follow` outlives a lost connection: it waits
// (exponential backoff with jitter, cockatiel: the same kept library the BFF retries with), fetches by
// range what finished while it was away, and listens again, so every result arrives once. Types come
// from the contract with type-only imports: no zod in the bundle.
import { withAccessToken } from './with-access-token.js';
import { ExponentialBackoff, handleWhen, retry, TaskCancelledError } from 'cockatiel';
import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { isAbortError } from '../../../contract/abort.js';
import type { CreateJobRequest, JobItemResult, JobResultsResponse, JobStatus } from '../../../contract/jobs.js';
import { apiRoutes } from '../../../contract/routes.js';
import type { TokenOptions } from '../auth/access-token-provider.js';
import { ApiError, errorFromEnvelope, errorFromResponse, networkError, streamEndedError } from './api-error.js';
import { pushIterable } from './push-iterable.js';

/** The most results one `GET …/results` returns (the contract's `to` is at most from + 5000). */
export const JOB_RESULTS_PAGE = 5_000;

const terminalStates: ReadonlySet<JobStatus['state']> = new Set(['completed', 'failed', 'cancelled']);
export const isJobFinished = (job: JobStatus): boolean => terminalStates.has(job.state);

export interface FollowJobOptions {
  signal?: AbortSignal | undefined;
  /** Every state the client learns (progress events carry counts only; this gets the whole status when it has one). */
  onStatus?: ((job: JobStatus) => void) | undefined;
}

export interface JobsClient {
  /** POST /api/v1/jobs: answers at once with the queued job. */
  create(request: CreateJobRequest, options?: { signal?: AbortSignal | undefined }): Promise<JobStatus>;
  /** GET /api/v1/jobs/{id}; an unknown, expired or someone else's job is an ApiError with status 404. */
  status(id: string, options?: { signal?: AbortSignal | undefined }): Promise<JobStatus>;
  /** GET /api/v1/jobs/{id}/results?from&to: the finished items in [from, to). */
  results(id: string, range: { from: number; to?: number | undefined }, options?: { signal?: AbortSignal | undefined }): Promise<JobResultsResponse>;
  /**
   * Every finished item of the job, each once, in the order they finish; ends when the job has ended
   * (completed, failed or cancelled: `onStatus` gets that state). A lost connection is resumed.
   */
  follow(id: string, options?: FollowJobOptions): AsyncIterable<JobItemResult>;
  /** DELETE /api/v1/jobs/{id}: stops the job upstream; what finished stays readable until it expires. */
  cancel(id: string, options?: { signal?: AbortSignal | undefined }): Promise<JobStatus>;
}

export interface JobsClientOptions {
  /** As the ApiClient's: a bearer token when the BFF requires sign-in, asked once more with forceRefresh after a 401. */
  getAccessToken?: ((options: TokenOptions) => Promise<string | undefined>) | undefined;
  /** Reconnection of `follow`: first wait (default 1 s), longest wait (default 30 s), attempts in a row without a connection (default 10). */
  reconnect?: { initialDelayMilliseconds?: number; maxDelayMilliseconds?: number; maxAttempts?: number } | undefined;
}

const jobPath = (id: string): string => `${apiRoutes.jobs}/${encodeURIComponent(id)}`;

/** Worth another connection: the network, a cut stream, a busy or restarting server. Not: sign-in, a missing job, a bad request. */
const isReconnectable = (error: unknown): boolean =>
  error instanceof ApiError && error.retryable && (error.status === undefined || error.status === 429 || error.status >= 500);

/** A connection that delivered items before it was lost: outside the retry policy, so the next outage gets all its attempts. */
class ConnectionLostAfterProgress extends Error {
  constructor(cause: unknown) {
    super('The connection to the job was lost after it delivered results.', { cause });
  }
}

const pause = (milliseconds: number, signal: AbortSignal | undefined): Promise<void> =>
  new Promise((resolve, reject) => {
    if (signal?.aborted === true) return reject(new DOMException('Stopped', 'AbortError'));
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, milliseconds);
    const onAbort = () => {
      clearTimeout(timer);
      reject(new DOMException('Stopped', 'AbortError'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });

export function createJobsClient(options: JobsClientOptions = {}): JobsClient {
  const { getAccessToken } = options;

  const withToken = <Result>(call: (headers: Record<string, string>) => Promise<Result>): Promise<Result> => withAccessToken(getAccessToken, call);

  const send = async (path: string, init: RequestInit, signal: AbortSignal | undefined, accept = 'application/json'): Promise<Response> =>
    withToken(async (headers) => {
      let response: Response;
      try {
        response = await fetch(path, {
          ...init,
          headers: { ...headers, ...(init.body === undefined ? {} : { 'content-type': 'application/json' }), accept },
          credentials: 'same-origin',
          ...(signal === undefined ? {} : { signal }),
        });
      } catch (error) {
        if (isAbortError(error)) throw error;
        throw networkError();
      }
      if (!response.ok) throw await errorFromResponse(response);
      return response;
    });

  const json = async <Body>(path: string, init: RequestInit, signal: AbortSignal | undefined): Promise<Body> => {
    const response = await send(path, init, signal);
    try {
      return (await response.json()) as Body;
    } catch (error) {
      if (isAbortError(error)) throw error;
      throw streamEndedError();
    }
  };

  const status = async (id: string, statusOptions: { signal?: AbortSignal | undefined } = {}): Promise<JobStatus> =>
    (await json<{ job: JobStatus }>(jobPath(id), { method: 'GET' }, statusOptions.signal)).job;

  const results = (id: string, range: { from: number; to?: number | undefined }, resultsOptions: { signal?: AbortSignal | undefined } = {}) => {
    const query = new URLSearchParams({ from: String(range.from), ...(range.to === undefined ? {} : { to: String(range.to) }) });
    return json<JobResultsResponse>(`${jobPath(id)}/results?${query.toString()}`, { method: 'GET' }, resultsOptions.signal);
  };

  /**
   * One connection to the events: every item not yet seen is pushed. Resolves with the final status
   * when the job ended (done, or an error event for a job that failed), or rejects when the connection is lost.
   */
  const listen = async (id: string, seen: Set<number>, push: (item: JobItemResult) => void, follow: FollowJobOptions): Promise<JobStatus> => {
    const response = await send(`${jobPath(id)}/events`, { method: 'GET' }, follow.signal, 'text/event-stream');
    if (response.body === null || !(response.headers.get('content-type') ?? '').includes('text/event-stream')) throw streamEndedError();
    let final: JobStatus | undefined;
    let failure: ApiError | undefined;
    const parser = createParser({
      onEvent: (message: EventSourceMessage) => {
        if (final !== undefined || failure !== undefined) return;
        const data: unknown = JSON.parse(message.data);
        if (message.event === 'item') {
          const item = data as JobItemResult;
          if (!seen.has(item.index)) {
            seen.add(item.index);
            push(item);
          }
        } else if (message.event === 'done') final = (data as { job: JobStatus }).job;
        else if (message.event === 'error') failure = errorFromEnvelope(data);
      },
    });
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    try {
      while (final === undefined && failure === undefined) {
        const { value, done } = await reader.read();
        if (done) break;
        parser.feed(decoder.decode(value, { stream: true }));
      }
    } catch (error) {
      if (isAbortError(error) || follow.signal?.aborted === true) throw new DOMException('Stopped', 'AbortError');
      throw streamEndedError();
    } finally {
      reader.cancel().catch(() => undefined);
    }
    if (final !== undefined) return final;
    // An error event: the job failed as a whole (its status says so), or the server could not go on.
    const job = await status(id, { signal: follow.signal });
    if (isJobFinished(job)) return job;
    throw failure ?? streamEndedError();
  };

  /** What finished while no connection was open, fetched by range; with the status it was fetched under. */
  const catchUp = async (id: string, seen: Set<number>, push: (item: JobItemResult) => void, signal: AbortSignal | undefined): Promise<JobStatus> => {
    let job = await status(id, { signal });
    for (let from = 0; from < job.counts.total; from += JOB_RESULTS_PAGE) {
      const page = await results(id, { from, to: Math.min(job.counts.total, from + JOB_RESULTS_PAGE) }, { signal });
      job = page.job;
      for (const item of page.results) {
        if (seen.has(item.index)) continue;
        seen.add(item.index);
        push(item);
      }
    }
    return job;
  };

  const follow = (id: string, followOptions: FollowJobOptions = {}): AsyncIterable<JobItemResult> =>
    pushIterable<JobItemResult>(async (push) => {
      const reconnect = options.reconnect ?? {};
      const policy = retry(handleWhen(isReconnectable), {
        maxAttempts: reconnect.maxAttempts ?? 10,
        backoff: new ExponentialBackoff({ initialDelay: reconnect.initialDelayMilliseconds ?? 1_000, maxDelay: reconnect.maxDelayMilliseconds ?? 30_000 }),
      });
      const seen = new Set<number>();
      let connected = false;
      let final: JobStatus | undefined;
      // One execution of the policy per outage: a connection that delivered items and then dropped starts a fresh count of attempts.
      while (final === undefined) {
        try {
          final = await policy.execute(async () => {
            // After a lost connection, first what was missed (by range), then the events again.
            if (connected) {
              const job = await catchUp(id, seen, push, followOptions.signal);
              followOptions.onStatus?.(job);
              if (isJobFinished(job)) return job;
            }
            connected = true;
            const before = seen.size;
            try {
              return await listen(id, seen, push, followOptions);
            } catch (error) {
              if (seen.size > before && isReconnectable(error)) throw new ConnectionLostAfterProgress(error);
              throw error;
            }
          }, followOptions.signal);
        } catch (error) {
          if (error instanceof TaskCancelledError) throw new DOMException('Stopped', 'AbortError');
          if (!(error instanceof ConnectionLostAfterProgress)) throw error;
          await pause(options.reconnect?.initialDelayMilliseconds ?? 1_000, followOptions.signal);
        }
      }
      followOptions.onStatus?.(final);
    });

  const cancel = async (id: string, cancelOptions: { signal?: AbortSignal | undefined } = {}): Promise<JobStatus> =>
    (await json<{ job: JobStatus }>(jobPath(id), { method: 'DELETE' }, cancelOptions.signal)).job;

  return {
    create: async (request, createOptions = {}) =>
      (await json<{ job: JobStatus }>(apiRoutes.jobs, { method: 'POST', body: JSON.stringify(request) }, createOptions.signal)).job,
    status,
    results,
    follow,
    cancel,
  };
}

/** When a run started, as the user's locale writes it: the time for today's run, with the date for an older one ("continuing the run started at 14:02"). */
export function jobStartTime(locale: string, startedAt: string, now: Date = new Date()): string {
  const started = new Date(startedAt);
  if (Number.isNaN(started.getTime())) return startedAt;
  const sameDay = started.toDateString() === now.toDateString();
  return new Intl.DateTimeFormat(locale, sameDay ? { timeStyle: 'short' } : { dateStyle: 'medium', timeStyle: 'short' }).format(started);
}
