// Parts of the summarize and reply contracts that come from Outlook (additions to contract v1).
// How the pane uses them: `attachments` carries the extracted text of the attachments the user chose
// ({ name, text } from POST /api/v1/attachments/extract), `messages` the multi-selected messages of a
// digest (summarize with kind 'digest'), and a response's `trimmed` says how much signature,
// disclaimer and old quoted thread the BFF left out of what the model saw (the pane may show it).
import { z } from 'zod';
import { maxAttachmentsPerRequest, maxDigestMessages } from './attachment-formats.js';
import { errorBodySchema } from './common-schemas.js';

export const attachmentTextSchema = z
  .object({
    name: z.string().trim().min(1, 'is empty: give the attachment file name').max(255),
    text: z.string().meta({ description: 'the text from /api/v1/attachments/extract; counts against the input limit' }),
  })
  .strict()
  .meta({ id: 'AttachmentText' });
export type AttachmentText = z.infer<typeof attachmentTextSchema>;

export const attachmentTextsSchema = z
  .array(attachmentTextSchema)
  .max(maxAttachmentsPerRequest)
  .meta({ description: `the chosen attachments' text, at most ${maxAttachmentsPerRequest}; the answer names the attachment each point came from` });

export const digestMessageSchema = z
  .object({
    id: z.string().min(1).max(1000).meta({ description: "the message's item id; the digest's lines are keyed by it" }),
    subject: z.string().max(1000).optional(),
    from: z.string().max(500).optional().meta({ description: 'the sender, as shown' }),
    received: z.string().max(100).optional().meta({ description: 'ISO 8601' }),
    text: z.string().meta({ description: 'the body as plain text (signatures and old quoted tails are trimmed by the BFF)' }),
  })
  .strict()
  .meta({ id: 'DigestMessage' });
export type DigestMessage = z.infer<typeof digestMessageSchema>;

export const digestMessagesSchema = z
  .array(digestMessageSchema)
  .min(1, 'is empty: select one or more messages')
  .max(maxDigestMessages, `has too many messages: select at most ${maxDigestMessages}`);

export const digestLineSchema = z
  .object({
    id: z.string(),
    line: z.string().meta({ description: 'one sentence: what the message is about / asks' }),
    needsAnswer: z.boolean().meta({ description: 'the message asks the user for an answer or action' }),
    reason: z.string().optional().meta({ description: 'needsAnswer: what is asked, and by when if it says' }),
    error: errorBodySchema.optional().meta({ description: 'the model gave no line for this message (line is then empty); never left out silently' }),
  })
  .meta({ id: 'DigestLine' });
export type DigestLine = z.infer<typeof digestLineSchema>;

export const digestSchema = z
  .object({
    messages: z.array(digestLineSchema).meta({ description: 'one line per input message, same length and order as `messages`' }),
    needsAnswer: z.array(z.string()).meta({ description: 'ids of the messages that need the user’s answer, in the order of `messages`' }),
  })
  .meta({ id: 'Digest' });
export type Digest = z.infer<typeof digestSchema>;

export const trimmedCountsSchema = z
  .object({
    signatureCharacters: z.number().int().nonnegative(),
    disclaimerCharacters: z.number().int().nonnegative(),
    quotedCharacters: z.number().int().nonnegative().meta({ description: 'older quoted messages beyond what the summary needs' }),
  })
  .meta({ id: 'TrimmedCounts', description: 'characters of the email left out of what the model saw' });
export type TrimmedCounts = z.infer<typeof trimmedCountsSchema>;
