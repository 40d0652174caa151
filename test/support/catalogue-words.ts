// The words of the pane's message catalogue (shared/i18n/messages.ts and the error table), by language:
// a word that occurs only on the English side is English, one only on the German side is German. The
// German-everywhere tests look for such words where the other language is shown.
import { allErrorEntries, type ErrorWording } from '../../src/taskpane/shared/i18n/error-messages.js';
import { english, german, type Messages } from '../../src/taskpane/shared/i18n/messages.js';

export type CatalogueLanguage = 'en' | 'de';

/** Names that are the same in every language (products, formats) and never count as either. */
const productNames = new Set(['word', 'excel', 'outlook', 'office', 'microsoft', 'entra', 'html', 'docx', 'xlsx']);

function textsOf(messages: Messages): string[] {
  return Object.entries(messages).flatMap(([key, value]) => (key === 'locale' ? [] : typeof value === 'string' ? [value] : Object.values(value)));
}

function wordingTexts(wording: ErrorWording): string[] {
  return [wording.what, wording.advice, ...(wording.adviceWithNumber === undefined ? [] : [wording.adviceWithNumber])];
}

export function catalogueTexts(language: CatalogueLanguage): string[] {
  return [
    ...textsOf(language === 'en' ? english : german),
    ...allErrorEntries.flatMap(([, entry]) => [
      ...wordingTexts(entry[language]),
      ...(entry.whileRetryable === undefined ? [] : wordingTexts(entry.whileRetryable[language])),
    ]),
  ];
}

/** Lower-case words of at least four letters, placeholders ({count}) left out. */
export function wordsOf(text: string): string[] {
  return (text.replace(/\{\w+\}/g, ' ').match(/\p{L}+/gu) ?? [])
    .map((word) => word.toLocaleLowerCase('de'))
    .filter((word) => word.length >= 4 && !productNames.has(word));
}

const vocabulary = (language: CatalogueLanguage) => new Set(catalogueTexts(language).flatMap(wordsOf));

const computed = new Map<CatalogueLanguage, Set<string>>();

/** Words the catalogue uses in `language` and never in the other one (computed once per language). */
export function languageOnlyWords(language: CatalogueLanguage): Set<string> {
  let words = computed.get(language);
  if (words === undefined) {
    const other = vocabulary(language === 'en' ? 'de' : 'en');
    words = new Set([...vocabulary(language)].filter((word) => !other.has(word)));
    computed.set(language, words);
  }
  return words;
}

/** The words of `text` that belong only to the language other than `shown`. */
export function foreignWords(text: string, shown: CatalogueLanguage): string[] {
  const foreign = languageOnlyWords(shown === 'en' ? 'de' : 'en');
  return [...new Set(wordsOf(text).filter((word) => foreign.has(word)))];
}
