// Translation of paragraphs or cells: exactly one translation per input text, in order. Empty and
// white-space-only texts come back unchanged without an LLM call; leading and trailing white space
// is kept around the translation so cells and paragraphs keep their shape. Short texts share a
// request (structured output keyed by id), packed by tokens; long texts go alone as plain text.
// Texts translated before with the same options and model come from the result cache.
import { translateContract, type TranslateRequest, type TranslateResponse } from '../../../contract/operations/translate.js';
import { AppError, isAppError } from '../../errors.js';
import type { ChatMessage } from '../../providers/language-model.js';
import { planBatches, type BatchBudget } from '../../engine/batch-planner.js';
import { cacheKeyer } from '../../engine/result-cache.js';
import { countMessageTokens } from '../../engine/message-tokens.js';
import { defineOperation, type EstimateContext } from '../define-operation.js';
import { checkItems } from '../shared/input-limits.js';
import { throwIfCancelled, UsageMeter, type OperationContext } from '../shared/operation-context.js';
import { dataOnlyRule, delimiter, detectLanguage, isObject, parseModelJson, withoutControlCharacters } from '../shared/prompt-parts.js';
import { systemInstructions, translatePromptVersion, translationsSchema } from './translate-prompt.js';

/** A text of more tokens than this is translated alone, as plain text, for the best quality. */
const shortTextTokens = 150;
/** One request's share: 50 texts, 1,500 source tokens; the answer is about as long again (more for German, less for English). */
const batchBudget: BatchBudget = { maxItems: 50, maxInputTokens: 1_500, maxOutputTokens: 3_000 };
/** Per text in the prompt and in the answer, beyond the text: {"id":"12","text":""}, */
const tokensPerEntry = 10;

interface Piece {
  index: number;
  leading: string;
  core: string;
  trailing: string;
  tokens: number;
  cacheKey: string;
}

export async function translate(request: TranslateRequest, context: OperationContext): Promise<TranslateResponse> {
  checkItems(request.texts, 'texts', context.limits);
  const usage = new UsageMeter();
  const translations: (string | undefined)[] = new Array<string | undefined>(request.texts.length);
  const texts: { index: number; leading: string; core: string; trailing: string }[] = [];
  for (const [index, text] of request.texts.entries()) {
    const match = /^(\s*)([\s\S]*?)(\s*)$/u.exec(text);
    const core = withoutControlCharacters(match?.[2] ?? text);
    if (core.trim() === '') {
      translations[index] = text;
    } else {
      texts.push({ index, leading: match?.[1] ?? '', core, trailing: match?.[3] ?? '' });
    }
  }

  const detectedSourceLanguage = request.sourceLanguage === undefined ? detectLanguage(texts.map((piece) => piece.core).join('\n')) : undefined;
  const sourceLanguage = request.sourceLanguage ?? detectedSourceLanguage;
  const instructions = systemInstructions(request, sourceLanguage);
  // The instructions hold every option that changes the answer (languages, glossary, formality).
  const cacheKey = cacheKeyer({ operation: 'translate', promptVersion: translatePromptVersion, modelId: context.model.modelId, options: instructions });
  const pieces: Piece[] = texts.map((text) => ({ ...text, tokens: context.model.countTokens(text.core), cacheKey: cacheKey(text.core) }));
  let done = 0;
  const toCache = new Map<string, string>();

  const deliver = (piece: Piece, translated: string, fromCache = false) => {
    const text = `${piece.leading}${translated.trim()}${piece.trailing}`;
    translations[piece.index] = text;
    if (!fromCache) toCache.set(piece.cacheKey, translated.trim());
    done += 1;
    context.events?.onItem?.({ index: piece.index, text });
    context.events?.onProgress?.({ done, total: pieces.length });
  };
  const flushCache = async () => {
    if (context.cache === undefined || toCache.size === 0) return;
    const entries = new Map(toCache);
    toCache.clear();
    await context.cache.setMany(entries);
  };

  const cached = context.cache === undefined ? new Map<string, string>() : await context.cache.getMany(pieces.map((piece) => piece.cacheKey));
  // Identical texts (a column of repeated cells) are translated once; the copies get the same answer.
  const copiesOf = new Map<Piece, Piece[]>();
  const firstByText = new Map<string, Piece>();
  const todo: Piece[] = [];
  for (const piece of pieces) {
    const hit = cached.get(piece.cacheKey);
    if (hit !== undefined) {
      usage.addCachedItems(1);
      deliver(piece, hit, true);
      continue;
    }
    const first = firstByText.get(piece.core);
    if (first === undefined) {
      firstByText.set(piece.core, piece);
      copiesOf.set(piece, []);
      todo.push(piece);
    } else {
      copiesOf.get(first)?.push(piece);
    }
  }
  const deliverWithCopies = (piece: Piece, translated: string) => {
    deliver(piece, translated);
    for (const copy of copiesOf.get(piece) ?? []) deliver(copy, translated, true);
  };

  const singles = context.model.prefersSmallBatches ? todo : todo.filter((piece) => piece.tokens > shortTextTokens);
  const packable = context.model.prefersSmallBatches ? [] : todo.filter((piece) => piece.tokens <= shortTextTokens);
  const batches = planBatches(
    packable,
    (piece) => ({ input: tokensPerEntry + piece.tokens, output: tokensPerEntry + Math.ceil(piece.tokens * 1.5) }),
    batchBudget,
  );

  await Promise.all([
    ...singles.map(async (piece) => {
      deliverWithCopies(piece, await translateAlone(piece, instructions, context, usage));
      await flushCache();
    }),
    ...batches.map(async (batch) => {
      const missing = await translateBatch(batch, instructions, context, usage, deliverWithCopies);
      // An id the model skipped, repeated or invented is translated on its own, never guessed.
      await Promise.all(missing.map(async (piece) => deliverWithCopies(piece, await translateAlone(piece, instructions, context, usage))));
      await flushCache();
    }),
  ]);

  return {
    translations: translations.map((text, index) => text ?? request.texts[index] ?? ''),
    ...(detectedSourceLanguage === undefined ? {} : { detectedSourceLanguage }),
    model: context.model.modelId,
    usage: usage.toUsage(),
  };
}

async function translateAlone(piece: Piece, instructions: string[], context: OperationContext, usage: UsageMeter): Promise<string> {
  throwIfCancelled(context.signal);
  const block = delimiter('text');
  const messages: ChatMessage[] = [
    { role: 'system', content: [...instructions, 'Answer with the translation only.', dataOnlyRule(block)].join('\n') },
    { role: 'user', content: block.wrap(piece.core) },
  ];
  const result = await context.model.generate({
    messages,
    temperature: 0,
    maxOutputTokens: Math.max(256, Math.ceil(piece.tokens * 2)),
    signal: context.signal,
  });
  usage.addRequest(result.usage);
  const text = result.text.trim();
  if (text === '') throw new AppError('INVALID_MODEL_OUTPUT', 'The model returned an empty translation. Try again.');
  return text;
}

/** Translates a batch with one request; returns the pieces whose translation was missing or invalid. */
async function translateBatch(
  batch: Piece[],
  instructions: string[],
  context: OperationContext,
  usage: UsageMeter,
  deliver: (piece: Piece, translated: string) => void,
): Promise<Piece[]> {
  throwIfCancelled(context.signal);
  const block = delimiter('texts');
  const ids = batch.map((_, position) => String(position + 1));
  // Compact JSON, one text per line: indentation would cost tokens on every text.
  const payload = `[${batch.map((piece, position) => JSON.stringify({ id: ids[position], text: piece.core })).join(',\n')}]`;
  const messages: ChatMessage[] = [
    {
      role: 'system',
      content: [
        ...instructions,
        'The input is a JSON array of texts, each with an id. Translate every text on its own and answer with JSON: ' +
          '{"translations": [{"id": "<id>", "text": "<translation>"}]}, one entry per input id, in the same order.',
        dataOnlyRule(block),
      ].join('\n'),
    },
    { role: 'user', content: block.wrap(payload) },
  ];
  let answer: unknown;
  try {
    const result = await context.model.generate({
      messages,
      temperature: 0,
      maxOutputTokens: Math.max(512, 16 + batch.reduce((total, piece) => total + tokensPerEntry + Math.ceil(piece.tokens * 2), 0)),
      responseFormat: { type: 'json', name: 'translations', schema: translationsSchema(ids) },
      signal: context.signal,
    });
    usage.addRequest(result.usage);
    answer = parseModelJson(result.text);
  } catch (error) {
    // A batch refused for its content (a 400, a filter, output too long, a bad answer) falls back to one
    // text at a time. A 5xx, timeout, dropped connection or 429 is the provider's state: never split.
    if (isAppError(error) && (error.code === 'PROVIDER_REJECTED_REQUEST' || error.code === 'INVALID_MODEL_OUTPUT')) return batch;
    throw error;
  }

  const entries = isObject(answer) && Array.isArray(answer['translations']) ? answer['translations'] : [];
  const byId = new Map<string, string | null>();
  for (const entry of entries) {
    if (!isObject(entry) || typeof entry['id'] !== 'string' || typeof entry['text'] !== 'string') continue;
    // A repeated id is ambiguous: drop both rather than pick one.
    byId.set(entry['id'], byId.has(entry['id']) ? null : entry['text']);
  }
  const missing: Piece[] = [];
  batch.forEach((piece, position) => {
    const translated = byId.get(ids[position] ?? '');
    if (typeof translated === 'string' && translated.trim() !== '') deliver(piece, translated);
    else missing.push(piece);
  });
  return missing;
}

/** A detected source language adds "from German (de)" to the instructions. */
const detectedLanguageTokens = 8;
/** The batch format rule (answer as JSON, one entry per id) beside the instructions. */
const batchFormatTokens = 60;

/**
 * The most a translation may cost, reserved against the caller's budget: a long text alone (its prompt
 * and an answer budget of twice its tokens), short ones packed as the batches are, with the
 * instructions once per request and each request's answer budget. Texts the cache answers are given
 * back when the work settles.
 */
export function estimateTranslateTokens(request: TranslateRequest, { model, limits }: EstimateContext): number {
  checkItems(request.texts, 'texts', limits);
  const count = (text: string) => model.countTokens(text);
  const distinct = new Set<string>();
  for (const text of request.texts) {
    const core = withoutControlCharacters(text).trim();
    if (core !== '') distinct.add(core);
  }
  const block = delimiter('text');
  const instructions = systemInstructions(request, request.sourceLanguage);
  const perRequest =
    countMessageTokens(
      [{ content: [...instructions, 'Answer with the translation only.', dataOnlyRule(block)].join('\n') }, { content: block.wrap('') }],
      count,
    ) + (request.sourceLanguage === undefined ? detectedLanguageTokens : 0);
  let total = 0;
  const packable: number[] = [];
  for (const text of distinct) {
    const tokens = count(text);
    if (model.prefersSmallBatches || tokens > shortTextTokens) total += perRequest + tokens + Math.max(256, Math.ceil(tokens * 2));
    else packable.push(tokens);
  }
  if (packable.length === 0) return total;
  const input = packable.reduce((sum, tokens) => sum + tokensPerEntry + tokens, 0);
  const planned = packable.reduce((sum, tokens) => sum + tokensPerEntry + Math.ceil(tokens * 1.5), 0);
  const answer = packable.reduce((sum, tokens) => sum + tokensPerEntry + Math.ceil(tokens * 2), 0);
  const packed = Math.max(
    Math.ceil(packable.length / batchBudget.maxItems),
    Math.ceil(input / batchBudget.maxInputTokens),
    Math.ceil(planned / batchBudget.maxOutputTokens),
  );
  // Packing in order leaves some room in each batch: one more request covers it.
  const requests = packed > 1 ? packed + 1 : packed;
  return total + requests * (perRequest + batchFormatTokens) + input + Math.max(512 * requests, 16 * requests + answer);
}

export const translateOperation = defineOperation(translateContract, translate, estimateTranslateTokens);
