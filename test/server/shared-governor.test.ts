// One provider budget for every instance: two real BFFs on one real redis-server drive one
// rate-limited provider. Together they stay inside its requests and tokens per minute; with the
// shared budget off, each paces alone at the full limit and together they meet 429s.
import { spawn } from 'node:child_process';
import { classifyResponseSchema } from '../../src/contract/schemas.js';
import { SharedRateBudgets, type SharedBudgetState } from '../../src/server/resilience/shared-rate-budget.js';
import { openAiCompatibleEnvironment, startBff, type RunningBff } from '../support/bff.js';
import { postJson } from '../support/http-client.js';
import { startLlmSimulator, type LlmSimulator, type SimulatorSettings } from '../support/llm-simulator.js';
import { freePort, startRedisServer, type RunningRedis } from '../support/redis-server.js';

const labels = ['card_arrival', 'lost_or_stolen_card'];
// 10 requests and about 10 one-item classifications' tokens a second, each enforced over one second.
const provider: SimulatorSettings = {
  timeToFirstTokenMilliseconds: 5,
  tokensPerSecond: 5000,
  concurrencyLimit: 64,
  requestsPerMinute: 600,
  tokensPerMinute: 150_000,
};

let redis: RunningRedis;
let simulator: LlmSimulator | undefined;
const instances: RunningBff[] = [];

beforeAll(async () => {
  redis = await startRedisServer();
});
afterAll(async () => {
  await redis.stop();
});
afterEach(async () => {
  await Promise.all(instances.splice(0).map((instance) => instance.close()));
  await simulator?.close();
  simulator = undefined;
});

async function startInstances(count: number, environment: Record<string, string>): Promise<RunningBff[]> {
  for (let index = 0; index < count; index += 1) {
    // CACHE off: every item must reach the provider; no per-user limit in the way of the burst.
    instances.push(
      await startBff(openAiCompatibleEnvironment(simulator!.baseUrl, { LLM_MODEL: 'gpt-4o-mini', CACHE: 'off', RATE_LIMIT_PER_MINUTE: '0', ...environment })),
    );
  }
  return instances;
}

/** `perInstance` one-item classifications sent at once to each instance; every answer must be right. */
async function burst(targets: RunningBff[], perInstance: number, tag: string): Promise<void> {
  const responses = await Promise.all(
    targets.flatMap((target, instance) =>
      Array.from({ length: perInstance }, (_, index) =>
        postJson(`${target.url}/api/v1/classify`, { items: [`lost card ${tag} ${instance}-${index}`], labels }),
      ),
    ),
  );
  for (const response of responses) expect(classifyResponseSchema.parse(response.body).results[0]!.label).toBe('lost_or_stolen_card');
}

/** The most requests and charged tokens the provider admitted in any one second. */
function busiestSecond(calls: LlmSimulator['calls']): { requests: number; tokens: number } {
  const served = calls.filter((call) => call.status === 200);
  let requests = 0;
  let tokens = 0;
  for (const call of served) {
    const window = served.filter((other) => other.receivedAt >= call.receivedAt && other.receivedAt < call.receivedAt + 1000);
    requests = Math.max(requests, window.length);
    tokens = Math.max(
      tokens,
      window.reduce((total, other) => total + other.chargedTokens, 0),
    );
  }
  return { requests, tokens };
}

describe('the provider budget shared in Redis', () => {
  // A fifth under the provider's: two BFFs, the simulator and the test share one event loop here, and on
  // a loaded machine a call reaches the simulator up to a few hundred milliseconds after the governor let
  // it go, more for some calls than for others, which squeezes a paced second together. Alone, each
  // instance still spends 4/5 of the limit, so together they would spend 8/5 of it.
  const limits = { LLM_RPM: '480', LLM_TPM: '120000', LLM_MAX_RETRIES: '10' };

  test('two instances with the same LLM_RPM and LLM_TPM stay inside them together: no 429', async () => {
    simulator = await startLlmSimulator({ ...provider, rateLimitHeaders: false });
    const targets = await startInstances(2, { ...limits, REDIS_URL: redis.url });
    // A warm connection first: a process's first call reaches the provider a few hundred milliseconds late
    // on a loaded machine, which squeezes the calls after it together (see the governor's synchronisation).
    await burst(targets, 1, 'warm');
    await burst(targets, 15, 'shared');
    expect(simulator.calls.filter((call) => call.status === 429)).toEqual([]);
    expect(simulator.served()).toHaveLength(32);
    // One second's burst plus one second's refill, at most: what the provider's own buckets allow.
    const busiest = busiestSecond(simulator.calls);
    expect(busiest.requests).toBeLessThanOrEqual(20);
    expect(busiest.tokens).toBeLessThanOrEqual(5000);
  });

  test('with LLM_SHARED_BUDGET=off each instance spends the whole budget and together they meet 429s', async () => {
    simulator = await startLlmSimulator({ ...provider, rateLimitHeaders: false });
    const targets = await startInstances(2, { ...limits, REDIS_URL: redis.url, LLM_SHARED_BUDGET: 'off' });
    await burst(targets, 1, 'warm');
    await burst(targets, 15, 'alone');
    expect(simulator.calls.filter((call) => call.status === 429).length).toBeGreaterThan(0);
    expect(simulator.served()).toHaveLength(32);
  });

  test('told nothing, the limits one instance reads in the headers pace both', async () => {
    // Two seconds' burst at the provider, one in the governor: the margin absorbs the event loop's lag here
    // (see above); alone, each instance would still spend the whole rate, and together they drain the burst.
    simulator = await startLlmSimulator({ ...provider, burstSeconds: 2 });
    const targets = await startInstances(2, { REDIS_URL: redis.url, LLM_MAX_RETRIES: '10' });
    // Each learns the limits from its first answer.
    await burst(targets, 1, 'first');
    await burst(targets, 30, 'told-nothing');
    expect(simulator.calls.filter((call) => call.status === 429)).toEqual([]);
    expect(simulator.served()).toHaveLength(62);
  });

  test('Redis unreachable: each instance paces alone, says so in its log and on /metrics, and serves', async () => {
    simulator = await startLlmSimulator({ ...provider, rateLimitHeaders: false });
    const [target] = await startInstances(1, { ...limits, REDIS_URL: `redis://127.0.0.1:${await freePort()}`, LOG_LEVEL: 'info' });
    await burst([target!], 5, 'no-redis');
    expect(simulator.served()).toHaveLength(5);
    expect(target!.logs.some((line) => line.includes('each instance paces the provider'))).toBe(true);
    const metrics = await fetch(`${target!.url}/metrics`).then((response) => response.text());
    expect(metrics).toMatch(/^llm_governor_shared_budget 0$/m);
    expect(metrics).toMatch(/^llm_governor_requests_per_minute 480$/m);
  });
});

describe('SharedRateBudgets', () => {
  test('two instances draw on one bucket: ten requests from a five-a-second bucket of five take about a second between them', async () => {
    const scope = `unit-${Date.now()}`;
    const first = new SharedRateBudgets({ redisUrl: redis.url, scope });
    const second = new SharedRateBudgets({ redisUrl: redis.url, scope });
    try {
      const budgets = [first.create('requests', 300, 5, 5), second.create('requests', 300, 5, 5)];
      await Promise.all([first, second].map((source) => waitUntil(() => source.state() === 'ok')));
      const started = Date.now();
      await Promise.all(Array.from({ length: 10 }, (_, index) => budgets[index % 2]!.take(1, undefined)));
      // Five at once, five more at 200 ms each; each instance alone would have taken its five at once.
      expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    } finally {
      await first.close();
      await second.close();
    }
  });

  test('Redis goes away: the bucket counts in this instance and says so; Redis is back: the shared bucket again', async () => {
    const port = await freePort();
    let server = spawnRedis(port);
    const states: SharedBudgetState[] = [];
    const source = new SharedRateBudgets({ redisUrl: `redis://127.0.0.1:${port}`, scope: 'recovery', onStateChange: (state) => states.push(state) });
    try {
      const budget = source.create('tokens', 600_000, 10_000, 10_000);
      await waitUntil(async () => {
        await budget.take(1, undefined);
        return source.state() === 'ok';
      });
      // redis-server may not have been listening yet when the client first tried: only what follows counts.
      states.length = 0;
      await stopRedis(server);
      await budget.take(1, undefined);
      expect(source.state()).toBe('degraded');
      server = spawnRedis(port);
      await waitUntil(async () => {
        await budget.take(1, undefined);
        return source.state() === 'ok';
      });
      expect(states).toEqual(['degraded', 'ok']);
    } finally {
      await source.close();
      await stopRedis(server);
    }
  });
});

function spawnRedis(port: number) {
  return spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
}

async function stopRedis(server: ReturnType<typeof spawnRedis>): Promise<void> {
  if (server.exitCode !== null || server.signalCode !== null) return;
  const exited = new Promise((resolve) => server.once('exit', resolve));
  server.kill('SIGTERM');
  await exited;
}

async function waitUntil(condition: () => boolean | Promise<boolean>, timeoutMilliseconds = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMilliseconds;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('the condition did not hold in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
