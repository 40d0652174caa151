// Summaries of an email (with the thread quoted in it), a document or plain text. Long input is
// split by tokens into chunks that are summarised in parallel (map), then combined (reduce),
// collapsing again while the combination is still too long; only the final step streams. Finished
// summaries and part summaries are cached, so the same document costs nothing the second time.
// The rounds are bounded: each part's notes are held to a quarter of a chunk, so every round
// shrinks the material, and a round that does not (a model that ignores the limit) ends the work.
// An email is trimmed first (shared/mail-trimming.ts; counted in `trimmed`). Attachments are sources of
// their own: each is condensed alone when all of them do not fit one request, so notes never mix files
// and the final prompt names each. A digest of many messages is summarize-digest.ts.
import type { Limits } from '../../config.js';
import { AppError } from '../../errors.js';
import type { TrimmedCounts } from '../../../contract/mail-parts.js';
import type { SummaryKind } from '../../../contract/options.js';
import { trimMail } from '../shared/mail-trimming.js';
import { estimateDigestTokens, summarizeDigest } from './summarize-digest.js';
import { checkCharacterCount } from './summary-input.js';
import { summarizeContract, type SummarizeRequest, type SummarizeResponse } from '../../../contract/operations/summarize.js';
import { countMessageTokens } from '../../engine/message-tokens.js';
import { defineOperation, type EstimateContext } from '../define-operation.js';
import { checkTextLength } from '../shared/input-limits.js';
import { generateText } from '../shared/generate-text.js';
import { UsageMeter, type OperationContext } from '../shared/operation-context.js';
import { detectLanguage } from '../shared/language-detection.js';
import { withoutControlCharacters } from '../shared/prompt-parts.js';
import { lengthGuidance, partMessages, summarizePromptVersion, summaryMessages } from './summarize-prompt.js';
import { cacheKeyer } from '../../engine/result-cache.js';
import { documentTokenBudget, splitIntoTokenChunks, truncateToTokens } from '../../engine/token-chunks.js';

/** Map rounds at most: notes at most a quarter of their chunk shrink 1,000,000 characters to one request in two or three. */
export const maxSummaryRounds = 6;

/**
 * The map step's answer budget: 600 tokens, and at most a quarter of a chunk. Chunks are packed so two
 * neighbours overflow the budget, so n chunks hold more than n/2 budgets and their notes, at most n/4
 * budgets, are less than half of the material: every round shrinks it.
 */
export function partNotesTokens(budget: number): number {
  return Math.max(16, Math.min(600, Math.floor(budget / 4)));
}

export async function summarize(request: SummarizeRequest, context: OperationContext): Promise<SummarizeResponse> {
  if (request.messages !== undefined) return summarizeDigest(request, request.messages, context);
  const attachments = request.attachments ?? [];
  checkSummaryInput(request, context.limits);
  const usage = new UsageMeter();
  const kind: SummaryKind = request.kind === 'digest' || request.kind === undefined ? 'text' : request.kind;
  let text = withoutControlCharacters(request.text ?? '');
  let trimmed: TrimmedCounts | undefined;
  if (kind === 'email') {
    const trimming = trimMail(text);
    // A message that is nothing but a signature is still summarised as it is.
    if (trimming.text.trim().length > 0) {
      text = trimming.text;
      trimmed = trimming.trimmed;
    }
  }
  const language = request.language ?? detectLanguage(text);
  const length = request.length ?? 'medium';
  const format = request.format ?? 'paragraph';
  const countTokens = (input: string) => context.model.countTokens(input);
  const budget = documentTokenBudget(context.model.contextWindowTokens);
  const modelId = context.model.modelId;
  const cache = context.cache;
  const withTrimmed = <Response extends SummarizeResponse>(response: Response): Response => (trimmed === undefined ? response : { ...response, trimmed });

  const sources: SummarySource[] = [
    { text, fromAttachment: false },
    ...attachments.map((attachment) => ({ name: attachment.name, text: withoutControlCharacters(attachment.text), fromAttachment: true })),
  ];
  // Without a cache there is nothing to look up, and no reason to hash the whole text.
  const summaryKey =
    cache === undefined
      ? undefined
      : cacheKeyer({
          operation: 'summarize',
          promptVersion: summarizePromptVersion,
          modelId,
          options: { kind, length, format, language: request.language ?? null },
        })(sources.map((source) => `${source.name ?? ''}\u0000${source.text}`).join('\u0001'));
  const cachedSummary = cache === undefined || summaryKey === undefined ? undefined : (await cache.getMany([summaryKey])).get(summaryKey);
  if (cachedSummary !== undefined) {
    usage.addCachedItems(1);
    context.events?.onTextDelta?.(cachedSummary);
    return withTrimmed({ summary: cachedSummary, model: modelId, usage: usage.toUsage() });
  }

  // Each source (the text, each attachment) is condensed on its own, so notes never mix attachments
  // and the final prompt still names each one. Together they get the one request's budget.
  const targets = shareBudget(sources, budget, countTokens);
  const condense = { kind, language, budget, usage, context, countTokens };
  const condensed = await Promise.all(sources.map((source, index) => condenseSource(source, targets[index] ?? budget, condense)));
  const [main, ...attachmentNotes] = condensed;
  const fromPartSummaries = main?.condensed ?? false;
  const messages = summaryMessages(
    main?.text ?? '',
    { kind, length, format, language, languageRequested: request.language !== undefined, fromPartSummaries },
    attachmentNotes.map((notes, index) => ({ name: attachments[index]?.name ?? '', text: notes.text, condensed: notes.condensed })),
  );

  const summary = await generateText(context, usage, messages, {
    maxOutputTokens: lengthGuidance[length].maxOutputTokens,
    emptyMessage: 'The model returned an empty summary. Try again.',
    onTextDelta: context.events?.onTextDelta,
  });
  if (cache !== undefined && summaryKey !== undefined) await cache.setMany(new Map([[summaryKey, summary]]));
  return withTrimmed({ summary, model: modelId, usage: usage.toUsage() });
}

interface SummarySource {
  /** An attachment's file name; the text itself has none. */
  name?: string;
  text: string;
  fromAttachment: boolean;
}

interface CondenseSettings {
  kind: SummaryKind;
  language: string | undefined;
  budget: number;
  usage: UsageMeter;
  context: OperationContext;
  countTokens: (input: string) => number;
}

/**
 * Each source's share of the request's budget: what it needs when everything fits, else a fair share
 * (small sources keep their whole text and leave the rest to the larger ones).
 */
function shareBudget(sources: readonly SummarySource[], budget: number, countTokens: (input: string) => number): number[] {
  if (sources.length === 1) return [budget];
  const upperBounds = sources.map((source) => Buffer.byteLength(source.text, 'utf8'));
  if (upperBounds.reduce((sum, bytes) => sum + bytes, 0) <= budget) return upperBounds.map(() => budget);
  const tokens = sources.map((source) => countTokens(source.text));
  const shares = new Array<number>(sources.length).fill(0);
  let remaining = budget;
  const order = tokens.map((count, index) => ({ count, index })).sort((left, right) => left.count - right.count);
  order.forEach(({ count, index }, position) => {
    const share = Math.floor(remaining / (order.length - position));
    shares[index] = Math.max(64, Math.min(count, share));
    remaining -= Math.min(count, share);
  });
  return shares;
}

/** Map, then reduce until the source's notes fit its share of the request (its whole text when it already does). */
async function condenseSource(source: SummarySource, target: number, settings: CondenseSettings): Promise<{ text: string; condensed: boolean }> {
  const { kind, language, budget, usage, context, countTokens } = settings;
  let material = source.text;
  let fromPartSummaries = false;
  // Every token is at least one UTF-8 byte: a text of fewer bytes than the target needs no count (most requests).
  for (let round = 0, materialTokens = tokensAbove(material, target, countTokens); materialTokens > target; round += 1) {
    if (round >= maxSummaryRounds) throw tooLongToSummarize(round);
    const chunks = splitIntoTokenChunks(material, budget, countTokens);
    // A share below the budget is met in one round: each part's notes get their part of it.
    const notesTokens = target >= budget ? partNotesTokens(budget) : Math.min(partNotesTokens(budget), Math.max(16, Math.floor(target / chunks.length)));
    const partKey = cacheKeyer({
      operation: 'summarize-part',
      promptVersion: summarizePromptVersion,
      modelId: context.model.modelId,
      options: { kind, language: language ?? null, fromPartSummaries, count: chunks.length, notesTokens, fromAttachment: source.fromAttachment },
    });
    const keys = chunks.map((chunk, index) => partKey(`${index}\u0000${chunk}`));
    const cachedParts = (await context.cache?.getMany(keys)) ?? new Map<string, string>();
    const partSummaries = await Promise.all(
      chunks.map(async (chunk, index) => {
        const key = keys[index] ?? '';
        const cachedPart = cachedParts.get(key);
        if (cachedPart !== undefined) return cachedPart;
        const notes = await generateText(context, usage, partMessages(chunk, index, chunks.length, kind, language, fromPartSummaries, source.fromAttachment), {
          maxOutputTokens: notesTokens,
          emptyMessage: 'The model returned an empty summary. Try again.',
        });
        // A provider that ignores max_tokens must not make the rounds grow: its notes end where the limit is.
        const part = truncateToTokens(notes, notesTokens, countTokens);
        await context.cache?.setMany(new Map([[key, part]]));
        return part;
      }),
    );
    material = partSummaries.join('\n\n');
    fromPartSummaries = true;
    const shorter = countTokens(material);
    // Cannot happen while the notes keep their limit; if it ever does, stop rather than loop.
    if (shorter >= materialTokens) throw tooLongToSummarize(round + 1);
    materialTokens = shorter;
  }
  return { text: material, condensed: fromPartSummaries };
}

/** The text and its attachments together count against the input limit. */
function checkSummaryInput(request: SummarizeRequest, limits: Limits): void {
  const attachments = request.attachments ?? [];
  if (attachments.length === 0) {
    checkTextLength(request.text ?? '', 'The text', 'Select less text and try again.', limits);
    return;
  }
  const total = (request.text?.length ?? 0) + attachments.reduce((sum, attachment) => sum + attachment.text.length, 0);
  checkCharacterCount(total, 'The message with its attachments', 'Choose fewer attachments and try again.', limits);
}

/** The text's tokens, or its byte length when that already shows it fits `budget` (counting costs more than a request's other work). */
function tokensAbove(text: string, budget: number, countTokens: (input: string) => number): number {
  const bytes = Buffer.byteLength(text, 'utf8');
  return bytes <= budget ? bytes : countTokens(text);
}

function tooLongToSummarize(rounds: number): AppError {
  return new AppError(
    'INPUT_TOO_LARGE',
    `The text is too long to summarise with this model: after ${rounds} rounds of condensing, its parts still do not fit one request. Select less text and try again.`,
  );
}

/** Tokens of the fixed prompts by model and options: counted once, not on every request (a bounded memo). */
const promptTokenMemo = new Map<string, number>();
function promptTokens(key: string, countPrompt: () => number): number {
  const known = promptTokenMemo.get(key);
  if (known !== undefined) return known;
  const tokens = countPrompt();
  if (promptTokenMemo.size >= 512) promptTokenMemo.clear();
  promptTokenMemo.set(key, tokens);
  return tokens;
}

/** A detected language adds "Write in German (de), the language of the text." */
const detectedLanguageTokens = 12;

/**
 * The most a summary may cost, reserved against the caller's budget: a long text once through the map
 * steps (each part with its notes' answer budget), the notes through further rounds while they are
 * still too long, then the final step's prompt and answer budget. A cached summary is given back when
 * the work settles.
 */
export function estimateSummarizeTokens(request: SummarizeRequest, { model, limits }: EstimateContext): number {
  if (request.messages !== undefined) return estimateDigestTokens(request, request.messages, { model, limits });
  checkSummaryInput(request, limits);
  const count = (input: string) => model.countTokens(input);
  const kind: SummaryKind = request.kind === 'digest' || request.kind === undefined ? 'text' : request.kind;
  const length = request.length ?? 'medium';
  const format = request.format ?? 'paragraph';
  const language = request.language;
  const extra = language === undefined ? detectedLanguageTokens : 0;
  const budget = documentTokenBudget(model.contextWindowTokens);
  const finalPrompt =
    promptTokens(`final:${model.modelId}:${kind}:${length}:${format}:${language ?? ''}`, () =>
      countMessageTokens(summaryMessages('', { kind, length, format, language, languageRequested: language !== undefined, fromPartSummaries: true }), count),
    ) + extra;
  const partPrompt =
    promptTokens(`part:${model.modelId}:${kind}:${language ?? ''}`, () => countMessageTokens(partMessages('', 0, 1, kind, language, true), count)) + extra;
  // The text and its attachments as if one long text: each condensed on its own costs about the same.
  let material = [request.text ?? '', ...(request.attachments ?? []).map((attachment) => attachment.text)].reduce(
    (sum, text) => sum + count(withoutControlCharacters(text)),
    0,
  );
  let total = 0;
  const notesTokens = partNotesTokens(budget);
  for (let round = 0; material > budget && round < maxSummaryRounds; round += 1) {
    // Chunks end at paragraphs and sentences, so they come out somewhat below the budget.
    const chunks = Math.ceil((material * 1.1) / budget);
    total += material + chunks * (partPrompt + notesTokens);
    material = chunks * (notesTokens + 1);
  }
  return total + finalPrompt + material + lengthGuidance[length].maxOutputTokens;
}

export const summarizeOperation = defineOperation(summarizeContract, summarize, estimateSummarizeTokens);
