// The clear answers for an attachment that cannot be read: each names the file and says what to do.
import type { AttachmentKind } from '../../contract/attachment-formats.js';
import { AppError } from '../errors.js';
import { formatCount } from '../operations/shared/input-limits.js';

export const supportedKindsSentence = 'supported: PDF, Word (.docx), Excel (.xlsx), text, HTML, .eml and Outlook .msg';

export function encryptedAttachment(name: string, cause?: unknown): AppError {
  return new AppError(
    'ATTACHMENT_ENCRYPTED',
    `"${name}" is password-protected or encrypted, so its text cannot be read. Open it, save a copy without a password and attach that.`,
    { cause },
  );
}

export function attachmentWithoutText(name: string): AppError {
  return new AppError(
    'ATTACHMENT_NO_TEXT',
    `"${name}" has no text to read — it may be a scan or contain only images. Attach a version with text (for example, run text recognition on it first).`,
  );
}

export function unsupportedAttachment(name: string, cause?: unknown): AppError {
  return new AppError('ATTACHMENT_UNSUPPORTED', `"${name}": this kind of file cannot be read; ${supportedKindsSentence}.`, { cause });
}

export function damagedAttachment(name: string, kind: AttachmentKind, cause?: unknown): AppError {
  return new AppError(
    'ATTACHMENT_UNSUPPORTED',
    `"${name}" could not be read as ${kind.toUpperCase()}: the file may be damaged. Open it and save it again, then retry.`,
    {
      cause,
    },
  );
}

export function attachmentTooLarge(name: string, bytes: number, maxBytes: number): AppError {
  return new AppError(
    'ATTACHMENT_TOO_LARGE',
    `"${name}" has ${formatCount(bytes)} bytes; this server reads attachments of at most ${formatCount(maxBytes)} bytes. Summarise a smaller file, or copy the part you need into the message.`,
    { details: { limit: maxBytes, actual: bytes } },
  );
}
