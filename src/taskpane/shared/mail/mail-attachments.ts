// The open message's attachments for a summary or a reply: which ones the pane offers (a kind the BFF
// reads, within the size limit), and their text, read with Office.js one file at a time and extracted
// by the BFF (POST /api/v1/attachments/extract). A file that cannot be read is never dropped silently:
// it comes back as a problem with the BFF's stable code, and the pane names it.
import { attachmentKindOf, defaultAttachmentMaxBytes, maxAttachmentsPerRequest } from '../../../contract/attachment-formats.js';
import type { AttachmentText } from '../../../contract/mail-parts.js';
import { isAbortError } from '../../../contract/abort.js';
import { isHostError, type MailAttachment, type MailAttachmentAccess } from '../../../hosts/host-adapter.js';
import type { ApiClient } from '../api/api-client.js';
import { ApiError } from '../api/api-error.js';

/** Why an attachment is not offered (left unticked and disabled, with the reason shown). */
export type AttachmentRefusal = 'unsupported' | 'too-large' | 'cloud';

export interface AttachmentOption {
  attachment: MailAttachment;
  refusal?: AttachmentRefusal | undefined;
  /** Ticked at first: a readable file the sender attached (not a picture inside the body). */
  chosenByDefault: boolean;
}

export function attachmentOptions(attachments: readonly MailAttachment[], maxBytes = defaultAttachmentMaxBytes): AttachmentOption[] {
  return attachments.map((attachment) => {
    const refusal: AttachmentRefusal | undefined =
      attachment.kind === 'cloud'
        ? 'cloud'
        : attachment.kind === 'file' && attachmentKindOf(attachment.name) === undefined
          ? 'unsupported'
          : attachment.size > maxBytes * 1.4
            ? 'too-large' // Outlook's size is of the MIME-encoded file, about a third more than its bytes: the BFF decides at the edge.
            : undefined;
    return { attachment, refusal, chosenByDefault: refusal === undefined && !attachment.isInline };
  });
}

/** An attachment the user chose that gave no text, with the code the pane words it by. */
export interface AttachmentProblem {
  name: string;
  /** The BFF's stable code (ATTACHMENT_ENCRYPTED, ATTACHMENT_NO_TEXT, ATTACHMENT_UNSUPPORTED, ATTACHMENT_TOO_LARGE, …) or the host's. */
  code: string;
}

export interface ExtractedAttachments {
  texts: AttachmentText[];
  problems: AttachmentProblem[];
  /** Characters of text per attachment name, and whether the BFF cut it, for the pane's note. */
  truncated: string[];
}

/**
 * Reads and extracts the chosen attachments one by one (one file in memory at a time). An abort stops
 * at once; any other failure of one file is a problem of that file and the others go on.
 */
export async function extractAttachments(
  access: MailAttachmentAccess,
  api: ApiClient,
  chosen: readonly MailAttachment[],
  signal: AbortSignal,
): Promise<ExtractedAttachments> {
  const result: ExtractedAttachments = { texts: [], problems: [], truncated: [] };
  for (const attachment of chosen) {
    signal.throwIfAborted();
    if (result.texts.length >= maxAttachmentsPerRequest) {
      result.problems.push({ name: attachment.name, code: 'TOO_MANY_ATTACHMENTS' });
      continue;
    }
    try {
      const content = await access.readAttachment(attachment);
      signal.throwIfAborted();
      const extracted = await api.extractAttachment(
        { name: attachment.name, contentBase64: content.contentBase64, ...(content.contentType === '' ? {} : { contentType: content.contentType }) },
        { signal },
      );
      result.texts.push({ name: attachment.name, text: extracted.text });
      if (extracted.truncated) result.truncated.push(attachment.name);
    } catch (error) {
      if (isAbortError(error) || signal.aborted) throw error;
      // A problem of this file (its kind, size, protection, or Outlook refusing to read it) is reported
      // with it; anything else (sign-in, rate limit, the BFF down) fails the run as a whole.
      if (error instanceof ApiError && (error.code.startsWith('ATTACHMENT_') || error.code === 'PAYLOAD_TOO_LARGE'))
        result.problems.push({ name: attachment.name, code: error.code });
      else if (isHostError(error)) result.problems.push({ name: attachment.name, code: error.code });
      else throw error;
    }
  }
  return result;
}
