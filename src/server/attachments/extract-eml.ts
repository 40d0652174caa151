// An attached email (.eml) with mailparser: its headers and body (HTML bodies as text). Its own
// attachments are listed by name: they are not read (attach them to the message directly to include them).
import { simpleParser } from 'mailparser';
import { damagedAttachment } from './attachment-errors.js';
import { htmlToPlainText } from './extract-html.js';
import type { ExtractedText } from './extracted-text.js';

export async function extractEml(name: string, content: Uint8Array): Promise<ExtractedText> {
  let mail: Awaited<ReturnType<typeof simpleParser>>;
  try {
    mail = await simpleParser(Buffer.from(content.buffer, content.byteOffset, content.byteLength), { skipImageLinks: true });
  } catch (error) {
    throw damagedAttachment(name, 'eml', error);
  }
  const body = mail.text?.trim() || (typeof mail.html === 'string' ? htmlToPlainText(mail.html) : '');
  return {
    kind: 'eml',
    text: mailText({
      subject: mail.subject,
      from: mail.from?.text,
      to: Array.isArray(mail.to) ? mail.to.map((address) => address.text).join(', ') : mail.to?.text,
      date: mail.date?.toISOString(),
      body,
      attachmentNames: mail.attachments.map((attachment) => attachment.filename ?? 'unnamed'),
    }),
  };
}

export interface MailParts {
  subject: string | undefined;
  from: string | undefined;
  to: string | undefined;
  date: string | undefined;
  body: string;
  attachmentNames: readonly string[];
}

/** The headers a reader needs, then the body; nested attachments by name only. */
export function mailText(parts: MailParts): string {
  const headers = [
    parts.subject === undefined ? undefined : `Subject: ${parts.subject}`,
    parts.from === undefined ? undefined : `From: ${parts.from}`,
    parts.to === undefined ? undefined : `To: ${parts.to}`,
    parts.date === undefined ? undefined : `Date: ${parts.date}`,
    parts.attachmentNames.length === 0 ? undefined : `Attachments (not read): ${parts.attachmentNames.join(', ')}`,
  ].filter((line): line is string => line !== undefined);
  return `${headers.join('\n')}\n\n${parts.body}`.trim();
}
