// Provider failures through the real openai SDK: the one retry policy (429 with Retry-After, 5xx,
// dropped connections), errors that are not retried, timeouts, a provider that is down, batches split
// only for their content, and cancellation that reaches the upstream connection. The circuit breaker
// has its own tests (outage.test.ts); here it must not carry one test's failures into the next.
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { errorEnvelopeSchema, classifyResponseSchema } from '../../src/contract/schemas.js';
import { startBff, openAiCompatibleEnvironment, useBffWithFakeProvider } from '../support/bff.js';
import { classifyRequestParts } from '../support/fake-openai-server.js';
import { postJson, postStream } from '../support/http-client.js';

const setup = useBffWithFakeProvider({ LLM_MAX_RETRIES: '3', LLM_TIMEOUT_MS: '1500', LLM_BREAKER_FAILURES: '1000' });

/** The item texts of each upstream classify request, in order. */
const sentBatches = () => setup.fake.requests.map((request) => (classifyRequestParts(request.body)?.items ?? []).map((item) => item.text));

const summarizeUrl = () => `${setup.bff.url}/api/v1/summarize`;

describe('retried with the one policy', () => {
  test('429 with Retry-After: waits as told, then succeeds', async () => {
    setup.fake.enqueue({ kind: 'error', status: 429, headers: { 'retry-after': '1' }, message: 'Rate limit reached' });
    const started = Date.now();
    const response = await postJson(summarizeUrl(), { text: 'Please summarise this.' });
    expect(response.status).toBe(200);
    expect(setup.fake.requests).toHaveLength(2);
    expect(setup.fake.requests[1]!.receivedAt - setup.fake.requests[0]!.receivedAt).toBeGreaterThanOrEqual(950);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
  });

  test('retry-after-ms is honoured too', async () => {
    setup.fake.enqueue({ kind: 'error', status: 429, headers: { 'retry-after-ms': '300' } });
    const response = await postJson(summarizeUrl(), { text: 'Please summarise this.' });
    expect(response.status).toBe(200);
    expect(setup.fake.requests[1]!.receivedAt - setup.fake.requests[0]!.receivedAt).toBeGreaterThanOrEqual(280);
  });

  test.each([500, 502, 503, 408, 409])('HTTP %i, then success', async (status) => {
    setup.fake.enqueue({ kind: 'error', status });
    const response = await postJson(summarizeUrl(), { text: 'Please summarise this.' });
    expect(response.status).toBe(200);
    expect(setup.fake.requests).toHaveLength(2);
  });

  test('a dropped connection, then success', async () => {
    setup.fake.enqueue({ kind: 'drop' });
    const response = await postJson(summarizeUrl(), { text: 'Please summarise this.' });
    expect(response.status).toBe(200);
    expect(setup.fake.requests).toHaveLength(2);
  });

  test('the SDK does not retry on its own: exactly 1 + LLM_MAX_RETRIES attempts, then 503 with Retry-After', async () => {
    setup.fake.setResponder(() => ({ kind: 'error', status: 503 }));
    const response = await postJson(summarizeUrl(), { text: 'Please summarise this.' });
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toMatch(/^\d+$/);
    const envelope = errorEnvelopeSchema.parse(response.body);
    expect(envelope.error).toMatchObject({ code: 'PROVIDER_UNAVAILABLE', retryable: true });
    expect(setup.fake.requests).toHaveLength(4);
  });

  test('a persistent 429 ends as 503 PROVIDER_RATE_LIMITED with Retry-After for the client', async () => {
    setup.fake.setResponder(() => ({ kind: 'error', status: 429, headers: { 'retry-after': '0' } }));
    const response = await postJson(summarizeUrl(), { text: 'Please summarise this.' });
    expect(response.status).toBe(503);
    expect(errorEnvelopeSchema.parse(response.body).error.code).toBe('PROVIDER_RATE_LIMITED');
    expect(response.headers.get('retry-after')).not.toBeNull();
  });

  test('a Retry-After longer than a request may wait is passed to the client at once', async () => {
    setup.fake.setResponder(() => ({ kind: 'error', status: 429, headers: { 'retry-after': '3600' } }));
    const response = await postJson(summarizeUrl(), { text: 'Please summarise this.' });
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('3600');
    expect(setup.fake.requests).toHaveLength(1);
  });
});

describe('not retried', () => {
  test.each([
    [400, 'PROVIDER_REJECTED_REQUEST', 502],
    [401, 'PROVIDER_AUTH_FAILED', 502],
    [403, 'PROVIDER_AUTH_FAILED', 502],
    [404, 'PROVIDER_REJECTED_REQUEST', 502],
  ])('HTTP %i from the provider → %s (%i), one attempt, no internals', async (status, code, ourStatus) => {
    setup.fake.setResponder(() => ({ kind: 'error', status, message: 'secret internal detail sk-live-123' }));
    const response = await postJson(summarizeUrl(), { text: 'Please summarise this.' });
    expect(response.status).toBe(ourStatus);
    const envelope = errorEnvelopeSchema.parse(response.body);
    expect(envelope.error.code).toBe(code);
    expect(envelope.error.retryable).toBe(false);
    expect(JSON.stringify(response.body)).not.toContain('secret internal detail');
    expect(JSON.stringify(response.body)).not.toContain('test-key');
    expect(setup.fake.requests).toHaveLength(1);
  });

  test('a context-length error → 413 INPUT_TOO_LARGE telling the user to select less', async () => {
    setup.fake.setResponder(() => ({
      kind: 'error',
      status: 400,
      code: 'context_length_exceeded',
      message: "This model's maximum context length is 8192 tokens",
    }));
    const response = await postJson(summarizeUrl(), { text: 'Please summarise this.' });
    expect(response.status).toBe(413);
    expect(errorEnvelopeSchema.parse(response.body).error).toMatchObject({ code: 'INPUT_TOO_LARGE', message: expect.stringMatching(/Select less text/) });
  });
});

describe('slow, down and cut', () => {
  test('a provider that never answers → 504 PROVIDER_TIMEOUT after the configured timeout and retries', async () => {
    const local = await startBff(openAiCompatibleEnvironment(setup.fake.baseUrl, { LLM_MAX_RETRIES: '0', LLM_TIMEOUT_MS: '1000' }));
    try {
      setup.fake.setResponder(() => ({ kind: 'hang' }));
      const started = Date.now();
      const response = await postJson(`${local.url}/api/v1/summarize`, { text: 'Please summarise this.' });
      expect(response.status).toBe(504);
      expect(errorEnvelopeSchema.parse(response.body).error).toMatchObject({ code: 'PROVIDER_TIMEOUT', retryable: true });
      expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    } finally {
      await local.close();
    }
  });

  test('a provider that is down → 503 PROVIDER_UNAVAILABLE that says what to check', async () => {
    const closedPort = await new Promise<number>((resolve) => {
      const probe = createServer();
      probe.listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as AddressInfo;
        probe.close(() => resolve(port));
      });
    });
    const local = await startBff(openAiCompatibleEnvironment(`http://127.0.0.1:${closedPort}/v1`, { LLM_MAX_RETRIES: '1' }));
    try {
      const response = await postJson(`${local.url}/api/v1/summarize`, { text: 'Please summarise this.' });
      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).not.toBeNull();
      expect(errorEnvelopeSchema.parse(response.body).error).toMatchObject({
        code: 'PROVIDER_UNAVAILABLE',
        retryable: true,
        message: expect.stringMatching(/OPENAI_BASE_URL/),
      });
    } finally {
      await local.close();
    }
  });

  test('a stream cut before any text is retried; the client sees one clean answer', async () => {
    setup.fake.enqueue({ kind: 'cut-stream', afterChunks: 0 });
    const { events } = await postStream(summarizeUrl(), { text: 'Alpha beta gamma delta.' });
    expect(events.at(-1)!.event).toBe('done');
    expect(setup.fake.requests).toHaveLength(2);
  });

  test('a stream cut after text has been sent ends with a retryable error event, not a silent end', async () => {
    setup.fake.enqueue({ kind: 'cut-stream', afterChunks: 2 });
    const { events } = await postStream(summarizeUrl(), { text: 'Alpha beta gamma delta epsilon zeta eta theta.' });
    expect(events.filter((event) => event.event === 'text-delta').length).toBeGreaterThan(0);
    const last = events.at(-1)!;
    expect(last.event).toBe('error');
    expect(errorEnvelopeSchema.parse(last.data).error.retryable).toBe(true);
    expect(events.some((event) => event.event === 'done')).toBe(false);
  });

  test('a batch refused for its content (400) is split until the refused items fail alone; the rest are labelled', async () => {
    setup.fake.setResponder((request) => {
      const items = classifyRequestParts(request.body)?.items ?? [];
      return items.some((item) => item.text.startsWith('poison')) ? { kind: 'error', status: 400, code: 'content_filter' } : undefined;
    });
    const items = [...Array.from({ length: 25 }, (_, index) => `card arrival ${index}`), ...Array.from({ length: 5 }, (_, index) => `poison ${index}`)];
    const response = await postJson(`${setup.bff.url}/api/v1/classify`, { items, labels: ['card_arrival', 'other'] });
    expect(response.status).toBe(200);
    const body = classifyResponseSchema.parse(response.body);
    expect(body.results).toHaveLength(30);
    body.results.slice(0, 25).forEach((result) => expect(result.label).toBe('card_arrival'));
    body.results
      .slice(25)
      .forEach((result) => expect(result).toEqual({ label: null, error: expect.objectContaining({ code: 'PROVIDER_REJECTED_REQUEST', retryable: false }) }));
    // Split in halves: the batch of 30 was sent whole once, then in ever smaller parts.
    expect(sentBatches()[0]).toHaveLength(30);
    expect(Math.min(...sentBatches().map((batch) => batch.length))).toBe(1);
  });

  test.each([
    ['HTTP 500', { kind: 'error', status: 500 } as const, 'PROVIDER_ERROR'],
    ['HTTP 503', { kind: 'error', status: 503 } as const, 'PROVIDER_UNAVAILABLE'],
    ['a dropped connection', { kind: 'drop' } as const, 'PROVIDER_UNAVAILABLE'],
  ])('a batch failing with %s is never split: it is retried whole, and its rows are marked retryable', async (_what, failure, code) => {
    setup.fake.setResponder((request) => {
      const items = classifyRequestParts(request.body)?.items ?? [];
      return items.some((item) => item.text.includes('poison')) ? failure : undefined;
    });
    // Long items: the request is planned as several batches, so some succeed while the poisoned one fails.
    const filler = 'the card I ordered has still not arrived and I would like to know where it is now '.repeat(12).trim();
    const items = Array.from({ length: 30 }, (_, index) => `${index >= 25 ? 'poison' : 'card arrival'} ${index}: ${filler}`);
    const response = await postJson(`${setup.bff.url}/api/v1/classify`, { items, labels: ['card_arrival', 'other'] });
    expect(response.status).toBe(200);
    const results = classifyResponseSchema.parse(response.body).results;

    const batches = sentBatches();
    const distinct = new Map<string, { items: string[]; sent: number }>();
    for (const batch of batches) {
      const key = batch.join('\n');
      distinct.set(key, { items: batch, sent: (distinct.get(key)?.sent ?? 0) + 1 });
    }
    // Every request carried a planned batch whole: together the distinct ones hold each item once.
    expect([...distinct.values()].reduce((total, batch) => total + batch.items.length, 0)).toBe(30);
    const poisoned = [...distinct.values()].filter((batch) => batch.items.some((text) => text.startsWith('poison')));
    expect(poisoned.length).toBeGreaterThan(0);
    expect(distinct.size).toBeGreaterThan(poisoned.length);
    // A failing batch costs 1 + LLM_MAX_RETRIES requests, never more.
    for (const batch of poisoned) expect(batch.sent).toBe(4);
    expect(batches).toHaveLength(distinct.size - poisoned.length + 4 * poisoned.length);

    const failedTexts = new Set(poisoned.flatMap((batch) => batch.items));
    results.forEach((result, index) => {
      if (failedTexts.has(items[index]!)) expect(result).toEqual({ label: null, error: expect.objectContaining({ code, retryable: true }) });
      else expect(result.label).toBe('card_arrival');
    });
  });

  test('a classification where every request fails answers with the provider error, not a sheet of nulls', async () => {
    setup.fake.setResponder(() => ({ kind: 'error', status: 503 }));
    const response = await postJson(`${setup.bff.url}/api/v1/classify`, { items: ['a', 'b'], labels: ['x', 'y'] });
    expect(response.status).toBe(503);
    expect(errorEnvelopeSchema.parse(response.body).error.code).toBe('PROVIDER_UNAVAILABLE');
  });
});

describe('cancellation reaches the provider', () => {
  test('a client that aborts a JSON request closes the upstream connection', async () => {
    setup.fake.setResponder(() => ({ kind: 'hang' }));
    const controller = new AbortController();
    const pending = postJson(summarizeUrl(), { text: 'Please summarise this.' }, { signal: controller.signal }).catch((error: unknown) => error);
    while (setup.fake.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    controller.abort();
    const closed = await setup.fake.waitForClientClose(3000);
    expect(closed.closedByClient).toBe(true);
    expect(await pending).toMatchObject({ name: 'AbortError' });
  });

  test('a client that leaves a stream midway closes the upstream stream', async () => {
    setup.fake.setResponder(() => ({ kind: 'model', chunkDelayMilliseconds: 100 }));
    const controller = new AbortController();
    const response = await fetch(summarizeUrl(), {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ text: 'A long text to summarise slowly, word by word, so the stream lasts a while.' }),
      signal: controller.signal,
    });
    const reader = response.body!.getReader();
    const first = await reader.read();
    expect(new TextDecoder().decode(first.value)).toContain('event:');
    controller.abort();
    const closed = await setup.fake.waitForClientClose(3000);
    expect(closed.body.stream).toBe(true);
  });
});
