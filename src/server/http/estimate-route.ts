// POST /api/v1/estimate: a dry run of classify or translate. The operation plans the work exactly as it
// would run it (its distinct rows, its cache look-ups, its batches and prompts) and the plan is priced
// at the provider's current pace (engine/run-estimate.ts). It never calls the model and reserves
// nothing against the daily token budget; it is signed in and rate limited like the operations.
import type { FastifyInstance } from 'fastify';
import { estimateRequestSchema, type EstimateResponse } from '../../contract/operations/estimate.js';
import { apiRoutes } from '../../contract/routes.js';
import type { Limits, ModelPrice } from '../config.js';
import { defaultRequestSeconds, estimateRun, type ProviderPace } from '../engine/run-estimate.js';
import type { ResultCache } from '../engine/result-cache.js';
import { planClassifyRun } from '../operations/classify/classify.js';
import { withOrganisationGlossary, type TranslationGlossary } from '../operations/translate/organisation-glossary.js';
import { planTranslateRun } from '../operations/translate/translate.js';
import type { LanguageModel } from '../providers/language-model.js';
import { ResilientLanguageModel } from '../resilience/resilient-language-model.js';
import { parseBody } from './validation.js';

export interface EstimateRouteDependencies {
  model: LanguageModel;
  limits: Limits;
  cache?: ResultCache | undefined;
  prices: Record<string, ModelPrice>;
  translationGlossary?: TranslationGlossary | undefined;
}

/** The adaptive concurrency's start when no governor is in front of the model (the local model, tests). */
const defaultConcurrency = 16;

export function registerEstimateRoute(api: FastifyInstance, dependencies: EstimateRouteDependencies): void {
  api.post(apiRoutes.estimate, async (request): Promise<EstimateResponse> => {
    const input = parseBody(estimateRequestSchema, request.body);
    const context = {
      model: dependencies.model,
      limits: dependencies.limits,
      cache: dependencies.cache?.forTenant(request.identity?.tenantId),
    };
    const plan =
      input.operation === 'classify'
        ? await planClassifyRun(input.request, context)
        : await planTranslateRun(
            dependencies.translationGlossary === undefined ? input.request : withOrganisationGlossary(input.request, dependencies.translationGlossary),
            context,
          );
    const modelId = dependencies.model.modelId;
    return { estimate: estimateRun(plan, currentPace(dependencies.model), modelId, dependencies.prices[modelId]), model: modelId };
  });
}

/** The governor's learnt concurrency and limits and the measured latency, or defaults before the provider said anything. */
function currentPace(model: LanguageModel): ProviderPace {
  if (!(model instanceof ResilientLanguageModel)) return { concurrency: defaultConcurrency, source: 'default', requestSeconds: defaultRequestSeconds };
  const { governor, limitsFrom, latency } = model.paceSnapshot();
  const measured = latency.samples > 0;
  return {
    concurrency: governor.concurrencyLimit,
    requestsPerMinute: governor.requestsPerMinute,
    tokensPerMinute: governor.tokensPerMinute,
    source: limitsFrom === 'none' ? (measured ? 'measured' : 'default') : limitsFrom,
    secondsPerRequest: latency.secondsPerRequest,
    requestSeconds: (completionTokens) => model.pace.requestSeconds(completionTokens) ?? defaultRequestSeconds(completionTokens),
  };
}
