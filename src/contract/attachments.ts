// POST /api/v1/attachments/extract (an addition to contract v1): the text of one email attachment.
// How the pane uses it: for each attachment the user ticks, it reads the file with Office.js
// (item.getAttachmentContentAsync, Mailbox 1.8, which gives base64), posts { name, contentType,
// contentBase64 } here, one attachment per request (so no request is bigger than one file), and then
// sends the answers' { name, text } as `attachments` in the summarize or reply request. An error names
// the file and says why it cannot be read (ATTACHMENT_ENCRYPTED, ATTACHMENT_NO_TEXT,
// ATTACHMENT_UNSUPPORTED, ATTACHMENT_TOO_LARGE): the pane shows it next to the attachment, never drops
// it silently. The same file a second time is answered from the cache (`cached: true`).
import { z } from 'zod';
import { attachmentKinds } from './attachment-formats.js';
import { apiRoutes } from './routes.js';

export const attachmentExtractPath = apiRoutes.attachmentExtract;

export const attachmentExtractRequestSchema = z
  .object({
    name: z.string().trim().min(1, 'is empty: give the attachment file name').max(255).meta({ description: 'the file name, with its extension' }),
    contentType: z.string().max(255).optional().meta({ description: 'the MIME type Outlook reports (a hint; the content decides)' }),
    contentBase64: z
      .string()
      .min(1, 'is empty: the attachment has no content')
      .meta({ description: 'the file, base64 as getAttachmentContentAsync gives it; at most ATTACHMENT_MAX_BYTES once decoded' }),
  })
  .strict()
  .meta({ id: 'AttachmentExtractRequest' });
export type AttachmentExtractRequest = z.infer<typeof attachmentExtractRequestSchema>;

export const attachmentExtractResponseSchema = z
  .object({
    name: z.string(),
    kind: z.enum(attachmentKinds),
    text: z.string().meta({ description: 'the plain text; spreadsheets as "## Sheet: <name>" then tab-separated rows of its used range' }),
    characters: z.number().int().nonnegative().meta({ description: 'characters of the whole extracted text (before any truncation)' }),
    pages: z.number().int().nonnegative().optional().meta({ description: 'PDF: pages in the file' }),
    sheets: z.array(z.string()).optional().meta({ description: 'spreadsheet: the names of the sheets read' }),
    truncated: z.boolean().meta({ description: 'text was cut at the input limit; the summary then covers only its start' }),
    sha256: z.string().meta({ description: 'hex SHA-256 of the file: the extraction cache key' }),
    cached: z.boolean().meta({ description: 'answered from the cache: this file was extracted before' }),
  })
  .meta({ id: 'AttachmentExtractResponse' });
export type AttachmentExtractResponse = z.infer<typeof attachmentExtractResponseSchema>;
