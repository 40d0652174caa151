// /healthz tells the truth about a remote provider: it asks it (GET /models through the real openai
// SDK) instead of answering "ready" for an address nothing listens on or a key that is refused. The
// probe is cached, never runs twice at once, gives up after a short timeout and never delays
// operations. The provider here is a tiny real HTTP server on loopback.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { healthResponseSchema, type HealthResponse } from '../../../src/contract/schemas.js';
import { buildApp } from '../../../src/server/app.js';
import { loadConfig } from '../../../src/server/config.js';
import { OpenAiLanguageModel } from '../../../src/server/providers/openai/openai-provider.js';
import { resilientFromConfig } from '../../../src/server/resilience/resilient-language-model.js';
import { openAiCompatibleEnvironment, startBff } from '../../support/bff.js';
import { postJson } from '../../support/http-client.js';
import { temporaryFolder } from '../../support/temporary-folder.js';

type ModelsReply = { status: number; delayMilliseconds?: number } | 'hang';

interface TinyProvider {
  baseUrl: string;
  /** Headers of every GET /models, in order. */
  modelListRequests: IncomingHttpHeaders[];
  modelsReply: ModelsReply;
  close(): Promise<void>;
}

/** Answers GET /v1/models as told and every chat completion with a short plain answer. */
async function startTinyProvider(modelsReply: ModelsReply): Promise<TinyProvider> {
  const provider: Omit<TinyProvider, 'baseUrl' | 'close'> = { modelListRequests: [], modelsReply };
  const server: Server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      const send = (status: number, body: unknown) => {
        response.writeHead(status, { 'content-type': 'application/json' });
        response.end(JSON.stringify(body));
      };
      if (request.method === 'GET' && request.url === '/v1/models') {
        provider.modelListRequests.push(request.headers);
        const reply = provider.modelsReply;
        if (reply === 'hang') return;
        const answer = () =>
          reply.status === 200
            ? send(200, { object: 'list', data: [{ id: 'tiny-model', object: 'model', created: 0, owned_by: 'test' }] })
            : send(reply.status, { error: { message: `HTTP ${reply.status}`, type: 'test_error', code: null } });
        if (reply.delayMilliseconds === undefined) answer();
        else setTimeout(answer, reply.delayMilliseconds);
        return;
      }
      if (request.method === 'POST' && request.url === '/v1/chat/completions') {
        send(200, {
          id: 'chatcmpl-tiny',
          object: 'chat.completion',
          created: 0,
          model: 'tiny-model',
          choices: [{ index: 0, message: { role: 'assistant', content: 'A short summary.' }, finish_reason: 'stop' }],
          usage: { prompt_tokens: 10, completion_tokens: 4, total_tokens: 14 },
        });
        return;
      }
      send(404, { error: { message: 'no such route', type: 'test_error', code: null } });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(provider, {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  });
}

/** The real BFF over the real openai provider, with the probe's timing made short for tests. */
async function startBffWithProbe(
  baseUrl: string,
  probe: { timeoutMilliseconds: number; cacheMilliseconds: number },
): Promise<{ url: string; app: FastifyInstance }> {
  const config = loadConfig({
    ...openAiCompatibleEnvironment(baseUrl, { LLM_MODEL: 'tiny-model' }),
    CACHE: 'off',
    STATIC_DIR: '/nonexistent',
    BUDGET_PATH: path.join(temporaryFolder('readiness'), 'budgets.sqlite'),
  });
  if (config.provider.kind !== 'openai') throw new Error('expected the openai provider');
  const provider = new OpenAiLanguageModel(config.provider, {
    timeoutMilliseconds: config.upstream.timeoutMilliseconds,
    structuredOutput: config.upstream.structuredOutput,
    readinessTimeoutMilliseconds: probe.timeoutMilliseconds,
    readinessCacheMilliseconds: probe.cacheMilliseconds,
  });
  const app = await buildApp({ config, model: resilientFromConfig(provider, config.upstream), logger: pino({ level: 'silent' }) });
  await app.listen({ port: 0, host: '127.0.0.1' });
  return { url: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`, app };
}

async function health(url: string): Promise<{ status: number; body: HealthResponse }> {
  const response = await fetch(`${url}/healthz`);
  return { status: response.status, body: healthResponseSchema.parse(await response.json()) };
}

const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

async function scenario(modelsReply: ModelsReply, probe = { timeoutMilliseconds: 2000, cacheMilliseconds: 30_000 }) {
  const provider = await startTinyProvider(modelsReply);
  closers.push(() => provider.close());
  const bff = await startBffWithProbe(provider.baseUrl, probe);
  closers.push(() => bff.app.close());
  return { provider, bff };
}

test('a provider that answers and takes the key: ready, after one GET /models with the key', async () => {
  const { provider, bff } = await scenario({ status: 200 });
  expect(await health(bff.url)).toEqual({ status: 200, body: { status: 'ok', provider: 'openai-compatible', model: 'tiny-model', ready: true } });
  expect(provider.modelListRequests).toHaveLength(1);
  expect(provider.modelListRequests[0]?.authorization).toBe('Bearer test-key');
});

test('a server without a model list (404) is up all the same', async () => {
  const { bff } = await scenario({ status: 404 });
  expect((await health(bff.url)).body).toMatchObject({ status: 'ok', ready: true });
});

test.each([401, 403])('HTTP %i: not ready, "the key was refused" and which variable to fix', async (status) => {
  const { bff } = await scenario({ status });
  const { status: httpStatus, body } = await health(bff.url);
  expect(httpStatus).toBe(503);
  expect(body).toMatchObject({ status: 'unavailable', ready: false });
  expect(body.reason).toBe(`The LLM provider at OPENAI_BASE_URL refused the key (HTTP ${status}): set OPENAI_API_KEY to a key that server accepts.`);
});

test('a provider that answers 5xx is up but not ready', async () => {
  const { bff } = await scenario({ status: 503 });
  const { status, body } = await health(bff.url);
  expect(status).toBe(503);
  expect(body.reason).toMatch(/^The LLM provider at OPENAI_BASE_URL answers but fails \(HTTP 503\): check its logs/);
});

test("nothing listens at OPENAI_BASE_URL: not ready, with what to do (the product's own wiring)", async () => {
  // A port that was free a moment ago: connections to it are refused.
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const { port } = closed.address() as AddressInfo;
  await new Promise((resolve) => closed.close(resolve));

  const bff = await startBff(openAiCompatibleEnvironment(`http://127.0.0.1:${port}/v1`));
  closers.push(() => bff.close());
  const { status, body } = await health(bff.url);
  expect(status).toBe(503);
  expect(body).toEqual({
    status: 'unavailable',
    provider: 'openai-compatible',
    model: 'fake-model',
    ready: false,
    reason: 'The LLM provider at OPENAI_BASE_URL cannot be reached: check that it is running and that OPENAI_BASE_URL is its address as seen from this server.',
  });
  // The reason is for the administrator; the provider's address itself stays off this public route.
  expect(JSON.stringify(body)).not.toContain(String(port));
});

test("a provider that never answers: not ready once the probe's short timeout passes", async () => {
  const { bff } = await scenario('hang', { timeoutMilliseconds: 300, cacheMilliseconds: 30_000 });
  const started = Date.now();
  const { status, body } = await health(bff.url);
  expect(status).toBe(503);
  expect(body.reason).toMatch(/^The LLM provider at OPENAI_BASE_URL did not answer within 0\.3 seconds: check that it is running/);
  expect(Date.now() - started).toBeLessThan(5000);
});

test('probes are cached and never run twice at once', async () => {
  const { provider, bff } = await scenario({ status: 200, delayMilliseconds: 200 }, { timeoutMilliseconds: 2000, cacheMilliseconds: 600 });
  const concurrent = await Promise.all(Array.from({ length: 5 }, () => health(bff.url)));
  expect(concurrent.map((answer) => answer.status)).toEqual([200, 200, 200, 200, 200]);
  expect(provider.modelListRequests).toHaveLength(1);

  expect((await health(bff.url)).status).toBe(200);
  expect(provider.modelListRequests).toHaveLength(1);

  // Once the answer is older than the cache time, the provider is asked again, and its new state shows.
  provider.modelsReply = { status: 401 };
  await new Promise((resolve) => setTimeout(resolve, 700));
  expect((await health(bff.url)).status).toBe(503);
  expect(provider.modelListRequests).toHaveLength(2);
});

test('operations do not wait for a probe', async () => {
  const { provider, bff } = await scenario('hang', { timeoutMilliseconds: 3000, cacheMilliseconds: 30_000 });
  const finished: string[] = [];
  const healthAnswer = health(bff.url).then((answer) => {
    finished.push('health');
    return answer;
  });
  // The probe is underway (and hanging) before the operation starts.
  while (provider.modelListRequests.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));

  const started = Date.now();
  const summary = await postJson(`${bff.url}/api/v1/summarize`, { text: 'Please summarise this short note about the quarterly report.' });
  finished.push('summarize');
  expect(summary.status).toBe(200);
  expect(Date.now() - started).toBeLessThan(2000);

  expect((await healthAnswer).status).toBe(503);
  expect(finished).toEqual(['summarize', 'health']);
});
