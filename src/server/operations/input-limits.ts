// Configured size limits, answered with 413 and a message that says what to do. Structural problems
// (wrong types, empty labels) are the schema's job and answer 400 before these run.
import type { ClassifyRequest, SummarizeRequest, TranslateRequest } from '../../contract/schemas.js';
import type { Limits } from '../config.js';
import { AppError } from '../errors.js';

const format = (value: number) => value.toLocaleString('en-US');

export function checkSummarizeLimits(request: SummarizeRequest, limits: Limits): void {
  if (request.text.length > limits.maxTextCharacters) {
    throw new AppError('INPUT_TOO_LARGE', `The text has ${format(request.text.length)} characters; this server accepts at most ${format(limits.maxTextCharacters)}. Select less text and try again.`);
  }
}

export function checkTranslateLimits(request: TranslateRequest, limits: Limits): void {
  checkItems(request.texts, 'texts', limits);
}

export function checkClassifyLimits(request: ClassifyRequest, limits: Limits): void {
  if (request.labels.length > limits.maxLabels) {
    throw new AppError('TOO_MANY_LABELS', `There are ${format(request.labels.length)} labels; this server accepts at most ${format(limits.maxLabels)}. Use fewer, broader labels.`);
  }
  const longLabelIndex = request.labels.findIndex((label) => label.length > limits.maxLabelCharacters);
  if (longLabelIndex >= 0) {
    throw new AppError('INPUT_TOO_LARGE', `labels[${longLabelIndex}] has more than ${format(limits.maxLabelCharacters)} characters. Shorten it; put explanations in "instructions" instead.`);
  }
  if (request.instructions !== undefined && request.instructions.length > limits.maxItemCharacters) {
    throw new AppError('INPUT_TOO_LARGE', `The instructions have more than ${format(limits.maxItemCharacters)} characters. Shorten them.`);
  }
  checkItems(request.items, 'items', limits);
}

function checkItems(items: string[], field: string, limits: Limits): void {
  if (items.length > limits.maxItems) {
    throw new AppError('TOO_MANY_ITEMS', `There are ${format(items.length)} ${field}; this server accepts at most ${format(limits.maxItems)} in one request. Select fewer rows, or send them in several requests.`);
  }
  let total = 0;
  for (const [index, item] of items.entries()) {
    if (item.length > limits.maxItemCharacters) {
      throw new AppError('INPUT_TOO_LARGE', `${field}[${index}] has ${format(item.length)} characters; this server accepts at most ${format(limits.maxItemCharacters)} per entry. Shorten it or leave it out.`);
    }
    total += item.length;
  }
  if (total > limits.maxTotalCharacters) {
    throw new AppError('INPUT_TOO_LARGE', `The ${field} have ${format(total)} characters in all; this server accepts at most ${format(limits.maxTotalCharacters)} in one request. Send them in several requests.`);
  }
}
