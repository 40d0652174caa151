// The HTTP edge of error handling: AppErrors become the contract's envelope with their status and
// Retry-After; Fastify's own errors (bad JSON, too large) get stable codes; anything else becomes a
// generic INTERNAL_ERROR, logged by the server but never shown with internals.
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, isAppError, retryAfterSecondsFor } from '../errors.js';

export function toAppError(error: unknown, bodyLimitBytes: number): AppError {
  if (isAppError(error)) return error;
  const fastifyError = error as Partial<FastifyError> & { statusCode?: number };
  switch (fastifyError.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new AppError(
        'PAYLOAD_TOO_LARGE',
        `The request body is larger than ${bodyLimitBytes.toLocaleString('en-US')} bytes. Select less and try again, or send it in several requests.`,
        { details: { limit: bodyLimitBytes } },
      );
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new AppError('UNSUPPORTED_MEDIA_TYPE', 'Send the request body as JSON with the header Content-Type: application/json.');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new AppError('INVALID_JSON', 'The request body is empty: send a JSON object.');
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new AppError('INVALID_JSON', 'The request body is not valid JSON: check quotes, commas and brackets.');
    default:
      break;
  }
  if (error instanceof SyntaxError && fastifyError.statusCode === 400) {
    return new AppError('INVALID_JSON', 'The request body is not valid JSON: check quotes, commas and brackets.');
  }
  if (fastifyError.statusCode === 400) {
    return new AppError('INVALID_REQUEST', 'The request is malformed. Check it against /api/v1/openapi.json.');
  }
  return new AppError('INTERNAL_ERROR', 'Something went wrong on the server. Try again; if it persists, tell your administrator.', { cause: error });
}

/** The contract: 429 and 503 always carry Retry-After; the provider's own value when it gave one. */
export function retryAfterFor(error: AppError): number | undefined {
  return retryAfterSecondsFor(error);
}

export function sendError(reply: FastifyReply, error: AppError): FastifyReply {
  const retryAfter = retryAfterFor(error);
  if (retryAfter !== undefined) reply.header('retry-after', String(retryAfter));
  return reply.status(error.status).send({ error: error.toBody() });
}

export function logError(request: FastifyRequest, appError: AppError, original: unknown): void {
  // Codes, names and stack frames only: a message may quote the document.
  const cause = appError.cause instanceof Error ? appError.cause.name : undefined;
  if (appError.code === 'INTERNAL_ERROR') {
    request.log.error(
      {
        code: appError.code,
        errorName: original instanceof Error ? original.name : typeof original,
        stack: original instanceof Error ? original.stack?.split('\n').slice(1).join('\n') : undefined,
      },
      'request failed',
    );
  } else if (appError.code !== 'CANCELLED') {
    request.log.warn({ code: appError.code, status: appError.status, cause }, 'request failed');
  }
}
