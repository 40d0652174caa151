// The summary prompts: the final summary (length, format, kind, language) and the notes for one part of
// a long input (map step). Document text only ever goes into the user message between delimiters.
import type { SummaryFormat, SummaryKind, SummaryLength } from '../../../contract/options.js';
import type { ChatMessage } from '../../providers/language-model.js';
import { dataOnlyRule, delimiter, describeLanguage, withoutControlCharacters, type DelimitedBlock } from '../shared/prompt-parts.js';

/** Bump when a summary prompt changes: cached summaries from older prompts then miss. */
export const summarizePromptVersion = 3;

/** An attachment's text (or its condensed notes) as it goes into the prompt, named by its file name. */
export interface AttachmentMaterial {
  name: string;
  text: string;
  /** The text is notes condensed from a longer attachment. */
  condensed: boolean;
}

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

export function summaryMessages(material: string, options: SummaryPromptOptions, attachments: readonly AttachmentMaterial[] = []): ChatMessage[] {
  const { kind, length, format, language, languageRequested, fromPartSummaries } = options;
  const guidance = lengthGuidance[length];
  const block = delimiter('document');
  const attachmentBlock = delimiter('attachment');
  const system = [
    'You write faithful summaries for busy professionals. Use only facts from the text; do not invent names, dates or numbers.',
    fromPartSummaries
      ? `The material consists of summaries of consecutive parts of one ${kind}. Combine them into one summary of the whole ${kind}. ${kindGuidance[kind]}`
      : kindGuidance[kind],
    format === 'bullets'
      ? `Answer with ${guidance.bullets}, each line starting with "- ".`
      : `Answer with ${guidance.paragraph} of plain prose, without a heading or bullet points.`,
    languageRule(language, languageRequested),
    ...(attachments.length === 0 ? [] : [attachmentRule(kind, attachmentBlock)]),
    'Answer with the summary only, without any preamble.',
    dataOnlyRule(block),
    ...(attachments.length === 0 ? [] : [dataOnlyRule(attachmentBlock)]),
  ].join('\n');
  const sections = [block.wrap(material), ...attachments.map((attachment) => attachmentBlock.wrap(attachmentSection(attachment)))];
  return [
    { role: 'system', content: system },
    { role: 'user', content: sections.join('\n\n') },
  ];
}

function attachmentRule(kind: SummaryKind, block: DelimitedBlock): string {
  return (
    `The ${kind} comes with attachments: each is in its own block between ${block.open} and ${block.close}, starting with a line "Attachment: <file name>". ` +
    'Summarise the attachments together with it, and say which point came from which attachment by its file name (for example "The report (report.pdf) says …"); ' +
    'points from the message itself need no name.'
  );
}

/** The attachment's name on its first line, inside its block: a file name is data too. */
function attachmentSection(attachment: AttachmentMaterial): string {
  const name = withoutControlCharacters(attachment.name).replace(/\s+/gu, ' ');
  return `Attachment: ${name}${attachment.condensed ? '\n(notes condensed from a longer attachment)' : ''}\n\n${attachment.text}`;
}

export function partMessages(
  chunk: string,
  index: number,
  count: number,
  kind: SummaryKind,
  language: string | undefined,
  chunkIsSummaries: boolean,
  fromAttachment = false,
): ChatMessage[] {
  const block = delimiter('part');
  const source = fromAttachment ? `file attached to ${kind === 'email' ? 'an' : 'a'} ${kind}` : kind;
  const system = [
    `You condense part ${index + 1} of ${count} of a longer ${source}${chunkIsSummaries ? ' (the part is itself made of summaries)' : ''}.`,
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
