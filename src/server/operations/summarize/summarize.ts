// Summaries of an email (with the thread quoted in it), a document or plain text. Long input is
// split by tokens into chunks that are summarised in parallel (map), then combined (reduce),
// collapsing again while the combination is still too long; only the final step streams. Finished
// summaries and part summaries are cached, so the same document costs nothing the second time.
// The rounds are bounded: each part's notes are held to a quarter of a chunk, so every round
// shrinks the material, and a round that does not (a model that ignores the limit) ends the work.
import { AppError } from '../../errors.js';
import { summarizeContract, type SummarizeRequest, type SummarizeResponse } from '../../../contract/operations/summarize.js';
import { countMessageTokens } from '../../engine/message-tokens.js';
import { defineOperation, type EstimateContext } from '../define-operation.js';
import { checkTextLength } from '../shared/input-limits.js';
import { generateText } from '../shared/generate-text.js';
import { UsageMeter, type OperationContext } from '../shared/operation-context.js';
import { detectLanguage, withoutControlCharacters } from '../shared/prompt-parts.js';
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
  checkTextLength(request.text, 'The text', 'Select less text and try again.', context.limits);
  const usage = new UsageMeter();
  const text = withoutControlCharacters(request.text);
  const language = request.language ?? detectLanguage(text);
  const kind = request.kind ?? 'text';
  const length = request.length ?? 'medium';
  const format = request.format ?? 'paragraph';
  const countTokens = (input: string) => context.model.countTokens(input);
  const budget = documentTokenBudget(context.model.contextWindowTokens);
  const modelId = context.model.modelId;
  const cache = context.cache;

  const summaryKey = cacheKeyer({
    operation: 'summarize',
    promptVersion: summarizePromptVersion,
    modelId,
    options: { kind, length, format, language: request.language ?? null },
  })(text);
  const cachedSummary = (await cache?.getMany([summaryKey]))?.get(summaryKey);
  if (cachedSummary !== undefined) {
    usage.addCachedItems(1);
    context.events?.onTextDelta?.(cachedSummary);
    return { summary: cachedSummary, model: modelId, usage: usage.toUsage() };
  }

  let material = text;
  let fromPartSummaries = false;
  const notesTokens = partNotesTokens(budget);
  // Map, then reduce until the part summaries fit one request.
  // Every token is at least one UTF-8 byte: a text of fewer bytes than the budget needs no count (most requests).
  for (let round = 0, materialTokens = tokensAbove(material, budget, countTokens); materialTokens > budget; round += 1) {
    if (round >= maxSummaryRounds) throw tooLongToSummarize(round);
    const chunks = splitIntoTokenChunks(material, budget, countTokens);
    const partKey = cacheKeyer({
      operation: 'summarize-part',
      promptVersion: summarizePromptVersion,
      modelId,
      options: { kind, language: language ?? null, fromPartSummaries, count: chunks.length },
    });
    const keys = chunks.map((chunk, index) => partKey(`${index}\u0000${chunk}`));
    const cachedParts = (await cache?.getMany(keys)) ?? new Map<string, string>();
    const partSummaries = await Promise.all(
      chunks.map(async (chunk, index) => {
        const key = keys[index] ?? '';
        const cachedPart = cachedParts.get(key);
        if (cachedPart !== undefined) return cachedPart;
        const notes = await generateText(context, usage, partMessages(chunk, index, chunks.length, kind, language, fromPartSummaries), {
          maxOutputTokens: notesTokens,
          emptyMessage: 'The model returned an empty summary. Try again.',
        });
        // A provider that ignores max_tokens must not make the rounds grow: its notes end where the limit is.
        const part = truncateToTokens(notes, notesTokens, countTokens);
        await cache?.setMany(new Map([[key, part]]));
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

  const messages = summaryMessages(material, { kind, length, format, language, languageRequested: request.language !== undefined, fromPartSummaries });

  const summary = await generateText(context, usage, messages, {
    maxOutputTokens: lengthGuidance[length].maxOutputTokens,
    emptyMessage: 'The model returned an empty summary. Try again.',
    onTextDelta: context.events?.onTextDelta,
  });
  await cache?.setMany(new Map([[summaryKey, summary]]));
  return { summary, model: modelId, usage: usage.toUsage() };
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
  checkTextLength(request.text, 'The text', 'Select less text and try again.', limits);
  const count = (input: string) => model.countTokens(input);
  const kind = request.kind ?? 'text';
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
  let material = count(withoutControlCharacters(request.text));
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
