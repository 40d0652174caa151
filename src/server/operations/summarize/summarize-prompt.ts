// The summary prompts: the final summary (length, format, kind, language) and the notes for one part of
// a long input (map step). Document text only ever goes into the user message between delimiters.
import type { SummaryFormat, SummaryKind, SummaryLength } from '../../../contract/options.js';
import type { ChatMessage } from '../../providers/language-model.js';
import { dataOnlyRule, delimiter, describeLanguage } from '../shared/prompt-parts.js';

/** Bump when a summary prompt changes: cached summaries from older prompts then miss. */
export const summarizePromptVersion = 2;

export const lengthGuidance = {
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

export interface SummaryPromptOptions {
  kind: SummaryKind;
  length: SummaryLength;
  format: SummaryFormat;
  /** The summary's language; undefined: the text's own. */
  language: string | undefined;
  /** The user asked for this language (rather than it being detected). */
  languageRequested: boolean;
  /** The material is part summaries of a long input, to be combined. */
  fromPartSummaries: boolean;
}

export function summaryMessages(material: string, options: SummaryPromptOptions): ChatMessage[] {
  const { kind, length, format, language, languageRequested, fromPartSummaries } = options;
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
    languageRule(language, languageRequested),
    'Answer with the summary only, without any preamble.',
    dataOnlyRule(block),
  ].join('\n');
  return [
    { role: 'system', content: system },
    { role: 'user', content: block.wrap(material) },
  ];
}

export function partMessages(
  chunk: string,
  index: number,
  count: number,
  kind: SummaryKind,
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
