// POST /api/v1/estimate (an addition to v1): what a classify or translate request would cost before it
// runs. The BFF plans the work with the same planner and prompts that run it, looks rows up in its
// result cache, and answers without calling the model and without charging the daily budget.
import { z } from 'zod';
import { classifyRequestSchema } from './classify.js';
import { translateRequestSchema } from './translate.js';

/** Operations that can be estimated: the bulk ones. */
export const estimableOperations = ['classify', 'translate'] as const;
export type EstimableOperation = (typeof estimableOperations)[number];

export const estimateRequestSchema = z
  .discriminatedUnion('operation', [
    z.object({ operation: z.literal('classify'), request: classifyRequestSchema }).strict(),
    z.object({ operation: z.literal('translate'), request: translateRequestSchema }).strict(),
  ])
  .meta({ id: 'EstimateRequest', description: 'the operation and the very request body that would be sent to POST /api/v1/<operation>' });
export type EstimateRequest = z.infer<typeof estimateRequestSchema>;

const count = z.number().int().nonnegative();

export const runEstimateSchema = z
  .object({
    items: count.meta({ description: 'items (rows, texts) in the request' }),
    distinctItems: count.meta({ description: 'items left after identical ones are merged (empty items need no request)' }),
    cachedItems: count.meta({ description: 'items answered from the result cache, without a request' }),
    itemsToSend: count.meta({ description: 'items that go to the model: the rest are copies, cached or empty' }),
    requests: count.meta({ description: 'upstream LLM requests planned (batches, texts alone, parts of long texts)' }),
    promptTokens: count.meta({ description: "the planned prompts, counted in the model's tokenizer" }),
    completionTokens: count.meta({ description: 'the expected answers (re-asks after invalid answers not included)' }),
    seconds: z.number().nonnegative().meta({ description: "expected wall time at the provider's current pace" }),
    cost: z
      .object({ amount: z.number().nonnegative(), currency: z.string(), model: z.string() })
      .optional()
      .meta({ description: 'money for the tokens, when the deployer configured prices for this model (LLM_PRICES)' }),
    pace: z
      .object({
        requestsPerMinute: z.number().positive().optional(),
        tokensPerMinute: z.number().positive().optional(),
        concurrency: z.number().int().positive(),
        /** The average upstream latency per request measured so far; absent: none measured yet. */
        secondsPerRequest: z.number().nonnegative().optional(),
        source: z.enum(['provider-headers', 'configured', 'measured', 'default']).meta({
          description:
            "provider-headers: limits from the provider's rate-limit headers; configured: LLM_RPM and LLM_TPM; measured: latency measured, no limits known; default: nothing measured yet",
        }),
      })
      .meta({ description: "the provider's pace the time is computed at, and where it comes from" }),
  })
  .meta({ id: 'RunEstimate' });
export type RunEstimate = z.infer<typeof runEstimateSchema>;

export const estimateResponseSchema = z.object({ estimate: runEstimateSchema, model: z.string() }).meta({ id: 'EstimateResponse' });
export type EstimateResponse = z.infer<typeof estimateResponseSchema>;

export const estimateExample: z.input<typeof estimateRequestSchema> = {
  operation: 'classify',
  request: { items: ['I was charged twice', 'Where is my card?'], labels: ['billing', 'cards', 'other'] },
};
