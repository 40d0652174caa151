// The BFF's streamed classify and translate as the bulk cell workflows consume them: one item per row
// as each answer arrives, and the final response filling any row whose event did not come.
import type { ClassifiedItem, TranslatedItem } from '../../../workflows/index.js';
import type { ApiClient } from './api-client.js';
import { pushIterable } from './push-iterable.js';

export function streamedClassify(api: ApiClient, labels: string[]) {
  return (items: string[], signal: AbortSignal): AsyncIterable<ClassifiedItem> =>
    pushIterable<ClassifiedItem>(async (push) => {
      const seen = new Set<number>();
      const response = await api.run(
        'classify',
        { items, labels },
        {
          signal,
          onItem: (event) => {
            seen.add(event.index);
            push({ index: event.index, label: event.label ?? null, error: event.error });
          },
        },
      );
      response.results.forEach((result, index) => {
        if (!seen.has(index)) push({ index, label: result.label, error: result.error });
      });
    });
}

export function streamedTranslate(api: ApiClient, targetLanguage: string) {
  return (texts: string[], signal: AbortSignal): AsyncIterable<TranslatedItem> =>
    pushIterable<TranslatedItem>(async (push) => {
      const seen = new Set<number>();
      const response = await api.run(
        'translate',
        { texts, targetLanguage },
        {
          signal,
          onItem: (event) => {
            seen.add(event.index);
            push({ index: event.index, text: event.text ?? null, error: event.error });
          },
        },
      );
      response.translations.forEach((text, index) => {
        if (!seen.has(index)) push({ index, text });
      });
    });
}
