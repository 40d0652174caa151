// The rate governor: requests and tokens per minute never exceeded (the simulator answers 429 the
// moment they would be), Retry-After honoured, pacing by the provider's x-ratelimit-* headers without
// being told the limits, and the adaptive concurrency (AIMD) for servers that send no headers.
import { classifyResponseSchema } from '../../../src/contract/schemas.js';
import { RateGovernor } from '../../../src/server/resilience/rate-governor.js';
import { openAiCompatibleEnvironment, startBff } from '../../support/bff.js';
import { postJson } from '../../support/http-client.js';
import { startLlmSimulator, type LlmSimulator } from '../../support/llm-simulator.js';

const labels = ['card_arrival', 'lost_or_stolen_card'];

/** `workers` callers, each making `calls` successful calls one after another: more callers than slots keep the limit binding. */
async function busyRounds(governor: RateGovernor, workers: number, calls: number): Promise<void> {
  await Promise.all(
    Array.from({ length: workers }, async () => {
      for (let call = 0; call < calls; call += 1) {
        const permit = await governor.acquire(1);
        // A call takes a moment: the other callers fill the free slots meanwhile.
        await new Promise((resolve) => setTimeout(resolve, 1));
        permit.release({ kind: 'success' });
      }
    }),
  );
}

describe('RateGovernor', () => {
  test('halves its concurrency on a 5xx, once per congestion event, then grows by about one per round of calls', async () => {
    const governor = new RateGovernor({ maxConcurrency: 8, initialConcurrency: 8 });
    const permits = await Promise.all(Array.from({ length: 8 }, () => governor.acquire(10)));
    expect(governor.snapshot()).toMatchObject({ concurrencyLimit: 8, active: 8 });
    // Three calls of the same burst fail: one cut, not three.
    for (const permit of permits.slice(0, 3)) permit.release({ kind: 'overload' });
    expect(governor.snapshot().concurrencyLimit).toBe(4);
    for (const permit of permits.slice(3)) permit.release({ kind: 'success' });
    // A bad request says nothing about load.
    (await governor.acquire(10)).release({ kind: 'other' });
    expect(governor.snapshot().concurrencyLimit).toBe(4);
    // Past the first overload it probes gently (one more per round of calls: 4 + 5 successes make 6), never past the ceiling.
    await busyRounds(governor, 12, 1);
    expect(governor.snapshot().concurrencyLimit).toBe(6);
    await busyRounds(governor, 12, 10);
    expect(governor.snapshot().concurrencyLimit).toBe(8);
  });

  test('starts at 16 below a ceiling of 64, grows while calls queue, and not while idle', async () => {
    const governor = new RateGovernor({ maxConcurrency: 64 });
    expect(governor.snapshot().concurrencyLimit).toBe(16);
    for (let call = 0; call < 50; call += 1) (await governor.acquire(1)).release({ kind: 'success' });
    expect(governor.snapshot().concurrencyLimit).toBe(16);
    await busyRounds(governor, 40, 3);
    // 40 callers never need more than 40 slots.
    expect(governor.snapshot().concurrencyLimit).toBeLessThanOrEqual(41);
    await busyRounds(governor, 100, 3);
    expect(governor.snapshot().concurrencyLimit).toBe(64);
  });

  test("a 429 the headers do not explain (a server's concurrency limit) cuts to the calls it was serving and holds there", async () => {
    const governor = new RateGovernor({ maxConcurrency: 64 });
    const serving = await Promise.all(Array.from({ length: 16 }, () => governor.acquire(1)));
    const queued = governor.acquire(1);
    // One success while calls queue: slow start opens a 17th slot, which the provider refuses.
    serving.pop()!.release({ kind: 'success' });
    serving.push(await queued);
    const seventeenth = await governor.acquire(1);
    expect(governor.snapshot()).toMatchObject({ active: 17 });
    // Azure-style headers: plenty of requests left, so the refusal is about slots, not rate.
    seventeenth.observe({ requests: { limit: undefined, remaining: 500, resetMilliseconds: 10 }, tokens: undefined });
    seventeenth.release({ kind: 'overload', rateLimited: true, retryAfterMilliseconds: 1 });
    expect(governor.snapshot().concurrencyLimit).toBe(16);
    for (const permit of serving) permit.release({ kind: 'success' });
    await busyRounds(governor, 40, 3);
    expect(governor.snapshot().concurrencyLimit).toBe(16);
  });

  test('learns the limits from the headers; a 429 for a spent window pauses every call until it refills and keeps the concurrency', async () => {
    const governor = new RateGovernor({ maxConcurrency: 64, tokensPerMinute: 100_000 });
    const started = Date.now();
    const first = await governor.acquire(100);
    // 600 requests a minute: one more fits after 100 ms. LLM_TPM stays the ceiling below the stated 1,000,000.
    first.observe({
      requests: { limit: 600, remaining: 0, resetMilliseconds: 1000 },
      tokens: { limit: 1_000_000, remaining: 999_000, resetMilliseconds: 60 },
    });
    first.release({ kind: 'overload', rateLimited: true });
    expect(governor.snapshot()).toMatchObject({ concurrencyLimit: 16, requestsPerMinute: 600, tokensPerMinute: 100_000, budgets: 'local' });
    // The pause runs from when the first call was sent (which the headers describe), not from when its answer came.
    (await governor.acquire(100)).release({ kind: 'success' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(95);
  });

  test('holds callers beyond the limit until a slot frees, in order', async () => {
    const governor = new RateGovernor({ maxConcurrency: 2 });
    const first = await governor.acquire(1);
    const second = await governor.acquire(1);
    const order: number[] = [];
    const third = governor.acquire(1).then((permit) => (order.push(3), permit));
    const fourth = governor.acquire(1).then((permit) => (order.push(4), permit));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(governor.snapshot()).toMatchObject({ active: 2, waiting: 2 });
    first.release({ kind: 'success' });
    second.release({ kind: 'success' });
    (await third).release({ kind: 'success' });
    (await fourth).release({ kind: 'success' });
    expect(order).toEqual([3, 4]);
  });

  test('a Retry-After pauses every caller, a cancelled wait gives up its place', async () => {
    const governor = new RateGovernor({ maxConcurrency: 4 });
    (await governor.acquire(1)).release({ kind: 'overload', retryAfterMilliseconds: 300 });
    const started = Date.now();
    (await governor.acquire(1)).release({ kind: 'success' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);

    const abort = new AbortController();
    const one = new RateGovernor({ maxConcurrency: 1 });
    const held = await one.acquire(1);
    const waiting = one.acquire(1, abort.signal);
    abort.abort();
    await expect(waiting).rejects.toMatchObject({ code: 'CANCELLED' });
    held.release({ kind: 'success' });
    expect(one.snapshot()).toMatchObject({ active: 0, waiting: 0 });
  });
});

describe('through the BFF against a rate-limited provider', () => {
  let simulator: LlmSimulator;

  afterEach(async () => {
    await simulator.close();
  });

  test('LLM_RPM and LLM_TPM keep a burst of requests inside the provider limits: no 429 at all', async () => {
    simulator = await startLlmSimulator({
      timeToFirstTokenMilliseconds: 5,
      tokensPerSecond: 5000,
      concurrencyLimit: 4,
      requestsPerMinute: 600,
      tokensPerMinute: 120_000,
    });
    // LLM_TPM a tenth under the simulator's: both are one-second buckets, and on a loaded machine a
    // request can reach the simulator tens of milliseconds later or earlier than the governor let it go
    // (seen: one 429 in a few runs at equal limits). The governor's own 3% headroom is not meant for
    // that jitter; without LLM_RPM and LLM_TPM this burst draws over a dozen 429s.
    const bff = await startBff(
      openAiCompatibleEnvironment(simulator.baseUrl, { LLM_MODEL: 'gpt-4o-mini', LLM_RPM: '600', LLM_TPM: '108000', LLM_MAX_CONCURRENCY: '4' }),
    );
    try {
      const responses = await Promise.all(
        Array.from({ length: 24 }, (_, index) => postJson(`${bff.url}/api/v1/classify`, { items: [`lost card ${index}`], labels })),
      );
      for (const response of responses) expect(classifyResponseSchema.parse(response.body).results[0]!.label).toBe('lost_or_stolen_card');
      expect(simulator.calls.filter((call) => call.status === 429)).toEqual([]);
      expect(simulator.served()).toHaveLength(24);
      expect(Math.max(...simulator.served().map((call) => call.peakConcurrency))).toBeLessThanOrEqual(4);
    } finally {
      await bff.close();
    }
  });

  test('told nothing, it paces by the headers: when they say the window is spent, the next call waits instead of meeting a 429 (without headers it meets one)', async () => {
    // 60 requests a minute, enforced over one second: one request, then the next a second later.
    const sequence = async (rateLimitHeaders: boolean) => {
      simulator = await startLlmSimulator({
        timeToFirstTokenMilliseconds: 5,
        tokensPerSecond: 5000,
        concurrencyLimit: 4,
        requestsPerMinute: 60,
        tokensPerMinute: 10_000_000,
        rateLimitHeaders,
      });
      const bff = await startBff(openAiCompatibleEnvironment(simulator.baseUrl, { LLM_MODEL: 'gpt-4o-mini' }));
      try {
        for (let index = 0; index < 3; index += 1) {
          const response = await postJson(`${bff.url}/api/v1/classify`, { items: [`lost card ${index}`], labels });
          expect(classifyResponseSchema.parse(response.body).results[0]!.label).toBe('lost_or_stolen_card');
        }
        const arrivals = simulator.served().map((call) => call.receivedAt);
        expect(arrivals).toHaveLength(3);
        expect(arrivals[2]! - arrivals[0]!).toBeGreaterThanOrEqual(1900);
        return simulator.calls.filter((call) => call.status === 429).length;
      } finally {
        await bff.close();
        await simulator.close();
      }
    };
    // Without headers the second call goes at once and meets the 429 (its Retry-After then paces it).
    expect(await sequence(false)).toBeGreaterThan(0);
    expect(await sequence(true)).toBe(0);
    simulator = await startLlmSimulator({
      timeToFirstTokenMilliseconds: 1,
      tokensPerSecond: 5000,
      concurrencyLimit: 1,
      requestsPerMinute: 60,
      tokensPerMinute: 100_000,
    });
  });

  test('told nothing, a burst after the first answer stays inside the limits the headers state: no 429', async () => {
    // A second and a half's burst at the provider, one in the governor: on a loaded machine a call can reach
    // the simulator a few hundred milliseconds after the governor let it go, and the margin absorbs that.
    // Without the headers this burst (16 calls at once, more as they finish) meets 429s in most runs; the
    // test above shows the difference deterministically.
    simulator = await startLlmSimulator({
      timeToFirstTokenMilliseconds: 5,
      tokensPerSecond: 5000,
      concurrencyLimit: 64,
      requestsPerMinute: 600,
      tokensPerMinute: 10_000_000,
      burstSeconds: 1.5,
    });
    const bff = await startBff(openAiCompatibleEnvironment(simulator.baseUrl, { LLM_MODEL: 'gpt-4o-mini', LLM_MAX_RETRIES: '10' }));
    try {
      await postJson(`${bff.url}/api/v1/classify`, { items: ['first card'], labels });
      const responses = await Promise.all(
        Array.from({ length: 30 }, (_, index) => postJson(`${bff.url}/api/v1/classify`, { items: [`card arrival ${index}`], labels })),
      );
      for (const response of responses) expect(classifyResponseSchema.parse(response.body).results[0]!.label).toBe('card_arrival');
      expect(simulator.calls.filter((call) => call.status === 429)).toEqual([]);
      expect(simulator.served()).toHaveLength(31);
    } finally {
      await bff.close();
    }
  });

  test('without the limits configured, the provider 429s with Retry-After, the calls wait it out and every row is answered', async () => {
    simulator = await startLlmSimulator({
      timeToFirstTokenMilliseconds: 5,
      tokensPerSecond: 5000,
      concurrencyLimit: 8,
      requestsPerMinute: 600,
      tokensPerMinute: 10_000_000,
      // A server that states no limits (vLLM, Ollama): only the 429s and their Retry-After tell.
      rateLimitHeaders: false,
    });
    const bff = await startBff(openAiCompatibleEnvironment(simulator.baseUrl, { LLM_MODEL: 'gpt-4o-mini', LLM_MAX_CONCURRENCY: '8', LLM_MAX_RETRIES: '10' }));
    try {
      const responses = await Promise.all(
        Array.from({ length: 30 }, (_, index) => postJson(`${bff.url}/api/v1/classify`, { items: [`card arrival ${index}`], labels })),
      );
      for (const response of responses) expect(classifyResponseSchema.parse(response.body).results[0]!.label).toBe('card_arrival');
      const rejected = simulator.calls.filter((call) => call.status === 429);
      expect(rejected.length).toBeGreaterThan(0);
      expect(rejected.every((call) => call.limit === 'requests')).toBe(true);
      expect(simulator.served()).toHaveLength(30);
    } finally {
      await bff.close();
    }
  });
});
