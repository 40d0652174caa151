// POST /api/v1/summarize: a summary of an email (and its quoted thread), a document or any text.
// Additions for Outlook (see ../mail-parts.ts): `attachments` (the chosen attachments' extracted text:
// the summary names which point came from which attachment), and a digest of many messages: kind
// 'digest' with `messages` (up to 100) instead of `text`, answered with `digest` (a line per message,
// keyed by id, and the ids that need the user's answer) besides the same `summary` text. For an email
// the response's `trimmed` counts the signature, disclaimer and old quoted thread the model did not see.
import { z } from 'zod';
import { languageTagSchema } from '../common-schemas.js';
import { attachmentTextsSchema, digestMessagesSchema, digestSchema, trimmedCountsSchema } from '../mail-parts.js';
import { summaryFormats, summaryKinds, summaryLengths } from '../options.js';
import { defineOperationContract, operationResponseSchema } from './define-operation-contract.js';

/** The kinds a summarize request takes: the pane's choices plus 'digest' (many messages, from a multi-selection). */
export const summarizeRequestKinds = [...summaryKinds, 'digest'] as const;

const emptyTextMessage = 'is empty: select some text (or an email or document with text) to summarise';

export const summarizeRequestSchema = z
  .object({
    text: z.string().optional().meta({ description: "the text to summarise; required except for kind 'digest', which takes `messages`" }),
    kind: z.enum(summarizeRequestKinds).optional(),
    length: z.enum(summaryLengths).optional(),
    format: z.enum(summaryFormats).optional(),
    language: languageTagSchema.optional().meta({ description: "language of the summary; default: the input's" }),
    attachments: attachmentTextsSchema.optional(),
    messages: digestMessagesSchema.optional().meta({ description: "kind 'digest': the selected messages, at most 100" }),
  })
  .strict()
  .superRefine((request, context) => {
    if (request.kind === 'digest' || request.messages !== undefined) {
      if (request.messages === undefined) context.addIssue({ code: 'custom', path: ['messages'], message: 'is missing: a digest needs the selected messages' });
      else if (request.kind !== 'digest') context.addIssue({ code: 'custom', path: ['kind'], message: "must be 'digest' when messages are given" });
      if (request.attachments !== undefined) context.addIssue({ code: 'custom', path: ['attachments'], message: 'cannot be sent with a digest of messages' });
    } else if (request.text === undefined) {
      context.addIssue({ code: 'custom', path: ['text'], message: 'is missing: send it as a string' });
    } else if (request.text.trim().length === 0) {
      context.addIssue({ code: 'custom', path: ['text'], message: emptyTextMessage });
    }
  })
  .meta({ id: 'SummarizeRequest' });
export type SummarizeRequest = z.infer<typeof summarizeRequestSchema>;

export const summarizeResponseSchema = operationResponseSchema({
  summary: z.string().meta({ description: 'the summary; for a digest, the same content as `digest` as readable text' }),
  digest: digestSchema.optional().meta({ description: "kind 'digest' only" }),
  trimmed: trimmedCountsSchema.optional().meta({ description: "kind 'email' and 'digest': what was left out of what the model saw" }),
}).meta({ id: 'SummarizeResponse' });
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
