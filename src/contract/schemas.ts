// The HTTP contract, version 1: every request, response and stream event, defined once.
// The BFF validates with these at its edge, the task pane infers its types from them, and
// /api/v1/openapi.json is generated from them. Size limits are configuration, checked by the server
// (413), so they are deliberately not encoded here.
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

export const errorBodySchema = z
  .object({
    code: z.string().meta({ description: 'stable, machine-readable code such as INVALID_REQUEST' }),
    message: z.string().meta({ description: 'what happened and what to do' }),
    retryable: z.boolean(),
  })
  .meta({ id: 'ErrorBody' });
export type ErrorBody = z.infer<typeof errorBodySchema>;

export const errorEnvelopeSchema = z.object({ error: errorBodySchema }).meta({ id: 'ErrorEnvelope' });
export type ErrorEnvelope = z.infer<typeof errorEnvelopeSchema>;

// ---------------------------------------------------------------- summarize

export const summaryKindSchema = z.enum(['email', 'document', 'text']);
export const summaryLengthSchema = z.enum(['short', 'medium', 'long']);
export const summaryFormatSchema = z.enum(['paragraph', 'bullets']);

export const summarizeRequestSchema = z
  .object({
    text: z.string().refine((text) => text.trim().length > 0, {
      message: 'is empty: select some text (or an email or document with text) to summarise',
    }),
    kind: summaryKindSchema.optional(),
    length: summaryLengthSchema.optional(),
    format: summaryFormatSchema.optional(),
    language: languageTagSchema.optional().meta({ description: "language of the summary; default: the input's" }),
  })
  .strict()
  .meta({ id: 'SummarizeRequest' });
export type SummarizeRequest = z.infer<typeof summarizeRequestSchema>;

export const summarizeResponseSchema = z
  .object({ summary: z.string(), model: z.string(), usage: usageSchema })
  .meta({ id: 'SummarizeResponse' });
export type SummarizeResponse = z.infer<typeof summarizeResponseSchema>;

// ---------------------------------------------------------------- translate

export const formalitySchema = z.enum(['default', 'formal', 'informal']);

export const translateRequestSchema = z
  .object({
    texts: z.array(z.string()).min(1, 'is empty: send at least one text (a paragraph or a cell) to translate'),
    targetLanguage: languageTagSchema,
    sourceLanguage: languageTagSchema.optional(),
    glossary: z
      .record(
        z.string().trim().min(1, 'has an empty term: remove it'),
        z.string().min(1, 'has a term with an empty translation: give one or remove the term'),
      )
      .optional()
      .meta({ description: 'terms and the translation each must get' }),
    formality: formalitySchema.optional(),
  })
  .strict()
  .meta({ id: 'TranslateRequest' });
export type TranslateRequest = z.infer<typeof translateRequestSchema>;

export const translateResponseSchema = z
  .object({
    translations: z.array(z.string()).meta({ description: 'one per input text, in the same order' }),
    detectedSourceLanguage: z.string().optional(),
    model: z.string(),
    usage: usageSchema,
  })
  .meta({ id: 'TranslateResponse' });
export type TranslateResponse = z.infer<typeof translateResponseSchema>;

// ---------------------------------------------------------------- classify

export const classifyRequestSchema = z
  .object({
    items: z.array(z.string()).min(1, 'is empty: send at least one item (a row, a message) to classify'),
    labels: z
      .array(
        z
          .string()
          .refine((label) => label.trim().length > 0, { message: 'is empty: every label needs text' })
          .refine((label) => !hasControlCharacter(label), {
            message: 'contains a control character: remove it',
          }),
      )
      .min(1, 'is empty: give at least one label to choose from')
      .superRefine((labels, context) => {
        const firstIndexByLabel = new Map<string, number>();
        labels.forEach((label, index) => {
          const key = normalizeLabel(label);
          const firstIndex = firstIndexByLabel.get(key);
          if (firstIndex === undefined) {
            firstIndexByLabel.set(key, index);
          } else {
            context.addIssue({
              code: 'custom',
              path: [index],
              message: `repeats labels[${firstIndex}] (${JSON.stringify(label)}): make every label unique`,
            });
          }
        });
      }),
    instructions: z.string().optional().meta({ description: 'extra guidance on how to choose, such as label definitions' }),
  })
  .strict()
  .meta({ id: 'ClassifyRequest' });
export type ClassifyRequest = z.infer<typeof classifyRequestSchema>;

export const classifyResultSchema = z
  .object({
    label: z.string().nullable().meta({ description: 'one of the request labels, or null with an error' }),
    error: errorBodySchema.optional(),
  })
  .meta({ id: 'ClassifyResult' });
export type ClassifyResult = z.infer<typeof classifyResultSchema>;

export const classifyResponseSchema = z
  .object({
    results: z.array(classifyResultSchema).meta({ description: 'one per input item, in the same order' }),
    model: z.string(),
    usage: usageSchema,
  })
  .meta({ id: 'ClassifyResponse' });
export type ClassifyResponse = z.infer<typeof classifyResponseSchema>;

// ---------------------------------------------------------------- reply (an addition to v1: Outlook drafts)

export const replyToneSchema = z.enum(['neutral', 'formal', 'friendly', 'concise']);

export const replyRequestSchema = z
  .object({
    message: z.string().refine((text) => text.trim().length > 0, {
      message: 'is empty: open an email (or select its text) to reply to',
    }),
    instructions: z.string().optional().meta({ description: 'what the reply should say, in the user\'s words' }),
    tone: replyToneSchema.optional(),
    language: languageTagSchema.optional().meta({ description: "language of the reply; default: the message's" }),
    senderName: z.string().max(200).optional().meta({ description: 'the name to sign with' }),
  })
  .strict()
  .meta({ id: 'ReplyRequest' });
export type ReplyRequest = z.infer<typeof replyRequestSchema>;

export const replyResponseSchema = z
  .object({ reply: z.string(), model: z.string(), usage: usageSchema })
  .meta({ id: 'ReplyResponse' });
export type ReplyResponse = z.infer<typeof replyResponseSchema>;

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
  })
  .meta({ id: 'ClientConfigResponse' });
export type ClientConfigResponse = z.infer<typeof clientConfigResponseSchema>;

// ---------------------------------------------------------------- stream events (SSE)

/** Event names and payloads of the Server-Sent Event streams (`Accept: text/event-stream`). */
export const streamEventSchemas = {
  'text-delta': z.object({ text: z.string() }).meta({ id: 'TextDeltaEvent' }),
  item: z
    .object({
      index: z.number().int().nonnegative(),
      text: z.string().optional(),
      label: z.string().nullable().optional(),
      error: errorBodySchema.optional(),
    })
    .meta({ id: 'ItemEvent' }),
  progress: z
    .object({ done: z.number().int().nonnegative(), total: z.number().int().nonnegative() })
    .meta({ id: 'ProgressEvent' }),
  error: errorEnvelopeSchema,
} as const;
export type StreamEventName = keyof typeof streamEventSchemas | 'done';
export type TextDeltaEvent = z.infer<(typeof streamEventSchemas)['text-delta']>;
export type ItemEvent = z.infer<(typeof streamEventSchemas)['item']>;
export type ProgressEvent = z.infer<(typeof streamEventSchemas)['progress']>;

// ---------------------------------------------------------------- helpers shared by both sides

const controlCharacterPattern = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/u;

/** True for C0/C1 control characters other than tab, line feed and carriage return. */
export function hasControlCharacter(text: string): boolean {
  return controlCharacterPattern.test(text);
}

/** Labels compare by Unicode NFC form and surrounding white space, so "Café" typed two ways is one label. */
export function normalizeLabel(label: string): string {
  return label.normalize('NFC').trim();
}
