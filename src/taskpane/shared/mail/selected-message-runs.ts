// Many selected messages at once (Outlook's item multi-select, at most 100): a label per message with
// the matching category applied to each, or one digest. The messages are read one at a time (Outlook
// loads only one selected item at a time), sent in ONE classify or summarize request (the BFF batches:
// a few model requests for 100 messages), and each category goes to the message it was chosen for, by id.
import type { SummaryFormat, SummaryLength } from '../../../contract/options.js';
import type { DigestMessage } from '../../../contract/mail-parts.js';
import type { SummarizeResponse } from '../../../contract/operations/summarize.js';
import { isHostError, type MailMessage, type MailSelectionAccess, type SelectedMailMessage } from '../../../hosts/host-adapter.js';
import type { ApiClient } from '../api/api-client.js';
import { mailAsText } from '../mail-text.js';

/** What a triage label needs of a message: its start. Longer bodies are cut here (the BFF would refuse items over its limit). */
export const CLASSIFY_MESSAGE_CHARACTERS = 4_000;
/** A digest line needs more, but 100 messages must stay within the request's total limit (2,000,000 by default). */
export const DIGEST_MESSAGE_CHARACTERS = 15_000;

export interface SelectedRunProgress {
  phase: 'reading' | 'classifying' | 'applying';
  done: number;
  total: number;
}

export type CategoryOutcome = 'applied' | 'missing' | 'not-applied' | 'failed';

export interface MessageClassification {
  id: string;
  subject: string;
  label: string | null;
  /** The BFF's per-item error code when no label could be chosen. */
  errorCode?: string | undefined;
  /** applied; missing: no category of that name in the master list; not-applied: this Outlook cannot categorise other messages; failed: Outlook refused. */
  category?: CategoryOutcome | undefined;
}

export interface ClassifySelectedResult {
  results: MessageClassification[];
  /** Model requests the BFF made for the whole selection. */
  modelRequests: number;
  /** False where Outlook cannot open the selected messages (before Mailbox 1.15): labels come from the subjects alone and no category was applied. */
  messagesRead: boolean;
}

interface SelectedRunOptions {
  selection: MailSelectionAccess;
  api: ApiClient;
  selected: readonly SelectedMailMessage[];
  signal: AbortSignal;
  onProgress?: (progress: SelectedRunProgress) => void;
}

/** The selected messages, read one by one; where Outlook cannot open them, their subjects alone. */
export async function readSelectedMessages({ selection, selected, signal, onProgress }: Omit<SelectedRunOptions, 'api'>): Promise<MailMessage[]> {
  if (!selection.canReadMessages) return selected.map((message) => ({ id: message.id, subject: message.subject, from: '', body: '' }));
  const messages: MailMessage[] = [];
  for (const [index, message] of selected.entries()) {
    signal.throwIfAborted();
    onProgress?.({ phase: 'reading', done: index, total: selected.length });
    messages.push({ ...(await selection.readMessageById(message.id)), id: message.id });
  }
  onProgress?.({ phase: 'reading', done: selected.length, total: selected.length });
  return messages;
}

export async function classifySelectedMessages(options: SelectedRunOptions & { labels: string[] }): Promise<ClassifySelectedResult> {
  const { selection, api, selected, signal, onProgress, labels } = options;
  const messages = await readSelectedMessages(options);
  signal.throwIfAborted();
  const total = messages.length;
  const response = await api.run(
    'classify',
    { items: messages.map((message) => mailAsText(message).slice(0, CLASSIFY_MESSAGE_CHARACTERS)), labels },
    { signal, onProgress: (progress) => onProgress?.({ phase: 'classifying', done: progress.done, total }) },
  );
  const results: MessageClassification[] = selected.map((message, index) => {
    const result = response.results[index];
    return { id: message.id, subject: message.subject, label: result?.label ?? null, errorCode: result?.error?.code };
  });
  let applied = 0;
  for (const result of results) {
    if (result.label === null) continue;
    if (!selection.canReadMessages) {
      result.category = 'not-applied';
      continue;
    }
    signal.throwIfAborted();
    onProgress?.({ phase: 'applying', done: applied, total });
    try {
      result.category = (await selection.applyCategoryTo(result.id, result.label)) ? 'applied' : 'missing';
    } catch (error) {
      if (!isHostError(error)) throw error;
      result.category = 'failed';
    }
    applied++;
  }
  return { results, modelRequests: response.usage.requests, messagesRead: selection.canReadMessages };
}

export interface DigestSelectedResult {
  response: SummarizeResponse;
  /** Subjects by id, to show the digest's lines against the messages they describe. */
  subjects: Map<string, string>;
  messagesRead: boolean;
}

export async function digestSelectedMessages(
  options: SelectedRunOptions & { length?: SummaryLength | undefined; format?: SummaryFormat | undefined; onTextDelta?: (text: string) => void },
): Promise<DigestSelectedResult> {
  const { selection, api, signal, length, format, onTextDelta } = options;
  const messages = await readSelectedMessages(options);
  signal.throwIfAborted();
  const digestMessages: DigestMessage[] = messages.map((message, index) => ({
    id: message.id ?? options.selected[index]?.id ?? String(index),
    subject: message.subject,
    ...(message.from === '' ? {} : { from: message.from }),
    ...(message.received === undefined ? {} : { received: message.received }),
    text: message.body.slice(0, DIGEST_MESSAGE_CHARACTERS),
  }));
  const response = await api.run(
    'summarize',
    { kind: 'digest', messages: digestMessages, ...(length === undefined ? {} : { length }), ...(format === undefined ? {} : { format }) },
    { signal, ...(onTextDelta === undefined ? {} : { onTextDelta }) },
  );
  return { response, subjects: new Map(digestMessages.map((message) => [message.id, message.subject ?? ''])), messagesRead: selection.canReadMessages };
}
