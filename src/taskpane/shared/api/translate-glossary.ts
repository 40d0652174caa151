// The user's glossary as the translate operation takes it: terms with the translation each must get, and
// terms that must stay as they are. The pane keeps it in its settings (shared/settings); the formulas may
// not import the settings, so the reader of the stored copy lives here, beside the request fields.

export interface Glossary {
  /** Term → the translation it must get. */
  terms: Record<string, string>;
  /** Terms that must appear unchanged in every translation (product and company names). */
  doNotTranslate: string[];
}

export const emptyGlossary: Glossary = { terms: {}, doNotTranslate: [] };

/** Where the pane's settings live in the browser's storage (shared/settings saves them under this key). */
export const settingsStorageKey = 'office-llm-addin.settings.v1';

/** A glossary from storage or the network, whatever it holds: only non-empty string terms survive. */
export function normalizeGlossary(value: unknown): Glossary {
  if (typeof value !== 'object' || value === null) return { terms: {}, doNotTranslate: [] };
  const { terms, doNotTranslate } = value as { terms?: unknown; doNotTranslate?: unknown };
  const cleanTerms: Record<string, string> = {};
  if (typeof terms === 'object' && terms !== null && !Array.isArray(terms)) {
    for (const [term, translation] of Object.entries(terms)) {
      if (term.trim() !== '' && typeof translation === 'string' && translation.trim() !== '') cleanTerms[term.trim()] = translation.trim();
    }
  }
  const cleanKeep = Array.isArray(doNotTranslate)
    ? [...new Set(doNotTranslate.filter((term): term is string => typeof term === 'string').map((term) => term.trim()))].filter((term) => term !== '')
    : [];
  return { terms: cleanTerms, doNotTranslate: cleanKeep };
}

/** The translate request's fields for a glossary; an empty glossary adds nothing (the request stays as before). */
export function glossaryRequestFields(glossary: Glossary | undefined): { glossary?: Record<string, string>; doNotTranslate?: string[] } {
  if (glossary === undefined) return {};
  return {
    ...(Object.keys(glossary.terms).length === 0 ? {} : { glossary: { ...glossary.terms } }),
    ...(glossary.doNotTranslate.length === 0 ? {} : { doNotTranslate: [...glossary.doNotTranslate] }),
  };
}

/** The user's glossary as the pane last saved it (the formulas run in the pane's page in Excel's shared runtime). */
export function readStoredGlossary(storage: Storage | undefined = globalThis.localStorage): Glossary {
  try {
    const text = storage?.getItem(settingsStorageKey);
    if (text == null) return { terms: {}, doNotTranslate: [] };
    return normalizeGlossary((JSON.parse(text) as { glossary?: unknown }).glossary);
  } catch {
    return { terms: {}, doNotTranslate: [] };
  }
}
