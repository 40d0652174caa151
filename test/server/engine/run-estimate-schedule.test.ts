// The run estimate's clock: the latency fit learnt from answers (upstream-pace.ts) and the replay of the
// governor's schedule (run-estimate.ts: concurrency slots, a second's burst, then the per-minute rate).
import { estimateRun, scheduleSeconds, type PlannedRequest, type ProviderPace } from '../../../src/server/engine/run-estimate.js';
import { UpstreamPace } from '../../../src/server/resilience/upstream-pace.js';

const requests = (count: number, request: PlannedRequest): PlannedRequest[] => Array.from({ length: count }, () => request);
const pace = (overrides: Partial<ProviderPace>): ProviderPace => ({ concurrency: 16, source: 'default', requestSeconds: () => 10, ...overrides });

describe('upstream pace', () => {
  it('fits a fixed part and a per-token part from answers of different sizes', () => {
    const measured = new UpstreamPace();
    expect(measured.requestSeconds(100)).toBeUndefined();
    for (const tokens of [100, 400, 800, 150, 600]) measured.observe(0.4 + tokens / 80, tokens);
    expect(measured.requestSeconds(1_000)).toBeCloseTo(0.4 + 1_000 / 80, 5);
    expect(measured.snapshot().samples).toBe(5);
  });

  it('uses the mean latency while the answers are all of one size', () => {
    const measured = new UpstreamPace();
    for (const seconds of [1, 2, 3]) measured.observe(seconds, 200);
    expect(measured.requestSeconds(5_000)).toBeCloseTo(2, 5);
  });
});

describe('schedule', () => {
  const request = { promptTokens: 4_000, maxOutputTokens: 1_000, completionTokens: 800 };

  it('runs in waves of the concurrency when no limit binds', () => {
    expect(scheduleSeconds(requests(32, request), pace({}))).toBeCloseTo(20, 5);
    expect(scheduleSeconds(requests(33, request), pace({}))).toBeCloseTo(30, 5);
    expect(scheduleSeconds([], pace({}))).toBe(0);
  });

  it('waits for the tokens-per-minute bucket when it binds: the last start after the burst is spent, plus one request', () => {
    // 600,000 TPM at 97%: 9,700 tokens a second after a one-second burst of as many; 10 requests of 5,000 charged tokens.
    const rate = (600_000 * 0.97) / 60;
    expect(scheduleSeconds(requests(10, request), pace({ tokensPerMinute: 600_000 }))).toBeCloseTo((10 * 5_000 - rate) / rate + 10, 1);
  });

  it('lets a request larger than the burst wait for a full bucket only, as the governor does', () => {
    // 60,000 TPM: a 970-token burst, refilled in one second; each 5,000-token request takes the whole bucket.
    expect(scheduleSeconds(requests(10, request), pace({ tokensPerMinute: 60_000 }))).toBeCloseTo(9 + 10, 1);
  });

  it('prices the tokens and sums the plan', () => {
    const estimate = estimateRun(
      { items: 100, distinctItems: 80, cachedItems: 10, itemsToSend: 70, requests: requests(2, request) },
      pace({ requestsPerMinute: 600 }),
      'gpt-4o-mini',
      { input: 0.15, output: 0.6, currency: 'USD' },
    );
    expect(estimate).toMatchObject({ items: 100, itemsToSend: 70, requests: 2, promptTokens: 8_000, completionTokens: 1_600 });
    expect(estimate.cost).toEqual({ amount: 0.0022, currency: 'USD', model: 'gpt-4o-mini' });
    expect(estimate.pace).toEqual({ requestsPerMinute: 600, concurrency: 16, source: 'default' });
  });
});
