// The organisation's glossary (TRANSLATION_GLOSSARY_PATH): a JSON file the admin provides, read and checked
// once at start-up, merged into every translate request and served at GET /api/v1/glossary so the pane can
// show it. The organisation's fixed translations win over a user's for the same term; do-not-translate
// lists are united. Merging happens before the work, so the prompt, the checks, the cache key and the
// budget estimate all see the merged glossary.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { glossaryResponseSchema, type GlossaryResponse, type TranslateRequest } from '../../../contract/operations/translate.js';

export type TranslationGlossary = GlossaryResponse;

export const emptyGlossary: TranslationGlossary = { terms: {}, doNotTranslate: [] };

const glossaryFileSchema = z
  .object({
    terms: z.record(z.string().trim().min(1, 'has an empty term'), z.string().trim().min(1, 'has a term with an empty translation')).optional(),
    doNotTranslate: z.array(z.string().trim().min(1, 'has an empty term')).optional(),
  })
  .strict();

/** Reads and checks the glossary file; a problem is one readable line for the start-up report. */
export function readTranslationGlossary(file: string): { glossary: TranslationGlossary } | { problem: string } {
  let content: unknown;
  try {
    content = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    const reason = error instanceof SyntaxError ? `is not JSON (${error.message})` : 'cannot be read';
    return { problem: `TRANSLATION_GLOSSARY_PATH points to ${file}, which ${reason}: give a JSON file {"terms": {...}, "doNotTranslate": [...]}` };
  }
  const parsed = glossaryFileSchema.safeParse(content);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue === undefined || issue.path.length === 0 ? '' : ` at ${issue.path.join('.')}`;
    return {
      problem: `TRANSLATION_GLOSSARY_PATH points to ${file}, which is not a glossary${where} (${issue?.message ?? 'unknown problem'}): expected {"terms": {"term": "translation"}, "doNotTranslate": ["name"]}`,
    };
  }
  const glossary = glossaryResponseSchema.parse({ terms: parsed.data.terms ?? {}, doNotTranslate: [...new Set(parsed.data.doNotTranslate ?? [])] });
  return { glossary };
}

/** The request with the organisation's glossary merged in; unchanged when the organisation has none. */
export function withOrganisationGlossary(request: TranslateRequest, organisation: TranslationGlossary): TranslateRequest {
  const organisationTerms = Object.entries(organisation.terms);
  if (organisationTerms.length === 0 && organisation.doNotTranslate.length === 0) return request;
  const merged: TranslateRequest = { ...request };
  if (organisationTerms.length > 0) {
    // A user's term that differs only in case from the organisation's gives way too: one term, one rule.
    const organisationKeys = new Set(organisationTerms.map(([term]) => term.toLowerCase()));
    const userTerms = Object.entries(request.glossary ?? {}).filter(([term]) => !organisationKeys.has(term.toLowerCase()));
    merged.glossary = Object.fromEntries([...userTerms, ...organisationTerms]);
  }
  if (organisation.doNotTranslate.length > 0) merged.doNotTranslate = [...new Set([...(request.doNotTranslate ?? []), ...organisation.doNotTranslate])];
  return merged;
}
