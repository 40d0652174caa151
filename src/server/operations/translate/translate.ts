// Translation of paragraphs or cells: exactly one translation per input text, in order. Empty and
// white-space-only texts come back unchanged without an LLM call; leading and trailing white space
// is kept around the translation so cells and paragraphs keep their shape. Short texts share a
// request (structured output keyed by id), packed by tokens; longer texts go alone as plain text; a
// text longer than one request can carry (the model's context window) is split by paragraphs and
// sentences, translated in parts and joined back with its own separators. Texts (and parts) translated
// before with the same options and model come from the result cache.
//
// With `perItemErrors` a text that cannot be translated (its batch failed at the provider, the model
// answered it with nothing twice) gets an error of its own and the rest are delivered and cached, so a
// later run asks only for the failed ones. Without it (v1 clients) the first failure fails the request.
//
// Rules the answer must keep are checked (answer-checks.ts): with `markup: 'spans'` every span marker,
// with a glossary each fixed translation, with doNotTranslate each term unchanged. A text whose answer
// breaks one is asked once more, alone, with the broken rules spelled out; what still breaks them comes
// back marked (markupDropped: the plain translation; glossaryMissed) and is not cached. With
// `skipUntranslatable` texts without words, code and texts already in the target language are not sent.
// A marked-up text too long for one request is split only between spans (long-text-parts.ts).
import type { ErrorBody } from '../../../contract/common-schemas.js';
import { translateContract, type TranslateRequest, type TranslateResponse, type TranslateResult } from '../../../contract/operations/translate.js';
import { AppError, isAppError } from '../../errors.js';
import type { ChatMessage } from '../../providers/language-model.js';
import { planBatches, type BatchBudget } from '../../engine/batch-planner.js';
import { cacheKeyer, type ResultCache } from '../../engine/result-cache.js';
import type { PlannedRequest, RunPlan } from '../../engine/run-estimate.js';
import { countMessageTokens } from '../../engine/message-tokens.js';
import { defineOperation, type EstimateContext, type ServerOperation } from '../define-operation.js';
import { checkItems } from '../shared/input-limits.js';
import { throwIfCancelled, UsageMeter, type OperationContext } from '../shared/operation-context.js';
import { detectLanguage } from '../shared/language-detection.js';
import { dataOnlyRule, delimiter, isObject, parseModelJson, withoutControlCharacters } from '../shared/prompt-parts.js';
import { escapeSpanText, parseSpanMarkup, stripSpanMarkup } from '../../../contract/span-markup.js';
import { answerProblems, answerRules, betterAnswer, finalResult, plainText, type AnswerRules } from './answer-checks.js';
import { withOrganisationGlossary, type TranslationGlossary } from './organisation-glossary.js';
import { joinParts, splitIntoParts, splitMarkupIntoParts, type TextParts } from './long-text-parts.js';
import { correctionInstructions, systemInstructions, translatePromptVersion, translationsSchema } from './translate-prompt.js';
import { untranslatableReason } from './untranslatable.js';

/** A text of more tokens than this is translated alone, as plain text, for the best quality. */
const shortTextTokens = 150;
/** One request's share: 50 texts, 1,500 source tokens; the answer is about as long again (more for German, less for English). */
const batchBudget: BatchBudget = { maxItems: 50, maxInputTokens: 1_500, maxOutputTokens: 3_000 };
/** Per text in the prompt and in the answer, beyond the text: {"id":"12","text":""}, */
const tokensPerEntry = 10;
/**
 * One part of a long text: at most 2,000 tokens, so its answer budget (twice that) stays inside the
 * oldest models' 4,096-token output limit, and a failed part is cheap to redo.
 */
const maxPartTokens = 2_000;
/** Tokens kept free in the context window beyond the prompt and the answer budget (framing, tokenizer drift). */
const contextMargin = 64;
/** The answer budget of a text alone: twice its tokens, at least this much. */
const minimumAloneAnswerTokens = 256;
/** The answer budget of a batch: at least this much. */
const minimumBatchAnswerTokens = 512;

/** Failures of a text's own content or answer: reported on the text even when no other text was translated. */
const textFailureCodes = new Set<string>(['INVALID_MODEL_OUTPUT', 'PROVIDER_REJECTED_REQUEST', 'INPUT_TOO_LARGE']);

interface Piece {
  index: number;
  leading: string;
  core: string;
  trailing: string;
  tokens: number;
  cacheKey: string;
  /** Markup whose markers did not parse: sent as plain text, delivered with markupDropped. */
  sentPlain: boolean;
}

const aloneRule = 'Answer with the translation only.';
const batchRule =
  'The input is a JSON array of texts, each with an id. Translate every text on its own and answer with JSON: ' +
  '{"translations": [{"id": "<id>", "text": "<translation>"}]}, one entry per input id, in the same order.';

export async function translate(request: TranslateRequest, context: OperationContext): Promise<TranslateResponse> {
  checkItems(request.texts, 'texts', context.limits);
  const perItemErrors = request.perItemErrors === true;
  const rules = answerRules(request);
  const usage = new UsageMeter();
  const results: (TranslateResult | undefined)[] = new Array<TranslateResult | undefined>(request.texts.length);
  const texts = textsToSend(request, rules, (index, result) => {
    results[index] = result;
    // Streamed at once, without progress (which counts the texts sent).
    if (result.skipped !== undefined) context.events?.onItem?.({ index, text: result.text ?? '', skipped: result.skipped });
  });
  const { detectedSourceLanguage, sourceLanguage, instructions, cacheKey } = translationSetup(request, texts, rules, context.model.modelId);
  const count = (text: string) => context.model.countTokens(text);
  const pieces: Piece[] = texts.map((text) => ({ ...text, tokens: count(text.core), cacheKey: cacheKey(text.core) }));
  const shape = requestShape(instructions, context.model.contextWindowTokens, count);
  let done = 0;
  const toCache = new Map<string, string>();
  const failures: AppError[] = [];

  const report = (index: number, result: TranslateResult) => {
    results[index] = result;
    done += 1;
    context.events?.onItem?.(result.error === undefined ? { ...result, index, text: result.text ?? '' } : { index, error: result.error });
    context.events?.onProgress?.({ done, total: pieces.length });
  };
  const deliver = (piece: Piece, translated: string, fromCache = false) => {
    const { result, clean } = finalResult(piece.core, translated, rules);
    // A degraded answer (markers lost, a term missed) is not kept: the next run asks again.
    if (!fromCache && clean) toCache.set(piece.cacheKey, translated.trim());
    if (piece.sentPlain) {
      result.text = stripSpanMarkup(result.text ?? '');
      result.markupDropped = true;
    }
    report(piece.index, { ...result, text: `${piece.leading}${result.text ?? ''}${piece.trailing}` });
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
  const failWithCopies = (piece: Piece, error: ErrorBody) => {
    for (const each of [piece, ...(copiesOf.get(piece) ?? [])]) if (results[each.index] === undefined) report(each.index, { text: null, error });
  };

  /**
   * Runs the work for some pieces; with perItemErrors a failure fails only those of them still open
   * (a cancellation or a bug still ends the request), and what did finish is cached, parts of a long
   * text too.
   */
  const settle = async (owned: Piece[], work: () => Promise<void>): Promise<void> => {
    try {
      await work();
    } catch (error) {
      if (!perItemErrors || !isAppError(error) || error.code === 'CANCELLED' || context.signal.aborted) throw error;
      // A refusal of the text itself is its own; anything else is the provider's state.
      if (!textFailureCodes.has(error.code)) failures.push(error);
      for (const piece of owned) failWithCopies(piece, error.toBody());
    }
    await flushCache();
  };
  const alone = (piece: Piece) =>
    settle([piece], async () => deliverWithCopies(piece, await translateChecked(piece.core, instructions, rules, context, usage)));
  const reask = (piece: Piece, first: string) =>
    settle([piece], async () => deliverWithCopies(piece, await translateChecked(piece.core, instructions, rules, context, usage, first)));
  const inParts = (piece: Piece) =>
    settle([piece], async () =>
      deliverWithCopies(piece, await translateInParts(piece, shape.partTokens, sourceLanguage, cacheKey, toCache, instructions, rules, context, usage)),
    );

  const { long, singles, batches } = splitWork(todo, shape, context.model.prefersSmallBatches);

  await Promise.all([
    ...long.map(inParts),
    ...singles.map(alone),
    ...batches.map((batch) =>
      settle(batch, async () => {
        const broken: [Piece, string][] = [];
        const missing = await translateBatch(batch, instructions, context, usage, (piece, translated) => {
          if (answerProblems(piece.core, translated, rules) === undefined) deliverWithCopies(piece, translated);
          else broken.push([piece, translated]);
        });
        // An id the model skipped, repeated, invented or answered with nothing is asked once more on its own, never guessed;
        // an answer that broke a rule (a marker, a term) is asked once more with the rule spelled out.
        await Promise.all([...missing.map(alone), ...broken.map(([piece, translated]) => reask(piece, translated))]);
      }),
    ),
  ]);
  throwIfCancelled(context.signal);

  // Nothing translated and the provider failed: answer with its error (and Retry-After), not a column of nulls, as classify does.
  const firstFailure = failures[0];
  if (firstFailure !== undefined && !pieces.some((piece) => typeof results[piece.index]?.text === 'string')) throw firstFailure;

  const finalResults = results.map((result): TranslateResult => {
    if (result !== undefined) return result;
    // Every text is settled above; a gap would be a bug, and a v1 client must never get its source text back as a translation.
    if (!perItemErrors) throw new AppError('INTERNAL_ERROR', 'A text was not translated. Try again.');
    return { text: null, error: { code: 'INTERNAL_ERROR', message: 'The text was not translated. Run again.', retryable: true } };
  });
  return {
    translations: finalResults.map((result) => result.text ?? ''),
    ...(perItemErrors || rules.markup || request.skipUntranslatable === true ? { results: finalResults } : {}),
    ...(detectedSourceLanguage === undefined ? {} : { detectedSourceLanguage }),
    model: context.model.modelId,
    usage: usage.toUsage(),
  };
}

interface TextToSend {
  index: number;
  leading: string;
  core: string;
  trailing: string;
  /** Markup whose markers did not parse: sent as plain text, delivered with markupDropped. */
  sentPlain: boolean;
}

/** The texts that need the model; empty and skipped ones are settled through `settled` without it. */
function textsToSend(request: TranslateRequest, rules: AnswerRules, settled: (index: number, result: TranslateResult) => void): TextToSend[] {
  const texts: TextToSend[] = [];
  for (const [index, text] of request.texts.entries()) {
    const match = /^(\s*)([\s\S]*?)(\s*)$/u.exec(text);
    let core = withoutControlCharacters(match?.[2] ?? text);
    if (core.trim() === '') {
      settled(index, { text });
      continue;
    }
    if (request.skipUntranslatable === true) {
      const skipped = untranslatableReason(plainText(core, rules), request.targetLanguage);
      if (skipped !== undefined) {
        settled(index, { text, skipped });
        continue;
      }
    }
    // Markers that do not parse cannot be kept: the text goes without them and says so.
    const sentPlain = rules.markup && !parseSpanMarkup(core).ok;
    if (sentPlain) core = escapeSpanText(stripSpanMarkup(core));
    texts.push({ index, leading: match?.[1] ?? '', core, trailing: match?.[3] ?? '', sentPlain });
  }
  return texts;
}

/** The source language (given or detected), the instructions and the cache key that follow from them. */
function translationSetup(request: TranslateRequest, texts: readonly TextToSend[], rules: AnswerRules, modelId: string) {
  const detectedSourceLanguage =
    request.sourceLanguage === undefined ? detectLanguage(texts.map((piece) => plainText(piece.core, rules)).join('\n')) : undefined;
  const sourceLanguage = request.sourceLanguage ?? detectedSourceLanguage;
  const instructions = systemInstructions(request, sourceLanguage);
  // The instructions hold every option that changes the answer (languages, glossary, do-not-translate
  // terms, formality, markup); perItemErrors and skipUntranslatable change only which texts are sent and
  // how failures are reported, so they are not part of the key.
  const cacheKey = cacheKeyer({ operation: 'translate', promptVersion: translatePromptVersion, modelId, options: instructions });
  return { detectedSourceLanguage, sourceLanguage, instructions, cacheKey };
}

/** How the texts go out: too long for one request (in parts), alone, or packed into batches. */
function splitWork<T extends { tokens: number }>(todo: readonly T[], shape: RequestShape, prefersSmallBatches: boolean) {
  const long = todo.filter((piece) => piece.tokens > shape.partTokens);
  const singles = todo.filter((piece) => piece.tokens <= shape.partTokens && (prefersSmallBatches || piece.tokens > shortTextTokens));
  const packable = prefersSmallBatches ? [] : todo.filter((piece) => piece.tokens <= shortTextTokens && piece.tokens <= shape.partTokens);
  const batches = planBatches(
    packable,
    (piece) => ({ input: tokensPerEntry + piece.tokens, output: tokensPerEntry + Math.ceil(piece.tokens * 1.5) }),
    shape.batchBudget,
  );
  return { long, singles, batches };
}

/** The parts of a text too long for one request: only between spans for marked-up text when it can be. */
function textParts(core: string, partTokens: number, rules: AnswerRules, count: (text: string) => number, locale: string | undefined): TextParts {
  // Marked-up text splits only between spans; a span longer than a part cannot keep its markers, so
  // the text goes as plain text in parts and comes back with markupDropped.
  return (
    (rules.markup ? splitMarkupIntoParts(core, partTokens, count, locale) : undefined) ??
    splitIntoParts(rules.markup ? escapeSpanText(stripSpanMarkup(core)) : core, partTokens, count, locale)
  );
}

function aloneMessages(text: string, instructions: string[]): ChatMessage[] {
  const block = delimiter('text');
  return [
    { role: 'system', content: [...instructions, aloneRule, dataOnlyRule(block)].join('\n') },
    { role: 'user', content: block.wrap(text) },
  ];
}

function batchMessages(cores: readonly string[], instructions: string[]): { messages: ChatMessage[]; ids: string[]; payload: string } {
  const block = delimiter('texts');
  const ids = cores.map((_, position) => String(position + 1));
  // Compact JSON, one text per line: indentation would cost tokens on every text.
  const payload = `[${cores.map((core, position) => JSON.stringify({ id: ids[position], text: core })).join(',\n')}]`;
  const messages: ChatMessage[] = [
    { role: 'system', content: [...instructions, batchRule, dataOnlyRule(block)].join('\n') },
    { role: 'user', content: block.wrap(payload) },
  ];
  return { messages, ids, payload };
}

/**
 * Answer tokens per source token by target language, in o200k_base: German, French, Spanish and the
 * like run longer than English; English and the CJK languages about as long or shorter. Rough by nature:
 * a run estimate, never a budget.
 */
export function translationLengthFactor(targetLanguage: string): number {
  const language = targetLanguage.toLowerCase().split('-')[0] ?? '';
  if (['de', 'fr', 'es', 'it', 'pt', 'nl', 'pl', 'ru', 'uk', 'cs', 'fi', 'hu', 'el', 'ro'].includes(language)) return 1.2;
  if (['en', 'zh', 'ja', 'ko'].includes(language)) return 0.95;
  return 1.1;
}

/**
 * What a translation would send, without sending it (POST /api/v1/estimate): the same texts, cache
 * look-ups (texts, then parts of long ones), copies, parts, batches and prompts as `translate`, and
 * for each request an answer of the source's tokens times the target language's length factor.
 */
export async function planTranslateRun(request: TranslateRequest, context: EstimateContext & { cache?: ResultCache | undefined }): Promise<RunPlan> {
  checkItems(request.texts, 'texts', context.limits);
  const rules = answerRules(request);
  const texts = textsToSend(request, rules, () => undefined);
  const { sourceLanguage, instructions, cacheKey } = translationSetup(request, texts, rules, context.model.modelId);
  const count = (text: string) => context.model.countTokens(text);
  const factor = translationLengthFactor(request.targetLanguage);
  const shape = requestShape(instructions, context.model.contextWindowTokens, count);
  const pieces = texts.map((text) => ({ core: text.core, tokens: count(text.core), cacheKey: cacheKey(text.core) }));
  const cached = context.cache === undefined ? new Map<string, string>() : await context.cache.getMany(pieces.map((piece) => piece.cacheKey));
  const distinct = new Set(pieces.map((piece) => piece.core));
  const todo: typeof pieces = [];
  const seen = new Set<string>();
  let cachedItems = 0;
  for (const piece of pieces) {
    if (cached.has(piece.cacheKey)) cachedItems += 1;
    else if (!seen.has(piece.core)) {
      seen.add(piece.core);
      todo.push(piece);
    }
  }
  const { long, singles, batches } = splitWork(todo, shape, context.model.prefersSmallBatches);
  const alone = (text: string): PlannedRequest => {
    const messages = aloneMessages(text, instructions);
    const tokens = count(text);
    return {
      promptTokens: countMessageTokens(messages, count),
      maxOutputTokens: answerBudget(messages, Math.max(minimumAloneAnswerTokens, Math.ceil(tokens * 2)), context),
      completionTokens: Math.ceil(tokens * factor),
    };
  };
  const requests: PlannedRequest[] = [];
  for (const piece of long) {
    const { parts } = textParts(piece.core, shape.partTokens, rules, count, segmenterLocale(sourceLanguage));
    const partHits = context.cache === undefined ? new Map<string, string>() : await context.cache.getMany(parts.map((part) => cacheKey(part)));
    for (const part of parts) if (!partHits.has(cacheKey(part))) requests.push(alone(part));
  }
  requests.push(...singles.map((piece) => alone(piece.core)));
  for (const batch of batches) {
    const { messages } = batchMessages(
      batch.map((piece) => piece.core),
      instructions,
    );
    const wanted = Math.max(minimumBatchAnswerTokens, 16 + batch.reduce((total, piece) => total + tokensPerEntry + Math.ceil(piece.tokens * 2), 0));
    requests.push({
      promptTokens: countMessageTokens(messages, count),
      maxOutputTokens: answerBudget(messages, wanted, context),
      completionTokens: count('{"translations":[]}') + batch.reduce((total, piece) => total + tokensPerEntry + Math.ceil(piece.tokens * factor), 0),
    });
  }
  return { items: request.texts.length, distinctItems: distinct.size, cachedItems, itemsToSend: todo.length, requests };
}

interface RequestShape {
  /** Tokens of a request for one text beyond the text: instructions, rules, delimiters. */
  aloneFrame: number;
  /** Tokens of a batch request beyond its texts. */
  batchFrame: number;
  /** The most tokens of text one request alone may carry: more is split into parts. */
  partTokens: number;
  /** The batch budget, narrowed to what fits the context window. */
  batchBudget: BatchBudget;
}

/** What a random nonce may cost beyond the stand-in's zeros, in its two appearances (the rule and the block): at most 38 over 20,000 nonces. */
const nonceTokens = 40;
/** The line breaks around the text in its block: the empty block counts them as one token, the text splits them. */
const delimiterTokens = 2;
/**
 * The tokens of a request beyond its text, from a block with a fixed nonce: sizes must not depend on
 * the random nonce of a request (a part split differently on a re-run would miss the cache).
 */
function frameTokens(name: string, instructions: string[], rule: string, emptyPayload: string, count: (text: string) => number): number {
  const open = `<${name}-0000000000000000>`;
  const close = `</${name}-0000000000000000>`;
  const block = { open, close, wrap: (content: string) => `${open}\n${content}\n${close}` };
  const messages = [{ content: [...instructions, rule, dataOnlyRule(block)].join('\n') }, { content: block.wrap(emptyPayload) }];
  return countMessageTokens(messages, count) + nonceTokens + delimiterTokens;
}

/**
 * What fits one request: the prompt's frame, the text, and an answer budget about twice the text,
 * inside the context window. `extraFrameTokens` covers instructions the caller cannot see yet (an
 * estimate does not know the detected language).
 */
function requestShape(instructions: string[], contextWindowTokens: number, count: (text: string) => number, extraFrameTokens = 0): RequestShape {
  const aloneFrame = frameTokens('text', instructions, aloneRule, '', count) + extraFrameTokens;
  const batchFrame = frameTokens('texts', instructions, batchRule, '[]', count) + extraFrameTokens;
  const batchRoom = Math.max(256, contextWindowTokens - batchFrame - contextMargin);
  return {
    aloneFrame,
    batchFrame,
    partTokens: Math.max(32, Math.min(maxPartTokens, Math.floor((contextWindowTokens - aloneFrame - contextMargin) / 3))),
    batchBudget: {
      maxItems: batchBudget.maxItems,
      maxInputTokens: Math.min(batchBudget.maxInputTokens, Math.floor(batchRoom / 3)),
      maxOutputTokens: Math.min(batchBudget.maxOutputTokens, Math.floor((batchRoom * 2) / 3)),
    },
  };
}

/** The answer budget asked for, narrowed so prompt and answer fit the context window together. */
function answerBudget(messages: ChatMessage[], wanted: number, context: Pick<OperationContext, 'model'>): number {
  const prompt = countMessageTokens(messages, (text) => context.model.countTokens(text));
  return Math.max(16, Math.min(wanted, context.model.contextWindowTokens - prompt - contextMargin));
}

async function translateAlone(text: string, instructions: string[], context: OperationContext, usage: UsageMeter): Promise<string> {
  throwIfCancelled(context.signal);
  const messages = aloneMessages(text, instructions);
  const wanted = Math.max(minimumAloneAnswerTokens, Math.ceil(context.model.countTokens(text) * 2));
  const result = await context.model.generate({ messages, temperature: 0, maxOutputTokens: answerBudget(messages, wanted, context), signal: context.signal });
  usage.addRequest(result.usage);
  const translated = result.text.trim();
  if (translated === '') throw new AppError('INVALID_MODEL_OUTPUT', 'The model returned an empty translation. Run again to retry it.');
  return translated;
}

/**
 * A text translated alone (or its first answer from a batch) checked against the request's rules, and
 * asked once more with the broken rules spelled out when it breaks one. Returns the better answer;
 * what it still breaks is reported by finalResult.
 */
async function translateChecked(
  source: string,
  instructions: string[],
  rules: AnswerRules,
  context: OperationContext,
  usage: UsageMeter,
  first?: string,
): Promise<string> {
  const answer = first ?? (await translateAlone(source, instructions, context, usage));
  const problems = answerProblems(source, answer, rules);
  if (problems === undefined) return answer;
  try {
    const again = await translateAlone(source, [...instructions, ...correctionInstructions(problems)], context, usage);
    return betterAnswer(source, answer, again, rules);
  } catch (error) {
    // An empty re-ask leaves the first answer, reported with what it broke; the provider's failures still count.
    if (isAppError(error) && error.code === 'INVALID_MODEL_OUTPUT') return answer;
    throw error;
  }
}

/**
 * A text too long for one request: its parts are translated alone, in parallel, and joined with the
 * text's own separators. Parts are cached like texts (a part is translated exactly as a text of that
 * content would be), so after a failed part a later run asks only for the parts still missing.
 */
async function translateInParts(
  piece: Piece,
  partTokens: number,
  sourceLanguage: string | undefined,
  cacheKey: (text: string) => string,
  toCache: Map<string, string>,
  instructions: string[],
  rules: AnswerRules,
  context: OperationContext,
  usage: UsageMeter,
): Promise<string> {
  const count = (text: string) => context.model.countTokens(text);
  const { parts, separators } = textParts(piece.core, partTokens, rules, count, segmenterLocale(sourceLanguage));
  const keys = parts.map((part) => cacheKey(part));
  const cached = context.cache === undefined ? new Map<string, string>() : await context.cache.getMany(keys);
  const outcomes = await Promise.allSettled(
    parts.map(async (part, position) => {
      const key = keys[position] ?? '';
      const hit = cached.get(key);
      if (hit !== undefined) return hit;
      const translated = await translateChecked(part, instructions, rules, context, usage);
      if (answerProblems(part, translated, rules) === undefined) toCache.set(key, translated);
      return translated;
    }),
  );
  const translatedParts: string[] = [];
  for (const outcome of outcomes) {
    if (outcome.status === 'rejected') throw outcome.reason;
    translatedParts.push(outcome.value);
  }
  return joinParts(translatedParts, separators);
}

/** The sentence segmenter's locale: the source language when it is one the platform knows. */
function segmenterLocale(language: string | undefined): string | undefined {
  if (language === undefined) return undefined;
  try {
    return Intl.Segmenter.supportedLocalesOf([language])[0];
  } catch {
    return undefined;
  }
}

/** Translates a batch with one request; returns the pieces whose translation was missing, empty or invalid. */
async function translateBatch(
  batch: Piece[],
  instructions: string[],
  context: OperationContext,
  usage: UsageMeter,
  deliver: (piece: Piece, translated: string) => void,
): Promise<Piece[]> {
  throwIfCancelled(context.signal);
  const { messages, ids } = batchMessages(
    batch.map((piece) => piece.core),
    instructions,
  );
  const wanted = Math.max(minimumBatchAnswerTokens, 16 + batch.reduce((total, piece) => total + tokensPerEntry + Math.ceil(piece.tokens * 2), 0));
  let answer: unknown;
  try {
    const result = await context.model.generate({
      messages,
      temperature: 0,
      maxOutputTokens: answerBudget(messages, wanted, context),
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

/**
 * The most a translation may cost, reserved against the caller's budget: a text too long for one
 * request in its parts (each part's prompt and an answer budget of twice its tokens), a long text alone
 * likewise, short ones packed as the batches are, with the instructions once per request and each
 * request's answer budget. Texts the cache answers are given back when the work settles. perItemErrors
 * changes nothing here: the same requests are made either way.
 */
export function estimateTranslateTokens(request: TranslateRequest, { model, limits }: EstimateContext): number {
  checkItems(request.texts, 'texts', limits);
  const count = (text: string) => model.countTokens(text);
  const distinct = new Set<string>();
  for (const text of request.texts) {
    const core = withoutControlCharacters(text).trim();
    if (core !== '') distinct.add(core);
  }
  const instructions = systemInstructions(request, request.sourceLanguage);
  const shape = requestShape(instructions, model.contextWindowTokens, count, request.sourceLanguage === undefined ? detectedLanguageTokens : 0);
  const aloneCost = (tokens: number) =>
    shape.aloneFrame +
    tokens +
    Math.max(16, Math.min(Math.max(minimumAloneAnswerTokens, Math.ceil(tokens * 2)), model.contextWindowTokens - shape.aloneFrame - tokens));
  let total = 0;
  const packable: number[] = [];
  for (const text of distinct) {
    const tokens = count(text);
    if (tokens > shape.partTokens) {
      const { parts } = splitIntoParts(text, shape.partTokens, count, segmenterLocale(request.sourceLanguage));
      for (const part of parts) total += aloneCost(count(part));
    } else if (model.prefersSmallBatches || tokens > shortTextTokens) {
      total += aloneCost(tokens);
    } else {
      packable.push(tokens);
    }
  }
  if (packable.length === 0) return total;
  const budget = shape.batchBudget;
  const input = packable.reduce((sum, tokens) => sum + tokensPerEntry + tokens, 0);
  const planned = packable.reduce((sum, tokens) => sum + tokensPerEntry + Math.ceil(tokens * 1.5), 0);
  const answer = packable.reduce((sum, tokens) => sum + tokensPerEntry + Math.ceil(tokens * 2), 0);
  const packed = Math.max(Math.ceil(packable.length / budget.maxItems), Math.ceil(input / budget.maxInputTokens), Math.ceil(planned / budget.maxOutputTokens));
  // Packing in order leaves some room in each batch: one more request covers it.
  const requests = packed > 1 ? packed + 1 : packed;
  return total + requests * shape.batchFrame + input + Math.max(minimumBatchAnswerTokens * requests, 16 * requests + answer);
}

export const translateOperation = defineOperation(translateContract, translate, estimateTranslateTokens);

/** The translate operation with the organisation's glossary merged into every request (organisation-glossary.ts). */
export function translateOperationWithGlossary(organisation: TranslationGlossary): ServerOperation<typeof translateContract> {
  return defineOperation(
    translateContract,
    (request, context) => translate(withOrganisationGlossary(request, organisation), context),
    (request, context) => estimateTranslateTokens(withOrganisationGlossary(request, organisation), context),
  );
}
