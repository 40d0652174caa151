// The parts of the HTTP contract v1 that every operation shares: language tags, usage, errors, stream
// events, health and the client configuration. The operations' own schemas are in operations/.
// Size limits are configuration, checked by the server (413), so they are deliberately not encoded here.
import { z } from 'zod';

/** A BCP 47 language tag such as `de`, `en-GB` or `pt-BR`, checked by the platform's own Intl. */
export const languageTagSchema = z
  .string()
  .trim()
  .min(1, 'is empty: give a BCP 47 language tag such as "de" or "en-GB"')
  .max(35)
  .refine(
    (tag) => {
      try {
        return Intl.getCanonicalLocales(tag).length === 1;
      } catch {
        return false;
      }
    },
    { message: 'is not a BCP 47 language tag: use one such as "de", "en-GB" or "pt-BR"' },
  )
  .meta({ description: 'BCP 47 language tag', examples: ['de', 'en-GB'] });

export const usageSchema = z
  .object({
    promptTokens: z.number().int().nonnegative(),
    completionTokens: z.number().int().nonnegative(),
    requests: z.number().int().nonnegative().meta({ description: 'LLM requests made for this call' }),
    cachedItems: z.number().int().nonnegative().meta({ description: 'items answered from the cache' }),
  })
  .meta({ id: 'Usage' });
export type Usage = z.infer<typeof usageSchema>;

/** Numbers behind an error, so a client can say them in its user's language (an addition to v1). */
export const errorDetailsSchema = z
  .object({
    limit: z
      .number()
      .nonnegative()
      .optional()
      .meta({ description: 'the configured limit that was exceeded, in the unit of the code (characters, items, labels, bytes, tokens)' }),
    actual: z.number().nonnegative().optional().meta({ description: 'the size of what was sent, in the same unit as limit' }),
    retryAfterSeconds: z.number().nonnegative().optional().meta({ description: 'seconds to wait before trying again, as in Retry-After' }),
  })
  .meta({ id: 'ErrorDetails' });
export type ErrorDetails = z.infer<typeof errorDetailsSchema>;

export const errorBodySchema = z
  .object({
    code: z.string().meta({ description: 'stable, machine-readable code such as INVALID_REQUEST' }),
    message: z.string().meta({ description: 'what happened and what to do' }),
    retryable: z.boolean(),
    details: errorDetailsSchema.optional(),
  })
  .meta({ id: 'ErrorBody' });
export type ErrorBody = z.infer<typeof errorBodySchema>;

export const errorEnvelopeSchema = z.object({ error: errorBodySchema }).meta({ id: 'ErrorEnvelope' });
export type ErrorEnvelope = z.infer<typeof errorEnvelopeSchema>;

// ---------------------------------------------------------------- health

export const healthResponseSchema = z
  .object({
    status: z.enum(['ok', 'starting', 'unavailable']),
    provider: z.string(),
    model: z.string(),
    ready: z.boolean(),
    reason: z.string().optional().meta({ description: 'why it is not ready, and what to do' }),
  })
  .meta({ id: 'HealthResponse' });
export type HealthResponse = z.infer<typeof healthResponseSchema>;

// ---------------------------------------------------------------- client configuration (an addition to v1)

/** What the task pane needs to sign in; public values only (an application id is not a secret). */
export const clientConfigResponseSchema = z
  .object({
    auth: z.discriminatedUnion('mode', [
      z.object({ mode: z.literal('off') }),
      z.object({
        mode: z.literal('entra'),
        clientId: z.string(),
        /** Delegated scopes to request for the BFF, such as api://<id>/access_as_user. */
        scopes: z.array(z.string()),
        /** Authority to sign in with; the organisations endpoint when several tenants are allowed. */
        authority: z.string(),
      }),
    ]),
    /** An addition: when the pane asks before a bulk run (ESTIMATE_CONFIRM_ROWS); the user's own pane setting wins. */
    estimate: z
      .object({
        confirmAboveRows: z
          .number()
          .int()
          .nonnegative()
          .meta({ description: 'the pane shows the estimate and asks to confirm before a run of more rows than this' }),
        confirmAboveCost: z
          .number()
          .nonnegative()
          .optional()
          .meta({ description: "…or before a run whose estimated cost is more than this, in the currency of the model's price (ESTIMATE_CONFIRM_COST)" }),
      })
      .optional(),
  })
  .meta({ id: 'ClientConfigResponse' });
export type ClientConfigResponse = z.infer<typeof clientConfigResponseSchema>;

// ---------------------------------------------------------------- stream events (SSE)

/** Why a text was not sent to the model (translate's skipUntranslatable). */
export const untranslatableReasons = ['already-in-target-language', 'no-words', 'code'] as const;
export type UntranslatableReason = (typeof untranslatableReasons)[number];

/** Event names and payloads of the Server-Sent Event streams (`Accept: text/event-stream`). */
export const streamEventSchemas = {
  'text-delta': z.object({ text: z.string() }).meta({ id: 'TextDeltaEvent' }),
  item: z
    .object({
      index: z.number().int().nonnegative(),
      text: z.string().optional(),
      label: z.string().nullable().optional(),
      error: errorBodySchema.optional(),
      // A translation's marks, as on its TranslateResult.
      markupDropped: z.literal(true).optional(),
      skipped: z.enum(untranslatableReasons).optional(),
      glossaryMissed: z.array(z.string()).optional(),
    })
    .meta({ id: 'ItemEvent' }),
  progress: z.object({ done: z.number().int().nonnegative(), total: z.number().int().nonnegative() }).meta({ id: 'ProgressEvent' }),
  error: errorEnvelopeSchema,
} as const;
export type StreamEventName = keyof typeof streamEventSchemas | 'done';
export type TextDeltaEvent = z.infer<(typeof streamEventSchemas)['text-delta']>;
export type ItemEvent = z.infer<(typeof streamEventSchemas)['item']>;
export type ProgressEvent = z.infer<(typeof streamEventSchemas)['progress']>;
