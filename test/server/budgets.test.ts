// Daily token budgets hold under concurrency and charge what a request really used, however it ends:
// answered, refused by the provider midway, or dropped by the client in the middle of a stream. What
// is charged is read back from the refusal of a request too large for what is left, which says so.
import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { loadBanking77 } from '../../bench/support-messages.js';
import { errorEnvelopeSchema } from '../../src/contract/schemas.js';
import { countMessageTokens } from '../../src/server/engine/message-tokens.js';
import { createTokenCounter } from '../../src/server/engine/tokenizer.js';
import { openAiCompatibleEnvironment, startBff, type RunningBff } from '../support/bff.js';
import { fakeModelAnswer, startFakeOpenAiServer, type FakeOpenAiServer, type RecordedRequest } from '../support/fake-openai-server.js';
import { postJson } from '../support/http-client.js';

let fake: FakeOpenAiServer;
beforeAll(async () => {
  fake = await startFakeOpenAiServer();
});
afterAll(async () => {
  await fake.close();
});
beforeEach(() => {
  fake.requests.splice(0);
  fake.setResponder(undefined);
});

const { rows, labels } = loadBanking77();
const distinctTexts = [...new Set(rows.map((row) => row.text))];
/** The fake provider's tokenizer-free count: what it bills (and reports as usage) for a request it answered. */
const billedTokens = (request: RecordedRequest) =>
  Math.ceil(request.body.messages.reduce((total, message) => total + message.content.length, 0) / 4) + Math.ceil(fakeModelAnswer(request.body).length / 4);
/** The BFF's own count (the model's tokenizer), used for calls the provider never reported usage for. */
const counter = createTokenCounter('fake-model');

function leftFrom(message: string): number {
  const match = /You have ([\d,]+) of today's ([\d,]+) tokens left/.exec(message);
  if (match?.[1] === undefined) throw new Error(`no tokens left in: ${message}`);
  return Number(match[1].replace(/,/g, ''));
}

/** What a budget has left, as a request too large for it is told (the refusal itself costs nothing). */
async function tokensLeft(bff: RunningBff, probe: unknown): Promise<number> {
  const refused = await postJson(`${bff.url}/api/v1/summarize`, probe);
  expect(refused.status).toBe(429);
  return leftFrom(errorEnvelopeSchema.parse(refused.body).error.message);
}

test('ten concurrent bulk classifications against a daily budget spend at most 1.5 times it upstream', async () => {
  const budget = 10_000;
  const bff = await startBff(openAiCompatibleEnvironment(fake.baseUrl, { DAILY_TOKEN_BUDGET: String(budget), RATE_LIMIT_PER_MINUTE: '0' }));
  try {
    const sheets = Array.from({ length: 10 }, (_, index) => distinctTexts.slice(index * 150, (index + 1) * 150));
    const responses = await Promise.all(sheets.map((items) => postJson(`${bff.url}/api/v1/classify`, { items, labels })));

    const upstream = fake.requests.reduce((total, request) => total + billedTokens(request), 0);
    expect(upstream).toBeLessThanOrEqual(1.5 * budget);
    const served = responses.filter((response) => response.status === 200);
    const refused = responses.filter((response) => response.status === 429);
    expect(served.length).toBeGreaterThan(0);
    expect(served.length + refused.length).toBe(10);
    // Every token upstream belongs to an answered request: none went to work that was refused.
    const reported = served.reduce((total, response) => {
      const { usage } = response.body as { usage: { promptTokens: number; completionTokens: number } };
      return total + usage.promptTokens + usage.completionTokens;
    }, 0);
    expect(reported).toBe(upstream);
    for (const response of refused) {
      const error = errorEnvelopeSchema.parse(response.body).error;
      expect(error).toMatchObject({ code: 'BUDGET_EXCEEDED', retryable: true });
      expect(leftFrom(error.message)).toBeLessThan(budget);
      expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
    }
    // Once the work has settled, the budget holds exactly what was spent.
    expect(await tokensLeft(bff, { text: distinctTexts.slice(0, 2000).join('\n\n') })).toBe(Math.max(0, budget - upstream));
  } finally {
    await bff.close();
  }
});

test('a stream the client drops midway is charged the prompt and the answer sent so far, not nothing and not its reservation', async () => {
  const budget = 1000;
  const bff = await startBff(openAiCompatibleEnvironment(fake.baseUrl, { DAILY_TOKEN_BUDGET: String(budget) }));
  try {
    fake.enqueue({ kind: 'model', chunkDelayMilliseconds: 150 });
    const controller = new AbortController();
    const response = await fetch(`${bff.url}/api/v1/summarize`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ text: 'A short text that costs some tokens to summarise, more than a few words of it.' }),
      signal: controller.signal,
    });
    let received = '';
    let deltas = 0;
    const parser = createParser({
      onEvent: (message: EventSourceMessage) => {
        if (message.event !== 'text-delta') return;
        received += (JSON.parse(message.data) as { text: string }).text;
        deltas += 1;
      },
    });
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    while (deltas < 2) {
      const { value, done } = await reader.read();
      if (done) break;
      parser.feed(decoder.decode(value, { stream: true }));
    }
    controller.abort();
    const upstreamCall = await fake.waitForClientClose();

    const prompt = countMessageTokens(upstreamCall.body.messages, (text) => counter.count(text));
    const atLeast = prompt + counter.count(received);
    const atMost = prompt + counter.count(fakeModelAnswer(upstreamCall.body));
    expect(received.length).toBeGreaterThan(0);
    expect(received.length).toBeLessThan(fakeModelAnswer(upstreamCall.body).length);
    // The reservation (prompt and a 450-token answer budget) is replaced once the request has wound down.
    let charged = Number.POSITIVE_INFINITY;
    for (let attempt = 0; attempt < 40 && charged > atMost; attempt += 1) {
      charged = budget - (await tokensLeft(bff, { text: 'Anything at all.', length: 'long' }));
      if (charged > atMost) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(charged).toBeGreaterThanOrEqual(atLeast);
    expect(charged).toBeLessThanOrEqual(atMost);
  } finally {
    await bff.close();
  }
});

test('a request the provider refuses midway (400) fails, and is charged what its answered calls used', async () => {
  const budget = 40_000;
  const bff = await startBff(openAiCompatibleEnvironment(fake.baseUrl, { DAILY_TOKEN_BUDGET: String(budget) }));
  try {
    // Too long for one request: summarised in parts (answered), then combined (refused).
    const text = distinctTexts.slice(0, 400).join('\n\n');
    fake.setResponder((request) =>
      request.body.messages.some((message) => message.content.startsWith('You write faithful summaries'))
        ? { kind: 'error', status: 400, message: 'refused' }
        : undefined,
    );
    const response = await postJson(`${bff.url}/api/v1/summarize`, { text });
    expect(response.status).toBe(502);
    expect(errorEnvelopeSchema.parse(response.body).error.code).toBe('PROVIDER_REJECTED_REQUEST');

    const answered = fake.requests.filter((request) => !request.body.messages.some((message) => message.content.startsWith('You write faithful summaries')));
    expect(answered.length).toBeGreaterThan(1);
    expect(fake.requests.length).toBeGreaterThan(answered.length);
    const used = answered.reduce((total, request) => total + billedTokens(request), 0);
    fake.setResponder(undefined);
    expect(await tokensLeft(bff, { text: distinctTexts.slice(0, 6000).join('\n\n') })).toBe(budget - used);
  } finally {
    await bff.close();
  }
});
