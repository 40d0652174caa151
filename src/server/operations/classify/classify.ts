// Classification: every item gets one of the given labels, or null with an error; never a label
// outside the set, never a row dropped or shifted. Identical items are classified once, and items
// classified before (same labels, guidance and model) come from the result cache. The rest share
// requests sized by tokens, keyed by id, with structured output (json_schema with enums on the
// openai path, a grammar on the local path); whatever comes back is validated, and an item whose
// answer is missing, repeated or invalid is asked again on its own.
import type { ErrorBody } from '../../../contract/common-schemas.js';
import { normalizeLabel } from '../../../contract/labels.js';
import { classifyContract, type ClassifyRequest, type ClassifyResponse, type ClassifyResult } from '../../../contract/operations/classify.js';
import { AppError, isAppError } from '../../errors.js';
import type { ChatMessage } from '../../providers/language-model.js';
import { batchCount, planBatches, type BatchBudget } from '../../engine/batch-planner.js';
import { countMessageTokens } from '../../engine/message-tokens.js';
import { cacheKeyer, type ResultCache } from '../../engine/result-cache.js';
import type { PlannedRequest, RunPlan } from '../../engine/run-estimate.js';
import type { Limits } from '../../config.js';
import { defineOperation, type EstimateContext } from '../define-operation.js';
import { checkItems, formatCount } from '../shared/input-limits.js';
import { throwIfCancelled, UsageMeter, type OperationContext } from '../shared/operation-context.js';
import { delimiter, isObject, parseModelJson, withoutControlCharacters } from '../shared/prompt-parts.js';
import {
  answerTokenCosts,
  classifyInstructions,
  classifyPromptVersion,
  itemIds,
  itemLines,
  itemPromptTokens,
  maxItemsPerSchema,
  resultsSchema,
  systemPrompt,
} from './classify-prompt.js';

/**
 * One request's share: at most 400 items (ids stay one token, the schema far inside the property
 * limit, and a failed batch stays cheap to redo); 4,000 item tokens; 1,200 answer tokens (about 300
 * rows at 4 tokens each: one request's answer takes seconds, not minutes, so waves stay short and a
 * slow last request does not hold the run).
 */
const batchBudget: BatchBudget = { maxItems: Math.min(400, maxItemsPerSchema), maxInputTokens: 4_000, maxOutputTokens: 1_200 };
/**
 * Below this many rows a batch's fixed cost (instructions and label list, 100–250 tokens with a dozen
 * labels) outweighs filling one more parallel slot: at 100 rows of about 16 tokens it stays under a
 * sixth of the request, and 1,000 rows go out as at most 10 requests (a column of =AI.CLASSIFY cells).
 */
const minItemsPerBatch = 100;
/** Parallel requests assumed when the provider does not say: a common provider limit, and whole waves for 1, 2, 4, 8 and 16. */
const defaultParallelRequests = 16;
/** Refused batches split in halves at most this often per request: a bad item is isolated, a refusal of every item stays bounded. */
const maxSplits = 32;
/** How often one item is asked again on its own after an invalid answer. */
const maxReasks = 2;

interface UniqueItem {
  text: string;
  /** Positions in the request that hold this same text. */
  indexes: number[];
  cacheKey: string;
}

export async function classify(request: ClassifyRequest, context: OperationContext): Promise<ClassifyResponse> {
  checkClassifyLimits(request, context.limits);
  const usage = new UsageMeter();
  const labels = request.labels;
  const labelMatcher = new LabelMatcher(labels);
  const results: (ClassifyResult | undefined)[] = new Array<ClassifyResult | undefined>(request.items.length);
  let done = 0;

  const cacheKey = classifyCacheKeyer(request, context.model.modelId);
  const toCache = new Map<string, string>();

  const settle = (indexes: number[], result: ClassifyResult, reportProgress = true) => {
    for (const index of indexes) {
      results[index] = result;
      done += 1;
      context.events?.onItem?.({ index, label: result.label, ...(result.error === undefined ? {} : { error: result.error }) });
    }
    if (reportProgress) context.events?.onProgress?.({ done, total: request.items.length });
  };
  const settleLabel = (item: UniqueItem, label: string) => {
    toCache.set(item.cacheKey, label);
    settle(item.indexes, { label });
  };

  const unique = new Map<string, UniqueItem>();
  request.items.forEach((item, index) => {
    const text = classifyItemText(item);
    if (text === '') {
      settle([index], { label: null, error: { code: 'EMPTY_ITEM', message: 'The item is empty: there is nothing to classify.', retryable: false } }, false);
      return;
    }
    const existing = unique.get(text);
    if (existing) existing.indexes.push(index);
    else unique.set(text, { text, indexes: [index], cacheKey: cacheKey(text) });
  });

  // Finished before: answered from the cache, without a request.
  const cached = context.cache === undefined ? new Map<string, string>() : await context.cache.getMany([...unique.values()].map((item) => item.cacheKey));
  const uniqueItems: UniqueItem[] = [];
  for (const item of unique.values()) {
    const label = labelMatcher.match(cached.get(item.cacheKey) ?? '');
    if (label === undefined) {
      uniqueItems.push(item);
    } else {
      usage.addCachedItems(item.indexes.length);
      settle(item.indexes, { label }, false);
    }
  }
  if (done > 0) context.events?.onProgress?.({ done, total: request.items.length });
  throwIfCancelled(context.signal);

  const prompt = systemPrompt(labels, request.instructions);
  const failures: AppError[] = [];
  const flushCache = async () => {
    if (context.cache === undefined || toCache.size === 0) return;
    const entries = new Map(toCache);
    toCache.clear();
    await context.cache.setMany(entries);
  };

  const classifyOne = async (item: UniqueItem): Promise<void> => {
    for (let attempt = 0; attempt <= maxReasks; attempt += 1) {
      const answer = await ask([item], prompt, labels, labelMatcher, context, usage);
      const label = answer.get(0);
      if (label !== undefined) return settleLabel(item, label);
    }
    settle(item.indexes, {
      label: null,
      error: { code: 'INVALID_MODEL_OUTPUT', message: 'The model gave no valid label for this item. Run again to retry it.', retryable: true },
    });
  };

  let splits = 0;
  const runBatch = async (batch: UniqueItem[]): Promise<void> => {
    try {
      const answers = batch.length === 1 ? new Map<number, string>() : await ask(batch, prompt, labels, labelMatcher, context, usage);
      const retry: UniqueItem[] = [];
      batch.forEach((item, position) => {
        const label = answers.get(position);
        if (label === undefined) retry.push(item);
        else settleLabel(item, label);
      });
      await Promise.all(retry.map(classifyOne));
      await flushCache();
    } catch (error) {
      if (!isAppError(error) || error.code === 'CANCELLED') throw error;
      // Only a request refused for its content (a 400, a content filter, too long, an invalid answer) is
      // split, so one bad item fails alone. A 5xx, timeout, dropped connection, 429 or not-ready is the
      // provider's state, not the batch's: halves would fail alike and multiply an outage.
      const splittable = ['PROVIDER_REJECTED_REQUEST', 'INPUT_TOO_LARGE', 'INVALID_MODEL_OUTPUT'].includes(error.code);
      const pending = batch.filter((item) => item.indexes.every((index) => results[index] === undefined));
      if (splittable && pending.length > 1 && splits < maxSplits) {
        splits += 1;
        const half = Math.ceil(pending.length / 2);
        await Promise.all([runBatch(pending.slice(0, half)), runBatch(pending.slice(half))]);
        return;
      }
      failures.push(error);
      const body: ErrorBody = error.toBody();
      for (const item of batch) if (item.indexes.every((index) => results[index] === undefined)) settle(item.indexes, { label: null, error: body });
    }
  };

  await Promise.all(planClassifyBatches(uniqueItems, prompt, labels, context).map(runBatch));
  await flushCache();
  throwIfCancelled(context.signal);

  // Nothing classified and the provider failed: answer with its error (and Retry-After), not a sheet of nulls.
  const anyLabelled = results.some((result) => result?.label != null);
  const firstFailure = failures[0];
  if (!anyLabelled && firstFailure !== undefined) throw firstFailure;

  return {
    results: results.map(
      (result) => result ?? { label: null, error: { code: 'INTERNAL_ERROR', message: 'The item was not classified. Run again.', retryable: true } },
    ),
    model: context.model.modelId,
    usage: usage.toUsage(),
  };
}

/** Line breaks and runs of spaces do not change a label: items that differ only there are one item. */
function classifyItemText(item: string): string {
  return withoutControlCharacters(item).normalize('NFC').replace(/\s+/gu, ' ').trim();
}

function classifyCacheKeyer(request: ClassifyRequest, modelId: string): (text: string) => string {
  return cacheKeyer({
    operation: 'classify',
    promptVersion: classifyPromptVersion,
    modelId,
    options: { labels: request.labels, instructions: request.instructions?.trim() ?? '' },
  });
}

/** One batch's request: the instructions once, the items one per line between fresh delimiters. */
function classifyMessages(texts: readonly string[], prompt: string[]): { messages: ChatMessage[]; ids: string[] } {
  const block = delimiter('items');
  const ids = itemIds(texts.length);
  const messages: ChatMessage[] = [
    { role: 'system', content: classifyInstructions(prompt, block.open, block.close) },
    { role: 'user', content: block.wrap(itemLines(ids, texts)) },
  ];
  return { messages, ids };
}

/**
 * What a classification would send, without sending it (POST /api/v1/estimate): the same distinct
 * rows, cache look-up, batches and prompts as `classify`, and for each request the answer it expects,
 * the compact `{"<id>":<label number>}` at a middle label number.
 */
export async function planClassifyRun(request: ClassifyRequest, context: EstimateContext & { cache?: ResultCache | undefined }): Promise<RunPlan> {
  checkClassifyLimits(request, context.limits);
  const cacheKey = classifyCacheKeyer(request, context.model.modelId);
  const labelMatcher = new LabelMatcher(request.labels);
  const rowsByText = new Map<string, UniqueItem>();
  request.items.forEach((item, index) => {
    const text = classifyItemText(item);
    if (text === '') return;
    const existing = rowsByText.get(text);
    if (existing) existing.indexes.push(index);
    else rowsByText.set(text, { text, indexes: [index], cacheKey: cacheKey(text) });
  });
  const cached = context.cache === undefined ? new Map<string, string>() : await context.cache.getMany([...rowsByText.values()].map((item) => item.cacheKey));
  let cachedItems = 0;
  const toSend: UniqueItem[] = [];
  for (const item of rowsByText.values()) {
    if (labelMatcher.match(cached.get(item.cacheKey) ?? '') === undefined) toSend.push(item);
    else cachedItems += item.indexes.length;
  }
  const prompt = systemPrompt(request.labels, request.instructions);
  const count = (text: string) => context.model.countTokens(text);
  const answerCost = answerTokenCosts(request.labels, Math.min(toSend.length, batchBudget.maxItems), count);
  const middleLabel = Math.floor((request.labels.length - 1) / 2);
  const requests = planClassifyBatches(toSend, prompt, request.labels, context).map((batch): PlannedRequest => {
    const { messages, ids } = classifyMessages(
      batch.map((item) => item.text),
      prompt,
    );
    const expected = JSON.stringify(Object.fromEntries(ids.map((id) => [id, middleLabel])));
    return {
      promptTokens: countMessageTokens(messages, count),
      maxOutputTokens: answerCost.frame + batch.length * answerCost.perItem,
      completionTokens: count(expected),
    };
  });
  return { items: request.items.length, distinctItems: rowsByText.size, cachedItems, itemsToSend: toSend.length, requests };
}

/** Batches sized by the model's own token counts (the item lines as sent, the answers they get back) and by the provider's parallel requests. */
function planClassifyBatches(items: UniqueItem[], prompt: string[], labels: string[], context: Pick<OperationContext, 'model'>): UniqueItem[][] {
  if (items.length === 0) return [];
  if (context.model.prefersSmallBatches) return items.map((item) => [item]);
  const count = (text: string) => context.model.countTokens(text);
  const fixedTokens = countMessageTokens([{ content: classifyInstructions(prompt, '<items-0000000000000000>', '</items-0000000000000000>') }], count);
  const { perItem: answerTokens } = answerTokenCosts(labels, Math.min(items.length, batchBudget.maxItems), count);
  const promptTokensPerItem = itemPromptTokens(Math.min(items.length, batchBudget.maxItems), count);
  // The whole request must fit the context window with its answer, whatever the configured budgets.
  const room = Math.max(256, context.model.contextWindowTokens - fixedTokens - 64);
  return planBatches(
    items,
    (item) => ({ input: promptTokensPerItem + count(item.text), output: answerTokens }),
    {
      maxItems: batchBudget.maxItems,
      maxInputTokens: Math.min(batchBudget.maxInputTokens, Math.floor(room / 2)),
      maxOutputTokens: Math.min(batchBudget.maxOutputTokens, Math.floor(room / 2)),
    },
    { slots: parallelRequests(context.model), minItemsPerBatch },
  );
}

/**
 * The requests the provider serves at once, when the model says (a governor that learnt it from the
 * provider's limits exposes `parallelRequests`); otherwise a common provider limit.
 */
function parallelRequests(model: object): number {
  const hint = (model as { parallelRequests?: unknown }).parallelRequests;
  return typeof hint === 'number' && Number.isInteger(hint) && hint > 0 ? hint : defaultParallelRequests;
}

/** One request for a batch; returns the valid label for each batch position that got one. */
async function ask(
  batch: UniqueItem[],
  prompt: string[],
  labels: string[],
  labelMatcher: LabelMatcher,
  context: OperationContext,
  usage: UsageMeter,
): Promise<Map<number, string>> {
  throwIfCancelled(context.signal);
  const { messages, ids } = classifyMessages(
    batch.map((item) => item.text),
    prompt,
  );
  const answerCost = answerTokenCosts(labels, batch.length, (text) => context.model.countTokens(text));
  const result = await context.model.generate({
    messages,
    temperature: 0,
    // Room for every entry at the largest id and label number, and no more: the provider reserves max_tokens against TPM.
    maxOutputTokens: answerCost.frame + batch.length * answerCost.perItem,
    responseFormat: { type: 'json', name: 'classification', schema: resultsSchema(ids, labels) },
    signal: context.signal,
  });
  usage.addRequest(result.usage);
  return readAnswer(result.text, ids, labels, labelMatcher);
}

/**
 * The label of each batch position from a `{"<id>": <label number>}` answer. An id that is missing,
 * given twice or holds no valid label number (or label) is no answer: that item alone is asked again,
 * never shifted onto a neighbour. Unknown ids are ignored.
 */
export function readAnswer(text: string, ids: readonly string[], labels: readonly string[], labelMatcher: LabelMatcher): Map<number, string> {
  const answer = parseModelJson(text);
  const labelled = new Map<number, string>();
  if (!isObject(answer)) return labelled;
  // JSON.parse keeps the last of repeated keys: count them in the raw text, where only keys are quoted digits.
  const keyCounts = new Map<string, number>();
  for (const match of text.matchAll(/"(\d+)"\s*:/gu)) keyCounts.set(match[1] ?? '', (keyCounts.get(match[1] ?? '') ?? 0) + 1);
  ids.forEach((id, position) => {
    if ((keyCounts.get(id) ?? 0) !== 1) return;
    const label = labelFromAnswer(answer[id], labels, labelMatcher);
    if (label !== undefined) labelled.set(position, label);
  });
  return labelled;
}

/** A label number (or, from a model that ignored the format, the label itself). */
function labelFromAnswer(value: unknown, labels: readonly string[], labelMatcher: LabelMatcher): string | undefined {
  const number = typeof value === 'number' ? value : typeof value === 'string' && /^\d+$/u.test(value.trim()) ? Number(value) : undefined;
  if (number !== undefined) return Number.isInteger(number) && number >= 0 && number < labels.length ? labels[number] : undefined;
  return typeof value === 'string' ? labelMatcher.match(value) : undefined;
}

/** Maps a returned label back to the user's exact label: exact (NFC, trimmed) first, then case-insensitive when unambiguous. */
export class LabelMatcher {
  private readonly exact = new Map<string, string>();
  private readonly folded = new Map<string, string | null>();

  constructor(labels: string[]) {
    for (const label of labels) {
      this.exact.set(normalizeLabel(label), label);
      const key = labelKey(label);
      this.folded.set(key, this.folded.has(key) ? null : label);
    }
  }

  match(answer: string): string | undefined {
    return this.exact.get(normalizeLabel(answer)) ?? this.folded.get(labelKey(answer)) ?? undefined;
  }
}

function labelKey(label: string): string {
  return normalizeLabel(label).toLocaleLowerCase('en-US');
}

function checkClassifyLimits(request: ClassifyRequest, limits: Limits): void {
  if (request.labels.length > limits.maxLabels) {
    throw new AppError(
      'TOO_MANY_LABELS',
      `There are ${formatCount(request.labels.length)} labels; this server accepts at most ${formatCount(limits.maxLabels)}. Use fewer, broader labels.`,
      { details: { limit: limits.maxLabels, actual: request.labels.length } },
    );
  }
  const longLabelIndex = request.labels.findIndex((label) => label.length > limits.maxLabelCharacters);
  if (longLabelIndex >= 0) {
    throw new AppError(
      'INPUT_TOO_LARGE',
      `labels[${longLabelIndex}] has more than ${formatCount(limits.maxLabelCharacters)} characters. Shorten it; put explanations in "instructions" instead.`,
      { details: { limit: limits.maxLabelCharacters } },
    );
  }
  if (request.instructions !== undefined && request.instructions.length > limits.maxItemCharacters) {
    throw new AppError('INPUT_TOO_LARGE', `The instructions have more than ${formatCount(limits.maxItemCharacters)} characters. Shorten them.`, {
      details: { limit: limits.maxItemCharacters },
    });
  }
  checkItems(request.items, 'items', limits);
}

/**
 * The most a classification may cost, reserved against the caller's budget: each distinct row's share
 * of the prompt and its answer at the longest label (the max_tokens asked for), plus the instructions
 * and the answer's frame once per request, with as many requests as the batches need. Rows the cache
 * answers are given back when the work settles.
 */
export function estimateClassifyTokens(request: ClassifyRequest, { model, limits }: EstimateContext): number {
  checkClassifyLimits(request, limits);
  const distinct = new Set<string>();
  for (const item of request.items) {
    const text = classifyItemText(item);
    if (text !== '') distinct.add(text);
  }
  if (distinct.size === 0) return 0;
  const count = (text: string) => model.countTokens(text);
  const block = delimiter('items');
  const instructions = classifyInstructions(systemPrompt(request.labels, request.instructions), block.open, block.close);
  const perRequest = countMessageTokens([{ content: instructions }, { content: block.wrap('[]') }], count);
  const answer = answerTokenCosts(request.labels, Math.min(distinct.size, batchBudget.maxItems), count);
  const promptPerItem = itemPromptTokens(Math.min(distinct.size, batchBudget.maxItems), count);
  let itemTokens = 0;
  for (const text of distinct) itemTokens += promptPerItem + count(text);
  const answerTokens = distinct.size * answer.perItem;
  const room = Math.floor(Math.max(256, model.contextWindowTokens - perRequest - 64) / 2);
  const packed = Math.max(
    Math.ceil(distinct.size / batchBudget.maxItems),
    Math.ceil(itemTokens / Math.min(batchBudget.maxInputTokens, room)),
    Math.ceil(answerTokens / Math.min(batchBudget.maxOutputTokens, room)),
  );
  // Packing in order leaves some room in each batch: one more request covers it; then whole waves of parallel requests.
  const requests = model.prefersSmallBatches
    ? distinct.size
    : batchCount(distinct.size, packed > 1 ? packed + 1 : packed, { slots: parallelRequests(model), minItemsPerBatch });
  return requests * (perRequest + answer.frame) + itemTokens + answerTokens;
}

export const classifyOperation = defineOperation(classifyContract, classify, estimateClassifyTokens);
