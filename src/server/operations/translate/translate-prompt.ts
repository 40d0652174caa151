// The translation prompt: the system instructions (languages, register, glossary) and the JSON
// schema of a batch answer. Document text never appears here: it travels in the user message between
// delimiters (see ../shared/prompt-parts.ts).
import type { TranslateRequest } from '../../../contract/operations/translate.js';
import { describeLanguage } from '../shared/prompt-parts.js';

/** Bump when a translation prompt changes: cached translations from older prompts then miss. */
export const translatePromptVersion = 2;

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
