// The user's glossary on its way to the translate request: what storage may hold is checked, an empty
// glossary adds nothing to the request, and the formulas read the copy the pane saved.
import { glossaryRequestFields, normalizeGlossary, readStoredGlossary, settingsStorageKey } from '../../src/taskpane/shared/api/translate-glossary.js';
import { createLocalStorageSettingsStore, defaultSettings } from '../../src/taskpane/shared/settings/settings.js';

/** The part of the Web Storage API the settings use, over a Map. */
function memoryStorage(): Storage {
  const items = new Map<string, string>();
  return {
    get length() {
      return items.size;
    },
    clear: () => items.clear(),
    getItem: (key) => items.get(key) ?? null,
    key: (index) => [...items.keys()][index] ?? null,
    removeItem: (key) => void items.delete(key),
    setItem: (key, value) => void items.set(key, String(value)),
  };
}

test('only non-empty string terms survive; do-not-translate terms are trimmed and unique', () => {
  expect(normalizeGlossary({ terms: { ' Lieferung ': ' delivery ', Leer: '', Zahl: 7 }, doNotTranslate: ['Contoso', ' Contoso ', '', 3, 'Office'] })).toEqual({
    terms: { Lieferung: 'delivery' },
    doNotTranslate: ['Contoso', 'Office'],
  });
  expect(normalizeGlossary('not a glossary')).toEqual({ terms: {}, doNotTranslate: [] });
  expect(normalizeGlossary({ terms: ['a', 'b'] })).toEqual({ terms: {}, doNotTranslate: [] });
});

test('an empty glossary adds no field to the request; a filled one adds glossary and doNotTranslate', () => {
  expect(glossaryRequestFields({ terms: {}, doNotTranslate: [] })).toEqual({});
  expect(glossaryRequestFields(undefined)).toEqual({});
  expect(glossaryRequestFields({ terms: { Lieferung: 'delivery' }, doNotTranslate: [] })).toEqual({ glossary: { Lieferung: 'delivery' } });
  expect(glossaryRequestFields({ terms: {}, doNotTranslate: ['Contoso'] })).toEqual({ doNotTranslate: ['Contoso'] });
});

test('the glossary the pane saves with its settings is what the formulas read back', () => {
  const storage = memoryStorage();
  expect(readStoredGlossary(storage)).toEqual({ terms: {}, doNotTranslate: [] });
  const store = createLocalStorageSettingsStore(storage);
  store.save({ ...defaultSettings('en-US'), glossary: { terms: { Angebot: 'quotation' }, doNotTranslate: ['Fabrikam'] } });
  expect(readStoredGlossary(storage)).toEqual({ terms: { Angebot: 'quotation' }, doNotTranslate: ['Fabrikam'] });
  expect(store.load().glossary).toEqual({ terms: { Angebot: 'quotation' }, doNotTranslate: ['Fabrikam'] });
  // A hand-edited or older copy reaches requests only in its checked shape.
  storage.setItem(settingsStorageKey, JSON.stringify({ glossary: { terms: { Angebot: 42 }, doNotTranslate: 'Fabrikam' } }));
  expect(store.load().glossary).toEqual({ terms: {}, doNotTranslate: [] });
  storage.setItem(settingsStorageKey, '{broken');
  expect(readStoredGlossary(storage)).toEqual({ terms: {}, doNotTranslate: [] });
});
