// What the Outlook panes do with the open message: a summary or a reply draft with the attachments the
// user chose, or a label with its category. Each run is made for one message (its id, taken when the
// user clicked): it stops when the signal does (the pane aborts it when the user moves to another
// message), and its write carries that id, so the adapter refuses to apply it to any other message.
import type { ReplyTone, SummaryFormat, SummaryLength } from '../../../contract/options.js';
import type { MailAccess, MailAttachment, MailMessage } from '../../../hosts/host-adapter.js';
import type { ApiClient } from '../api/api-client.js';
import { ApiError } from '../api/api-error.js';
import { mailAsText } from '../mail-text.js';
import { extractAttachments, type ExtractedAttachments } from './mail-attachments.js';

const noAttachments: ExtractedAttachments = { texts: [], problems: [], truncated: [] };

/** The open message, provided it is still the one the run was started for. */
export async function readOpenMessage(mail: MailAccess, expectedMessageId: string | undefined, signal: AbortSignal): Promise<MailMessage> {
  const message = await mail.readMessage();
  signal.throwIfAborted();
  // The user moved on between the click and the read: this run is not for the message open now.
  if (expectedMessageId !== undefined && message.id !== expectedMessageId) throw new DOMException('Another message is open', 'AbortError');
  return message;
}

interface OpenMessageRunOptions {
  mail: MailAccess;
  api: ApiClient;
  signal: AbortSignal;
  /** The message the user clicked for (MailAccess.currentMessageId() then). */
  expectedMessageId: string | undefined;
  attachments?: readonly MailAttachment[] | undefined;
  /** Called once the attachments are read, before the model writes: the pane shows what was left out at once. */
  onAttachments?: (extracted: ExtractedAttachments) => void;
  onTextDelta?: (text: string) => void;
}

async function readAttachments(options: OpenMessageRunOptions): Promise<ExtractedAttachments> {
  const { mail, api, signal, attachments = [] } = options;
  const extracted =
    mail.attachments === undefined || attachments.length === 0 ? noAttachments : await extractAttachments(mail.attachments, api, attachments, signal);
  options.onAttachments?.(extracted);
  return extracted;
}

export async function summarizeOpenMessage(
  options: OpenMessageRunOptions & { length?: SummaryLength | undefined; format?: SummaryFormat | undefined; emptyMessage: string },
): Promise<{ summary: string; extracted: ExtractedAttachments }> {
  const { mail, api, signal, expectedMessageId, length, format, onTextDelta } = options;
  const message = await readOpenMessage(mail, expectedMessageId, signal);
  if (message.body.trim() === '' && message.subject.trim() === '') throw new Error(options.emptyMessage);
  const extracted = await readAttachments(options);
  const response = await api.run(
    'summarize',
    {
      text: mailAsText(message),
      kind: 'email',
      ...(length === undefined ? {} : { length }),
      ...(format === undefined ? {} : { format }),
      ...(extracted.texts.length === 0 ? {} : { attachments: extracted.texts }),
    },
    { signal, ...(onTextDelta === undefined ? {} : { onTextDelta }) },
  );
  return { summary: response.summary, extracted };
}

export async function draftReplyToOpenMessage(
  options: OpenMessageRunOptions & { tone?: ReplyTone | undefined; language?: string | undefined; instructions?: string | undefined },
): Promise<{ reply: string; extracted: ExtractedAttachments }> {
  const { mail, api, signal, expectedMessageId, tone, language, instructions, onTextDelta } = options;
  const message = await readOpenMessage(mail, expectedMessageId, signal);
  const extracted = await readAttachments(options);
  const response = await api.run(
    'reply',
    {
      message: mailAsText(message),
      ...(tone === undefined ? {} : { tone }),
      ...(language === undefined ? {} : { language }),
      ...(instructions === undefined || instructions.trim() === '' ? {} : { instructions }),
      ...(extracted.texts.length === 0 ? {} : { attachments: extracted.texts }),
    },
    { signal, ...(onTextDelta === undefined ? {} : { onTextDelta }) },
  );
  return { reply: response.reply, extracted };
}

/** A label for the open message and its category applied to that message only; `applied` false: no category of that name. */
export async function classifyOpenMessage(
  options: Omit<OpenMessageRunOptions, 'attachments' | 'onAttachments' | 'onTextDelta'> & { labels: string[] },
): Promise<{ label: string; applied: boolean }> {
  const { mail, api, signal, expectedMessageId, labels } = options;
  const message = await readOpenMessage(mail, expectedMessageId, signal);
  const response = await api.run('classify', { items: [mailAsText(message)], labels }, { signal });
  signal.throwIfAborted();
  const result = response.results[0];
  // The item's error is worded by its code like any other (its English message goes under Details).
  if (result === undefined || result.label === null) {
    throw new ApiError(result?.error ?? { code: 'INVALID_MODEL_OUTPUT', message: 'The server returned no label for the message.', retryable: true });
  }
  const applied = await mail.applyCategory(result.label, { expectedMessageId });
  return { label: result.label, applied };
}
