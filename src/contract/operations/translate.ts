// POST /api/v1/translate: one translation per text (paragraphs or cells), in order.
import { z } from 'zod';
import { languageTagSchema } from '../common-schemas.js';
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
  })
  .strict()
  .meta({ id: 'TranslateRequest' });
export type TranslateRequest = z.infer<typeof translateRequestSchema>;

export const translateResponseSchema = operationResponseSchema({
  translations: z.array(z.string()).meta({ description: 'one per input text, in the same order' }),
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
