// The classification prompt: the system instructions (the numbered label list and the rules, once per
// request), the items as one line each, and the answer's JSON schema. The answer is a compact map from
// each item's short id to its label's number, {"1":3,"2":0}: about 4 o200k tokens a row, where
// {"id":"1","label":"card_arrival"} cost about 10 (and a pair list [[1,3],[2,0]] costs the same 4 but
// needs a schema strict mode does not take). Document text never appears here: it travels in the user
// message between delimiters (see ../shared/prompt-parts.ts).
import { dataOnlyRule, withoutControlCharacters } from '../shared/prompt-parts.js';

/** Bump when the prompt or the answer's parsing changes: cached labels from older prompts then miss. */
export const classifyPromptVersion = 3;

/** The line that introduces the label list; the loopback test provider finds the labels after it. */
export const labelListHeading = 'Labels (number: label as JSON):';

/**
 * OpenAI's documented limits for strict structured outputs (developers.openai.com, Structured Outputs,
 * "Supported schemas"): at most 5,000 object properties, 10 levels of nesting, 1,000 enum values across
 * the schema, 120,000 characters of property names, enum and const values together, and 15,000
 * characters for one string enum of more than 250 values. The answer schema below has no string enum
 * at all (labels go by number) and one level of nesting.
 */
export const structuredOutputLimits = {
  maxObjectProperties: 5_000,
  maxNestingDepth: 10,
  maxEnumValues: 1_000,
  maxSchemaStringCharacters: 120_000,
  maxLargeStringEnumCharacters: 15_000,
  largeEnumValues: 250,
} as const;

/** Short ids, "1" to "n" within a request: one token each up to 999. */
export function itemIds(count: number): string[] {
  return Array.from({ length: count }, (_, position) => String(position + 1));
}

/** One item per line, "<id>\t<text>": items arrive with line breaks folded to spaces, so a line is always one item. */
export function itemLines(ids: readonly string[], texts: readonly string[]): string {
  return texts.map((text, position) => `${ids[position] ?? ''}\t${text}`).join('\n');
}

/** Answer tokens per item (`"123":45,` at the largest id and label number) and for the frame: the request's max_tokens. */
export function answerTokenCosts(labels: string[], itemCount: number, count: (text: string) => number): { perItem: number; frame: number } {
  return {
    perItem: count(`"${Math.max(1, itemCount)}":${Math.max(0, labels.length - 1)},`) + 1,
    frame: count('{}') + 4,
  };
}

/** Prompt tokens an item costs besides its own text: its id, the tab and the line break. */
export function itemPromptTokens(itemCount: number, count: (text: string) => number): number {
  return count(`${Math.max(1, itemCount)}\t`) + 1;
}

export function classifyInstructions(prompt: string[], open: string, close: string): string {
  return [
    ...prompt,
    'The input has one item per line: its id, a tab, then the text. Answer with one JSON object that maps every id to the number of its label, ' +
      'such as {"1":3,"2":0}: every id once, nothing else.',
    dataOnlyRule({ open, close, wrap: (content) => content }),
  ].join('\n');
}

export function systemPrompt(labels: string[], instructions: string | undefined): string[] {
  const lines = [
    'You classify each item into exactly one of the allowed labels, choosing the single best fit even when none fits perfectly.',
    labelListHeading,
    ...labels.map((label, index) => `${index}: ${JSON.stringify(label)}`),
  ];
  if (instructions !== undefined && instructions.trim() !== '') {
    lines.push(`Guidance from the user on how to choose: ${withoutControlCharacters(instructions.trim())}`);
  }
  return lines;
}

/**
 * `{"<id>": <label number>}` with every id required. Each answer is an integer enum of the label
 * numbers while the whole schema stays within the enum limit (and always for one item: the local
 * model's grammar knows enum, not minimum/maximum); beyond it, a bounded integer. So no batch the
 * planner makes, with up to 500 labels of any length, exceeds a documented limit.
 */
export function resultsSchema(ids: string[], labels: string[]): Record<string, unknown> {
  const useEnum = ids.length * labels.length <= structuredOutputLimits.maxEnumValues;
  const answer = useEnum
    ? { type: 'integer', enum: labels.map((_, index) => index) }
    : { type: 'integer', minimum: 0, maximum: Math.max(0, labels.length - 1) };
  return {
    type: 'object',
    properties: Object.fromEntries(ids.map((id) => [id, answer])),
    required: ids,
    additionalProperties: false,
  };
}

/** The most items one request's schema may hold within the property limit. */
export const maxItemsPerSchema = structuredOutputLimits.maxObjectProperties - 1;
