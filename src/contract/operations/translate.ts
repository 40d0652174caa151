// POST /api/v1/translate: one translation per text (paragraphs or cells), in order.
import { z } from 'zod';
import { errorBodySchema, languageTagSchema, untranslatableReasons } from '../common-schemas.js';
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
    markup: z
      .literal('spans')
      .optional()
      .meta({
        description:
          "'spans': the texts carry span markers (<s1>…</s1> around formatted spans, <x1/> for inline items kept as they are; " +
          'literal <, > and & written &lt; &gt; &amp;). Each translation keeps every marker, or is plain text with markupDropped.',
      }),
    doNotTranslate: z
      .array(z.string().trim().min(1, 'has an empty term: remove it'))
      .optional()
      .meta({ description: 'terms (product and company names) that must appear unchanged in the translation' }),
    skipUntranslatable: z.boolean().optional().meta({
      description:
        'true: texts already in the target language, texts without words (numbers only) and code are not sent to the model; they come back unchanged with skipped',
    }),
  })
  .strict()
  .meta({ id: 'TranslateRequest' });
export type TranslateRequest = z.infer<typeof translateRequestSchema>;

export const translateResultSchema = z
  .object({
    text: z.string().nullable().meta({ description: 'the translation, or null with an error' }),
    error: errorBodySchema.optional(),
    markupDropped: z.literal(true).optional().meta({
      description: 'with markup: the model could not keep the span markers (after one re-ask), so text is the plain translation without markers, unescaped',
    }),
    skipped: z
      .enum(untranslatableReasons)
      .optional()
      .meta({ description: 'with skipUntranslatable: why the text was not sent to the model; text is the input unchanged' }),
    glossaryMissed: z
      .array(z.string())
      .optional()
      .meta({ description: 'glossary or do-not-translate terms of the source still missing from the translation after one re-ask' }),
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
        'with perItemErrors, markup or skipUntranslatable: one per input text, in the same order; a text that failed has text null and its error. ' +
        "When the provider failed and no text could be translated, the request fails with the provider's error instead (as classify does).",
    }),
  detectedSourceLanguage: z.string().optional(),
}).meta({ id: 'TranslateResponse' });
export type TranslateResponse = z.infer<typeof translateResponseSchema>;

/** GET /api/v1/glossary: the organisation's glossary, which the BFF merges into every translate request. */
export const glossaryResponseSchema = z
  .object({
    terms: z.record(z.string(), z.string()).meta({ description: 'terms and the fixed translation each must get' }),
    doNotTranslate: z.array(z.string()).meta({ description: 'terms that must appear unchanged' }),
  })
  .meta({ id: 'GlossaryResponse' });
export type GlossaryResponse = z.infer<typeof glossaryResponseSchema>;

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
