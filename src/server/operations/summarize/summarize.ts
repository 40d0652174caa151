// Summaries of an email (with the thread quoted in it), a document or plain text. Long input is
// split by tokens into chunks that are summarised in parallel (map), then combined (reduce),
// collapsing again while the combination is still too long; only the final step streams. Finished
// summaries and part summaries are cached, so the same document costs nothing the second time.
import { summarizeContract, type SummarizeRequest, type SummarizeResponse } from '../../../contract/operations/summarize.js';
import type { ChatMessage } from '../../providers/language-model.js';
import { defineOperation } from '../define-operation.js';
import { checkTextLength } from '../shared/input-limits.js';
import { generateText } from '../shared/generate-text.js';
import { UsageMeter, type OperationContext } from '../shared/operation-context.js';
import { dataOnlyRule, delimiter, describeLanguage, detectLanguage, withoutControlCharacters } from '../shared/prompt-parts.js';
import { cacheKeyer } from '../../engine/result-cache.js';
import { documentTokenBudget, splitIntoTokenChunks } from '../../engine/token-chunks.js';

/** Bump when a summary prompt changes: cached summaries from older prompts then miss. */
export const summarizePromptVersion = 2;

const lengthGuidance = {
  short: { paragraph: 'two or three sentences', bullets: 'at most three bullet points', maxOutputTokens: 200 },
  medium: { paragraph: 'one paragraph of four to six sentences', bullets: 'four to seven bullet points', maxOutputTokens: 450 },
  long: { paragraph: 'two to four paragraphs', bullets: 'eight to fifteen bullet points, grouped under short headings where it helps', maxOutputTokens: 1000 },
} as const;

const kindGuidance = {
  email:
    'The text is an email, possibly with earlier messages of the thread quoted below it. Summarise the whole conversation: ' +
    'the key points, any decisions made, and action items with who must do what and by when (when the text says so).',
  document: 'The text is a document. Summarise its purpose, main points and conclusions.',
  text: 'Summarise the main points of the text.',
} as const;

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

  const summaryKey = cacheKeyer({ operation: 'summarize', promptVersion: summarizePromptVersion, modelId, options: { kind, length, format, language: request.language ?? null } })(text);
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
    const partKey = cacheKeyer({ operation: 'summarize-part', promptVersion: summarizePromptVersion, modelId, options: { kind, language: language ?? null, fromPartSummaries, count: chunks.length } });
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

  const guidance = lengthGuidance[length];
  const block = delimiter('document');
  const system = [
    'You write faithful summaries for busy professionals. Use only facts from the text; do not invent names, dates or numbers.',
    fromPartSummaries
      ? `The material consists of summaries of consecutive parts of one ${kind}. Combine them into one summary of the whole ${kind}. ${kindGuidance[kind]}`
      : kindGuidance[kind],
    format === 'bullets'
      ? `Answer with ${guidance.bullets}, each line starting with "- ".`
      : `Answer with ${guidance.paragraph} of plain prose, without a heading or bullet points.`,
    languageRule(language, request.language !== undefined),
    'Answer with the summary only, without any preamble.',
    dataOnlyRule(block),
  ].join('\n');
  const messages: ChatMessage[] = [
    { role: 'system', content: system },
    { role: 'user', content: block.wrap(material) },
  ];

  const summary = await generateText(context, usage, messages, {
    maxOutputTokens: guidance.maxOutputTokens,
    emptyMessage: 'The model returned an empty summary. Try again.',
    onTextDelta: context.events?.onTextDelta,
  });
  await cache?.setMany(new Map([[summaryKey, summary]]));
  return { summary, model: modelId, usage: usage.toUsage() };
}

function partMessages(
  chunk: string,
  index: number,
  count: number,
  kind: keyof typeof kindGuidance,
  language: string | undefined,
  chunkIsSummaries: boolean,
): ChatMessage[] {
  const block = delimiter('part');
  const system = [
    `You condense part ${index + 1} of ${count} of a longer ${kind}${chunkIsSummaries ? ' (the part is itself made of summaries)' : ''}.`,
    'Keep every key point, decision, number, name, date and action item (who, what, by when); drop repetition and pleasantries.',
    'Answer with concise notes only.',
    languageRule(language, false),
    dataOnlyRule(block),
  ].join('\n');
  return [
    { role: 'system', content: system },
    { role: 'user', content: block.wrap(chunk) },
  ];
}

function languageRule(language: string | undefined, requested: boolean): string {
  if (language === undefined) return 'Write in the same language as the text.';
  return requested
    ? `Write in ${describeLanguage(language)}, whatever the language of the text.`
    : `Write in ${describeLanguage(language)}, the language of the text.`;
}

export const summarizeOperation = defineOperation(summarizeContract, summarize);
