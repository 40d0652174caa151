// The error the pane shows: the contract's envelope {error:{code,message,retryable,details}}, or one made
// here for failures that never reached the BFF (network, cut stream). The pane words it by `code` and
// `details` (shared/i18n/error-messages.ts); `message` is the server's English, shown only under Details.
import type { ErrorBody, ErrorDetails } from '../../../contract/schemas.js';

/** The pane's own codes for failures that never got the BFF's envelope. */
export const clientErrorCodes = ['NETWORK_ERROR', 'STREAM_ENDED', 'STREAM_ERROR', 'HTTP_ERROR'] as const;
export type ClientErrorCode = (typeof clientErrorCodes)[number];

export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly code: string;
  readonly retryable: boolean;
  readonly status: number | undefined;
  readonly details: ErrorDetails | undefined;

  constructor(body: ErrorBody, status?: number) {
    super(body.message);
    this.code = body.code;
    this.retryable = body.retryable;
    this.status = status;
    this.details = body.details;
  }
}

export function isAbortError(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'AbortError';
}

function isErrorBody(value: unknown): value is ErrorBody {
  if (typeof value !== 'object' || value === null) return false;
  const body = value as Record<string, unknown>;
  return typeof body['code'] === 'string' && typeof body['message'] === 'string' && typeof body['retryable'] === 'boolean';
}

/** Only the numbers the pane knows how to say; anything else in `details` is dropped. */
function readDetails(value: unknown): ErrorDetails | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const details: ErrorDetails = {};
  for (const name of ['limit', 'actual', 'retryAfterSeconds'] as const) {
    const number = (value as Record<string, unknown>)[name];
    if (typeof number === 'number' && Number.isFinite(number) && number >= 0) details[name] = number;
  }
  return Object.keys(details).length === 0 ? undefined : details;
}

function bodyOf(value: unknown, retryAfterHeader?: string | null): ErrorBody {
  const body = value as ErrorBody & { details?: unknown };
  const details = readDetails(body.details) ?? {};
  // A Retry-After header the body does not repeat still tells the user how long to wait.
  const headerSeconds = retryAfterHeader === null || retryAfterHeader === undefined ? Number.NaN : Number(retryAfterHeader);
  if (details.retryAfterSeconds === undefined && Number.isFinite(headerSeconds) && headerSeconds >= 0) details.retryAfterSeconds = headerSeconds;
  const { code, message, retryable } = body;
  return Object.keys(details).length === 0 ? { code, message, retryable } : { code, message, retryable, details };
}

/** Reads the contract's error envelope from a failed response, whatever the body holds. */
export async function errorFromResponse(response: Response): Promise<ApiError> {
  let envelope: unknown;
  try {
    envelope = await response.json();
  } catch {
    envelope = undefined;
  }
  const body = typeof envelope === 'object' && envelope !== null ? (envelope as { error?: unknown }).error : undefined;
  if (isErrorBody(body)) return new ApiError(bodyOf(body, response.headers.get('retry-after')), response.status);
  return new ApiError(
    {
      code: 'HTTP_ERROR' satisfies ClientErrorCode,
      message: `The add-in's server answered ${response.status} ${response.statusText}.`,
      retryable: response.status >= 500 || response.status === 429,
    },
    response.status,
  );
}

export function errorFromEnvelope(envelope: unknown): ApiError {
  const body = typeof envelope === 'object' && envelope !== null ? (envelope as { error?: unknown }).error : undefined;
  if (isErrorBody(body)) return new ApiError(bodyOf(body));
  return new ApiError({ code: 'STREAM_ERROR' satisfies ClientErrorCode, message: 'The server reported an error it did not describe.', retryable: true });
}

export const networkError = () =>
  new ApiError({
    code: 'NETWORK_ERROR' satisfies ClientErrorCode,
    message: "Could not reach the add-in's server. Check your connection (and that the server is running).",
    retryable: true,
  });

export const streamEndedError = () =>
  new ApiError({ code: 'STREAM_ENDED' satisfies ClientErrorCode, message: 'The connection ended before the result was complete.', retryable: true });
