// The translation glossary (issue 14, item 4), end to end: the real BFF over the loopback OpenAI-protocol
// server. Glossary and do-not-translate terms reach the model as rules and are checked in its answer; a
// text whose answer misses one is asked once more alone, and a term still missing is named in
// glossaryMissed. The organisation's glossary file is merged into every request (its fixed translations
// win), is part of the cache key, and is served at GET /api/v1/glossary behind sign-in.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { errorEnvelopeSchema, glossaryResponseSchema, translateResponseSchema, type TranslateResponse } from '../../src/contract/schemas.js';
import { ConfigError, loadConfig } from '../../src/server/config.js';
import { withOrganisationGlossary } from '../../src/server/operations/translate/organisation-glossary.js';
import { startBff, openAiCompatibleEnvironment, type RunningBff } from '../support/bff.js';
import { delimitedContent, fakeModelAnswer, startFakeOpenAiServer, type FakeOpenAiServer, type RecordedRequest } from '../support/fake-openai-server.js';
import { postJson } from '../support/http-client.js';
import { temporaryFolder } from '../support/temporary-folder.js';

const folder = temporaryFolder('glossary');
const glossaryFile = path.join(folder, 'glossary.json');
writeFileSync(glossaryFile, JSON.stringify({ terms: { Lieferung: 'delivery', Rechnung: 'invoice' }, doNotTranslate: ['Contoso', 'Office'] }));

let fake: FakeOpenAiServer;
/** No organisation glossary, no cache. */
let plain: RunningBff;
/** The organisation glossary from the file, result cache on. */
let organisation: RunningBff;

beforeAll(async () => {
  fake = await startFakeOpenAiServer();
  const common = { RATE_LIMIT_PER_MINUTE: '0', LOG_LEVEL: 'warn' };
  plain = await startBff(openAiCompatibleEnvironment(fake.baseUrl, common));
  organisation = await startBff(
    openAiCompatibleEnvironment(fake.baseUrl, { ...common, TRANSLATION_GLOSSARY_PATH: glossaryFile, CACHE_PATH: path.join(folder, 'cache.sqlite') }),
  );
});
afterEach(() => {
  fake.setResponder(undefined);
  fake.requests.splice(0);
});
afterAll(async () => {
  await plain.close();
  await organisation.close();
  await fake.close();
});

const systemOf = (request: RecordedRequest | undefined) => request?.body.messages.find((message) => message.role === 'system')?.content ?? '';
const isReask = (request: RecordedRequest) => systemOf(request).includes('An earlier translation of this text broke these rules');

/** The glossary lines of the prompt: `- "term" → "translation"`. */
function glossaryOf(request: RecordedRequest): [string, string][] {
  return [...systemOf(request).matchAll(/^- ("(?:[^"\\]|\\.)*") → ("(?:[^"\\]|\\.)*")$/gmu)].map((match) => [
    JSON.parse(match[1] ?? '""') as string,
    JSON.parse(match[2] ?? '""') as string,
  ]);
}

/** A model that follows the prompt's glossary: the fake's answer with each term replaced by its fixed translation. */
function followingGlossary(request: RecordedRequest) {
  const answer = glossaryOf(request).reduce((text, [term, translation]) => text.split(term).join(translation), fakeModelAnswer(request.body));
  return { kind: 'content' as const, content: answer };
}

async function translate(target: RunningBff, body: Record<string, unknown>): Promise<TranslateResponse> {
  const response = await postJson(`${target.url}/api/v1/translate`, body);
  expect(response.status).toBe(200);
  return translateResponseSchema.parse(response.body);
}

describe("the user's glossary", () => {
  test('a model that follows the glossary is asked once; the terms are rules in the prompt', async () => {
    fake.setResponder(followingGlossary);
    const body = await translate(plain, {
      texts: ['Die Lieferung von Contoso kommt am Montag.'],
      targetLanguage: 'en',
      glossary: { Lieferung: 'delivery' },
      doNotTranslate: ['Contoso'],
      perItemErrors: true,
    });
    expect(body.results).toEqual([{ text: '[en] Die delivery von Contoso kommt am Montag.' }]);
    expect(fake.requests).toHaveLength(1);
    expect(systemOf(fake.requests[0])).toContain('"Lieferung" → "delivery"');
    expect(systemOf(fake.requests[0])).toMatch(/Never translate these terms[^\n]*\n- "Contoso"/);
  });

  test('a fixed translation the model left out: asked once more alone, then named in glossaryMissed', async () => {
    const body = await translate(plain, {
      texts: ['Die Lieferung kommt am Montag.', 'Ohne Fachbegriff.'],
      targetLanguage: 'en',
      glossary: { lieferung: 'delivery' },
      perItemErrors: true,
    });
    expect(fake.requests).toHaveLength(2);
    expect(isReask(fake.requests[1]!)).toBe(true);
    expect(delimitedContent(fake.requests[1]!.body)).toBe('Die Lieferung kommt am Montag.');
    expect(systemOf(fake.requests[1])).toContain('- Translate "lieferung" as "delivery".');
    expect(body.results).toEqual([{ text: '[en] Die Lieferung kommt am Montag.', glossaryMissed: ['lieferung'] }, { text: '[en] Ohne Fachbegriff.' }]);
  });

  test('a do-not-translate term the model translated: asked once more, and the re-ask that keeps it is delivered', async () => {
    // The model "translates" the product name in first answers only.
    fake.setResponder((request) => {
      const answer = fakeModelAnswer(request.body);
      return { kind: 'content', content: isReask(request) ? answer : answer.replaceAll('Contoso', 'Kontoso') };
    });
    const body = await translate(plain, { texts: ['Contoso liefert am Montag.'], targetLanguage: 'en', doNotTranslate: ['Contoso'] });
    expect(fake.requests).toHaveLength(2);
    expect(systemOf(fake.requests[1])).toContain('- Keep "Contoso" unchanged.');
    expect(body.translations).toEqual(['[en] Contoso liefert am Montag.']);
    // Without perItemErrors, markup or skipUntranslatable a v1 response has no results.
    expect(body.results).toBeUndefined();
  });
});

describe("the organisation's glossary", () => {
  test('GET /api/v1/glossary serves the file; without a file it is empty', async () => {
    const served = await fetch(`${organisation.url}/api/v1/glossary`);
    expect(served.status).toBe(200);
    expect(glossaryResponseSchema.parse(await served.json())).toEqual({
      terms: { Lieferung: 'delivery', Rechnung: 'invoice' },
      doNotTranslate: ['Contoso', 'Office'],
    });
    const empty = await fetch(`${plain.url}/api/v1/glossary`);
    expect(await empty.json()).toEqual({ terms: {}, doNotTranslate: [] });
  });

  test("it reaches every request's prompt, its fixed translations win over the user's, and the lists are united", async () => {
    fake.setResponder(followingGlossary);
    const body = await translate(organisation, {
      texts: ['Die Lieferung und die Rechnung für das Office-Team.'],
      targetLanguage: 'en',
      glossary: { lieferung: 'shipment', Termin: 'appointment' },
      doNotTranslate: ['Fabrikam'],
      perItemErrors: true,
    });
    const glossary = glossaryOf(fake.requests[0]!);
    expect(glossary).toEqual(
      expect.arrayContaining([
        ['Lieferung', 'delivery'],
        ['Rechnung', 'invoice'],
        ['Termin', 'appointment'],
      ]),
    );
    expect(glossary.some(([, translation]) => translation === 'shipment')).toBe(false);
    expect(systemOf(fake.requests[0])).toMatch(/- "Fabrikam"\n- "Contoso"\n- "Office"/);
    expect(body.results).toEqual([{ text: '[en] Die delivery und die invoice für das Office-Team.' }]);
  });

  test('the merged glossary is part of the cache key', async () => {
    fake.setResponder(followingGlossary);
    const texts = ['Die Rechnung ist bezahlt.'];
    await translate(organisation, { texts, targetLanguage: 'en' });
    await translate(organisation, { texts, targetLanguage: 'en', glossary: { bezahlt: 'paid' } });
    await translate(organisation, { texts, targetLanguage: 'en', doNotTranslate: ['Rechnungen'] });
    expect(fake.requests).toHaveLength(3);
    const again = await translate(organisation, { texts, targetLanguage: 'en', glossary: { bezahlt: 'paid' } });
    expect(fake.requests).toHaveLength(3);
    expect(again.usage.cachedItems).toBe(1);
  });

  test('the merge: the organisation wins for the same term in any case; do-not-translate lists are united once', () => {
    const merged = withOrganisationGlossary(
      { texts: ['x'], targetLanguage: 'en', glossary: { LIEFERUNG: 'shipment', Termin: 'date' }, doNotTranslate: ['Office', 'Fabrikam'] },
      { terms: { Lieferung: 'delivery' }, doNotTranslate: ['Contoso', 'Office'] },
    );
    expect(merged.glossary).toEqual({ Termin: 'date', Lieferung: 'delivery' });
    expect(merged.doNotTranslate).toEqual(['Office', 'Fabrikam', 'Contoso']);
    const untouched = { texts: ['x'], targetLanguage: 'en' };
    expect(withOrganisationGlossary(untouched, { terms: {}, doNotTranslate: [] })).toBe(untouched);
  });

  test('a glossary file that is missing or malformed stops the start with one readable line', () => {
    const bad = path.join(folder, 'bad.json');
    writeFileSync(bad, JSON.stringify({ terms: { Lieferung: '' }, extra: true }));
    const problemsFor = (file: string) => {
      try {
        loadConfig({ OPENAI_API_KEY: 'k', TRANSLATION_GLOSSARY_PATH: file });
      } catch (error) {
        if (error instanceof ConfigError) return error.problems;
        throw error;
      }
      return [];
    };
    expect(problemsFor(path.join(folder, 'missing.json'))).toEqual([
      expect.stringMatching(/^TRANSLATION_GLOSSARY_PATH points to .*missing\.json, which cannot be read/),
    ]);
    expect(problemsFor(bad)).toEqual([expect.stringMatching(/^TRANSLATION_GLOSSARY_PATH points to .*bad\.json, which is not a glossary/)]);
  });

  test('with sign-in on, the glossary needs a caller like the operations (401 without a token)', async () => {
    const secured = await startBff(
      openAiCompatibleEnvironment(fake.baseUrl, {
        ENTRA_CLIENT_ID: '11111111-1111-1111-1111-111111111111',
        ENTRA_TENANT_IDS: '22222222-2222-2222-2222-222222222222',
        // No token is ever sent, so the signing keys are never fetched.
        ENTRA_JWKS_URL: 'http://127.0.0.1:9/keys',
        TRANSLATION_GLOSSARY_PATH: glossaryFile,
        LOG_LEVEL: 'warn',
      }),
    );
    try {
      const response = await fetch(`${secured.url}/api/v1/glossary`);
      expect(response.status).toBe(401);
      expect(errorEnvelopeSchema.parse(await response.json()).error.code).toBe('UNAUTHENTICATED');
      expect((await fetch(`${secured.url}/api/v1/glossary`, { headers: { authorization: 'Bearer not.a.jwt' } })).status).toBe(401);
    } finally {
      await secured.close();
    }
  });
});
