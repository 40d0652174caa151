// POST /api/v1/translate: one translation per text (paragraphs or cells), in order.
import { z } from 'zod';
import { errorBodySchema, languageTagSchema } from '../common-schemas.js';
import { formalities } from '../options.js';
import { defineOperationContract, operationResponseSchema } from './define-operation-contract.js';

export const translateRequestSchema = z
  .object({
    texts: z.array(z.string()).min(1, 'is empty: send at least one text (a paragraph or a cell) to translate'),
    targetLanguage: languageTagSchema,
    sourceLanguage: languageTagSchema.optional(),
    glossary: z
      .record(z.string().trim().min(1, 'has an empty term: remove it'), z.string().min(1, 'has a term with an empty translation: give one or remove the term'))
      .optional()
      .meta({ description: 'terms and the translation each must get' }),
    formality: z.enum(formalities).optional(),
    perItemErrors: z
      .boolean()
      .optional()
      .meta({ description: 'true: a text that cannot be translated gets an error of its own instead of failing the request' }),
  })
  .strict()
  .meta({ id: 'TranslateRequest' });
export type TranslateRequest = z.infer<typeof translateRequestSchema>;

export const translateResultSchema = z
  .object({
    text: z.string().nullable().meta({ description: 'the translation, or null with an error' }),
    error: errorBodySchema.optional(),
  })
  .meta({ id: 'TranslateResult' });
export type TranslateResult = z.infer<typeof translateResultSchema>;

export const translateResponseSchema = operationResponseSchema({
  translations: z.array(z.string()).meta({ description: "one per input text, in the same order; '' for a text that failed (with perItemErrors)" }),
  results: z
    .array(translateResultSchema)
    .optional()
    .meta({
      description:
        'with perItemErrors: one per input text, in the same order; a text that failed has text null and its error. ' +
        "When the provider failed and no text could be translated, the request fails with the provider's error instead (as classify does).",
    }),
  detectedSourceLanguage: z.string().optional(),
}).meta({ id: 'TranslateResponse' });
export type TranslateResponse = z.infer<typeof translateResponseSchema>;

export const translateContract = defineOperationContract({
  name: 'translate',
  summary: 'Translate texts (paragraphs or cells), one translation per text, in order',
  request: translateRequestSchema,
  response: translateResponseSchema,
  streamEvents: ['item', 'progress'],
  example: {
    texts: ['Die Lieferung kommt am Montag.', 'Bitte bestätigen Sie den Termin.'],
    targetLanguage: 'en',
    glossary: { Lieferung: 'delivery' },
  },
});
