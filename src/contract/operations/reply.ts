// POST /api/v1/reply (an addition to the v1 table): a draft reply to an email, for Outlook.
// The pane sends the open message with its quoted thread as `message`, what the user wants the reply to
// say as `instructions`, and the chosen attachments' extracted text as `attachments` (../mail-parts.ts);
// the response's `trimmed` counts the signature, disclaimer and old quoted thread the model did not see.
import { z } from 'zod';
import { languageTagSchema } from '../common-schemas.js';
import { attachmentTextsSchema, trimmedCountsSchema } from '../mail-parts.js';
import { replyTones } from '../options.js';
import { defineOperationContract, operationResponseSchema } from './define-operation-contract.js';

export const replyRequestSchema = z
  .object({
    message: z.string().refine((text) => text.trim().length > 0, {
      message: 'is empty: open an email (or select its text) to reply to',
    }),
    instructions: z.string().optional().meta({ description: "what the reply should say, in the user's words" }),
    tone: z.enum(replyTones).optional(),
    language: languageTagSchema.optional().meta({ description: "language of the reply; default: the message's" }),
    senderName: z.string().max(200).optional().meta({ description: 'the name to sign with' }),
    attachments: attachmentTextsSchema.optional(),
  })
  .strict()
  .meta({ id: 'ReplyRequest' });
export type ReplyRequest = z.infer<typeof replyRequestSchema>;

export const replyResponseSchema = operationResponseSchema({
  reply: z.string(),
  trimmed: trimmedCountsSchema.optional(),
}).meta({ id: 'ReplyResponse' });
export type ReplyResponse = z.infer<typeof replyResponseSchema>;

export const replyContract = defineOperationContract({
  name: 'reply',
  summary: 'Draft a reply to an email (an addition to the v1 table)',
  request: replyRequestSchema,
  response: replyResponseSchema,
  streamEvents: ['text-delta'],
  example: {
    message: 'Could you send me the signed contract by Thursday? Thanks, Maria',
    instructions: 'Say yes, it comes on Wednesday',
    tone: 'friendly',
  },
});
