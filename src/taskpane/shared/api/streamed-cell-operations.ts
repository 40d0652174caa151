// The BFF's streamed classify and translate as the bulk cell workflows consume them: one item per row
// as each answer arrives, and the final response filling any row whose event did not come.
import type { ItemEvent } from '../../../contract/common-schemas.js';
import type { ClassifiedItem, TranslatedItem } from '../../../workflows/index.js';
import type { ApiClient } from './api-client.js';
import { pushIterable } from './push-iterable.js';
import { glossaryRequestFields, type Glossary } from './translate-glossary.js';

/** Runs one streamed request; `fromEvent` turns an item event into a row, `fromDone` lists the rows of the final response. */
function streamedRows<Row>(
  run: (onItem: (event: ItemEvent) => void) => Promise<readonly Row[]>,
  fromEvent: (event: ItemEvent) => Row,
): AsyncIterable<Row & { index: number }> {
  return pushIterable<Row & { index: number }>(async (push) => {
    const seen = new Set<number>();
    const rows = await run((event) => {
      seen.add(event.index);
      push({ ...fromEvent(event), index: event.index });
    });
    rows.forEach((row, index) => {
      if (!seen.has(index)) push({ ...row, index });
    });
  });
}

export function streamedClassify(api: ApiClient, labels: string[]) {
  return (items: string[], signal: AbortSignal): AsyncIterable<ClassifiedItem> =>
    streamedRows<Omit<ClassifiedItem, 'index'>>(
      async (onItem) => (await api.run('classify', { items, labels }, { signal, onItem })).results,
      (event) => ({ label: event.label ?? null, error: event.error }),
    );
}

/**
 * Per-item errors: a text that cannot be translated fails alone (text null with its error); the rest of the block is kept.
 * The user's glossary (fixed translations, do-not-translate terms) goes with every request.
 */
export function streamedTranslate(api: ApiClient, targetLanguage: string, glossary?: Glossary) {
  return (texts: string[], signal: AbortSignal): AsyncIterable<TranslatedItem> =>
    streamedRows<Omit<TranslatedItem, 'index'>>(
      async (onItem) => {
        const response = await api.run('translate', { texts, targetLanguage, perItemErrors: true, ...glossaryRequestFields(glossary) }, { signal, onItem });
        return response.results?.map((result) => ({ text: result.text, error: result.error })) ?? response.translations.map((text) => ({ text }));
      },
      (event) => (event.error === undefined ? { text: event.text ?? null } : { text: null, error: event.error }),
    );
}
