// Bad input gets a 400 or 413 with a stable code and a message that says what to do, and never
// reaches the provider; odd but valid input (emoji, right-to-left scripts, control characters)
// round-trips exactly.
import { classifyResponseSchema, errorEnvelopeSchema, translateResponseSchema } from '../../src/contract/schemas.js';
import { useBffWithFakeProvider } from '../support/bff.js';
import { delimitedContent } from '../support/fake-openai-server.js';
import { postJson } from '../support/http-client.js';

const setup = useBffWithFakeProvider({
  MAX_ITEMS: '1000',
  MAX_LABELS: '200',
  MAX_ITEM_CHARACTERS: '5000',
  MAX_TEXT_CHARACTERS: '50000',
  BODY_LIMIT_BYTES: '300000',
});

async function expectError(path: string, body: unknown, status: number, code: string, messagePattern?: RegExp, headers: Record<string, string> = {}) {
  const response = await fetch(`${setup.bff.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  expect(response.status).toBe(status);
  const envelope = errorEnvelopeSchema.parse(await response.json());
  expect(envelope.error.code).toBe(code);
  expect(envelope.error.retryable).toBe(false);
  expect(envelope.error.message.length).toBeGreaterThan(20);
  if (messagePattern) expect(envelope.error.message).toMatch(messagePattern);
  expect(setup.fake.requests).toHaveLength(0);
  return envelope.error.message;
}

describe('malformed requests', () => {
  test.each([
    ['not JSON', '{"text": "unterminated', 'INVALID_JSON', /not valid JSON/],
    ['an empty body', '', 'INVALID_JSON', /empty/],
    ['a JSON array', '["text"]', 'INVALID_REQUEST', /JSON object/],
    ['a JSON string', '"hello"', 'INVALID_REQUEST', /JSON object/],
    ['null', 'null', 'INVALID_REQUEST', /JSON object/],
  ])('%s → 400', async (_name, body, code, pattern) => {
    await expectError('/api/v1/summarize', body, 400, code, pattern);
  });

  test('a body that is not declared as JSON → 400 saying which Content-Type to send', async () => {
    await expectError('/api/v1/summarize', 'text=hello', 400, 'UNSUPPORTED_MEDIA_TYPE', /Content-Type: application\/json/, { 'content-type': 'text/plain' });
  });

  test('an unknown route → 404 in the same envelope', async () => {
    const response = await fetch(`${setup.bff.url}/api/v1/summarise`, { method: 'POST' });
    expect(response.status).toBe(404);
    expect(errorEnvelopeSchema.parse(await response.json()).error.message).toMatch(/openapi\.json/);
  });
});

describe('summarize', () => {
  test.each([
    ['missing text', {}, /text is missing: send it as a string/],
    ['text of the wrong type', { text: 42 }, /text must be a string, not a number/],
    ['empty text', { text: '' }, /text is empty/],
    ['white space only', { text: ' \n\t ' }, /text is empty/],
    ['an unknown kind', { text: 'Hello', kind: 'poem' }, /kind must be one of "email", "document", "text"/],
    ['an invalid language tag', { text: 'Hello', language: 'not a language!' }, /language is not a BCP 47 language tag/],
    ['an unknown field', { text: 'Hello', tone: 'angry' }, /unknown field "tone": remove it/],
  ])('%s → 400 INVALID_REQUEST', async (_name, body, pattern) => {
    await expectError('/api/v1/summarize', body, 400, 'INVALID_REQUEST', pattern);
  });

  test('text over the configured limit → 413 INPUT_TOO_LARGE naming the limit', async () => {
    await expectError('/api/v1/summarize', { text: 'x'.repeat(50_001) }, 413, 'INPUT_TOO_LARGE', /50,000/);
  });

  test('a body over the byte limit → 413 PAYLOAD_TOO_LARGE', async () => {
    await expectError('/api/v1/summarize', { text: 'x'.repeat(400_000) }, 413, 'PAYLOAD_TOO_LARGE', /300,000 bytes/);
  });
});

describe('translate', () => {
  test.each([
    ['texts not an array', { texts: 'Hallo', targetLanguage: 'en' }, /texts must be an array, not a string/],
    ['no texts', { texts: [], targetLanguage: 'en' }, /texts is empty/],
    ['a text that is a number', { texts: ['Hallo', 7], targetLanguage: 'en' }, /texts\[1\] must be a string, not a number/],
    ['missing target language', { texts: ['Hallo'] }, /targetLanguage is missing/],
    ['an empty glossary term', { texts: ['Hallo'], targetLanguage: 'en', glossary: { ' ': 'x' } }, /glossary/],
    ['an unknown formality', { texts: ['Hallo'], targetLanguage: 'en', formality: 'rude' }, /formality must be one of/],
  ])('%s → 400 INVALID_REQUEST', async (_name, body, pattern) => {
    await expectError('/api/v1/translate', body, 400, 'INVALID_REQUEST', pattern);
  });

  test('more texts than allowed → 413 TOO_MANY_ITEMS', async () => {
    await expectError('/api/v1/translate', { texts: Array.from({ length: 1001 }, () => 'a'), targetLanguage: 'en' }, 413, 'TOO_MANY_ITEMS', /at most 1,000/);
  });
});

describe('classify', () => {
  test.each([
    ['no labels', { items: ['a'], labels: [] }, /labels is empty/],
    ['an empty label', { items: ['a'], labels: ['ok', ''] }, /labels\[1\] is empty/],
    ['a white-space label', { items: ['a'], labels: ['ok', '   '] }, /labels\[1\] is empty/],
    ['duplicate labels', { items: ['a'], labels: ['Refund', 'Card', 'Refund'] }, /labels\[2\] repeats labels\[0\] \("Refund"\)/],
    ['labels equal after Unicode normalisation', { items: ['a'], labels: ['Caf\u00e9', 'Cafe\u0301'] }, /labels\[1\] repeats labels\[0\]/],
    ['a label with a control character', { items: ['a'], labels: ['ok', 'bad\u0007bell'] }, /labels\[1\] contains a control character/],
    ['labels not strings', { items: ['a'], labels: [1, 2] }, /labels\[0\] must be a string, not a number/],
    ['items missing', { labels: ['a'] }, /items is missing/],
    ['items as an object', { items: { a: 1 }, labels: ['a'] }, /items must be an array, not an object/],
    ['no items', { items: [], labels: ['a'] }, /items is empty/],
  ])('%s → 400 INVALID_REQUEST', async (_name, body, pattern) => {
    await expectError('/api/v1/classify', body, 400, 'INVALID_REQUEST', pattern);
  });

  test('thousands of labels → 413 TOO_MANY_LABELS with the limit', async () => {
    const labels = Array.from({ length: 5000 }, (_, index) => `label ${index}`);
    await expectError('/api/v1/classify', { items: ['a'], labels }, 413, 'TOO_MANY_LABELS', /5,000 labels; this server accepts at most 200/);
  });

  test('an item over the per-item limit → 413 naming the item', async () => {
    await expectError('/api/v1/classify', { items: ['ok', 'y'.repeat(5001)], labels: ['a'] }, 413, 'INPUT_TOO_LARGE', /items\[1\]/);
  });

  test('many problems at once: the first five are named, and how many more', async () => {
    const message = await expectError('/api/v1/classify', { items: 'x', labels: ['', '', '', '', '', '', ''] }, 400, 'INVALID_REQUEST');
    expect(message).toMatch(/and \d+ more problems/);
  });
});

describe('odd but valid input round-trips exactly', () => {
  test('emoji and right-to-left labels come back exactly as given', async () => {
    const labels = ['😀 happy', 'שלום (greeting)', 'مرحبا بك', '👩🏽‍💻 dev'];
    const items = ['I am so happy today 😀', 'שלום לכולם greeting', 'مرحبا بك في المتجر', 'A 👩🏽‍💻 dev question'];
    const response = await postJson(`${setup.bff.url}/api/v1/classify`, { items, labels });
    expect(response.status).toBe(200);
    const body = classifyResponseSchema.parse(response.body);
    expect(body.results.map((result) => result.label)).toEqual(labels);
  });

  test('right-to-left texts translate one for one, with their surrounding white space', async () => {
    const texts = ['  مرحبا بالعالم، كيف حالك اليوم؟', 'שלום עולם, מה שלומך היום?\n'];
    const response = await postJson(`${setup.bff.url}/api/v1/translate`, { texts, targetLanguage: 'en' });
    const body = translateResponseSchema.parse(response.body);
    expect(body.translations).toEqual(['  [en] مرحبا بالعالم، كيف حالك اليوم؟', '[en] שלום עולם, מה שלומך היום?\n']);
  });

  test('control characters in items are removed before the provider sees them; rows stay aligned', async () => {
    const items = ['card\u0000 arrival', '\u001b[31mlost card\u001b[0m', '\u0007'];
    const response = await postJson(`${setup.bff.url}/api/v1/classify`, { items, labels: ['card_arrival', 'lost_or_stolen_card'] });
    const body = classifyResponseSchema.parse(response.body);
    expect(body.results.map((result) => result.label)).toEqual(['card_arrival', 'lost_or_stolen_card', null]);
    expect(body.results[2]!.error?.code).toBe('EMPTY_ITEM');
    const sent = delimitedContent(setup.fake.requests[0]!.body);
    expect(sent).not.toMatch(/[\u0000\u0007\u001b]/);
  });

  test('a label the model answers in another case or Unicode form maps back to the exact label', async () => {
    setup.fake.enqueue({
      kind: 'content',
      // A model that ignored the label numbers and wrote the labels themselves.
      content: JSON.stringify({ '1': 'CAFE\u0301', '2': ' tea ' }),
    });
    const response = await postJson(`${setup.bff.url}/api/v1/classify`, { items: ['a latte please', 'green tea'], labels: ['Caf\u00e9', 'Tea'] });
    const body = classifyResponseSchema.parse(response.body);
    expect(body.results.map((result) => result.label)).toEqual(['Caf\u00e9', 'Tea']);
  });
});
