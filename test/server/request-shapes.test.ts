// Request shapes for current models, through the real BFF and the real openai SDK against the
// loopback provider, which answers 400 as OpenAI does when a reasoning model (o-series, gpt-5) gets
// max_tokens or a sampling parameter: without the per-model shape every call below would fail.
import { classifyResponseSchema, summarizeResponseSchema } from '../../src/contract/schemas.js';
import { requestShapeFor } from '../../src/server/providers/openai/openai-request-shape.js';
import { openAiCompatibleEnvironment, startBff } from '../support/bff.js';
import { postJson, postStream } from '../support/http-client.js';
import { startLlmSimulator, type LlmSimulator } from '../support/llm-simulator.js';

const labels = ['card_arrival', 'lost_or_stolen_card'];
let simulator: LlmSimulator;

beforeAll(async () => {
  simulator = await startLlmSimulator({
    timeToFirstTokenMilliseconds: 1,
    tokensPerSecond: 100_000,
    concurrencyLimit: 64,
    requestsPerMinute: 100_000,
    tokensPerMinute: 100_000_000,
    recordBodies: true,
  });
});
afterAll(async () => {
  await simulator.close();
});
beforeEach(() => simulator.reset());

/** Classifies one item, summarises a text and streams a summary through a BFF for `model`; answers the bodies the provider received. */
async function bodiesFor(model: string, extra: Record<string, string> = {}) {
  const bff = await startBff(openAiCompatibleEnvironment(simulator.baseUrl, { LLM_MODEL: model, ...extra }));
  try {
    const classified = await postJson(`${bff.url}/api/v1/classify`, { items: ['my card was stolen'], labels });
    expect(classified.status).toBe(200);
    expect(classifyResponseSchema.parse(classified.body).results[0]!.label).toBe('lost_or_stolen_card');
    const summarized = await postJson(`${bff.url}/api/v1/summarize`, { text: 'The card arrived late. The customer asks for a refund of the fee.' });
    expect(summarized.status).toBe(200);
    expect(summarizeResponseSchema.parse(summarized.body).summary.length).toBeGreaterThan(0);
    const streamed = await postStream(`${bff.url}/api/v1/summarize`, { text: 'The card arrived late. The customer asks for a refund of the fee.' }, {});
    expect(streamed.events.map((event) => event.event)).toContain('done');
  } finally {
    await bff.close();
  }
  expect(simulator.calls.filter((call) => call.status !== 200)).toEqual([]);
  expect(simulator.bodies.length).toBeGreaterThanOrEqual(3);
  return simulator.bodies;
}

describe('request shapes', () => {
  test('the loopback provider refuses max_tokens and temperature for a reasoning model, as OpenAI does', async () => {
    const send = (body: Record<string, unknown>) =>
      fetch(`${simulator.baseUrl}/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'o3-mini', messages: [{ role: 'user', content: 'hi' }], ...body }),
      });
    const withMaxTokens = await send({ max_tokens: 10 });
    expect(withMaxTokens.status).toBe(400);
    expect(await withMaxTokens.json()).toMatchObject({ error: { param: 'max_tokens', code: 'unsupported_parameter' } });
    expect((await send({ max_completion_tokens: 10, temperature: 0 })).status).toBe(400);
    expect((await send({ max_completion_tokens: 10 })).status).toBe(200);
  });

  test('a chat model gets max_tokens and the operation temperature', async () => {
    for (const body of await bodiesFor('gpt-4o-mini')) {
      expect(body.max_tokens).toBeGreaterThan(0);
      expect(body.max_completion_tokens).toBeUndefined();
      expect(body.temperature).toEqual(expect.any(Number));
    }
  });

  test.each(['o3-mini', 'gpt-5-mini'])('the reasoning model %s gets max_completion_tokens and no sampling parameters', async (model) => {
    for (const body of await bodiesFor(model)) {
      expect(body.max_completion_tokens).toBeGreaterThan(0);
      expect(body.max_tokens).toBeUndefined();
      expect(body.temperature).toBeUndefined();
      expect(body.top_p).toBeUndefined();
    }
  });

  test('LLM_TOKEN_LIMIT_PARAMETER and LLM_SAMPLING_PARAMETERS override the guess (an Azure deployment named after nothing)', async () => {
    for (const body of await bodiesFor('prod-deployment', { LLM_TOKEN_LIMIT_PARAMETER: 'max_completion_tokens', LLM_SAMPLING_PARAMETERS: 'off' })) {
      expect(body.max_completion_tokens).toBeGreaterThan(0);
      expect(body.max_tokens).toBeUndefined();
      expect(body.temperature).toBeUndefined();
    }
  });

  test.each([
    ['gpt-4o-mini', 'max_tokens', true],
    ['gpt-4.1', 'max_tokens', true],
    ['qwen2.5:3b', 'max_tokens', true],
    ['o1', 'max_completion_tokens', false],
    ['o3-mini-2025-01-31', 'max_completion_tokens', false],
    ['o4-mini', 'max_completion_tokens', false],
    ['openai/o3', 'max_completion_tokens', false],
    ['gpt-5', 'max_completion_tokens', false],
    ['gpt-5.1', 'max_completion_tokens', false],
    ['gpt-5-nano', 'max_completion_tokens', false],
    ['gpt-5-chat-latest', 'max_completion_tokens', true],
  ] as const)('%s: %s, sampling parameters %s', (model, tokenLimitParameter, sendSamplingParameters) => {
    expect(requestShapeFor(model)).toEqual({ tokenLimitParameter, sendSamplingParameters });
  });
});
