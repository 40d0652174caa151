// Redis faults are explicit. A real redis-server shares per-user rate limits and daily token budgets
// between two BFF instances; it is stopped mid-run (and started again on the same port). While it is
// away, the rate limit still holds per instance, budgets refuse new work with a retryable 503
// BUDGET_UNAVAILABLE, nothing answers 500, and the log says exactly that.
import { spawn, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { errorEnvelopeSchema } from '../../src/contract/schemas.js';
import { openAiCompatibleEnvironment, startBff, type RunningBff } from '../support/bff.js';
import { startFakeOpenAiServer, type FakeOpenAiServer } from '../support/fake-openai-server.js';
import { postJson } from '../support/http-client.js';
import { freePort } from '../support/redis-server.js';

let fake: FakeOpenAiServer;
beforeAll(async () => {
  fake = await startFakeOpenAiServer();
});
afterAll(async () => {
  await fake.close();
});

/** A redis-server on a fixed port, so it can come back where the BFF expects it. */
class RedisOnPort {
  private process: ChildProcess | undefined;
  constructor(readonly port: number) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    this.process = spawn('redis-server', ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    for (let attempt = 0; attempt < 100; attempt += 1) {
      if (await listening(this.port)) return;
      await sleep(50);
    }
    throw new Error(`redis-server did not listen on ${this.port}`);
  }

  async stop(): Promise<void> {
    const process = this.process;
    if (process === undefined || process.exitCode !== null) return;
    const exited = new Promise((resolve) => process.once('exit', resolve));
    process.kill('SIGTERM');
    await exited;
  }
}

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

function sleep(milliseconds: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, milliseconds));
}

// The result cache is off (it would use Redis too): every summary here goes to the provider.
const summarize = (bff: RunningBff) => postJson(`${bff.url}/api/v1/summarize`, { text: 'Summarise this short note about the quarterly figures, please.' });

/** Waits until the instance has noticed (a log line), so the test does not race the socket's close. */
async function waitForLog(bff: RunningBff, pattern: RegExp, from = 0): Promise<string> {
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const line = bff.logs.slice(from).find((entry) => pattern.test(entry));
    if (line !== undefined) return line;
    await sleep(50);
  }
  throw new Error(`no log line matching ${pattern}`);
}

describe('per-user rate limits when Redis goes away', () => {
  let redis: RedisOnPort;
  let first: RunningBff;
  let second: RunningBff;
  beforeAll(async () => {
    redis = new RedisOnPort(await freePort());
    await redis.start();
    const environment = openAiCompatibleEnvironment(fake.baseUrl, { REDIS_URL: redis.url, CACHE: 'off', RATE_LIMIT_PER_MINUTE: '3' });
    first = await startBff(environment);
    second = await startBff(environment);
  });
  afterAll(async () => {
    await first.close();
    await second.close();
    await redis.stop();
  });

  test('shared while Redis runs; per instance, for real, while it is down; shared again when it is back', async () => {
    // Shared: three requests in all, whichever instance answers.
    const shared = [await summarize(first), await summarize(second), await summarize(first), await summarize(second)];
    expect(shared.map((response) => response.status)).toEqual([200, 200, 200, 429]);

    const logsBefore = first.logs.length;
    await redis.stop();
    const line = await waitForLog(first, /Redis \(REDIS_URL\) is unreachable/, logsBefore);
    expect(line).toContain('per-user rate limits count on this instance only (each instance allows 3 requests a minute per user)');
    expect(line).not.toContain('budgets');

    // Down: this instance counts on its own, and still stops the fourth request.
    const alone = [await summarize(first), await summarize(first), await summarize(first), await summarize(first)];
    expect(alone.map((response) => response.status)).toEqual([200, 200, 200, 429]);
    const limited = alone[3];
    expect(errorEnvelopeSchema.parse(limited?.body).error).toMatchObject({
      code: 'RATE_LIMITED',
      retryable: true,
      message: expect.stringMatching(/at most 3 a minute/),
    });
    expect(Number(limited?.headers.get('retry-after'))).toBeGreaterThan(0);

    // Back: counted in Redis again, shared by both instances.
    await redis.start();
    await waitForLog(first, /Redis \(REDIS_URL\) is reachable again/, logsBefore);
    await waitForLog(second, /Redis \(REDIS_URL\) is reachable again/);
    expect((await summarize(second)).status).toBe(200);
    // The restarted Redis began empty: one so far this minute, then two more, then refused.
    expect([(await summarize(first)).status, (await summarize(second)).status, (await summarize(first)).status]).toEqual([200, 200, 429]);
  });
});

describe('daily token budgets when Redis goes away', () => {
  let redis: RedisOnPort;
  let bff: RunningBff;
  beforeAll(async () => {
    redis = new RedisOnPort(await freePort());
    await redis.start();
    bff = await startBff(
      openAiCompatibleEnvironment(fake.baseUrl, { REDIS_URL: redis.url, CACHE: 'off', RATE_LIMIT_PER_MINUTE: '0', DAILY_TOKEN_BUDGET: '100000' }),
    );
  });
  afterAll(async () => {
    await bff.close();
    await redis.stop();
  });

  test('new work is refused with a retryable 503 BUDGET_UNAVAILABLE, never a 500 and never unmetered; work in flight finishes', async () => {
    expect((await summarize(bff)).status).toBe(200);

    // A request in flight when Redis goes: its answer is not lost; its reservation stands as the charge.
    fake.requests.splice(0);
    fake.enqueue({ kind: 'model', delayMilliseconds: 400 });
    const inFlight = summarize(bff);
    while (fake.requests.length === 0) await sleep(10);
    const logsBefore = bff.logs.length;
    await redis.stop();
    expect((await inFlight).status).toBe(200);
    const line = await waitForLog(bff, /Redis \(REDIS_URL\) is unreachable/, logsBefore);
    expect(line).toContain('daily token budgets cannot be checked, so new work is refused with 503 BUDGET_UNAVAILABLE');
    await waitForLog(bff, /could not be settled/, logsBefore);

    fake.requests.splice(0);
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const refused = await summarize(bff);
      expect(refused.status).toBe(503);
      expect(errorEnvelopeSchema.parse(refused.body).error).toMatchObject({ code: 'BUDGET_UNAVAILABLE', retryable: true });
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    }
    expect(fake.requests).toHaveLength(0);
    expect(bff.logs.some((entry) => entry.includes('"statusCode":500') || entry.includes('INTERNAL_ERROR'))).toBe(false);

    await redis.start();
    await waitForLog(bff, /Redis \(REDIS_URL\) is reachable again/, logsBefore);
    expect((await summarize(bff)).status).toBe(200);
  });
});

test('a BFF whose Redis is unreachable at start serves anyway, says what that means, and keeps both promises', async () => {
  const port = await freePort();
  const bff = await startBff(
    openAiCompatibleEnvironment(fake.baseUrl, {
      REDIS_URL: `redis://127.0.0.1:${port}`,
      CACHE: 'off',
      RATE_LIMIT_PER_MINUTE: '2',
      DAILY_TOKEN_BUDGET: '100000',
    }),
  );
  try {
    const line = await waitForLog(bff, /Redis \(REDIS_URL\) is unreachable/);
    expect(line).toContain('per-user rate limits count on this instance only (each instance allows 2 requests a minute per user)');
    expect(line).toContain('daily token budgets cannot be checked, so new work is refused with 503 BUDGET_UNAVAILABLE');
    const statuses = [(await summarize(bff)).status, (await summarize(bff)).status, (await summarize(bff)).status];
    // The rate limit counts first (per instance), the budget then refuses what passes it.
    expect(statuses).toEqual([503, 503, 429]);
  } finally {
    await bff.close();
  }
});
