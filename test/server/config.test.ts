// Configuration is validated at start-up with one readable line per problem; the provider is
// chosen as DESIGN.md says (forced by LLM_PROVIDER, else the first configured, else local).
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import path from 'node:path';
import { ConfigError, defaultLocalModel, listenProblem, loadCacheStoreSettings, loadConfig } from '../../src/server/config.js';

function problemsOf(environment: Record<string, string>): string[] {
  try {
    loadConfig(environment);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('choosing the provider', () => {
  test('nothing configured: the embedded local model with the default multilingual model, and threads set explicitly', () => {
    const config = loadConfig({});
    expect(config.provider).toMatchObject({ kind: 'local', model: defaultLocalModel });
    if (config.provider.kind !== 'local') throw new Error('unreachable');
    expect(config.provider.threads).toBeGreaterThanOrEqual(1);
    expect(config).toMatchObject({ port: 3000, host: '127.0.0.1' });
  });

  test('OPENAI_API_KEY alone: OpenAI with the default model', () => {
    expect(loadConfig({ OPENAI_API_KEY: 'sk-test' }).provider).toEqual({ kind: 'openai', apiKey: 'sk-test', baseUrl: undefined, model: 'gpt-4o-mini' });
  });

  test('OPENAI_BASE_URL: an OpenAI-compatible server (no key needed)', () => {
    expect(loadConfig({ OPENAI_BASE_URL: 'http://localhost:11434/v1', LLM_MODEL: 'qwen2.5:3b' }).provider).toEqual({
      kind: 'openai',
      apiKey: undefined,
      baseUrl: 'http://localhost:11434/v1',
      model: 'qwen2.5:3b',
    });
  });

  test('Azure wins when its endpoint is set', () => {
    expect(
      loadConfig({ AZURE_OPENAI_ENDPOINT: 'https://r.openai.azure.com', AZURE_OPENAI_API_KEY: 'k', AZURE_OPENAI_DEPLOYMENT: 'gpt-4o', OPENAI_API_KEY: 'sk' })
        .provider,
    ).toEqual({ kind: 'azure', endpoint: 'https://r.openai.azure.com', apiKey: 'k', deployment: 'gpt-4o', apiVersion: '2024-10-21' });
  });

  test('LLM_PROVIDER=local forces the local model even with a key set', () => {
    expect(loadConfig({ LLM_PROVIDER: 'local', OPENAI_API_KEY: 'sk', LOCAL_MODEL: '/models/m.gguf', LOCAL_MODEL_THREADS: '3' }).provider).toMatchObject({
      kind: 'local',
      model: '/models/m.gguf',
      threads: 3,
    });
  });
});

describe('the provider limits and request shapes', () => {
  test('by default the concurrency ceiling is 64 (the governor finds the real limit below it), no RPM/TPM ceiling, shapes guessed per model', () => {
    expect(loadConfig({ OPENAI_API_KEY: 'sk-test' }).upstream).toMatchObject({
      maxConcurrency: 64,
      requestsPerMinute: undefined,
      tokensPerMinute: undefined,
      requestShape: { tokenLimitParameter: undefined, sendSamplingParameters: undefined },
      sharedBudgetRedisUrl: undefined,
    });
  });

  test('LLM_TOKEN_LIMIT_PARAMETER and LLM_SAMPLING_PARAMETERS override the guess; auto keeps it', () => {
    expect(
      loadConfig({ OPENAI_API_KEY: 'k', LLM_TOKEN_LIMIT_PARAMETER: 'max_completion_tokens', LLM_SAMPLING_PARAMETERS: 'off' }).upstream.requestShape,
    ).toEqual({
      tokenLimitParameter: 'max_completion_tokens',
      sendSamplingParameters: false,
    });
    expect(loadConfig({ OPENAI_API_KEY: 'k', LLM_TOKEN_LIMIT_PARAMETER: 'auto', LLM_SAMPLING_PARAMETERS: 'on' }).upstream.requestShape).toEqual({
      tokenLimitParameter: undefined,
      sendSamplingParameters: true,
    });
    expect(problemsOf({ OPENAI_API_KEY: 'k', LLM_TOKEN_LIMIT_PARAMETER: 'max_output_tokens', LLM_SAMPLING_PARAMETERS: 'no' })).toEqual([
      'LLM_TOKEN_LIMIT_PARAMETER must be auto, max_tokens or max_completion_tokens (got "max_output_tokens")',
      'LLM_SAMPLING_PARAMETERS must be auto, on or off (got "no")',
    ]);
  });

  test('REDIS_URL shares the provider budget unless LLM_SHARED_BUDGET=off; the local model has none to share', () => {
    const shared = { OPENAI_API_KEY: 'k', REDIS_URL: 'redis://cache:6379' };
    expect(loadConfig(shared).upstream.sharedBudgetRedisUrl).toBe('redis://cache:6379');
    expect(loadConfig({ ...shared, LLM_SHARED_BUDGET: 'off' }).upstream.sharedBudgetRedisUrl).toBeUndefined();
    expect(loadConfig({ REDIS_URL: 'redis://cache:6379' }).upstream.sharedBudgetRedisUrl).toBeUndefined();
  });
});

describe('one readable line per problem', () => {
  test('bad numbers and enums name the variable, the rule and the value', () => {
    const problems = problemsOf({ PORT: 'eighty', LOG_LEVEL: 'loud', LOCAL_MODEL_THREADS: '0' });
    expect(problems).toEqual(
      expect.arrayContaining([
        'PORT must be a whole number from 1 to 65535 (got "eighty")',
        'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent (got "loud")',
        'LOCAL_MODEL_THREADS must be a whole number from 1 to 256 (got "0")',
      ]),
    );
  });

  test('a base URL without a model says what to set', () => {
    expect(problemsOf({ OPENAI_BASE_URL: 'http://localhost:8000/v1' })).toEqual([expect.stringMatching(/LLM_MODEL is not: set LLM_MODEL/)]);
  });

  test('a URL that is not http(s)', () => {
    expect(problemsOf({ OPENAI_BASE_URL: 'localhost:8000', LLM_MODEL: 'm' })).toEqual([expect.stringMatching(/^OPENAI_BASE_URL must be an http\(s\) URL/)]);
  });

  test('Azure: every missing variable on its own line', () => {
    expect(problemsOf({ LLM_PROVIDER: 'azure', AZURE_OPENAI_ENDPOINT: 'https://r.openai.azure.com' })).toEqual([
      expect.stringMatching(/^AZURE_OPENAI_API_KEY is required/),
      expect.stringMatching(/^AZURE_OPENAI_DEPLOYMENT is required/),
    ]);
  });

  test('TLS files go together and must exist', () => {
    expect(problemsOf({ TLS_CERT_FILE: '/nope.pem' })).toEqual([expect.stringMatching(/TLS_CERT_FILE and TLS_KEY_FILE go together/)]);
    expect(problemsOf({ TLS_CERT_FILE: '/nope.pem', TLS_KEY_FILE: '/nope.key' })).toHaveLength(2);
  });

  test('`npm run serve` with bad settings exits 1 and prints the lines, no stack trace', async () => {
    const run = promisify(execFile);
    const failure = await run('node', ['--import', 'tsx', 'src/server/main.ts'], {
      env: { PATH: process.env['PATH'], PORT: '0x', OPENAI_BASE_URL: 'http://localhost:1/v1' },
    }).then(
      () => undefined,
      (error: { code: number; stderr: string }) => error,
    );
    expect(failure?.code).toBe(1);
    expect(failure?.stderr).toContain('The server cannot start. Fix these settings:');
    expect(failure?.stderr).toContain('PORT must be a whole number');
    expect(failure?.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('a HOST:PORT the server cannot listen on: one line that says which setting to change', () => {
  const failure = (code: string) => Object.assign(new Error(`listen ${code}`), { code });

  test.each([
    ['EADDRINUSE', /^Port 3000 is in use: stop the other server or set PORT=3001 \(any free port\)\.$/],
    ['EACCES', /^Port 3000 needs administrator rights here: set PORT to a port from 1024 up/],
    ['EADDRNOTAVAIL', /^HOST 10\.9\.9\.9 is not an address of this machine: set HOST=127\.0\.0\.1/],
    ['ENOTFOUND', /^HOST 10\.9\.9\.9 cannot be resolved/],
  ])('%s', (code, line) => {
    expect(listenProblem(failure(code), '10.9.9.9', 3000)).toMatch(line);
  });

  test('any other failure is not a settings problem (it is reported as the error it is)', () => {
    expect(listenProblem(failure('EMFILE'), '127.0.0.1', 3000)).toBeUndefined();
    expect(listenProblem('not an error', '127.0.0.1', 3000)).toBeUndefined();
  });
});

describe('the operational surface: TRUST_PROXY, METRICS_TOKEN, where the cache lives', () => {
  test('by default no proxy is trusted and /metrics has no token', () => {
    expect(loadConfig({})).toMatchObject({ trustProxy: [], metricsToken: undefined });
  });

  test('TRUST_PROXY takes addresses, CIDRs and proxy-addr range names, separated by commas', () => {
    expect(loadConfig({ TRUST_PROXY: '127.0.0.1, 10.0.0.0/8,::1, fd00::/8 ,loopback' }).trustProxy).toEqual([
      '127.0.0.1',
      '10.0.0.0/8',
      '::1',
      'fd00::/8',
      'loopback',
    ]);
  });

  test('TRUST_PROXY: a hop count, "trust all", a /0 range, a bad prefix or a host name each get their own line', () => {
    const problems = problemsOf({ TRUST_PROXY: '2, true, 0.0.0.0/0, 10.0.0.0/33, proxy.example.com, 10.0.0.1' });
    expect(problems).toHaveLength(5);
    expect(problems[0]).toMatch(/^TRUST_PROXY has "2": a hop count cannot check that a request really came through your proxy.*10\.0\.0\.0\/8$/);
    expect(problems[1]).toMatch(/^TRUST_PROXY has "true": trusting every address lets any client forge its address/);
    expect(problems[2]).toMatch(/^TRUST_PROXY has "0\.0\.0\.0\/0": a \/0 range trusts every address/);
    expect(problems[3]).toBe('TRUST_PROXY has "10.0.0.0/33": the prefix length must be a whole number from 1 to 32');
    expect(problems[4]).toMatch(/^TRUST_PROXY has "proxy\.example\.com": not an IP address, a CIDR or one of loopback, linklocal, uniquelocal/);
  });

  test('METRICS_TOKEN must be a real secret, and the message never repeats it', () => {
    expect(loadConfig({ METRICS_TOKEN: 'a-random-metrics-token-of-32-chars' }).metricsToken).toBe('a-random-metrics-token-of-32-chars');
    for (const weak of ['hunter2', 'a token with spaces in it 123456']) {
      const problems = problemsOf({ METRICS_TOKEN: weak });
      expect(problems).toEqual(['METRICS_TOKEN must be at least 16 characters without spaces: use a random secret, for example from `openssl rand -hex 32`']);
    }
  });

  test('the cache store for `npm run cache:purge`: the SQLite file even with CACHE=off, Redis with REDIS_URL, one line per bad value', () => {
    expect(loadCacheStoreSettings({ CACHE: 'off', CACHE_PATH: 'results.sqlite', CACHE_TTL_SECONDS: '60' })).toEqual({
      kind: 'sqlite',
      path: path.resolve('results.sqlite'),
      ttlSeconds: 60,
    });
    expect(loadCacheStoreSettings({ REDIS_URL: 'redis://cache:6379', OPENAI_BASE_URL: 'not even checked' })).toEqual({
      kind: 'redis',
      url: 'redis://cache:6379',
      ttlSeconds: 30 * 24 * 3600,
    });
    const failure = (() => {
      try {
        loadCacheStoreSettings({ REDIS_URL: 'http://cache', CACHE_TTL_SECONDS: '0' });
      } catch (error) {
        return error;
      }
      return undefined;
    })();
    expect(failure).toBeInstanceOf(ConfigError);
    expect((failure as ConfigError).problems).toEqual([
      'CACHE_TTL_SECONDS must be a whole number from 1 to 315360000 (got "0")',
      'REDIS_URL must be a redis(s) URL such as redis://localhost:6379 (got "http://cache")',
    ]);
  });

  test('`npm run cache:purge` with a bad setting or argument exits non-zero with one line each, no stack trace', async () => {
    const run = (args: string[], environment: Record<string, string>) =>
      promisify(execFile)('node', ['--import', 'tsx', 'scripts/purge-cache.ts', ...args], { env: { PATH: process.env['PATH'], ...environment } }).then(
        () => undefined,
        (error: { code: number; stderr: string }) => error,
      );
    const badSetting = await run([], { REDIS_URL: 'http://cache' });
    expect(badSetting?.code).toBe(1);
    expect(badSetting?.stderr).toContain('The cache cannot be purged. Fix these settings:\n  - REDIS_URL must be a redis(s) URL');
    const badArgument = await run(['--tenant'], {});
    expect(badArgument?.code).toBe(2);
    expect(badArgument?.stderr).toContain('Usage: npm run cache:purge [-- --tenant <tenant id>]');
    for (const failure of [badSetting, badArgument]) expect(failure?.stderr).not.toMatch(/\n\s+at /);
  });
});
