// POST /api/v1/summarize: a summary of an email (and its quoted thread), a document or any text.
import { z } from 'zod';
import { languageTagSchema } from '../common-schemas.js';
import { summaryFormats, summaryKinds, summaryLengths } from '../options.js';
import { defineOperationContract, operationResponseSchema } from './define-operation-contract.js';

export const summarizeRequestSchema = z
  .object({
    text: z.string().refine((text) => text.trim().length > 0, {
      message: 'is empty: select some text (or an email or document with text) to summarise',
    }),
    kind: z.enum(summaryKinds).optional(),
    length: z.enum(summaryLengths).optional(),
    format: z.enum(summaryFormats).optional(),
    language: languageTagSchema.optional().meta({ description: "language of the summary; default: the input's" }),
  })
  .strict()
  .meta({ id: 'SummarizeRequest' });
export type SummarizeRequest = z.infer<typeof summarizeRequestSchema>;

export const summarizeResponseSchema = operationResponseSchema({ summary: z.string() }).meta({ id: 'SummarizeResponse' });
export type SummarizeResponse = z.infer<typeof summarizeResponseSchema>;

export const summarizeContract = defineOperationContract({
  name: 'summarize',
  summary: 'Summarise an email, a document or text',
  request: summarizeRequestSchema,
  response: summarizeResponseSchema,
  streamEvents: ['text-delta'],
  example: {
    text: 'Hi team, the release moves to Friday because the security review found two issues. Anna fixes them by Wednesday; Ben updates the release notes.',
    kind: 'email',
    length: 'short',
  },
});
