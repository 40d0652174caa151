// POST /api/v1/estimate against the real BFF and a loopback provider: the 10,000-row classify with 30%
// repeated rows is estimated, then run, and the estimate's requests and tokens are held to ±15% of what
// the run used; a second estimate counts the rows the run cached; a dry run never reaches the
// provider nor the daily budget; LLM_PRICES prices it, and a bad LLM_PRICES stops the start.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { estimateSheet, estimateThenRun, within, type EstimateVersusActual } from '../../bench/estimate-vs-actual.js';
import { estimateResponseSchema, translateResponseSchema } from '../../src/contract/schemas.js';
import { ConfigError } from '../../src/server/config.js';
import { startBff, type RunningBff } from '../support/bff.js';
import { postJson } from '../support/http-client.js';
import { startLlmSimulator, type LlmSimulator } from '../support/llm-simulator.js';

const prices = { 'gpt-4o-mini': { input: 0.15, output: 0.6 } };

describe('run estimate (POST /api/v1/estimate)', () => {
  let simulator: LlmSimulator;
  let bff: RunningBff;
  let folder: string;
  let first: EstimateVersusActual;
  const sheet = estimateSheet();

  beforeAll(async () => {
    folder = mkdtempSync(path.join(os.tmpdir(), 'estimate-'));
    // A fast provider: the figures compared are requests and tokens, not time.
    simulator = await startLlmSimulator({
      timeToFirstTokenMilliseconds: 2,
      tokensPerSecond: 1_000_000,
      concurrencyLimit: 64,
      requestsPerMinute: 1_000_000,
      tokensPerMinute: 1_000_000_000,
    });
    bff = await startBff({
      OPENAI_BASE_URL: simulator.baseUrl,
      OPENAI_API_KEY: 'test-key',
      LLM_MODEL: 'gpt-4o-mini',
      LOG_LEVEL: 'silent',
      RATE_LIMIT_PER_MINUTE: '0',
      CACHE_PATH: path.join(folder, 'results.sqlite'),
      LLM_PRICES: JSON.stringify(prices),
    });
    first = await estimateThenRun(bff, simulator, sheet);
  }, 120_000);

  afterAll(async () => {
    await bff?.close();
    await simulator?.close();
    rmSync(folder, { recursive: true, force: true });
  });

  it('counts distinct rows and never calls the provider', () => {
    const { estimate, upstreamCallsDuringEstimate } = first;
    expect(upstreamCallsDuringEstimate).toBe(0);
    expect(estimate.items).toBe(10_000);
    expect(estimate.distinctItems).toBe(new Set(sheet.texts).size);
    expect(estimate.distinctItems).toBe(7_000);
    expect(estimate.cachedItems).toBe(0);
    expect(estimate.itemsToSend).toBe(7_000);
    expect(estimate.seconds).toBeGreaterThan(0);
  });

  it('matches the run it estimates within ±15% (requests, prompt and completion tokens)', () => {
    const { estimate, actual } = first;
    expect(actual.requests).toBeGreaterThan(0);
    expect({ requests: estimate.requests, within: within(estimate.requests, actual.requests) }).toEqual({ requests: estimate.requests, within: true });
    expect({ promptTokens: estimate.promptTokens, actual: actual.promptTokens, within: within(estimate.promptTokens, actual.promptTokens) }).toMatchObject({
      within: true,
    });
    expect({
      completionTokens: estimate.completionTokens,
      actual: actual.completionTokens,
      within: within(estimate.completionTokens, actual.completionTokens),
    }).toMatchObject({ within: true });
  });

  it('prices the tokens from LLM_PRICES', () => {
    const { estimate } = first;
    const expected = (estimate.promptTokens * 0.15 + estimate.completionTokens * 0.6) / 1_000_000;
    expect(estimate.cost?.currency).toBe('USD');
    expect(estimate.cost?.model).toBe('gpt-4o-mini');
    expect(estimate.cost?.amount).toBeCloseTo(expected, 3);
    expect(estimate.cost?.amount).toBeGreaterThan(0);
  });

  it('counts the rows the run cached: a second estimate sends nothing', async () => {
    const calls = simulator.calls.length;
    const response = await postJson(`${bff.url}/api/v1/estimate`, { operation: 'classify', request: { items: sheet.texts, labels: sheet.labels } });
    expect(response.status).toBe(200);
    const { estimate } = estimateResponseSchema.parse(response.body);
    expect(estimate).toMatchObject({
      items: 10_000,
      distinctItems: 7_000,
      cachedItems: 10_000,
      itemsToSend: 0,
      requests: 0,
      promptTokens: 0,
      completionTokens: 0,
      seconds: 0,
    });
    expect(estimate.cost?.amount).toBe(0);
    expect(simulator.calls.length).toBe(calls);
    // The run learnt the provider's pace from its rate-limit headers and measured its latency.
    expect(estimate.pace.source).toBe('provider-headers');
    expect(estimate.pace.requestsPerMinute).toBe(1_000_000);
    expect(estimate.pace.secondsPerRequest).toBeGreaterThan(0);
  });

  it('estimates a translation as it runs: duplicates, batches and texts alone', async () => {
    const texts = [...sheet.texts.slice(0, 120), ...sheet.texts.slice(0, 30), 'Dies ist ein Satz. '.repeat(40).trim(), '   '];
    const request = { texts, targetLanguage: 'de', sourceLanguage: 'en' };
    const calls = simulator.calls.length;
    const estimated = await postJson(`${bff.url}/api/v1/estimate`, { operation: 'translate', request });
    expect(estimated.status).toBe(200);
    const { estimate } = estimateResponseSchema.parse(estimated.body);
    expect(simulator.calls.length).toBe(calls);
    expect(estimate).toMatchObject({ items: texts.length, distinctItems: 121, cachedItems: 0, itemsToSend: 121 });

    const ran = await postJson(`${bff.url}/api/v1/translate`, request);
    expect(ran.status).toBe(200);
    const { usage } = translateResponseSchema.parse(ran.body);
    expect(estimate.requests).toBe(usage.requests);
    expect(within(estimate.promptTokens, usage.promptTokens)).toBe(true);
  });

  it('refuses a bad request as the operation would, with 400', async () => {
    const response = await postJson(`${bff.url}/api/v1/estimate`, { operation: 'classify', request: { items: ['a'], labels: [] } });
    expect(response.status).toBe(400);
    const unknown = await postJson(`${bff.url}/api/v1/estimate`, { operation: 'summarize', request: { text: 'a' } });
    expect(unknown.status).toBe(400);
  });
});

describe('dry runs and the daily budget', () => {
  it('estimates a run far over the daily budget without charging it; the run itself is refused', async () => {
    const simulator = await startLlmSimulator({
      timeToFirstTokenMilliseconds: 1,
      tokensPerSecond: 1_000_000,
      concurrencyLimit: 16,
      requestsPerMinute: 100_000,
      tokensPerMinute: 100_000_000,
    });
    const bff = await startBff({
      OPENAI_BASE_URL: simulator.baseUrl,
      OPENAI_API_KEY: 'test-key',
      LLM_MODEL: 'gpt-4o-mini',
      LOG_LEVEL: 'silent',
      DAILY_TOKEN_BUDGET: '5000',
    });
    try {
      const request = { items: estimateSheet(2_000).texts, labels: ['billing', 'cards', 'other'] };
      for (let attempt = 0; attempt < 3; attempt += 1) {
        const response = await postJson(`${bff.url}/api/v1/estimate`, { operation: 'classify', request });
        expect(response.status).toBe(200);
        expect(estimateResponseSchema.parse(response.body).estimate.promptTokens).toBeGreaterThan(5_000);
      }
      const run = await postJson(`${bff.url}/api/v1/classify`, request);
      expect(run.status).toBe(429);
      expect(simulator.calls).toHaveLength(0);
    } finally {
      await bff.close();
      await simulator.close();
    }
  });
});

describe('LLM_PRICES', () => {
  it.each([
    ['not JSON', '{gpt-4o-mini: 0.15}', /LLM_PRICES is not valid JSON/],
    ['a list', '[1,2]', /LLM_PRICES must be a JSON object/],
    ['a negative price', '{"gpt-4o-mini":{"input":-1,"output":0.6}}', /LLM_PRICES has an invalid price for "gpt-4o-mini"/],
    ['a missing output price', '{"gpt-4o-mini":{"input":0.15}}', /LLM_PRICES has an invalid price for "gpt-4o-mini"/],
  ])('refuses %s at start with a clear message', async (_name, value, message) => {
    const start = startBff({ OPENAI_BASE_URL: 'http://127.0.0.1:9/v1', OPENAI_API_KEY: 'k', LLM_MODEL: 'gpt-4o-mini', LOG_LEVEL: 'silent', LLM_PRICES: value });
    await expect(start).rejects.toBeInstanceOf(ConfigError);
    await expect(start).rejects.toThrow(message);
  });
});
