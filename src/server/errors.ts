// The one root error type of the BFF. Every failure that reaches a client is an AppError with a stable
// code; anything else is turned into a generic INTERNAL_ERROR at the HTTP edge, without internals.
import { errorCodes, type ErrorCode } from '../contract/error-codes.js';
import type { ErrorBody } from '../contract/schemas.js';

export interface AppErrorOptions {
  /** Seconds the client should wait before trying again (sent as Retry-After on 429/503). */
  retryAfterSeconds?: number | undefined;
  /** Overrides the code's default retryability. */
  retryable?: boolean;
  cause?: unknown;
}

export class AppError extends Error {
  override readonly name = 'AppError';
  readonly code: ErrorCode;
  readonly status: number;
  readonly retryable: boolean;
  readonly retryAfterSeconds: number | undefined;

  constructor(code: ErrorCode, message: string, options: AppErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.status = errorCodes[code].status;
    this.retryable = options.retryable ?? errorCodes[code].retryable;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }

  toBody(): ErrorBody {
    return { code: this.code, message: this.message, retryable: this.retryable };
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}

// The one meaning of "cancelled", shared with the pane; an AppError counts through its CANCELLED code.
export { isAbortError } from '../contract/abort.js';

export function cancelledError(): AppError {
  return new AppError('CANCELLED', 'The request was cancelled by the client.');
}
