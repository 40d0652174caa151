// Operations: /livez and /readyz as Kubernetes expects (public; readiness names the failing parts:
// provider, Redis, job store, shutdown), and graceful shutdown of a real BFF process: on SIGTERM a
// stream in flight finishes, a new connection is refused (or answered 503), and the process exits 0.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { createParser, type EventSourceMessage } from 'eventsource-parser';
import Fastify from 'fastify';
import { startEntraStandIn, type EntraStandIn } from '../browser/support/entra-test-tokens.js';
import { registerProbeRoutes } from '../../src/server/http/probe-routes.js';
import type { LanguageModel } from '../../src/server/providers/language-model.js';
import { openAiCompatibleEnvironment, startBff } from '../support/bff.js';
import { startFakeOpenAiServer, type FakeOpenAiServer } from '../support/fake-openai-server.js';
import { startLlmSimulator, type LlmSimulator } from '../support/llm-simulator.js';
import { temporaryFolder } from '../support/temporary-folder.js';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function getJson(url: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(url);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('probes', () => {
  let fake: FakeOpenAiServer;
  let entra: EntraStandIn;
  beforeAll(async () => {
    fake = await startFakeOpenAiServer();
    entra = await startEntraStandIn();
  });
  afterAll(async () => {
    await fake.close();
    await entra.close();
  });

  test('/livez and /readyz answer without a caller when sign-in is on, and readiness lists the parts it checked', async () => {
    const bff = await startBff(openAiCompatibleEnvironment(fake.baseUrl, entra.environment));
    try {
      // The operations need a caller here; the probes do not.
      expect((await fetch(`${bff.url}/api/v1/jobs/anything`)).status).toBe(401);
      expect(await getJson(`${bff.url}/livez`)).toEqual({ status: 200, body: { status: 'ok' } });
      const ready = await getJson(`${bff.url}/readyz`);
      expect(ready).toEqual({ status: 200, body: { ready: true, checks: { provider: { ok: true }, jobStore: { ok: true } } } });
      const document = (await getJson(`${bff.url}/api/v1/openapi.json`)).body as { paths: Record<string, { get?: { operationId?: string } }> };
      expect(document.paths['/livez']?.get?.operationId).toBe('liveness');
      expect(document.paths['/readyz']?.get?.operationId).toBe('readiness');
    } finally {
      await bff.close();
    }
  });

  test('a provider that cannot be reached makes /readyz 503 with the reason; /livez stays 200', async () => {
    const bff = await startBff(openAiCompatibleEnvironment(`http://127.0.0.1:${await freePort()}/v1`));
    try {
      const unreachable = await getJson(`${bff.url}/readyz`);
      expect(unreachable.status).toBe(503);
      expect(unreachable.body).toMatchObject({
        ready: false,
        checks: { provider: { ok: false, reason: expect.stringMatching(/cannot be reached/u) }, jobStore: { ok: true } },
      });
      expect((await getJson(`${bff.url}/livez`)).status).toBe(200);
    } finally {
      await bff.close();
    }
  });

  test('a Redis that does not answer, and a shutdown that began, make /readyz 503 with each part named', async () => {
    const app = Fastify();
    const readyModel = { provider: 'openai', modelId: 'm', status: () => ({ ready: true, state: 'ok' }) } as unknown as LanguageModel;
    const probes = registerProbeRoutes(app, { model: readyModel, redisUrl: `redis://127.0.0.1:${await freePort()}`, checkTimeoutMilliseconds: 1000 });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    try {
      const redisDown = await fetch(`${url}/readyz`);
      expect(redisDown.status).toBe(503);
      expect(redisDown.headers.get('retry-after')).toBe('5');
      expect(await redisDown.json()).toMatchObject({ ready: false, checks: { provider: { ok: true }, redis: { ok: false, reason: expect.any(String) } } });
      probes.beginShutdown();
      expect((await getJson(`${url}/readyz`)).body).toMatchObject({ ready: false, checks: { shutdown: { ok: false } } });
      expect((await getJson(`${url}/livez`)).status).toBe(200);
    } finally {
      await app.close();
    }
  });
});

describe('graceful shutdown of a real BFF process', () => {
  let simulator: LlmSimulator;
  let child: ChildProcess | undefined;
  beforeAll(async () => {
    // About 2.5 s of streamed summary (long enough to send SIGTERM while it runs), and about 20 s for a text marked LONG (longer than the grace).
    simulator = await startLlmSimulator({
      timeToFirstTokenMilliseconds: 0,
      tokensPerSecond: 40,
      concurrencyLimit: 8,
      requestsPerMinute: 10_000,
      tokensPerMinute: 10_000_000,
      answer: (body) => Array.from({ length: JSON.stringify(body.messages).includes('LONG') ? 400 : 50 }, (_, index) => `point${index}`).join(' '),
    });
  });
  afterAll(async () => {
    if (child?.exitCode === null) child.kill('SIGKILL');
    await simulator.close();
  });

  test('on SIGTERM a stream in flight finishes, one longer than the grace is cut, a new connection is refused or gets 503, and the process exits 0', async () => {
    const home = temporaryFolder('shutdown-home');
    const port = await freePort();
    child = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts'], {
      cwd: process.cwd(),
      env: {
        PATH: process.env['PATH'] ?? '',
        HOME: home,
        PORT: String(port),
        HOST: '127.0.0.1',
        ...openAiCompatibleEnvironment(simulator.baseUrl),
        CACHE: 'off',
        STATIC_DIR: '/nonexistent',
        BUDGET_PATH: path.join(home, 'budgets.sqlite'),
        JOB_STORE_PATH: path.join(home, 'jobs.sqlite'),
        SHUTDOWN_GRACE_MS: '6000',
        LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let logs = '';
    child.stdout?.on('data', (chunk: Buffer) => (logs += chunk.toString('utf8')));
    child.stderr?.on('data', (chunk: Buffer) => (logs += chunk.toString('utf8')));
    const exited = new Promise<number | null>((resolve) => child?.on('exit', (code) => resolve(code)));
    const url = `http://127.0.0.1:${port}`;
    for (const deadline = Date.now() + 90_000; ;) {
      // /livez: the simulator has no GET /models, so the provider's readiness stays unknown to /readyz here.
      const ready = await fetch(`${url}/livez`).then(
        (response) => response.status === 200,
        () => false,
      );
      if (ready) break;
      if (Date.now() > deadline) throw new Error(`the BFF did not start:\n${logs.slice(-3000)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }

    // Two streamed summaries; SIGTERM once the first text of each has arrived.
    const short = await openStream(`${url}/api/v1/summarize`, { text: 'A text to summarise. '.repeat(20) });
    const long = await openStream(`${url}/api/v1/summarize`, { text: 'A LONG text to summarise. '.repeat(20) });
    await Promise.all([short.firstText, long.firstText]);
    child.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 200));

    const late = await fetch(`${url}/livez`).then(
      (response) => response.status,
      (error: unknown) => ((error as { cause?: { code?: string } }).cause?.code ?? 'failed') as string | number,
    );
    expect([503, 'ECONNREFUSED']).toContain(late);

    await Promise.all([short.ended, long.ended]);
    expect(short.events.find((event) => event.event === 'done')?.data).toMatchObject({ summary: expect.stringContaining('point49') });
    // The long one was cut when the grace ran out: the process did not wait for it.
    expect(long.events.some((event) => event.event === 'text-delta')).toBe(true);
    expect(long.events.some((event) => event.event === 'done')).toBe(false);
    expect(await exited).toBe(0);
    expect(logs).toContain('the grace period is over');
    expect(logs).toContain('shutting down');
  }, 150_000);
});

/** A streamed request read as it arrives: its events so far, when the first text came, and when it ended (or was cut). */
async function openStream(url: string, body: unknown) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
    body: JSON.stringify(body),
  });
  expect(response.status).toBe(200);
  const events: { event: string; data: unknown }[] = [];
  let sawText: () => void = () => undefined;
  const firstText = new Promise<void>((resolve) => (sawText = resolve));
  const parser = createParser({
    onEvent: (message: EventSourceMessage) => {
      events.push({ event: message.event ?? 'message', data: JSON.parse(message.data) });
      if (message.event === 'text-delta') sawText();
    },
  });
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  const ended = (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        parser.feed(decoder.decode(value, { stream: true }));
      }
    } catch {
      // Cut by the server: what arrived is in events.
    }
  })();
  return { events, firstText, ended };
}
