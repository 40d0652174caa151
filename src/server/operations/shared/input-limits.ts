// Configured size limits, answered with 413 and a message that says what to do. Structural problems
// (wrong types, empty labels) are the schema's job and answer 400 before these run. Each operation
// combines these checks for its own fields.
import type { Limits } from '../../config.js';
import { AppError } from '../../errors.js';

export const formatCount = (value: number): string => value.toLocaleString('en-US');

/** One long text (a document, an email): at most maxTextCharacters. */
export function checkTextLength(text: string, description: string, advice: string, limits: Limits): void {
  if (text.length > limits.maxTextCharacters) {
    throw new AppError(
      'INPUT_TOO_LARGE',
      `${description} has ${formatCount(text.length)} characters; this server accepts at most ${formatCount(limits.maxTextCharacters)}. ${advice}`,
      { details: { limit: limits.maxTextCharacters, actual: text.length } },
    );
  }
}

/** Many short texts (rows, paragraphs): how many, each one's length, and all of them together. */
export function checkItems(items: readonly string[], field: string, limits: Limits): void {
  if (items.length > limits.maxItems) {
    throw new AppError(
      'TOO_MANY_ITEMS',
      `There are ${formatCount(items.length)} ${field}; this server accepts at most ${formatCount(limits.maxItems)} in one request. Select fewer rows, or send them in several requests.`,
      { details: { limit: limits.maxItems, actual: items.length } },
    );
  }
  let total = 0;
  for (const [index, item] of items.entries()) {
    if (item.length > limits.maxItemCharacters) {
      throw new AppError(
        'INPUT_TOO_LARGE',
        `${field}[${index}] has ${formatCount(item.length)} characters; this server accepts at most ${formatCount(limits.maxItemCharacters)} per entry. Shorten it or leave it out.`,
        { details: { limit: limits.maxItemCharacters, actual: item.length } },
      );
    }
    total += item.length;
  }
  if (total > limits.maxTotalCharacters) {
    throw new AppError(
      'INPUT_TOO_LARGE',
      `The ${field} have ${formatCount(total)} characters in all; this server accepts at most ${formatCount(limits.maxTotalCharacters)} in one request. Send them in several requests.`,
      { details: { limit: limits.maxTotalCharacters, actual: total } },
    );
  }
}
