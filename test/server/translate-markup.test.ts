// Translation that keeps inline formatting (issue 14, the server half of item 1) and skips what needs no
// translation (item 3), end to end: the real BFF over the loopback OpenAI-protocol server. Texts carry
// span markers; an answer with every marker comes back as it is, one that lost a marker is asked once
// more alone and, when it still loses it, comes back as plain text with markupDropped. A long marked-up
// text is split only between spans. skipUntranslatable sends no request for texts without words, code
// and texts already in the target language. The OpenAPI document shows the new fields.
import path from 'node:path';
import { parseSpanMarkup, sameMarkers, stripSpanMarkup } from '../../src/contract/span-markup.js';
import { createTokenCounter } from '../../src/server/engine/tokenizer.js';
import { splitIntoParts, splitMarkupIntoParts } from '../../src/server/operations/translate/long-text-parts.js';
import { streamEventSchemas, translateResponseSchema, type TranslateResponse } from '../../src/contract/schemas.js';
import { startBff, openAiCompatibleEnvironment, type RunningBff } from '../support/bff.js';
import { delimitedContent, fakeModelAnswer, startFakeOpenAiServer, type FakeOpenAiServer, type RecordedRequest } from '../support/fake-openai-server.js';
import { postJson, postStream } from '../support/http-client.js';
import { temporaryFolder } from '../support/temporary-folder.js';

let fake: FakeOpenAiServer;
/** Result cache on (SQLite in a temporary folder). */
let bff: RunningBff;
/** No cache, and a model whose context window is 1,024 tokens: long texts are split. */
let smallContext: RunningBff;

beforeAll(async () => {
  fake = await startFakeOpenAiServer();
  const common = { RATE_LIMIT_PER_MINUTE: '0', LOG_LEVEL: 'warn', LLM_MAX_RETRIES: '1' };
  bff = await startBff(openAiCompatibleEnvironment(fake.baseUrl, { ...common, CACHE_PATH: path.join(temporaryFolder('markup-cache'), 'c.sqlite') }));
  smallContext = await startBff(openAiCompatibleEnvironment(fake.baseUrl, { ...common, LLM_CONTEXT_TOKENS: '1024' }));
});
afterEach(() => {
  fake.setResponder(undefined);
  fake.requests.splice(0);
});
afterAll(async () => {
  await bff.close();
  await smallContext.close();
  await fake.close();
});

/** Texts of a batch request (its JSON payload), or the one text of a plain request. */
function textsOf(request: RecordedRequest): string[] {
  const content = delimitedContent(request.body);
  if (request.body.response_format === undefined) return [content];
  return (JSON.parse(content) as { text: string }[]).map((item) => item.text);
}

const systemOf = (request: RecordedRequest | undefined) => request?.body.messages.find((message) => message.role === 'system')?.content ?? '';
const isReask = (request: RecordedRequest) => systemOf(request).includes('An earlier translation of this text broke these rules');

async function translate(target: RunningBff, body: Record<string, unknown>): Promise<TranslateResponse> {
  const response = await postJson(`${target.url}/api/v1/translate`, body);
  expect(response.status).toBe(200);
  return translateResponseSchema.parse(response.body);
}

/** A model that answers like the fake but loses the given span (both its markers) in every answer, or only in first answers. */
function losingSpan(id: number, onlyFirstAnswers = false) {
  return (request: RecordedRequest) => {
    const answer = fakeModelAnswer(request.body);
    if (onlyFirstAnswers && isReask(request)) return { kind: 'content' as const, content: answer };
    return { kind: 'content' as const, content: answer.replaceAll(`<s${id}>`, '').replaceAll(`</s${id}>`, '') };
  };
}

const formatted = 'Die <s1>schnelle</s1> Lieferung <s2>mit dem <s3>Link</s3></s2> kommt am Montag <x1/> &amp; pünktlich.';
const plainGerman = 'Bitte bestätigen Sie den Termin bis Freitag.';

describe('span markers', () => {
  test('an answer that keeps every marker is returned with them; the prompt states the marker rules', async () => {
    const body = await translate(bff, { texts: [formatted, plainGerman], targetLanguage: 'en', markup: 'spans', perItemErrors: true });
    expect(body.results?.[0]).toEqual({ text: `[en] ${formatted}` });
    expect(body.results?.[1]).toEqual({ text: `[en] ${plainGerman}` });
    expect(sameMarkers(formatted, body.translations[0] ?? '')).toBe(true);
    expect(fake.requests).toHaveLength(1);
    expect(systemOf(fake.requests[0])).toMatch(/Keep every marker exactly once/);
    expect(textsOf(fake.requests[0]!)).toEqual([formatted, plainGerman]);
  });

  test('a model that drops a marker is asked once more for that text only, then the plain translation comes back with markupDropped', async () => {
    fake.setResponder(losingSpan(3));
    // Texts of their own: the first test cached its answers for these options.
    const formatted = 'Die <s1>zweite</s1> Lieferung <s2>mit dem <s3>Link</s3></s2> kommt am Dienstag <x1/> &amp; pünktlich.';
    const plainGerman = 'Bitte bestätigen Sie den neuen Termin bis Freitag.';
    const body = await translate(bff, { texts: [formatted, plainGerman], targetLanguage: 'en', markup: 'spans' });
    // One batch, one re-ask of the broken text alone: never a third request for it.
    expect(fake.requests).toHaveLength(2);
    const reask = fake.requests[1]!;
    expect(isReask(reask)).toBe(true);
    expect(textsOf(reask)).toEqual([formatted]);
    expect(systemOf(reask)).toContain('<s1> </s1> <s2> <s3> </s3> </s2> <x1/>');
    expect(body.results?.[0]).toEqual({ text: `[en] ${stripSpanMarkup(formatted)}`, markupDropped: true });
    expect(body.results?.[0]?.text).toContain('& pünktlich');
    expect(body.results?.[1]).toEqual({ text: `[en] ${plainGerman}` });

    // A degraded answer is not cached: the next run asks again (and this time the model keeps the markers).
    fake.setResponder(undefined);
    fake.requests.splice(0);
    const again = await translate(bff, { texts: [formatted, plainGerman], targetLanguage: 'en', markup: 'spans' });
    expect(fake.requests.flatMap(textsOf)).toEqual([formatted]);
    expect(again.results?.[0]).toEqual({ text: `[en] ${formatted}` });
    expect(again.usage.cachedItems).toBe(1);
  });

  test('a re-ask that keeps the markers is delivered with them; streamed items carry it', async () => {
    fake.setResponder(losingSpan(1, true));
    const text = 'Der <s1>neue</s1> Vertrag gilt ab <s2>Juli</s2>.';
    const { events } = await postStream(`${smallContext.url}/api/v1/translate`, { texts: [text], targetLanguage: 'en', markup: 'spans', perItemErrors: true });
    const done = translateResponseSchema.parse(events.at(-1)?.data);
    expect(fake.requests).toHaveLength(2);
    expect(done.results).toEqual([{ text: `[en] ${text}` }]);
    expect(events.find((event) => event.event === 'item')?.data).toEqual({ index: 0, text: `[en] ${text}` });
  });

  test('markup mode is part of the cache key: the same text as plain text is translated again', async () => {
    const text = 'Ein <s1>eigener</s1> Schlüssel für den Cache.';
    await translate(bff, { texts: [text], targetLanguage: 'en', markup: 'spans' });
    await translate(bff, { texts: [text], targetLanguage: 'en' });
    expect(fake.requests).toHaveLength(2);
    const third = await translate(bff, { texts: [text], targetLanguage: 'en', markup: 'spans' });
    expect(fake.requests).toHaveLength(2);
    expect(third.usage.cachedItems).toBe(1);
  });

  test('markup whose markers do not parse goes as plain text and says so', async () => {
    const broken = 'Ein <s1>offener Marker ohne Ende.';
    const body = await translate(bff, { texts: [broken], targetLanguage: 'en', markup: 'spans' });
    expect(fake.requests.flatMap(textsOf)).toEqual(['Ein offener Marker ohne Ende.']);
    expect(body.results).toEqual([{ text: '[en] Ein offener Marker ohne Ende.', markupDropped: true }]);
  });

  test('the splitter for marked-up text cuts only between spans, where the plain splitter would cut inside one', () => {
    const count = (text: string) => createTokenCounter('fake-model').count(text);
    const long = Array.from(
      { length: 12 },
      (_, index) => `Satz ${index}: <s${index + 1}>ein langer, fett gedruckter Teil. Er hat zwei Sätze.</s${index + 1}>`,
    ).join(' ');
    const plainCut = splitIntoParts(long, 40, count);
    expect(plainCut.parts.some((part) => !parseSpanMarkup(part).ok)).toBe(true);
    const split = splitMarkupIntoParts(long, 40, count);
    expect(split?.parts.length).toBeGreaterThan(1);
    expect(split?.parts.every((part) => parseSpanMarkup(part).ok && count(part) <= 40)).toBe(true);
    expect(split?.parts.map((part, index) => (index === 0 ? part : `${split.separators[index - 1]}${part}`)).join('')).toBe(long);
    // A span longer than a part cannot be kept in parts.
    expect(splitMarkupIntoParts(`<s1>${'Wort '.repeat(80).trim()}</s1>`, 40, count)).toBeUndefined();
  });

  test('a long marked-up text is split only between spans, each part keeps its markers, and the whole comes back with them', async () => {
    const sentence = (n: number) =>
      n % 3 === 0
        ? `Satz ${n} hat <s${n}>einen fett gedruckten Teil, der sich über mehrere Wörter erstreckt und lang genug ist, um Schnitte anzuziehen</s${n}> und endet hier.`
        : `Satz ${n} beschreibt die Lieferung an den Kunden in allen Einzelheiten und ohne Formatierung.`;
    const long = Array.from({ length: 60 }, (_, index) => sentence(index + 1)).join(' ');
    const body = await translate(smallContext, { texts: [long], targetLanguage: 'en', markup: 'spans', perItemErrors: true });
    expect(fake.requests.length).toBeGreaterThan(2);
    for (const request of fake.requests) {
      const [part = ''] = textsOf(request);
      // Every part holds whole spans: its markers alone keep the rules.
      expect(sameMarkers(part, part)).toBe(true);
      expect(isReask(request)).toBe(false);
    }
    expect(body.results?.[0]?.markupDropped).toBeUndefined();
    expect(sameMarkers(long, body.translations[0] ?? '')).toBe(true);
    expect(stripSpanMarkup(body.translations[0] ?? '').replaceAll('[en] ', '')).toBe(stripSpanMarkup(long));
  });
});

describe('skipUntranslatable', () => {
  test('texts already in the target language, numbers-only texts and code are not sent and come back unchanged and marked', async () => {
    const texts = [
      'The delivery arrives on Monday, please confirm the appointment with our team.',
      '  12.500,00 € – 3/4  ',
      'const total = items.reduce((sum, item) => sum + item.price, 0);',
      plainGerman,
      'Hi Tom',
    ];
    const body = await translate(bff, { texts, targetLanguage: 'en-GB', skipUntranslatable: true });
    // Only the German sentence and the text too short to detect reach the model.
    expect(fake.requests.flatMap(textsOf).sort()).toEqual([plainGerman, 'Hi Tom'].sort());
    expect(body.results).toEqual([
      { text: texts[0], skipped: 'already-in-target-language' },
      { text: texts[1], skipped: 'no-words' },
      { text: texts[2], skipped: 'code' },
      { text: `[en-GB] ${plainGerman}` },
      { text: '[en-GB] Hi Tom' },
    ]);
    expect(body.translations).toEqual([texts[0], texts[1], texts[2], `[en-GB] ${plainGerman}`, '[en-GB] Hi Tom']);
  });

  test('streamed: skipped texts and dropped markup are item events with their marks', async () => {
    fake.setResponder(losingSpan(1));
    const texts = ['4711', 'Der <s1>neue</s1> Zähler läuft.'];
    const { events } = await postStream(`${smallContext.url}/api/v1/translate`, { texts, targetLanguage: 'en', markup: 'spans', skipUntranslatable: true });
    const items = events.filter((event) => event.event === 'item').map((event) => streamEventSchemas.item.parse(event.data));
    expect(items).toEqual([
      { index: 0, text: '4711', skipped: 'no-words' },
      { index: 1, text: '[en] Der neue Zähler läuft.', markupDropped: true },
    ]);
    expect(events.filter((event) => event.event === 'progress').at(-1)?.data).toEqual({ done: 1, total: 1 });
  });

  test('without the flag every text is sent, as before', async () => {
    const texts = ['The delivery arrives on Monday, please confirm the appointment with our team.', '12.500,00 €'];
    const body = await translate(smallContext, { texts, targetLanguage: 'en' });
    expect(fake.requests.flatMap(textsOf).sort()).toEqual([...texts].sort());
    expect(body.results).toBeUndefined();
  });

  test('marked-up text is judged by its words: a formatted English paragraph is skipped with its markers intact', async () => {
    const english = 'Our <s1>quarterly report</s1> shows that <s2>sales</s2> grew in every region this year.';
    const body = await translate(smallContext, { texts: [english], targetLanguage: 'en', markup: 'spans', skipUntranslatable: true });
    expect(fake.requests).toHaveLength(0);
    expect(body.results).toEqual([{ text: english, skipped: 'already-in-target-language' }]);
  });
});

test('the OpenAPI document shows the new request and result fields and the glossary route', async () => {
  const response = await fetch(`${bff.url}/api/v1/openapi.json`);
  const document = (await response.json()) as {
    paths: Record<string, { get?: { responses: Record<string, unknown> } }>;
    components: { schemas: Record<string, { properties?: Record<string, { enum?: string[] }> }> };
  };
  const request = document.components.schemas['TranslateRequest']?.properties ?? {};
  expect(Object.keys(request)).toEqual(expect.arrayContaining(['markup', 'doNotTranslate', 'skipUntranslatable', 'glossary', 'perItemErrors']));
  const result = document.components.schemas['TranslateResult']?.properties ?? {};
  expect(Object.keys(result)).toEqual(expect.arrayContaining(['text', 'error', 'markupDropped', 'skipped', 'glossaryMissed']));
  expect(result['skipped']?.enum).toEqual(['already-in-target-language', 'no-words', 'code']);
  expect(Object.keys(document.components.schemas['GlossaryResponse']?.properties ?? {})).toEqual(['terms', 'doNotTranslate']);
  expect(document.paths['/api/v1/glossary']?.get?.responses).toHaveProperty('200');
});
