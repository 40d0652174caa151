// Starts the real BFF on a loopback port, configured from an environment object exactly as
// `npm run serve` is from process.env, and captures its logs for assertions.
import path from 'node:path';
import { Writable } from 'node:stream';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/server/app.js';
import { loadConfig, type Config } from '../../src/server/config.js';
import { createLanguageModel } from '../../src/server/providers/create-language-model.js';
import { resilientFromConfig } from '../../src/server/resilience/resilient-language-model.js';
import { startFakeOpenAiServer, type FakeOpenAiServer } from './fake-openai-server.js';
import { removeTemporaryFolder, temporaryFolder } from './temporary-folder.js';

export interface RunningBff {
  url: string;
  app: FastifyInstance;
  config: Config;
  /** Every log line the server wrote, as raw JSON text. */
  logs: string[];
  close(): Promise<void>;
}

export async function startBff(environment: Record<string, string | undefined>, options: { retryDelayMilliseconds?: number } = {}): Promise<RunningBff> {
  // Tests count upstream requests, so the result cache is off unless a test asks for it (CACHE_PATH, REDIS_URL or CACHE=on).
  const wantsCache = environment['CACHE_PATH'] !== undefined || environment['REDIS_URL'] !== undefined || environment['CACHE'] === 'on';
  // Budgets persist in an SQLite file: each BFF gets a fresh one unless a test shares a path on purpose.
  // The folder goes on close(), when the start fails, and otherwise at the end of the test file (a BFF a
  // test never closed: a failed assertion before its finally, a hook that timed out).
  const budgetFolder = temporaryFolder('bff-budgets');
  try {
    const config = loadConfig({
      STATIC_DIR: '/nonexistent',
      BUDGET_PATH: path.join(budgetFolder, 'budgets.sqlite'),
      ...(wantsCache ? {} : { CACHE: 'off' }),
      ...environment,
    });
    const logs: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        logs.push(chunk.toString('utf8'));
        callback();
      },
    });
    const logger = pino({ level: environment['LOG_LEVEL'] ?? 'trace' }, sink);
    const model = resilientFromConfig(await createLanguageModel(config, logger), config.upstream, {
      initialDelayMilliseconds: options.retryDelayMilliseconds ?? 10,
    });
    const app = await buildApp({ config, model, logger });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.server.address() as AddressInfo;
    return {
      url: `http://127.0.0.1:${port}`,
      app,
      config,
      logs,
      close: async () => {
        try {
          await closeApp(app);
        } finally {
          removeTemporaryFolder(budgetFolder);
        }
      },
    };
  } catch (error) {
    removeTemporaryFolder(budgetFolder);
    throw error;
  }
}

/**
 * Closes the app, and after a grace second also the connections a test's fetch left open without a
 * request on them (after an abort, undici may keep a socket it connected but never used; Node counts
 * it as busy until requestTimeout, which is longer than a test hook may take).
 */
async function closeApp(app: RunningBff['app']): Promise<void> {
  const forceClose = setTimeout(() => app.server.closeAllConnections(), 1000);
  try {
    await app.close();
  } finally {
    clearTimeout(forceClose);
  }
}

/** Environment for a BFF whose provider is the fake OpenAI-protocol server. */
export function openAiCompatibleEnvironment(baseUrl: string, extra: Record<string, string> = {}): Record<string, string> {
  return { OPENAI_BASE_URL: baseUrl, OPENAI_API_KEY: 'test-key', LLM_MODEL: 'fake-model', ...extra };
}

export interface BffWithFakeProvider {
  readonly fake: FakeOpenAiServer;
  readonly bff: RunningBff;
}

/**
 * Registers jest hooks for one BFF over the loopback OpenAI-protocol server per test file; before
 * each test the recorded requests and any responder are cleared. Read `.fake` and `.bff` in tests.
 */
export function useBffWithFakeProvider(extra: Record<string, string> = {}): BffWithFakeProvider {
  const state: { fake?: FakeOpenAiServer; bff?: RunningBff } = {};
  beforeAll(async () => {
    state.fake = await startFakeOpenAiServer();
    state.bff = await startBff(openAiCompatibleEnvironment(state.fake.baseUrl, extra));
  });
  afterAll(async () => {
    await state.bff?.close();
    await state.fake?.close();
  });
  beforeEach(() => {
    state.fake?.requests.splice(0);
    state.fake?.setResponder(undefined);
  });
  return {
    get fake() {
      if (state.fake === undefined) throw new Error('the fake provider starts in beforeAll');
      return state.fake;
    },
    get bff() {
      if (state.bff === undefined) throw new Error('the BFF starts in beforeAll');
      return state.bff;
    },
  };
}
