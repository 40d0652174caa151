// Summaries of an email (with the thread quoted in it), a document or plain text. Long input is
// split by tokens into chunks that are summarised in parallel (map), then combined (reduce),
// collapsing again while the combination is still too long; only the final step streams. Finished
// summaries and part summaries are cached, so the same document costs nothing the second time.
import { summarizeContract, type SummarizeRequest, type SummarizeResponse } from '../../../contract/operations/summarize.js';
import { countMessageTokens } from '../../engine/message-tokens.js';
import { defineOperation, type EstimateContext } from '../define-operation.js';
import { checkTextLength } from '../shared/input-limits.js';
import { generateText } from '../shared/generate-text.js';
import { UsageMeter, type OperationContext } from '../shared/operation-context.js';
import { detectLanguage, withoutControlCharacters } from '../shared/prompt-parts.js';
import { lengthGuidance, partMessages, summarizePromptVersion, summaryMessages } from './summarize-prompt.js';
import { cacheKeyer } from '../../engine/result-cache.js';
import { documentTokenBudget, splitIntoTokenChunks } from '../../engine/token-chunks.js';

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
  // Map, then reduce until the part summaries fit one request.
  while (countTokens(material) > budget) {
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
        const part = await generateText(context, usage, partMessages(chunk, index, chunks.length, kind, language, fromPartSummaries), {
          maxOutputTokens: 600,
          emptyMessage: 'The model returned an empty summary. Try again.',
        });
        await cache?.setMany(new Map([[key, part]]));
        return part;
      }),
    );
    material = partSummaries.join('\n\n');
    fromPartSummaries = true;
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

/** The map step's answer budget, as run asks for it. */
const partNotesTokens = 600;
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
    countMessageTokens(summaryMessages('', { kind, length, format, language, languageRequested: language !== undefined, fromPartSummaries: true }), count) +
    extra;
  const partPrompt = countMessageTokens(partMessages('', 0, 1, kind, language, true), count) + extra;
  let material = count(withoutControlCharacters(request.text));
  let total = 0;
  for (let round = 0; material > budget && round < 8; round += 1) {
    // Chunks end at paragraphs and sentences, so they come out somewhat below the budget.
    const chunks = Math.ceil((material * 1.1) / budget);
    total += material + chunks * (partPrompt + partNotesTokens);
    material = chunks * (partNotesTokens + 1);
  }
  return total + finalPrompt + material + lengthGuidance[length].maxOutputTokens;
}

export const summarizeOperation = defineOperation(summarizeContract, summarize, estimateSummarizeTokens);
