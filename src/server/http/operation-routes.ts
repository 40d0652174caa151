// The operation routes, one per operation in the registry (POST /api/v1/<name>). Each answers JSON,
// or Server-Sent Events when the client sends Accept: text/event-stream; both run the same operation.
// The client's disconnect aborts the operation and, through its signal, the upstream LLM call.
// Daily token budgets: the operation's estimate is reserved before the work and settled to what the
// upstream calls really used after it, whatever the outcome (answer, failure, Stop, lost connection).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Limits } from '../config.js';
import { AppError, isAbortError } from '../errors.js';
import type { ResultCache } from '../engine/result-cache.js';
import type { ServerOperation } from '../operations/define-operation.js';
import { serverOperations } from '../operations/operation-registry.js';
import { MeteredLanguageModel, type OperationContext, type OperationEvents } from '../operations/shared/operation-context.js';
import type { LanguageModel } from '../providers/language-model.js';
import type { TokenBudget } from '../security/token-budget.js';
import { logError, toAppError } from './error-handler.js';
import type { Metrics } from './metrics.js';
import { EventStream, wantsEventStream } from './sse.js';
import { parseBody } from './validation.js';

/** How long a finished request waits for its aborted upstream calls to wind down before it settles its budget. */
const settleWaitMilliseconds = 5000;

export interface OperationRouteDependencies {
  model: LanguageModel;
  limits: Limits;
  metrics: Metrics;
  budget: TokenBudget;
  /** Finished work by content hash (SQLite, Redis or off). */
  cache?: ResultCache;
  /** The operations to serve; all of them unless a test narrows it. */
  operations?: readonly ServerOperation[];
}

export function registerOperationRoutes(app: FastifyInstance, dependencies: OperationRouteDependencies): void {
  for (const operation of dependencies.operations ?? serverOperations) register(app, dependencies, operation);
}

function register(app: FastifyInstance, dependencies: OperationRouteDependencies, operation: ServerOperation): void {
  const { name, path, request: schema } = operation.contract;
  app.post(path, async (request, reply) => {
    const input = parseBody(schema, request.body);
    const userId = request.identity?.userId ?? request.ip;
    ensureProviderCanServe(dependencies.model);
    const abort = abortOnDisconnect(request, reply);
    const reservation = await dependencies.budget.reserve(userId, () =>
      operation.estimateTokens(input, { model: dependencies.model, limits: dependencies.limits }),
    );
    // Every upstream call of this request is counted here, so a failed or cancelled operation is charged too.
    const model = new MeteredLanguageModel(dependencies.model);
    const settle = async () => {
      // Calls still running when the operation gave up (a parallel batch after another failed) are
      // stopped, and counted once they have. With none running there is nothing to stop (and an
      // abort is not free: every signal linked to this one fires).
      if (model.busy) abort.abort();
      await model.idle(settleWaitMilliseconds);
      await reservation.settle(model.meter.totalTokens);
    };
    const context: OperationContext = {
      model,
      limits: dependencies.limits,
      signal: abort.signal,
      ...(dependencies.cache === undefined ? {} : { cache: dependencies.cache.forTenant(request.identity?.tenantId) }),
    };
    const failed = (error: unknown): AppError => {
      const appError = toAppError(error, dependencies.limits.bodyLimitBytes);
      dependencies.metrics.operationErrors.inc({ operation: name, code: appError.code });
      dependencies.metrics.recordUsage(name, model.meter.toUsage());
      return appError;
    };

    if (!wantsEventStream(request.headers.accept)) {
      try {
        const response = await operation.run(input, context);
        dependencies.metrics.recordUsage(name, response.usage);
        return response;
      } catch (error) {
        failed(error);
        throw error;
      } finally {
        await settle();
      }
    }

    // Streams: the status line goes out before the work starts, so failures travel as an `error` event.
    reply.hijack();
    const stream = new EventStream(reply.raw, reply.getHeaders());
    const events: OperationEvents = {
      onTextDelta: (text) => stream.send('text-delta', { text }),
      onItem: (event) => stream.send('item', event),
      onProgress: (event) => stream.send('progress', event),
    };
    try {
      const response = await operation.run(input, { ...context, events });
      dependencies.metrics.recordUsage(name, response.usage);
      stream.send('done', response);
    } catch (error) {
      const appError = failed(error);
      if (!(abort.signal.aborted || isAbortError(error))) {
        logError(request, appError, error);
        stream.send('error', { error: appError.toBody() });
      }
    } finally {
      stream.end();
      await settle();
    }
    return reply;
  });
}

/** A provider that cannot serve (a failed model) or not for a while (a download) says so before any work starts. */
function ensureProviderCanServe(model: LanguageModel): void {
  const status = model.status();
  if (status.state === 'unavailable') {
    throw new AppError('PROVIDER_NOT_READY', status.reason ?? 'The LLM provider is not available.', { retryable: false });
  }
  if (status.state === 'starting' && status.retryAfterSeconds !== undefined) {
    throw new AppError('PROVIDER_NOT_READY', status.reason ?? 'The LLM provider is starting.', { retryAfterSeconds: status.retryAfterSeconds });
  }
}

function abortOnDisconnect(request: FastifyRequest, reply: FastifyReply): AbortController {
  const controller = new AbortController();
  // The response's 'close' before it finished means the client went away (abort or lost connection).
  reply.raw.on('close', () => {
    if (!reply.raw.writableFinished) controller.abort();
  });
  request.raw.on('aborted', () => controller.abort());
  return controller;
}
