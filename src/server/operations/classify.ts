// Classification: every item gets one of the given labels, or null with an error; never a label
// outside the set, never a row dropped or shifted. Identical items are classified once. Items share
// requests keyed by id, with structured output (json_schema with enums on the openai path, a grammar
// on the local path); whatever comes back is validated, and an item whose answer is missing,
// repeated or invalid is asked again on its own.
import {
  normalizeLabel,
  type ClassifyRequest,
  type ClassifyResponse,
  type ClassifyResult,
  type ErrorBody,
} from '../../contract/schemas.js';
import type { AppError} from '../errors.js';
import { isAppError } from '../errors.js';
import type { ChatMessage } from '../providers/language-model.js';
import { isObject, packBatches } from './batching.js';
import { checkClassifyLimits } from './input-limits.js';
import { throwIfCancelled, UsageMeter, type OperationContext } from './operation-context.js';
import { dataOnlyRule, delimiter, parseModelJson, withoutControlCharacters } from './prompt-parts.js';

const batchMaxItems = 25;
const batchMaxCharacters = 8_000;
/** How often one item is asked again on its own after an invalid answer. */
const maxReasks = 2;

interface UniqueItem {
  text: string;
  /** Positions in the request that hold this same text. */
  indexes: number[];
}

export async function classify(request: ClassifyRequest, context: OperationContext): Promise<ClassifyResponse> {
  checkClassifyLimits(request, context.limits);
  const usage = new UsageMeter();
  const labels = request.labels;
  const labelMatcher = new LabelMatcher(labels);
  const results: (ClassifyResult | undefined)[] = new Array<ClassifyResult | undefined>(request.items.length);
  let done = 0;

  const settle = (indexes: number[], result: ClassifyResult) => {
    for (const index of indexes) {
      results[index] = result;
      done += 1;
      context.events?.onItem?.({ index, label: result.label, ...(result.error === undefined ? {} : { error: result.error }) });
    }
    context.events?.onProgress?.({ done, total: request.items.length });
  };

  const unique = new Map<string, UniqueItem>();
  request.items.forEach((item, index) => {
    const text = withoutControlCharacters(item).trim();
    if (text === '') {
      settle([index], { label: null, error: { code: 'EMPTY_ITEM', message: 'The item is empty: there is nothing to classify.', retryable: false } });
      return;
    }
    const existing = unique.get(text);
    if (existing) existing.indexes.push(index);
    else unique.set(text, { text, indexes: [index] });
  });

  const prompt = systemPrompt(labels, request.instructions);
  const uniqueItems = [...unique.values()];
  const size = context.model.prefersSmallBatches ? 1 : batchMaxItems;
  const failures: AppError[] = [];

  const classifyOne = async (item: UniqueItem): Promise<void> => {
    for (let attempt = 0; attempt <= maxReasks; attempt += 1) {
      const answer = await ask([item], prompt, labels, labelMatcher, context, usage);
      const label = answer.get(0);
      if (label !== undefined) return settle(item.indexes, { label });
    }
    settle(item.indexes, {
      label: null,
      error: { code: 'INVALID_MODEL_OUTPUT', message: 'The model gave no valid label for this item. Run again to retry it.', retryable: true },
    });
  };

  const runBatch = async (batch: UniqueItem[]): Promise<void> => {
    try {
      const answers = batch.length === 1 ? new Map<number, string>() : await ask(batch, prompt, labels, labelMatcher, context, usage);
      const retry: UniqueItem[] = [];
      batch.forEach((item, position) => {
        const label = answers.get(position);
        if (label === undefined) retry.push(item);
        else settle(item.indexes, { label });
      });
      await Promise.all(retry.map(classifyOne));
    } catch (error) {
      if (!isAppError(error) || error.code === 'CANCELLED') throw error;
      failures.push(error);
      const body: ErrorBody = error.toBody();
      for (const item of batch) if (item.indexes.every((index) => results[index] === undefined)) settle(item.indexes, { label: null, error: body });
    }
  };

  await Promise.all(packBatches(uniqueItems, (item) => item.text.length, size, batchMaxCharacters).map(runBatch));
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

function systemPrompt(labels: string[], instructions: string | undefined): string[] {
  const lines = [
    'You classify each item into exactly one of the allowed labels.',
    `Allowed labels (JSON): ${JSON.stringify(labels)}`,
    'Choose the single best-fitting label for every item, even when none fits perfectly. Copy the label exactly as written.',
  ];
  if (instructions !== undefined && instructions.trim() !== '') {
    lines.push(`Guidance from the user on how to choose: ${withoutControlCharacters(instructions.trim())}`);
  }
  return lines;
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
  const block = delimiter('items');
  const ids = batch.map((_, position) => String(position + 1));
  const payload = JSON.stringify(batch.map((item, position) => ({ id: ids[position], text: item.text })), null, 1);
  const messages: ChatMessage[] = [
    {
      role: 'system',
      content: [
        ...prompt,
        'The input is a JSON array of items, each with an id. Answer with JSON: {"results": [{"id": "<id>", "label": "<label>"}]}, ' +
          'one entry per input id, in the same order.',
        dataOnlyRule(block),
      ].join('\n'),
    },
    { role: 'user', content: block.wrap(payload) },
  ];
  const longestLabel = Math.max(...labels.map((label) => label.length));
  const result = await context.model.generate({
    messages,
    temperature: 0,
    maxOutputTokens: 32 + batch.length * (16 + Math.ceil(longestLabel / 2)),
    responseFormat: { type: 'json', name: 'classification', schema: resultsSchema(ids, labels) },
    signal: context.signal,
  });
  usage.addRequest(result.usage);

  const answer = parseModelJson(result.text);
  const entries = isObject(answer) && Array.isArray(answer['results']) ? answer['results'] : [];
  const labelById = new Map<string, string | null>();
  for (const entry of entries) {
    if (!isObject(entry) || typeof entry['id'] !== 'string' || typeof entry['label'] !== 'string') continue;
    const label = labelMatcher.match(entry['label']) ?? null;
    // A repeated id is ambiguous: it counts as no answer, and the item is asked again alone.
    labelById.set(entry['id'], labelById.has(entry['id']) ? null : label);
  }
  const labelled = new Map<number, string>();
  ids.forEach((id, position) => {
    const label = labelById.get(id);
    if (typeof label === 'string') labelled.set(position, label);
  });
  return labelled;
}

function resultsSchema(ids: string[], labels: string[]): Record<string, unknown> {
  return {
    type: 'object',
    properties: {
      results: {
        type: 'array',
        // Exactly one entry per id: also keeps a small local model from stopping early or rambling.
        minItems: ids.length,
        maxItems: ids.length,
        items: {
          type: 'object',
          properties: { id: { type: 'string', enum: ids }, label: { type: 'string', enum: labels } },
          required: ['id', 'label'],
          additionalProperties: false,
        },
      },
    },
    required: ['results'],
    additionalProperties: false,
  };
}

/** Maps a returned label back to the user's exact label: exact (NFC, trimmed) first, then case-insensitive when unambiguous. */
class LabelMatcher {
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
