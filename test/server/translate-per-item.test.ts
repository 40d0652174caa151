// Translation reports per item (issue 10, item 7), end to end: the real BFF over the loopback
// OpenAI-protocol server. With perItemErrors a batch the provider keeps failing (500, 429) fails only
// its own texts, with the provider's retryable code; the rest are delivered, streamed and cached, and a
// re-run asks only for the failed ones. An empty answer is asked again alone once, then only that text
// fails. A 20,000-character text against a small context window is split, every part sent, and joined
// in order. v1 clients (no perItemErrors) keep all-or-nothing, and the cache key ignores the flag.
import path from 'node:path';
import { errorEnvelopeSchema, translateResponseSchema } from '../../src/contract/schemas.js';
import { countMessageTokens } from '../../src/server/engine/message-tokens.js';
import { createTokenCounter } from '../../src/server/engine/tokenizer.js';
import { estimateTranslateTokens } from '../../src/server/operations/translate/translate.js';
import { OpenAiLanguageModel } from '../../src/server/providers/openai/openai-provider.js';
import { createApiClient } from '../../src/taskpane/shared/api/api-client.js';
import { streamedTranslate } from '../../src/taskpane/shared/api/streamed-cell-operations.js';
import type { TranslatedItem } from '../../src/workflows/index.js';
import { startBff, openAiCompatibleEnvironment, type RunningBff } from '../support/bff.js';
import {
  delimitedContent,
  fakeModelAnswer,
  startFakeOpenAiServer,
  type FakeOpenAiServer,
  type FakeReply,
  type RecordedRequest,
} from '../support/fake-openai-server.js';
import { postJson, postStream } from '../support/http-client.js';
import { temporaryFolder } from '../support/temporary-folder.js';

const marker = 'MARKER-7f3a';
const smallContextTokens = 1024;
const count = (text: string) => createTokenCounter('fake-model').count(text);

let fake: FakeOpenAiServer;
/** Result cache on (SQLite in a temporary folder), one retry, a breaker that never opens here. */
let cached: RunningBff;
/** No cache, and a model whose context window is 1,024 tokens. */
let smallContext: RunningBff;
const originalFetch = globalThis.fetch;

beforeAll(async () => {
  fake = await startFakeOpenAiServer();
  const common = { RATE_LIMIT_PER_MINUTE: '0', LOG_LEVEL: 'warn', LLM_MAX_RETRIES: '1', LLM_BREAKER_FAILURES: '1000' };
  cached = await startBff(openAiCompatibleEnvironment(fake.baseUrl, { ...common, CACHE_PATH: path.join(temporaryFolder('translate-cache'), 'cache.sqlite') }));
  smallContext = await startBff(openAiCompatibleEnvironment(fake.baseUrl, { ...common, LLM_CONTEXT_TOKENS: String(smallContextTokens) }));
});
afterEach(() => {
  fake.setResponder(undefined);
  fake.requests.splice(0);
  globalThis.fetch = originalFetch;
});
afterAll(async () => {
  await cached.close();
  await smallContext.close();
  await fake.close();
});

/** Texts of a batch request (its JSON payload), or the one text of a plain request. */
function textsOf(request: RecordedRequest): string[] {
  const content = delimitedContent(request.body);
  if (request.body.response_format === undefined) return [content];
  return (JSON.parse(content) as { text: string }[]).map((item) => item.text);
}

/** 120 short rows (three batches of 40); row 70 carries the marker, so its batch is the one that fails. */
function rows(prefix: string): string[] {
  return Array.from({ length: 120 }, (_, row) =>
    row === 70 ? `${prefix} ${row}: ${marker} bitte prüfen` : `${prefix} ${row}: die Bestellung ${row * 7} ist unterwegs`,
  );
}

const failingWhenMarked =
  (reply: FakeReply) =>
  (request: RecordedRequest): FakeReply | undefined =>
    delimitedContent(request.body).includes(marker) ? reply : undefined;

describe.each([
  { status: 500, code: 'PROVIDER_ERROR' },
  { status: 429, code: 'PROVIDER_RATE_LIMITED' },
])('a batch the provider keeps failing with $status', ({ status, code }) => {
  test(`fails only its own texts (${code}, retryable); the rest are streamed, delivered and cached; a re-run asks only for the failed ones`, async () => {
    const texts = rows(`Zeile-${status}`);
    fake.setResponder(failingWhenMarked({ kind: 'error', status }));
    const { events } = await postStream(`${cached.url}/api/v1/translate`, { texts, targetLanguage: 'en', perItemErrors: true });
    expect(events.at(-1)!.event).toBe('done');
    const done = translateResponseSchema.parse(events.at(-1)!.data);

    const markedRequests = fake.requests.filter((request) => delimitedContent(request.body).includes(marker));
    // The first attempt and one retry (LLM_MAX_RETRIES=1), never split: the provider's state is not the batch's content.
    expect(markedRequests).toHaveLength(2);
    const failedTexts = new Set(textsOf(markedRequests[0]!));
    expect(failedTexts.size).toBeGreaterThan(1);
    expect(failedTexts.size).toBeLessThan(texts.length);
    expect(fake.requests.length - markedRequests.length).toBeGreaterThanOrEqual(2);

    const items = events.filter((event) => event.event === 'item').map((event) => event.data as { index: number; text?: string; error?: { code: string } });
    expect(items.map((item) => item.index).sort((a, b) => a - b)).toEqual(texts.map((_, index) => index));
    expect(done.results).toHaveLength(texts.length);
    texts.forEach((text, index) => {
      const item = items.find((event) => event.index === index)!;
      if (failedTexts.has(text)) {
        // A rate-limited item says how long to wait (details.retryAfterSeconds, as Retry-After would).
        const error = { code, message: expect.any(String), retryable: true, ...(status === 429 ? { details: { retryAfterSeconds: expect.any(Number) } } : {}) };
        expect(done.results![index]).toEqual({ text: null, error });
        expect(done.translations[index]).toBe('');
        expect(item).toEqual({ index, error });
      } else {
        expect(done.results![index]).toEqual({ text: `[en] ${text}` });
        expect(done.translations[index]).toBe(`[en] ${text}`);
        expect(item).toEqual({ index, text: `[en] ${text}` });
      }
    });

    // The provider is back: only the failed texts go upstream, the rest come from the cache.
    fake.setResponder(undefined);
    fake.requests.splice(0);
    const rerun = translateResponseSchema.parse((await postJson(`${cached.url}/api/v1/translate`, { texts, targetLanguage: 'en', perItemErrors: true })).body);
    expect(rerun.translations).toEqual(texts.map((text) => `[en] ${text}`));
    expect(rerun.results!.every((result) => result.error === undefined)).toBe(true);
    expect(rerun.usage.cachedItems).toBe(texts.length - failedTexts.size);
    expect(new Set(fake.requests.flatMap(textsOf))).toEqual(failedTexts);
    expect(fake.requests.flatMap(textsOf)).toHaveLength(failedTexts.size);
  });
});

describe('an empty answer for one text of a batch', () => {
  const texts = ['Erste Nachricht an das Team', 'Zweite Nachricht an das Team', 'Dritte Nachricht an das Team', 'Vierte Nachricht an das Team'];
  const emptyFor = texts[2]!;
  /** The batch answer gives the third text "", and so does the request that asks it alone. */
  const emptyAnswers = (request: RecordedRequest): FakeReply | undefined => {
    if (request.body.response_format === undefined) return delimitedContent(request.body) === emptyFor ? { kind: 'content', content: '' } : undefined;
    const answer = JSON.parse(fakeModelAnswer(request.body)) as { translations: { id: string; text: string }[] };
    const ids = new Map(textsOf(request).map((text, position) => [String(position + 1), text]));
    for (const entry of answer.translations) if (ids.get(entry.id) === emptyFor) entry.text = '';
    return { kind: 'content', content: JSON.stringify(answer) };
  };

  test('is asked again alone once, then only that text fails (INVALID_MODEL_OUTPUT, retryable)', async () => {
    fake.setResponder(emptyAnswers);
    const response = await postJson(`${smallContext.url}/api/v1/translate`, { texts, targetLanguage: 'en', perItemErrors: true });
    expect(response.status).toBe(200);
    const body = translateResponseSchema.parse(response.body);
    expect(body.results).toEqual(
      texts.map((text) =>
        text === emptyFor ? { text: null, error: { code: 'INVALID_MODEL_OUTPUT', message: expect.any(String), retryable: true } } : { text: `[en] ${text}` },
      ),
    );
    expect(body.translations).toEqual(texts.map((text) => (text === emptyFor ? '' : `[en] ${text}`)));
    // One batch, then the empty one alone, once.
    expect(fake.requests.map((request) => (request.body.response_format === undefined ? 'alone' : 'batch'))).toEqual(['batch', 'alone']);
    expect(fake.requests.filter((request) => textsOf(request).includes(emptyFor))).toHaveLength(2);
  });

  test('a lone text answered with nothing gets its own error, not a failed request', async () => {
    fake.setResponder(() => ({ kind: 'content', content: '' }));
    const response = await postJson(`${smallContext.url}/api/v1/translate`, { texts: [emptyFor], targetLanguage: 'en', perItemErrors: true });
    expect(response.status).toBe(200);
    expect(translateResponseSchema.parse(response.body).results).toEqual([
      { text: null, error: { code: 'INVALID_MODEL_OUTPUT', message: expect.any(String), retryable: true } },
    ]);
  });

  test('without perItemErrors (a v1 client) it fails the whole request, as before', async () => {
    fake.setResponder(emptyAnswers);
    const response = await postJson(`${smallContext.url}/api/v1/translate`, { texts, targetLanguage: 'en' });
    expect(response.status).toBe(502);
    expect(errorEnvelopeSchema.parse(response.body).error).toMatchObject({ code: 'INVALID_MODEL_OUTPUT', retryable: true });
  });
});

test('with perItemErrors, a provider that fails every batch fails the request with its error (and status), not a column of nulls', async () => {
  fake.setResponder(() => ({ kind: 'error', status: 503, headers: { 'retry-after': '1' } }));
  const response = await postJson(`${smallContext.url}/api/v1/translate`, { texts: rows('Ausfall'), targetLanguage: 'en', perItemErrors: true });
  expect(response.status).toBe(503);
  expect(errorEnvelopeSchema.parse(response.body).error).toMatchObject({ code: 'PROVIDER_UNAVAILABLE', retryable: true });
  expect(Number(response.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
});

describe('v1 clients (no perItemErrors)', () => {
  test('a batch the provider keeps failing fails the request with its error; a success has no results field', async () => {
    fake.setResponder(failingWhenMarked({ kind: 'error', status: 500 }));
    const failed = await postJson(`${cached.url}/api/v1/translate`, { texts: rows('Reihe-v1'), targetLanguage: 'en' });
    expect(failed.status).toBe(502);
    expect(errorEnvelopeSchema.parse(failed.body).error).toMatchObject({ code: 'PROVIDER_ERROR', retryable: true });

    fake.setResponder(undefined);
    const succeeded = await postJson(`${cached.url}/api/v1/translate`, { texts: ['Guten Morgen zusammen', 'Bis morgen'], targetLanguage: 'en' });
    expect(succeeded.status).toBe(200);
    expect(succeeded.body).not.toHaveProperty('results');
    expect(translateResponseSchema.parse(succeeded.body).translations).toEqual(['[en] Guten Morgen zusammen', '[en] Bis morgen']);
  });

  test('perItemErrors does not change the cache key: a translation made with it answers a v1 request from the cache, and back', async () => {
    const first = ['Die Rechnung ist bezahlt', 'Der Termin ist verschoben'];
    await postJson(`${cached.url}/api/v1/translate`, { texts: first, targetLanguage: 'en', perItemErrors: true });
    fake.requests.splice(0);
    const v1 = translateResponseSchema.parse((await postJson(`${cached.url}/api/v1/translate`, { texts: first, targetLanguage: 'en' })).body);
    expect(v1.usage).toMatchObject({ cachedItems: 2, requests: 0 });
    expect(fake.requests).toHaveLength(0);

    const second = ['Das Paket ist angekommen', 'Die Ware ist beschädigt'];
    await postJson(`${cached.url}/api/v1/translate`, { texts: second, targetLanguage: 'en' });
    fake.requests.splice(0);
    const perItem = translateResponseSchema.parse(
      (await postJson(`${cached.url}/api/v1/translate`, { texts: second, targetLanguage: 'en', perItemErrors: true })).body,
    );
    expect(perItem.usage).toMatchObject({ cachedItems: 2, requests: 0 });
    expect(perItem.results).toEqual(second.map((text) => ({ text: `[en] ${text}` })));
  });
});

/** 20,000 characters (the default limit per text): paragraphs of sentences, line breaks inside some, and one paragraph that is a single unpunctuated sentence. */
function longDocument(): string {
  const sentence = (paragraph: number, n: number) => `Im Abschnitt ${paragraph} beschreibt Satz ${n} die Lieferung an den Kunden in allen Einzelheiten.`;
  const paragraphs: string[] = [];
  for (let paragraph = 1; paragraph <= 26; paragraph += 1) {
    const sentences = Array.from({ length: 9 }, (_, n) => sentence(paragraph, n + 1));
    paragraphs.push(paragraph % 5 === 0 ? `${sentences.slice(0, 4).join(' ')}\n${sentences.slice(4).join('  ')}` : sentences.join(' '));
  }
  paragraphs.splice(13, 0, Array.from({ length: 260 }, (_, n) => `wort${n}`).join(' '));
  return `${paragraphs.join('\n\n').slice(0, 19_999)}.`;
}

describe('a text longer than the context window allows', () => {
  test('is split by paragraphs and sentences, every part is sent (each request fits the window), and the translation is joined in order', async () => {
    const long = longDocument();
    expect(long.length).toBe(20_000);
    expect(count(long)).toBeGreaterThan(smallContextTokens * 3);
    const texts = ['Kurzer Satz zuerst.', long, 'Kurzer Satz danach.'];
    const { events } = await postStream(`${smallContext.url}/api/v1/translate`, { texts, targetLanguage: 'en', sourceLanguage: 'de', perItemErrors: true });
    const done = translateResponseSchema.parse(events.at(-1)!.data);

    const partRequests = fake.requests.filter((request) => request.body.response_format === undefined);
    const parts = partRequests.map((request) => delimitedContent(request.body));
    expect(parts.length).toBeGreaterThanOrEqual(8);
    // The fake model answers "[en] <part>": without those prefixes the translation is the text again,
    // separators and all, and each part appears exactly once, in the text's order.
    const translation = done.translations[1]!;
    expect(translation.startsWith('[en] ')).toBe(true);
    expect(translation.replaceAll('[en] ', '')).toBe(long);
    expect(translation.split('[en] ').length - 1).toBe(parts.length);
    const inOrder = [...parts].sort((a, b) => long.indexOf(a) - long.indexOf(b));
    let cursor = 0;
    for (const part of inOrder) {
      const at = translation.indexOf(`[en] ${part}`, cursor);
      expect(at).toBeGreaterThanOrEqual(cursor);
      cursor = at + part.length;
    }
    // Paragraph boundaries survive: the blank lines between paragraphs are all still there.
    expect(translation.split('\n\n')).toHaveLength(long.split('\n\n').length);
    expect(done.translations[0]).toBe('[en] Kurzer Satz zuerst.');
    expect(done.translations[2]).toBe('[en] Kurzer Satz danach.');
    expect(done.results!.every((result) => result.error === undefined)).toBe(true);
    // The long text is one item event, sent when its last part is in.
    const items = events.filter((event) => event.event === 'item').map((event) => event.data as { index: number; text: string });
    expect(items.filter((item) => item.index === 1)).toEqual([{ index: 1, text: translation }]);

    // Every request, prompt and answer budget together, fits the 1,024-token window.
    for (const request of fake.requests) {
      expect(request.body.max_tokens).toBeDefined();
      expect(countMessageTokens(request.body.messages, count) + request.body.max_tokens!).toBeLessThanOrEqual(smallContextTokens);
    }
    // The budget's reservation covers what was asked for.
    const model = new OpenAiLanguageModel(
      { kind: 'openai', apiKey: 'test-key', baseUrl: fake.baseUrl, model: 'fake-model' },
      { timeoutMilliseconds: 1000, structuredOutput: 'json_schema', contextWindowTokens: smallContextTokens },
    );
    const asked = fake.requests.reduce((total, request) => total + countMessageTokens(request.body.messages, count) + request.body.max_tokens!, 0);
    expect(
      estimateTranslateTokens({ texts, targetLanguage: 'en', sourceLanguage: 'de' }, { model, limits: smallContext.config.limits }),
    ).toBeGreaterThanOrEqual(asked);
  });

  test('a part the provider keeps failing fails only that text; the next run asks only for the parts still missing', async () => {
    // The same 20,000 characters, one sentence of paragraph 20 marked.
    const long = longDocument().replace('Im Abschnitt 20 beschreibt Satz 3 die Lieferung', `Im Abschnitt 20 beschreibt Satz 3 ${marker}  `);
    expect(long.length).toBe(20_000);
    const cachedLong = await startBffWithCacheAndSmallContext();
    try {
      fake.setResponder(failingWhenMarked({ kind: 'error', status: 500 }));
      const texts = [long, 'Ein anderer kurzer Text.'];
      const first = translateResponseSchema.parse(
        (await postJson(`${cachedLong.url}/api/v1/translate`, { texts, targetLanguage: 'en', perItemErrors: true })).body,
      );
      expect(first.results![0]).toEqual({ text: null, error: { code: 'PROVIDER_ERROR', message: expect.any(String), retryable: true } });
      expect(first.results![1]).toEqual({ text: '[en] Ein anderer kurzer Text.' });
      const partsSent = fake.requests.filter((request) => request.body.response_format === undefined).length;
      const firstContents = fake.requests.map((request) => delimitedContent(request.body));

      fake.setResponder(undefined);
      fake.requests.splice(0);
      const second = translateResponseSchema.parse(
        (await postJson(`${cachedLong.url}/api/v1/translate`, { texts, targetLanguage: 'en', perItemErrors: true })).body,
      );
      expect(second.translations[0]!.replaceAll('[en] ', '')).toBe(long);
      // Only the marked part goes upstream again; the other parts and the short text come from the cache.
      expect(fake.requests).toHaveLength(1);
      expect(delimitedContent(fake.requests[0]!.body)).toContain(marker);
      // Split exactly as the first time: the part asked again is the one that failed.
      expect(firstContents).toContain(delimitedContent(fake.requests[0]!.body));
      expect(partsSent).toBeGreaterThan(3);
    } finally {
      await cachedLong.close();
    }
  });
});

async function startBffWithCacheAndSmallContext(): Promise<RunningBff> {
  return startBff(
    openAiCompatibleEnvironment(fake.baseUrl, {
      RATE_LIMIT_PER_MINUTE: '0',
      LOG_LEVEL: 'warn',
      LLM_MAX_RETRIES: '1',
      LLM_BREAKER_FAILURES: '1000',
      LLM_CONTEXT_TOKENS: String(smallContextTokens),
      CACHE_PATH: path.join(temporaryFolder('translate-cache'), 'cache.sqlite'),
    }),
  );
}

describe("the pane's streamed translation (streamedTranslate)", () => {
  test('asks for per-item errors and yields a failed text as text null with its error; the others as translated', async () => {
    const texts = rows('Pane');
    fake.setResponder(failingWhenMarked({ kind: 'error', status: 500 }));
    // The pane calls its own origin: here that is the BFF on loopback.
    globalThis.fetch = ((input: RequestInfo | URL, init?: RequestInit) =>
      originalFetch(typeof input === 'string' && input.startsWith('/') ? new URL(input, smallContext.url) : input, init)) as typeof fetch;
    const items: TranslatedItem[] = [];
    for await (const item of streamedTranslate(createApiClient(), 'en')(texts, new AbortController().signal)) items.push(item);

    const failedTexts = new Set(fake.requests.filter((request) => delimitedContent(request.body).includes(marker)).flatMap(textsOf));
    expect(failedTexts.has(texts[70]!)).toBe(true);
    expect(items.map((item) => item.index).sort((a, b) => a - b)).toEqual(texts.map((_, index) => index));
    for (const item of items) {
      const text = texts[item.index]!;
      if (failedTexts.has(text))
        expect(item).toEqual({ index: item.index, text: null, error: { code: 'PROVIDER_ERROR', message: expect.any(String), retryable: true } });
      else expect(item).toEqual({ index: item.index, text: `[en] ${text}` });
    }
  });
});

describe('OpenAPI', () => {
  test('shows perItemErrors on the request and results (TranslateResult) on the response', async () => {
    const document = (await (await fetch(`${cached.url}/api/v1/openapi.json`)).json()) as {
      components: { schemas: Record<string, { properties?: Record<string, Record<string, unknown>>; required?: string[] }> };
    };
    const schemas = document.components.schemas;
    expect(schemas['TranslateRequest']!.properties!['perItemErrors']).toMatchObject({
      type: 'boolean',
      description: 'true: a text that cannot be translated gets an error of its own instead of failing the request',
    });
    expect(schemas['TranslateRequest']!.required).not.toContain('perItemErrors');
    expect(schemas['TranslateResponse']!.properties!['results']).toMatchObject({ type: 'array', items: { $ref: '#/components/schemas/TranslateResult' } });
    expect(schemas['TranslateResponse']!.required).not.toContain('results');
    expect(schemas['TranslateResult']!.properties!['error']).toEqual({ $ref: '#/components/schemas/ErrorBody' });
    expect(JSON.stringify(schemas['TranslateResult']!.properties!['text'])).toContain('null');
    expect(schemas['TranslateResult']!.required).toEqual(['text']);
  });
});
