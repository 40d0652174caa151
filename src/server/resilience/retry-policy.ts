// The one retry policy of the BFF: retryable provider failures (408/409/429/5xx, timeouts, dropped
// connections) are tried again with exponential backoff and full jitter, honouring Retry-After.
// The openai SDK's own retries are switched off (maxRetries: 0), so the two never stack. Once the
// circuit breaker is open its 503 is not retried: retries must not multiply an outage.
import { DelegateBackoff, handleWhen, retry, TaskCancelledError, type RetryPolicy } from 'cockatiel';
import { cancelledError, isAppError } from '../errors.js';
import { isCircuitOpenError } from './circuit-breaker.js';

export interface RetrySettings {
  maxRetries: number;
  initialDelayMilliseconds?: number;
  maxDelayMilliseconds?: number;
  /** A Retry-After longer than this is not waited out inside a request: the client is told instead. */
  maxRetryAfterMilliseconds?: number;
}

export function createRetryPolicy(settings: RetrySettings): RetryPolicy {
  const initialDelay = settings.initialDelayMilliseconds ?? 250;
  const maxDelay = settings.maxDelayMilliseconds ?? 20_000;
  const maxRetryAfter = settings.maxRetryAfterMilliseconds ?? 60_000;

  const shouldRetry = handleWhen(
    (error) =>
      isAppError(error) &&
      error.retryable &&
      error.code !== 'CANCELLED' &&
      error.code !== 'PROVIDER_NOT_READY' &&
      !isCircuitOpenError(error) &&
      (error.retryAfterSeconds === undefined || error.retryAfterSeconds * 1000 <= maxRetryAfter),
  );

  return retry(shouldRetry, {
    maxAttempts: settings.maxRetries,
    backoff: new DelegateBackoff((context) => {
      const error = 'error' in context.result ? context.result.error : undefined;
      if (isAppError(error) && error.retryAfterSeconds !== undefined) return error.retryAfterSeconds * 1000;
      const ceiling = Math.min(maxDelay, initialDelay * 2 ** (context.attempt - 1));
      return Math.random() * ceiling;
    }),
  });
}

/** Runs `task` under the policy; an abort during a backoff wait becomes CANCELLED. */
export async function withRetries<T>(policy: RetryPolicy, task: (signal: AbortSignal) => Promise<T>, signal?: AbortSignal): Promise<T> {
  try {
    return await policy.execute(({ signal: attemptSignal }) => task(attemptSignal), signal);
  } catch (error) {
    if (error instanceof TaskCancelledError) throw cancelledError();
    throw error;
  }
}
