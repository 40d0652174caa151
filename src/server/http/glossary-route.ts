// GET /api/v1/glossary: the organisation's translation glossary (TRANSLATION_GLOSSARY_PATH), so the pane can
// show which terms the organisation fixes. Registered inside the signed-in API context like the operations:
// an organisation's terminology is not public.
import type { FastifyInstance } from 'fastify';
import { apiRoutes } from '../../contract/routes.js';
import type { GlossaryResponse } from '../../contract/schemas.js';
import { emptyGlossary, type TranslationGlossary } from '../operations/translate/organisation-glossary.js';

export function registerGlossaryRoute(api: FastifyInstance, glossary: TranslationGlossary = emptyGlossary): void {
  const body: GlossaryResponse = { terms: { ...glossary.terms }, doNotTranslate: [...glossary.doNotTranslate] };
  api.get(apiRoutes.glossary, async () => body);
}
