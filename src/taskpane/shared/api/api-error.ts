// The error the pane shows: the contract's envelope {error:{code,message,retryable}}, or one made
// here for failures that never reached the BFF (network, cut stream).
import type { ErrorBody } from '../../../contract/schemas.js';

export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly code: string;
  readonly retryable: boolean;
  readonly status: number | undefined;

  constructor(body: ErrorBody, status?: number) {
    super(body.message);
    this.code = body.code;
    this.retryable = body.retryable;
    this.status = status;
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

/** Reads the contract's error envelope from a failed response, whatever the body holds. */
export async function errorFromResponse(response: Response): Promise<ApiError> {
  let envelope: unknown;
  try {
    envelope = await response.json();
  } catch {
    envelope = undefined;
  }
  const body = typeof envelope === 'object' && envelope !== null ? (envelope as { error?: unknown }).error : undefined;
  if (isErrorBody(body)) return new ApiError(body, response.status);
  return new ApiError(
    {
      code: 'HTTP_' + response.status,
      message: `The add-in's server answered ${response.status} ${response.statusText}.`,
      retryable: response.status >= 500 || response.status === 429,
    },
    response.status,
  );
}

export function errorFromEnvelope(envelope: unknown): ApiError {
  const body = typeof envelope === 'object' && envelope !== null ? (envelope as { error?: unknown }).error : undefined;
  if (isErrorBody(body)) return new ApiError(body);
  return new ApiError({ code: 'STREAM_ERROR', message: 'The server reported an error it did not describe.', retryable: true });
}

export const networkError = () =>
  new ApiError({
    code: 'NETWORK_ERROR',
    message: "Could not reach the add-in's server. Check your connection (and that the server is running).",
    retryable: true,
  });

export const streamEndedError = () => new ApiError({ code: 'STREAM_ENDED', message: 'The connection ended before the result was complete.', retryable: true });
