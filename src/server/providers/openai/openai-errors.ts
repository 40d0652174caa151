// The one factory that turns what the openai SDK threw (OpenAI, Azure OpenAI, compatible servers) into
// an AppError with a stable code. It lives beside the openai provider because only it sees the SDK's
// error classes. Messages say what to do; provider internals (bodies, stack traces) stay out of them.
import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import { AppError, cancelledError, isAbortError, isAppError } from '../../errors.js';

export function upstreamError(error: unknown, context: { provider: string; model: string }): AppError {
  if (isAppError(error)) return error;
  if (error instanceof APIUserAbortError || isAbortError(error)) return cancelledError();
  if (error instanceof APIConnectionTimeoutError) {
    return new AppError(
      'PROVIDER_TIMEOUT',
      `The LLM provider (${context.provider}) did not answer in time. Try again; for long texts, try a shorter selection.`,
      { cause: error },
    );
  }
  if (error instanceof APIConnectionError) {
    return new AppError(
      'PROVIDER_UNAVAILABLE',
      `The LLM provider (${context.provider}) cannot be reached. Try again shortly; if it persists, an administrator should check OPENAI_BASE_URL / AZURE_OPENAI_ENDPOINT and the provider's status.`,
      { cause: error },
    );
  }
  if (error instanceof APIError) {
    const status = error.status;
    const retryAfterSeconds = retryAfterFromHeaders(error.headers);
    if (status === 429) {
      return new AppError('PROVIDER_RATE_LIMITED', `The LLM provider is rate limiting requests. Try again in ${Math.ceil(retryAfterSeconds ?? 10)} seconds.`, {
        cause: error,
        retryAfterSeconds,
      });
    }
    if (status === 401 || status === 403) {
      return new AppError(
        'PROVIDER_AUTH_FAILED',
        `The LLM provider rejected the server's credentials. An administrator must check OPENAI_API_KEY or AZURE_OPENAI_API_KEY.`,
        { cause: error },
      );
    }
    if (status === 404) {
      return new AppError(
        'PROVIDER_REJECTED_REQUEST',
        `The LLM provider does not know the model "${context.model}". An administrator must check LLM_MODEL or AZURE_OPENAI_DEPLOYMENT.`,
        { cause: error },
      );
    }
    if (status === 400 || status === 413 || status === 422) {
      if (isContextLengthError(error)) {
        return new AppError('INPUT_TOO_LARGE', `The text is too long for the model "${context.model}". Select less text and try again.`, { cause: error });
      }
      return new AppError(
        'PROVIDER_REJECTED_REQUEST',
        `The LLM provider rejected the request (HTTP ${status}). If this repeats, an administrator should check that the model supports this operation (structured output: LLM_STRUCTURED_OUTPUT).`,
        { cause: error },
      );
    }
    if (status === 408 || status === 504) {
      return new AppError('PROVIDER_TIMEOUT', `The LLM provider timed out. Try again.`, { cause: error, retryAfterSeconds });
    }
    if (status === 503) {
      return new AppError('PROVIDER_UNAVAILABLE', `The LLM provider is temporarily unavailable. Try again in ${Math.ceil(retryAfterSeconds ?? 5)} seconds.`, {
        cause: error,
        retryAfterSeconds,
      });
    }
    if (status === 409 || (status !== undefined && status >= 500)) {
      return new AppError('PROVIDER_ERROR', `The LLM provider failed (HTTP ${status}). Try again.`, { cause: error, retryAfterSeconds });
    }
    return new AppError('PROVIDER_ERROR', `The LLM provider answered with an unexpected error${status === undefined ? '' : ` (HTTP ${status})`}. Try again.`, {
      cause: error,
    });
  }
  return new AppError('PROVIDER_ERROR', `The LLM provider (${context.provider}) failed unexpectedly. Try again.`, { cause: error });
}

/** Reads Retry-After (seconds or HTTP date) and OpenAI's retry-after-ms. */
export function retryAfterFromHeaders(headers: Headers | undefined): number | undefined {
  if (headers === undefined) return undefined;
  const milliseconds = Number(headers.get('retry-after-ms'));
  if (Number.isFinite(milliseconds) && milliseconds > 0) return milliseconds / 1000;
  const value = headers.get('retry-after');
  if (value === null) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, (date - Date.now()) / 1000);
}

function isContextLengthError(error: APIError): boolean {
  const text = `${error.code ?? ''} ${error.message}`.toLowerCase();
  return text.includes('context_length') || text.includes('context length') || text.includes('maximum context') || text.includes('too many tokens');
}
