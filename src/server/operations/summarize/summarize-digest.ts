// A digest of many messages (an Outlook multi-selection, up to 100): one line per message and the
// ones that need the user's answer. Each message is trimmed (signature, disclaimer, older thread) and
// held to a few thousand characters, then the messages are packed into as few requests as the
// model's context and a sane answer size allow (50 messages a request: 100 mail-sized messages are 2
// requests with a 128k-token model, 3 when they are long).
// Lines are cached per message, so re-running a selection that grew asks only for the new ones. A
// message the model skipped is asked again once; if it is still missing, its line carries an error.
import type { DigestLine, DigestMessage, TrimmedCounts } from '../../../contract/mail-parts.js';
import type { SummarizeRequest, SummarizeResponse } from '../../../contract/operations/summarize.js';
import { countMessageTokens } from '../../engine/message-tokens.js';
import { cacheKeyer } from '../../engine/result-cache.js';
import type { EstimateContext } from '../define-operation.js';
import { checkCharacterCount } from './summary-input.js';
import { addTrimmedCounts, trimMail } from '../shared/mail-trimming.js';
import { throwIfCancelled, UsageMeter, type OperationContext } from '../shared/operation-context.js';
import { isObject, parseModelJson, withoutControlCharacters } from '../shared/prompt-parts.js';
import { digestAnswerTokens, digestMessages, digestPromptVersion, digestResponseFormat, type DigestEntry } from './digest-prompt.js';

/** Characters of one message's body a digest line is written from (its start: the newest message). */
export const digestMessageCharacters = 4000;
/** Messages in one request at most: keeps the answer (about 90 tokens a message) within common output limits. */
export const digestMessagesPerRequest = 50;
/** Only the newest quoted message is kept: a one-line digest is about the message, not the thread. */
const digestTrimming = { keepQuotedMessages: 1, maxQuotedCharacters: 1500 };

interface PreparedMessage {
  message: DigestMessage;
  entryText: string;
  cacheKey: string;
}

type DigestAnswer = Pick<DigestLine, 'line' | 'needsAnswer' | 'reason'>;

export async function summarizeDigest(request: SummarizeRequest, messages: readonly DigestMessage[], context: OperationContext): Promise<SummarizeResponse> {
  checkDigestLength(messages, context);
  const usage = new UsageMeter();
  const modelId = context.model.modelId;
  const key = cacheKeyer({ operation: 'summarize-digest', promptVersion: digestPromptVersion, modelId, options: { language: request.language ?? null } });
  let trimmed: TrimmedCounts = { signatureCharacters: 0, disclaimerCharacters: 0, quotedCharacters: 0 };
  const prepared: PreparedMessage[] = messages.map((message) => {
    const result = trimMail(withoutControlCharacters(message.text), digestTrimming);
    trimmed = addTrimmedCounts(trimmed, result.trimmed);
    const body = result.text.length > digestMessageCharacters ? `${result.text.slice(0, digestMessageCharacters)}\n[…]` : result.text;
    const entryText = [
      message.subject === undefined ? undefined : `Subject: ${withoutControlCharacters(message.subject)}`,
      message.from === undefined ? undefined : `From: ${withoutControlCharacters(message.from)}`,
      message.received === undefined ? undefined : `Received: ${withoutControlCharacters(message.received)}`,
      '',
      body,
    ]
      .filter((line): line is string => line !== undefined)
      .join('\n');
    return { message, entryText, cacheKey: key(entryText) };
  });

  const answers = new Map<number, DigestAnswer>();
  const cached = (await context.cache?.getMany(prepared.map((entry) => entry.cacheKey))) ?? new Map<string, string>();
  prepared.forEach((entry, index) => {
    const value = cached.get(entry.cacheKey);
    if (value !== undefined) answers.set(index, JSON.parse(value) as DigestAnswer);
  });
  usage.addCachedItems(answers.size);

  // Asked at most twice: once, and once more for the messages the first answers skipped.
  for (let attempt = 0; attempt < 2; attempt += 1) {
    const missing = prepared.map((_, index) => index).filter((index) => !answers.has(index));
    if (missing.length === 0) break;
    const batches = packBatches(missing, prepared, context);
    const found = await Promise.all(batches.map((batch) => askForLines(batch, prepared, request.language, context, usage)));
    const fresh = new Map<string, string>();
    for (const batchAnswers of found) {
      for (const [index, answer] of batchAnswers) {
        answers.set(index, answer);
        fresh.set(prepared[index]?.cacheKey ?? '', JSON.stringify(answer));
      }
    }
    if (fresh.size > 0) await context.cache?.setMany(fresh);
  }

  const lines: DigestLine[] = prepared.map(({ message }, index) => {
    const answer = answers.get(index);
    if (answer === undefined) {
      return {
        id: message.id,
        line: '',
        needsAnswer: false,
        error: { code: 'INVALID_MODEL_OUTPUT', message: 'The model gave no line for this message. Try again.', retryable: true },
      };
    }
    return { id: message.id, ...answer };
  });
  const digest = { messages: lines, needsAnswer: lines.filter((line) => line.needsAnswer).map((line) => line.id) };
  const summary = digestText(lines, messages);
  context.events?.onTextDelta?.(summary);
  return { summary, digest, trimmed, model: modelId, usage: usage.toUsage() };
}

/** The digest as readable text: what needs an answer first, then a line per message. */
function digestText(lines: readonly DigestLine[], messages: readonly DigestMessage[]): string {
  const title = (index: number) => {
    const message = messages[index];
    const subject = message?.subject?.trim() || '(no subject)';
    return message?.from === undefined ? subject : `${subject} (${message.from})`;
  };
  const needing = lines.flatMap((line, index) => (line.needsAnswer ? [`- ${title(index)}: ${line.reason?.trim() || line.line}`] : []));
  const all = lines.map((line, index) => `- ${title(index)}: ${line.error === undefined ? line.line : '(no line: try again)'}`);
  return [needing.length === 0 ? 'Needs your answer: nothing.' : `Needs your answer:\n${needing.join('\n')}`, `All messages:\n${all.join('\n')}`].join('\n\n');
}

/**
 * Message tokens one digest request carries: far more than a summary's chunk (the answer is a line a
 * message, not a condensation): at most 40,000 and half the context window; the answer gets at most
 * a quarter of it, which bounds the messages per request on small models.
 */
export function digestRequestSize(contextWindowTokens: number): { tokens: number; messages: number } {
  return {
    tokens: Math.max(256, Math.min(40_000, Math.floor(contextWindowTokens / 2))),
    messages: Math.max(1, Math.min(digestMessagesPerRequest, Math.floor(contextWindowTokens / 4 / digestAnswerTokens.perMessage))),
  };
}

/** Consecutive messages per request, within the model's document budget and the per-request count. */
function packBatches(indexes: readonly number[], prepared: readonly PreparedMessage[], context: OperationContext): number[][] {
  const size = digestRequestSize(context.model.contextWindowTokens);
  const batches: number[][] = [];
  let current: number[] = [];
  let tokens = 0;
  for (const index of indexes) {
    const entryTokens = context.model.countTokens(prepared[index]?.entryText ?? '') + 8;
    if (current.length > 0 && (current.length >= size.messages || tokens + entryTokens > size.tokens)) {
      batches.push(current);
      current = [];
      tokens = 0;
    }
    current.push(index);
    tokens += entryTokens;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

async function askForLines(
  batch: readonly number[],
  prepared: readonly PreparedMessage[],
  language: string | undefined,
  context: OperationContext,
  usage: UsageMeter,
): Promise<Map<number, DigestAnswer>> {
  throwIfCancelled(context.signal);
  const entries: DigestEntry[] = batch.map((index, position) => ({ id: String(position + 1), text: prepared[index]?.entryText ?? '' }));
  const result = await context.model.generate({
    messages: digestMessages(entries, language),
    temperature: 0,
    maxOutputTokens: digestAnswerTokens.frame + batch.length * digestAnswerTokens.perMessage,
    responseFormat: digestResponseFormat(),
    signal: context.signal,
  });
  usage.addRequest(result.usage);
  return readDigestAnswer(result.text, batch);
}

/** The lines of a `{"lines": [{id, line, needsAnswer, reason}]}` answer by message index; a line without text is no answer. */
export function readDigestAnswer(text: string, batch: readonly number[]): Map<number, DigestAnswer> {
  const answer = parseModelJson(text);
  const found = new Map<number, DigestAnswer>();
  if (!isObject(answer) || !Array.isArray(answer['lines'])) return found;
  for (const entry of answer['lines'] as unknown[]) {
    if (!isObject(entry)) continue;
    const position = Number(entry['id']) - 1;
    const index = batch[position];
    const line = typeof entry['line'] === 'string' ? entry['line'].trim() : '';
    if (index === undefined || line === '' || found.has(index)) continue;
    const needsAnswer = entry['needsAnswer'] === true;
    const reason = typeof entry['reason'] === 'string' ? entry['reason'].trim() : '';
    found.set(index, { line, needsAnswer, ...(needsAnswer && reason !== '' ? { reason } : {}) });
  }
  return found;
}

function checkDigestLength(messages: readonly DigestMessage[], context: Pick<OperationContext, 'limits'>): void {
  const total = messages.reduce((sum, message) => sum + message.text.length + (message.subject?.length ?? 0), 0);
  checkCharacterCount(total, 'The selected messages', 'Select fewer messages and try again.', context.limits);
}

/** The most a digest may cost: every message's capped text once, the prompt per request, the answer budget. */
export function estimateDigestTokens(request: SummarizeRequest, messages: readonly DigestMessage[], { model, limits }: EstimateContext): number {
  checkDigestLength(messages, { limits });
  const count = (input: string) => model.countTokens(input);
  const requests = Math.ceil(messages.length / digestRequestSize(model.contextWindowTokens).messages);
  const prompt = countMessageTokens(digestMessages([], request.language), count);
  const material = messages.reduce((sum, message) => sum + Math.ceil(Math.min(message.text.length, digestMessageCharacters + 1500) / 3) + 30, 0);
  // Twice: a skipped message is asked once more.
  return 2 * (requests * (prompt + digestAnswerTokens.frame) + material + messages.length * digestAnswerTokens.perMessage);
}
