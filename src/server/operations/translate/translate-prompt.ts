// The translation prompt: the system instructions (languages, register, glossary, span markers) and the JSON
// schema of a batch answer. Document text never appears here: it travels in the user message between
// delimiters (see ../shared/prompt-parts.ts).
import type { TranslateRequest } from '../../../contract/operations/translate.js';
import { describeLanguage } from '../shared/prompt-parts.js';

/** Bump when a translation prompt changes: cached translations from older prompts then miss. */
export const translatePromptVersion = 3;

export function systemInstructions(request: TranslateRequest, sourceLanguage: string | undefined): string[] {
  const lines = [
    `You are a professional translator. Translate into ${describeLanguage(request.targetLanguage)}` +
      (sourceLanguage === undefined ? '.' : ` from ${describeLanguage(sourceLanguage)}.`),
    'Translate faithfully and completely: keep the meaning, tone, numbers, names, URLs, Markdown and line breaks. Do not summarise, explain or add notes.',
    'A text already in the target language is returned as it is.',
  ];
  if (request.formality === 'formal') lines.push('Use a formal register (for example "Sie" in German, "vous" in French).');
  if (request.formality === 'informal') lines.push('Use an informal register (for example "du" in German, "tu" in French).');
  const glossary = Object.entries(request.glossary ?? {});
  if (glossary.length > 0) {
    lines.push('Always translate these terms exactly as given:');
    for (const [term, translation] of glossary) lines.push(`- ${JSON.stringify(term)} → ${JSON.stringify(translation)}`);
  }
  const keep = request.doNotTranslate ?? [];
  if (keep.length > 0) {
    lines.push('Never translate these terms: keep each exactly as written:');
    for (const term of keep) lines.push(`- ${JSON.stringify(term)}`);
  }
  if (request.markup === 'spans') lines.push(...spanMarkerRules);
  return lines;
}

const spanMarkerRules = [
  'The texts carry numbered formatting markers: <s1>…</s1> around formatted words (bold, italic, a link) and <x1/> for an item that stays as it is.',
  'Keep every marker exactly once, with its number; translate the words inside a span and move the markers with the words they belong to, so the translated words carry the same formatting.',
  'Keep spans nested as they are, add no markers, and keep &lt; &gt; &amp; as they are.',
];

/** What the first answer got wrong, as rules for the one re-ask of that text. */
export interface AnswerProblems {
  /** The span markers the source has (all of them: the answer lost or broke some). */
  lostMarkers?: string[];
  /** Glossary terms and the fixed translation each must get. */
  missedTranslations?: [term: string, translation: string][];
  /** Do-not-translate terms, as written in the source. */
  missedKeepTerms?: string[];
}

export function correctionInstructions(problems: AnswerProblems): string[] {
  const lines = ['An earlier translation of this text broke these rules; follow them exactly this time:'];
  if (problems.lostMarkers !== undefined && problems.lostMarkers.length > 0) {
    lines.push(`- Keep each of these markers exactly once, properly nested: ${problems.lostMarkers.join(' ')}`);
  }
  for (const [term, translation] of problems.missedTranslations ?? []) {
    lines.push(`- Translate ${JSON.stringify(term)} as ${JSON.stringify(translation)}.`);
  }
  for (const term of problems.missedKeepTerms ?? []) lines.push(`- Keep ${JSON.stringify(term)} unchanged.`);
  return lines;
}

export function translationsSchema(ids: string[]): Record<string, unknown> {
  return {
    type: 'object',
    properties: {
      translations: {
        type: 'array',
        // Exactly one entry per id: also keeps a small local model from stopping early or rambling.
        minItems: ids.length,
        maxItems: ids.length,
        items: {
          type: 'object',
          properties: { id: { type: 'string', enum: ids }, text: { type: 'string' } },
          required: ['id', 'text'],
          additionalProperties: false,
        },
      },
    },
    required: ['translations'],
    additionalProperties: false,
  };
}
