// The classification prompt: the system instructions, the answer's JSON schema (ids and labels as
// enums) and what an answer costs in tokens. Document text never appears here: it travels in the
// user message between delimiters (see ../shared/prompt-parts.ts).
import { dataOnlyRule, withoutControlCharacters } from '../shared/prompt-parts.js';

/** Bump when the prompt or the answer's parsing changes: cached labels from older prompts then miss. */
export const classifyPromptVersion = 2;

/** Answer tokens per item and for the frame, for the longest label: the request's max_tokens. */
export function answerTokenCosts(labels: string[], itemCount: number, count: (text: string) => number): { perItem: number; frame: number } {
  const longest = labels.reduce((best, label) => (count(label) > count(best) ? label : best), labels[0] ?? '');
  return {
    perItem: count(`${JSON.stringify({ id: String(itemCount), label: longest })},`) + 1,
    frame: count('{"results":[]}') + 8,
  };
}

export function classifyInstructions(prompt: string[], open: string, close: string): string {
  return [
    ...prompt,
    'The input is a JSON array of items, each with an id. Answer with JSON: {"results": [{"id": "<id>", "label": "<label>"}]}, ' +
      'one entry per input id, in the same order.',
    dataOnlyRule({ open, close, wrap: (content) => content }),
  ].join('\n');
}

export function systemPrompt(labels: string[], instructions: string | undefined): string[] {
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

export function resultsSchema(ids: string[], labels: string[]): Record<string, unknown> {
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
