// The operations as the BFF runs them: looked up in the server's operation registry, the request
// validated with the contract's schema (as the HTTP edge does), the response checked against it.
// The evaluation never depends on an operation's prompt or answer format, only on its contract.
import { classifyResponseSchema, type ClassifyRequest, type ClassifyResponse } from '../contract/operations/classify.js';
import type { OperationName } from '../contract/operations/index.js';
import { summarizeResponseSchema, type SummarizeRequest, type SummarizeResponse } from '../contract/operations/summarize.js';
import { translateResponseSchema, type TranslateRequest, type TranslateResponse } from '../contract/operations/translate.js';
import type { Limits } from '../server/config.js';
import { AppError, isAppError } from '../server/errors.js';
import { serverOperations } from '../server/operations/operation-registry.js';
import { MeteredLanguageModel } from '../server/operations/shared/operation-context.js';
import type { LanguageModel } from '../server/providers/language-model.js';

/** What every run of an operation gets: the model, the limits, the evaluation's stop signal. No cache. */
export interface EvaluationContext {
  model: LanguageModel;
  limits: Limits;
  signal: AbortSignal;
}

async function run(name: OperationName, request: unknown, context: EvaluationContext): Promise<unknown> {
  const operation = serverOperations.find((candidate) => candidate.contract.name === name);
  if (operation === undefined) throw new AppError('INTERNAL_ERROR', `The server has no operation ${name}.`);
  const input: unknown = operation.contract.request.parse(request);
  return operation.run(input, { model: context.model, limits: context.limits, signal: context.signal });
}

export async function runClassify(request: ClassifyRequest, context: EvaluationContext): Promise<ClassifyResponse> {
  return classifyResponseSchema.parse(await run('classify', request, context));
}

export async function runTranslate(request: TranslateRequest, context: EvaluationContext): Promise<TranslateResponse> {
  return translateResponseSchema.parse(await run('translate', request, context));
}

export async function runSummarize(request: SummarizeRequest, context: EvaluationContext): Promise<SummarizeResponse> {
  return summarizeResponseSchema.parse(await run('summarize', request, context));
}

export interface MeasuredUsage {
  promptTokens: number;
  completionTokens: number;
  requests: number;
}

/**
 * Runs `work` with a model that counts every upstream call (also those of failed runs, which an
 * operation's own usage loses when it throws) and times it.
 */
export async function measured<Result>(
  context: EvaluationContext,
  work: (context: EvaluationContext) => Promise<Result>,
): Promise<{ result: Result; usage: MeasuredUsage; wallMilliseconds: number }> {
  const model = new MeteredLanguageModel(context.model);
  const started = performance.now();
  const result = await work({ ...context, model });
  const wallMilliseconds = performance.now() - started;
  const { promptTokens, completionTokens, requests } = model.meter.toUsage();
  return { result, usage: { promptTokens, completionTokens, requests }, wallMilliseconds };
}

/** The stable code of a failure (a stop of the whole evaluation is re-thrown, not counted). */
export function failureCode(error: unknown): string {
  if (isAppError(error)) {
    if (error.code === 'CANCELLED') throw error;
    return error.code;
  }
  return 'INTERNAL_ERROR';
}
