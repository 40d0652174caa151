// The embedded provider against a real llama.cpp model (../shared/models/stories260K.gguf): loading,
// streaming, grammar-constrained classification, abort, and the first-run download with progress
// from a loopback server. The model writes children's stories and cannot really classify: what is
// tested is the machinery (only allowed labels can come out), not the quality.
import { createReadStream, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { Writable } from 'node:stream';
import { classifyResponseSchema, summarizeResponseSchema } from '../../src/contract/schemas.js';
import type { LocalSettings } from '../../src/server/config.js';
import { AppError } from '../../src/server/errors.js';
import { LocalLanguageModel } from '../../src/server/providers/local/local-provider.js';
import { startBff, type RunningBff } from '../support/bff.js';
import { postJson, postStream } from '../support/http-client.js';

const modelPath = path.resolve(process.env['TEST_GGUF_MODEL'] ?? '../shared/models/stories260K.gguf');

function settings(overrides: Partial<LocalSettings> = {}): LocalSettings {
  return {
    kind: 'local',
    model: modelPath,
    cacheDirectory: os.tmpdir(),
    threads: 1,
    contextSize: 2048,
    parallelSequences: 1,
    gpu: false,
    downloadStallMilliseconds: 30_000,
    ...overrides,
  };
}

function memoryLogger() {
  const lines: string[] = [];
  const logger = pino(
    { level: 'debug' },
    new Writable({
      write: (chunk: Buffer, _encoding, callback) => {
        lines.push(chunk.toString());
        callback();
      },
    }),
  );
  return { logger, lines };
}

async function waitUntilSettled(model: LocalLanguageModel, timeoutMilliseconds = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMilliseconds;
  while (model.status().state === 'starting') {
    if (Date.now() > deadline) throw new Error('the local model did not settle in time');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('local provider (node-llama-cpp) through the BFF', () => {
  let bff: RunningBff;
  const labels = ['happy story', 'sad story', 'dog', '猫 (cat)', 'مرحبا'];

  beforeAll(async () => {
    bff = await startBff({ LLM_PROVIDER: 'local', LOCAL_MODEL: modelPath, LOCAL_MODEL_THREADS: '1', LOCAL_MODEL_CONTEXT_SIZE: '2048' });
  });
  afterAll(async () => {
    await bff.close();
  });

  test('loads the model and reports ready in /healthz', async () => {
    let body: { ready: boolean; provider: string; model: string } = { ready: false, provider: '', model: '' };
    for (let attempt = 0; attempt < 200 && !body.ready; attempt += 1) {
      body = (await (await fetch(`${bff.url}/healthz`)).json()) as typeof body;
      if (!body.ready) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(body).toMatchObject({ ready: true, provider: 'local', model: 'stories260K.gguf' });
  });

  test('streams a summary as text-delta events, then done', async () => {
    const { events } = await postStream(`${bff.url}/api/v1/summarize`, {
      text: 'Once upon a time there was a little dog who loved the park.',
      length: 'short',
    });
    const deltas = events.filter((event) => event.event === 'text-delta');
    expect(deltas.length).toBeGreaterThan(0);
    expect(events.at(-1)!.event).toBe('done');
    const done = summarizeResponseSchema.parse(events.at(-1)!.data);
    expect(done.summary.length).toBeGreaterThan(0);
    expect(done.usage.completionTokens).toBeGreaterThan(0);
    expect(done.usage.promptTokens).toBeGreaterThan(0);
  });

  test('grammar-constrained classification returns only allowed labels, one per item, in order', async () => {
    const items = [
      'The dog ran to the park.',
      'Lily cried.',
      'A cat sat on the mat.',
      'Tom was happy.',
      'مرحبا بالعالم',
      'The sun was hot.',
      'Ben had a ball.',
      'The bird sang.',
      'Mia lost her toy.',
      'They played all day.',
    ];
    const response = await postJson(`${bff.url}/api/v1/classify`, { items, labels });
    expect(response.status).toBe(200);
    const body = classifyResponseSchema.parse(response.body);
    expect(body.results).toHaveLength(items.length);
    for (const result of body.results) {
      expect(result.error).toBeUndefined();
      expect(labels).toContain(result.label);
    }
    // Small local models get one item per request.
    expect(body.usage.requests).toBe(items.length);
  });
});

describe('local provider (node-llama-cpp) directly', () => {
  test('abort stops generation midway and frees the sequence for the next request', async () => {
    const { logger } = memoryLogger();
    const model = new LocalLanguageModel(settings(), logger);
    try {
      await waitUntilSettled(model);
      const controller = new AbortController();
      const received: string[] = [];
      const run = (async () => {
        for await (const part of model.stream({
          messages: [{ role: 'user', content: 'Once upon a time' }],
          maxOutputTokens: 1500,
          signal: controller.signal,
        })) {
          if (part.type === 'text-delta') {
            received.push(part.text);
            if (received.length === 3) controller.abort();
          }
        }
      })();
      await expect(run).rejects.toMatchObject({ code: 'CANCELLED' });
      expect(received.length).toBeGreaterThanOrEqual(3);
      expect(received.length).toBeLessThan(50);
      // The one sequence is free again: a new request completes.
      const next = await model.generate({ messages: [{ role: 'user', content: 'The cat' }], maxOutputTokens: 8 });
      expect(next.usage.completionTokens).toBeGreaterThan(0);
      expect(next.usage.completionTokens).toBeLessThanOrEqual(8);
      expect(next.finishReason === 'length' || next.finishReason === 'stop').toBe(true);
    } finally {
      await model.close();
    }
  });

  test('an abort before the model is ready rejects with CANCELLED', async () => {
    const { logger } = memoryLogger();
    const model = new LocalLanguageModel(settings(), logger);
    try {
      const controller = new AbortController();
      controller.abort();
      await expect(model.generate({ messages: [{ role: 'user', content: 'Hi' }], signal: controller.signal })).rejects.toMatchObject({ code: 'CANCELLED' });
    } finally {
      await model.close();
    }
  });

  test('a missing model file: not ready, with a reason that says what to set', async () => {
    const { logger } = memoryLogger();
    const model = new LocalLanguageModel(settings({ model: '/nonexistent/model.gguf' }), logger);
    try {
      await waitUntilSettled(model);
      expect(model.status()).toMatchObject({ ready: false, state: 'unavailable' });
      expect(model.status().reason).toContain('LOCAL_MODEL');
      await expect(model.generate({ messages: [{ role: 'user', content: 'Hi' }] })).rejects.toBeInstanceOf(AppError);
    } finally {
      await model.close();
    }
  });
});

describe('first-run download of a model URI', () => {
  let server: Server;
  let url: string;
  const served: string[] = [];
  let cacheDirectory: string;

  beforeAll(async () => {
    cacheDirectory = mkdtempSync(path.join(os.tmpdir(), 'model-cache-'));
    const size = statSync(modelPath).size;
    server = createServer((request, response) => {
      served.push(`${request.method} ${request.url}`);
      if (request.url !== '/models/stories260K.gguf') {
        response.writeHead(404).end();
        return;
      }
      const range = /bytes=(\d+)-(\d*)/.exec(request.headers.range ?? '');
      if (range) {
        const start = Number(range[1]);
        const end = range[2] ? Number(range[2]) : size - 1;
        response.writeHead(206, {
          'content-type': 'application/octet-stream',
          'content-length': end - start + 1,
          'content-range': `bytes ${start}-${end}/${size}`,
          'accept-ranges': 'bytes',
        });
        if (request.method === 'HEAD') return void response.end();
        createReadStream(modelPath, { start, end }).pipe(response);
        return;
      }
      response.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': size, 'accept-ranges': 'bytes' });
      if (request.method === 'HEAD') return void response.end();
      createReadStream(modelPath).pipe(response);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/models/stories260K.gguf`;
  });
  afterAll(async () => {
    if (server.listening) await new Promise<void>((resolve) => server.close(() => resolve()));
    rmSync(cacheDirectory, { recursive: true, force: true });
  });

  test.each([
    ['the file is not there', () => url.replace('stories260K', 'missing')],
    ['nothing answers (no network)', () => url.replace('/models/', '/never/').replace(/:\d+\//, ':9/')],
  ])('a download that cannot happen (%s): the server still answers and says what to do', async (_case, modelUrl) => {
    const bff = await startBff({
      LLM_PROVIDER: 'local',
      LOCAL_MODEL: modelUrl(),
      LOCAL_MODEL_CACHE_DIR: cacheDirectory,
      LOCAL_MODEL_DOWNLOAD_STALL_MS: '1500',
    });
    try {
      let health = await fetch(`${bff.url}/healthz`);
      for (let attempt = 0; attempt < 300 && ((await health.clone().json()) as { status: string }).status === 'starting'; attempt += 1) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        health = await fetch(`${bff.url}/healthz`);
      }
      expect(health.status).toBe(503);
      const body = (await health.json()) as { ready: boolean; status: string; reason: string };
      expect(body).toMatchObject({ ready: false, status: 'unavailable' });
      expect(body.reason).toMatch(/LOCAL_MODEL=\/path\/to\/model\.gguf/);
      const response = await postJson(`${bff.url}/api/v1/summarize`, { text: 'Hello there, how are you?' });
      expect(response.status).toBe(503);
      expect(response.body).toMatchObject({ error: { code: 'PROVIDER_NOT_READY', retryable: false } });
    } finally {
      await bff.close();
    }
  });

  test('downloads once into the cache folder, reporting progress, then serves; a restart needs no network', async () => {
    const first = memoryLogger();
    const model = new LocalLanguageModel(settings({ model: url, cacheDirectory }), first.logger);
    try {
      await waitUntilSettled(model);
      expect(model.status()).toEqual({ ready: true, state: 'ok' });
    } finally {
      await model.close();
    }
    const downloaded = readdirSync(cacheDirectory).filter((name) => name.endsWith('.gguf'));
    expect(downloaded).toHaveLength(1);
    expect(statSync(path.join(cacheDirectory, downloaded[0]!)).size).toBe(statSync(modelPath).size);
    const progress = first.lines.map((line) => JSON.parse(line) as { msg: string; percent?: number }).filter((line) => line.msg === 'downloading local model');
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.at(-1)!.percent).toBe(100);
    const getsAfterFirstRun = served.filter((entry) => entry.startsWith('GET')).length;
    expect(getsAfterFirstRun).toBeGreaterThan(0);

    // The loopback server stops answering: the cached file must still serve.
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const second = memoryLogger();
    const again = new LocalLanguageModel(settings({ model: url, cacheDirectory }), second.logger);
    try {
      await waitUntilSettled(again);
      expect(again.status().ready).toBe(true);
    } finally {
      await again.close();
    }
    expect(served.filter((entry) => entry.startsWith('GET')).length).toBe(getsAfterFirstRun);
    expect(second.lines.some((line) => line.includes('downloading local model'))).toBe(false);
  });
});
