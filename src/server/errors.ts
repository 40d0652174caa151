// The one root error type of the BFF. Every failure that reaches a client is an AppError with a stable
// code; anything else is turned into a generic INTERNAL_ERROR at the HTTP edge, without internals.
import { errorCodes, type ErrorCode } from '../contract/error-codes.js';
import type { ErrorBody, ErrorDetails } from '../contract/schemas.js';

export interface AppErrorOptions {
  /** Seconds the client should wait before trying again (sent as Retry-After on 429/503). */
  retryAfterSeconds?: number | undefined;
  /** Overrides the code's default retryability. */
  retryable?: boolean;
  /** The numbers the message states (a limit, the size sent), for clients that word it themselves. */
  details?: Omit<ErrorDetails, 'retryAfterSeconds'> | undefined;
  cause?: unknown;
}

export class AppError extends Error {
  override readonly name = 'AppError';
  readonly code: ErrorCode;
  readonly status: number;
  readonly retryable: boolean;
  readonly retryAfterSeconds: number | undefined;
  readonly details: Omit<ErrorDetails, 'retryAfterSeconds'> | undefined;

  constructor(code: ErrorCode, message: string, options: AppErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.status = errorCodes[code].status;
    this.retryable = options.retryable ?? errorCodes[code].retryable;
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.details = options.details;
  }

  /** `message` is the administrator's English; `details` carries its numbers for the pane's own words. */
  toBody(): ErrorBody {
    const details: ErrorDetails = { ...this.details };
    // A wait is advice only when waiting helps: "not configured" (503, not retryable) has none.
    const retryAfterSeconds = this.retryable ? retryAfterSecondsFor(this) : undefined;
    if (retryAfterSeconds !== undefined) details.retryAfterSeconds = retryAfterSeconds;
    const body: ErrorBody = { code: this.code, message: this.message, retryable: this.retryable };
    return Object.keys(details).length === 0 ? body : { ...body, details };
  }
}

/** The contract: 429 and 503 always carry Retry-After (the provider's own value when it gave one); the body's details say the same. */
export function retryAfterSecondsFor(error: AppError): number | undefined {
  if (error.retryAfterSeconds !== undefined) return Math.max(1, Math.ceil(error.retryAfterSeconds));
  if (error.status === 429) return 10;
  if (error.status === 503) return 5;
  return undefined;
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}

// The one meaning of "cancelled", shared with the pane; an AppError counts through its CANCELLED code.
export { isAbortError } from '../contract/abort.js';

export function cancelledError(): AppError {
  return new AppError('CANCELLED', 'The request was cancelled by the client.');
}
