// The digest prompt: many messages in one request, as a JSON array of { id, text } inside the data
// block (ids are short numbers, not Outlook's long item ids), answered with structured output: one
// line per id, whether it needs the user's answer and why.
import type { ChatMessage, JsonResponseFormat } from '../../providers/language-model.js';
import { dataOnlyRule, delimiter, describeLanguage } from '../shared/prompt-parts.js';

/** Bump when the digest prompt or its answer format changes: cached lines from older prompts then miss. */
export const digestPromptVersion = 1;

/** Answer tokens per message (a sentence, a reason and the JSON around them), and for the frame. */
export const digestAnswerTokens = { perMessage: 90, frame: 40 } as const;

export interface DigestEntry {
  /** The short id in the prompt ("1", "2", …). */
  id: string;
  text: string;
}

export function digestMessages(entries: readonly DigestEntry[], language: string | undefined): ChatMessage[] {
  const block = delimiter('messages');
  const system = [
    "You triage the user's inbox. The data is a JSON array of email messages, each with an id and its text (subject, sender, date, then the body).",
    'For every message give: `line`, one sentence of at most 25 words saying what the message is about or asks; ' +
      '`needsAnswer`, true only when the message asks the user (its recipient) a question, a decision or an action and expects a reply; ' +
      '`reason`, when needsAnswer is true, what is asked and by when if the message says (else an empty string).',
    'Answer with JSON only: {"lines": [{"id": "<id>", "line": "…", "needsAnswer": false, "reason": ""}]}, one entry per message id, in the order given.',
    'Use only facts from the messages; do not invent names, dates or numbers.',
    language === undefined ? 'Write each line in the language of its message.' : `Write in ${describeLanguage(language)}.`,
    dataOnlyRule(block),
  ].join('\n');
  return [
    { role: 'system', content: system },
    { role: 'user', content: block.wrap(JSON.stringify(entries)) },
  ];
}

export function digestResponseFormat(): JsonResponseFormat {
  return {
    type: 'json',
    name: 'digest',
    schema: {
      type: 'object',
      properties: {
        lines: {
          type: 'array',
          items: {
            type: 'object',
            properties: { id: { type: 'string' }, line: { type: 'string' }, needsAnswer: { type: 'boolean' }, reason: { type: 'string' } },
            required: ['id', 'line', 'needsAnswer', 'reason'],
            additionalProperties: false,
          },
        },
      },
      required: ['lines'],
      additionalProperties: false,
    },
  };
}
