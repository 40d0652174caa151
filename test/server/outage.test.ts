// An outage costs a handful of upstream calls, not hundreds: the instance's circuit breaker opens after
// consecutive provider failures, fails every call fast with 503 PROVIDER_UNAVAILABLE and Retry-After
// while open (no upstream call, no retries), and one probe after the cool-down closes it when the
// provider is back. Refusals of a request (4xx, 429), client aborts and failures after a stream's first
// token are not the provider's outage and never open it. Each test starts its own BFF (its own breaker)
// over one loopback OpenAI-protocol server; retries wait 10 ms instead of 250 ms (test/support/bff.ts).
import { classifyResponseSchema, errorEnvelopeSchema } from '../../src/contract/schemas.js';
import { startBff, openAiCompatibleEnvironment, type RunningBff } from '../support/bff.js';
import { fakeLabel, startFakeOpenAiServer, type FakeOpenAiServer, type FakeReply } from '../support/fake-openai-server.js';
import { postJson, postStream } from '../support/http-client.js';

const labels = ['card_arrival', 'refund_request', 'lost_or_stolen_card', 'exchange_rate'];
const subjects = ['my card has not arrived', 'I want a refund', 'my card was stolen', 'what exchange rate do you use'];
const rows = (count: number) => Array.from({ length: count }, (_, index) => `Ticket ${index}: ${subjects[index % subjects.length]} (order ${index * 7})`);
const always = (reply: FakeReply) => (): FakeReply => reply;
const sleep = (milliseconds: number) => new Promise((resolve) => setTimeout(resolve, milliseconds));

let fake: FakeOpenAiServer;
const running: RunningBff[] = [];

beforeAll(async () => {
  fake = await startFakeOpenAiServer();
});
afterEach(async () => {
  // A connection whose request the client abandoned can stay open until the keep-alive timeout: close it.
  await Promise.all(
    running.splice(0).map((bff) => {
      bff.app.server.closeAllConnections();
      return bff.close();
    }),
  );
  fake.setResponder(undefined);
  fake.requests.splice(0);
});
afterAll(async () => {
  await fake.close();
});

/** A BFF with the default retries (4) and breaker (5 failures in a row), unless a test says otherwise. */
async function bffWith(extra: Record<string, string> = {}): Promise<RunningBff> {
  const bff = await startBff(openAiCompatibleEnvironment(fake.baseUrl, { RATE_LIMIT_PER_MINUTE: '0', LOG_LEVEL: 'warn', ...extra }));
  running.push(bff);
  return bff;
}

async function classify(bff: RunningBff, items: string[]) {
  const started = Date.now();
  const response = await postJson(`${bff.url}/api/v1/classify`, { items, labels });
  return { ...response, milliseconds: Date.now() - started };
}

function expectBreakerError(response: { status: number; headers: Headers; body: unknown }) {
  expect(response.status).toBe(503);
  expect(errorEnvelopeSchema.parse(response.body).error).toMatchObject({ code: 'PROVIDER_UNAVAILABLE', retryable: true });
  expect(Number(response.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
}

test('a total outage (every call 500): 200 rows cost at most 15 upstream requests; while open, none; after the cool-down the next run finishes every row', async () => {
  const bff = await bffWith({ LLM_BREAKER_COOLDOWN_MS: '1500' });
  const items = rows(200);
  fake.setResponder(always({ kind: 'error', status: 500 }));

  const outage = await classify(bff, items);
  // Every item failed: the route answers the breaker's 503 with Retry-After, not 200 rows of nulls.
  expectBreakerError(outage);
  const duringOutage = fake.requests.length;
  expect(duringOutage).toBeLessThanOrEqual(15);

  const whileOpen = await classify(bff, items);
  expectBreakerError(whileOpen);
  const whileOpenRequests = fake.requests.length - duringOutage;
  expect(whileOpenRequests).toBe(0);
  expect(Number(whileOpen.headers.get('retry-after'))).toBeLessThanOrEqual(2);

  fake.setResponder(undefined);
  await sleep(1600);
  const recovered = await classify(bff, items);
  expect(recovered.status).toBe(200);
  const results = classifyResponseSchema.parse(recovered.body).results;
  results.forEach((result, index) => expect(result.label).toBe(fakeLabel(items[index]!, labels)));
  const recoveryRequests = fake.requests.length - duringOutage;

  console.log(
    `outage, classify 200 rows through the BFF: ${duringOutage} upstream requests in ${outage.milliseconds} ms (503 PROVIDER_UNAVAILABLE, Retry-After ${outage.headers.get('retry-after')} s); ` +
      `again while open: ${whileOpenRequests} upstream requests in ${whileOpen.milliseconds} ms; after the cool-down: ${recoveryRequests} request(s), 200/200 rows labelled`,
  );
});

test('a total outage hits many batches at once: 4,000 rows (several batches in parallel) cost at most one wave of the starting concurrency (16 upstream requests), and the recovery run waits for the probe, then finishes every batch', async () => {
  const bff = await bffWith({ LLM_BREAKER_COOLDOWN_MS: '1000' });
  // Distinct texts, so the request really is planned as several batches.
  const items = rows(4_000).map((text, index) => `${text} — customer ${index * 13} asks again about it`);
  fake.setResponder(always({ kind: 'drop' }));

  const outage = await classify(bff, items);
  expectBreakerError(outage);
  const duringOutage = fake.requests.length;
  // The governor starts at 16 calls at once (the provider's limit is learnt from its answers), and the
  // first wave is on its way before the first failure returns; the breaker stops everything after it.
  expect(duringOutage).toBeLessThanOrEqual(16);

  fake.setResponder(undefined);
  await sleep(1100);
  const recovered = await classify(bff, items);
  expect(recovered.status).toBe(200);
  const results = classifyResponseSchema.parse(recovered.body).results;
  results.forEach((result, index) => expect(result.label).toBe(fakeLabel(items[index]!, labels)));
  const batches = fake.requests.length - duringOutage;
  expect(batches).toBeGreaterThan(3);
  console.log(
    `outage, classify 4,000 rows (${batches} batches) through the BFF: ${duringOutage} upstream requests in ${outage.milliseconds} ms; after the cool-down every batch finished`,
  );
});

test('the retry loop stops once the breaker opens: with LLM_BREAKER_FAILURES=2 a request makes 2 attempts, not 1 + 4 retries, and answers at once', async () => {
  const bff = await bffWith({ LLM_BREAKER_FAILURES: '2', LLM_BREAKER_COOLDOWN_MS: '5000' });
  fake.setResponder(always({ kind: 'error', status: 502 }));
  const started = Date.now();
  const response = await postJson(`${bff.url}/api/v1/summarize`, { text: 'Please summarise this.' });
  // Not waiting out the cool-down to try again: the client is told when to come back.
  expect(Date.now() - started).toBeLessThan(2_000);
  expectBreakerError(response);
  expect(fake.requests).toHaveLength(2);
  // Retry-After is the cool-down left.
  expect(Number(response.headers.get('retry-after'))).toBe(5);
  expect(errorEnvelopeSchema.parse(response.body).error.message).toMatch(/Try again in 5 seconds/);
});

test('a failed probe opens the breaker for another cool-down; a successful one closes it', async () => {
  const bff = await bffWith({ LLM_MAX_RETRIES: '0', LLM_BREAKER_FAILURES: '2', LLM_BREAKER_COOLDOWN_MS: '300' });
  const summarize = () => postJson(`${bff.url}/api/v1/summarize`, { text: 'Please summarise this.' });
  fake.setResponder(always({ kind: 'error', status: 500 }));
  await summarize();
  await summarize();
  expectBreakerError(await summarize());
  expect(fake.requests).toHaveLength(2);

  await sleep(350);
  // The probe reaches the provider, which still fails: open again at once.
  expectBreakerError(await summarize());
  expect(fake.requests).toHaveLength(3);
  expectBreakerError(await summarize());
  expect(fake.requests).toHaveLength(3);

  fake.setResponder(undefined);
  await sleep(350);
  const afterRecovery = await Promise.all(Array.from({ length: 4 }, () => summarize()));
  expect(afterRecovery.map((response) => response.status)).toEqual([200, 200, 200, 200]);
  expect(fake.requests).toHaveLength(7);
});

test('refusals (400, 401, 404, 429), client aborts and sparse failures between successes never open it', async () => {
  const bff = await bffWith({ LLM_MAX_RETRIES: '0', LLM_BREAKER_FAILURES: '2', LLM_TIMEOUT_MS: '5000' });
  const summarize = (init: RequestInit = {}) => postJson(`${bff.url}/api/v1/summarize`, { text: 'Please summarise this.' }, init);
  const replies: FakeReply[] = [
    { kind: 'error', status: 500 },
    { kind: 'error', status: 400 },
    { kind: 'error', status: 503 },
    { kind: 'error', status: 401 },
    { kind: 'drop' },
    { kind: 'error', status: 404 },
    { kind: 'error', status: 500 },
    { kind: 'error', status: 429, headers: { 'retry-after': '0' } },
    { kind: 'error', status: 502 },
    { kind: 'model' },
    { kind: 'error', status: 500 },
  ];
  for (const reply of replies) {
    fake.enqueue(reply);
    await summarize();
  }
  expect(fake.requests).toHaveLength(replies.length);

  // Three requests the client abandons while the provider hangs: none counts.
  fake.setResponder(always({ kind: 'hang' }));
  for (let abandoned = 0; abandoned < 3; abandoned += 1) {
    const controller = new AbortController();
    const pending = summarize({ signal: controller.signal }).catch(() => undefined);
    const before = fake.requests.length;
    while (fake.requests.length === before) await sleep(5);
    controller.abort();
    await pending;
  }
  fake.setResponder(undefined);
  const healthy = await summarize();
  expect(healthy.status).toBe(200);
  expect(fake.requests).toHaveLength(replies.length + 4);
});

test('streams: a failure before the first token counts, a failure after it does not', async () => {
  const bff = await bffWith({ LLM_MAX_RETRIES: '0', LLM_BREAKER_FAILURES: '2' });
  const stream = () => postStream(`${bff.url}/api/v1/summarize`, { text: 'Alpha beta gamma delta epsilon zeta eta theta iota kappa.' });
  const lastEvent = async () => (await stream()).events.at(-1)!;

  // Cut after text has reached the client: the provider was serving; the breaker stays closed.
  for (let cut = 0; cut < 3; cut += 1) {
    fake.enqueue({ kind: 'cut-stream', afterChunks: 2 });
    expect((await lastEvent()).event).toBe('error');
  }
  expect((await lastEvent()).event).toBe('done');
  expect(fake.requests).toHaveLength(4);

  // Cut before any text: two in a row open it, and the next stream fails at once without a request.
  fake.enqueue({ kind: 'cut-stream', afterChunks: 0 }, { kind: 'cut-stream', afterChunks: 0 });
  await stream();
  await stream();
  const refused = await lastEvent();
  expect(refused.event).toBe('error');
  expect(errorEnvelopeSchema.parse(refused.data).error).toMatchObject({ code: 'PROVIDER_UNAVAILABLE', retryable: true });
  expect(fake.requests).toHaveLength(6);
});
