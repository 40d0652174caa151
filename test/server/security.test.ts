// Who may use the API: Entra ID tokens checked against a local JWKS server with test keys; per-user
// rate limits and daily token budgets; CORS only for allowed origins; security headers.
import { createServer, type Server } from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import Database from 'better-sqlite3';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { errorEnvelopeSchema, operationContracts } from '../../src/contract/schemas.js';
import { ConfigError, loadConfig } from '../../src/server/config.js';
import { startBff, openAiCompatibleEnvironment, type RunningBff } from '../support/bff.js';
import { startFakeOpenAiServer, type FakeOpenAiServer } from '../support/fake-openai-server.js';
import { postJson } from '../support/http-client.js';
import { startRedisServer, type RunningRedis } from '../support/redis-server.js';
import { temporaryFolder } from '../support/temporary-folder.js';

const clientId = '11111111-2222-3333-4444-555555555555';
const allowedTenant = 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee';
const otherTenant = 'ffffffff-0000-0000-0000-000000000000';

let fake: FakeOpenAiServer;
let jwksServer: Server;
let jwksUrl: string;
let jwksRequests = 0;
let signingKey: CryptoKey;
let strangerKey: CryptoKey;

beforeAll(async () => {
  fake = await startFakeOpenAiServer();
  const pair = await generateKeyPair('RS256', { extractable: true });
  signingKey = pair.privateKey;
  strangerKey = (await generateKeyPair('RS256')).privateKey;
  const publicJwk: JWK = { ...(await exportJWK(pair.publicKey)), kid: 'test-key-1', alg: 'RS256', use: 'sig' };
  jwksServer = createServer((_request, response) => {
    jwksRequests += 1;
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [publicJwk] }));
  });
  await new Promise<void>((resolve) => jwksServer.listen(0, '127.0.0.1', resolve));
  jwksUrl = `http://127.0.0.1:${(jwksServer.address() as AddressInfo).port}/discovery/v2.0/keys`;
});
afterAll(async () => {
  await fake.close();
  await new Promise<void>((resolve) => jwksServer.close(() => resolve()));
});

interface TokenOptions {
  tenant?: string;
  audience?: string;
  issuer?: string;
  scope?: string;
  expiresIn?: string | number;
  key?: CryptoKey;
  objectId?: string;
}

function token(options: TokenOptions = {}): Promise<string> {
  const tenant = options.tenant ?? allowedTenant;
  return new SignJWT({ tid: tenant, oid: options.objectId ?? 'user-object-id-1', scp: options.scope ?? 'access_as_user User.Read' })
    .setProtectedHeader({ alg: 'RS256', kid: 'test-key-1', typ: 'JWT' })
    .setIssuer(options.issuer ?? `https://login.microsoftonline.com/${tenant}/v2.0`)
    .setAudience(options.audience ?? `api://${clientId}`)
    .setSubject('subject-1')
    .setIssuedAt(Math.floor(Date.now() / 1000) - 600)
    .setExpirationTime(options.expiresIn ?? '1h')
    .sign(options.key ?? signingKey);
}

function securedEnvironment(extra: Record<string, string> = {}): Record<string, string> {
  return openAiCompatibleEnvironment(fake.baseUrl, {
    ENTRA_CLIENT_ID: clientId,
    ENTRA_TENANT_IDS: `${allowedTenant}, 99999999-9999-9999-9999-999999999999`,
    ENTRA_JWKS_URL: jwksUrl,
    ...extra,
  });
}

describe('Entra ID access tokens', () => {
  let bff: RunningBff;
  beforeAll(async () => {
    bff = await startBff(securedEnvironment());
  });
  afterAll(async () => {
    await bff.close();
  });

  const summarize = async (authorization: string | undefined) => {
    fake.requests.length = 0;
    return postJson(
      `${bff.url}/api/v1/summarize`,
      { text: 'Summarise me, please.' },
      authorization === undefined ? {} : { headers: { 'content-type': 'application/json', authorization } },
    );
  };

  test('a valid token for the API, an allowed tenant and the scope → 200', async () => {
    const response = await summarize(`Bearer ${await token()}`);
    expect(response.status).toBe(200);
    expect(fake.requests).toHaveLength(1);
  });

  test('a v1 token (sts.windows.net issuer, bare client id audience) → 200', async () => {
    const response = await summarize(`Bearer ${await token({ issuer: `https://sts.windows.net/${allowedTenant}/`, audience: clientId })}`);
    expect(response.status).toBe(200);
  });

  test.each<[string, () => Promise<string | undefined>, number, string, RegExp]>([
    ['missing', async () => undefined, 401, 'UNAUTHENTICATED', /Sign in/],
    ['not a bearer token', async () => 'Basic dXNlcjpwYXNz', 401, 'UNAUTHENTICATED', /no access token/],
    ['garbage', async () => 'Bearer not.a.jwt', 401, 'UNAUTHENTICATED', /not valid/],
    ['expired', async () => `Bearer ${await token({ expiresIn: Math.floor(Date.now() / 1000) - 3600 })}`, 401, 'UNAUTHENTICATED', /expired/],
    ['for another audience', async () => `Bearer ${await token({ audience: 'api://someone-else' })}`, 401, 'UNAUTHENTICATED', /another application/],
    [
      'from a wrong issuer',
      async () => `Bearer ${await token({ issuer: 'https://evil.example.com/v2.0' })}`,
      401,
      'UNAUTHENTICATED',
      /not issued by Microsoft Entra ID/,
    ],
    ['with a wrong signature', async () => `Bearer ${await token({ key: strangerKey })}`, 401, 'UNAUTHENTICATED', /signature/],
    ['from a tenant not on the allow-list', async () => `Bearer ${await token({ tenant: otherTenant })}`, 403, 'FORBIDDEN', /organisation is not allowed/],
    ['without the required scope', async () => `Bearer ${await token({ scope: 'User.Read' })}`, 403, 'FORBIDDEN', /access_as_user/],
  ])('a token that is %s is refused, and nothing reaches the provider', async (_case, makeAuthorization, status, code, pattern) => {
    const response = await summarize(await makeAuthorization());
    expect(response.status).toBe(status);
    const envelope = errorEnvelopeSchema.parse(response.body);
    expect(envelope.error.code).toBe(code);
    expect(envelope.error.message).toMatch(pattern);
    expect(fake.requests).toHaveLength(0);
  });

  test('signing keys are fetched once and cached, not per request', async () => {
    const before = jwksRequests;
    for (let index = 0; index < 5; index += 1) expect((await summarize(`Bearer ${await token()}`)).status).toBe(200);
    expect(jwksRequests - before).toBeLessThanOrEqual(1);
  });

  test('health, the contract and the pane need no token', async () => {
    expect((await fetch(`${bff.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${bff.url}/api/v1/openapi.json`)).status).toBe(200);
  });

  // Sign-in is decided on the route the router matched, so no spelling of a path can skip it.
  test.each(['/%61pi/v1/summarize', '/api/%761/summarize', '/api/v1/%73ummarize', '/api/v1/summarize?x=/healthz', '/api/v1//summarize', '/API/v1/summarize'])(
    'without a token, %s is refused or unknown, and nothing reaches the provider',
    async (path) => {
      fake.requests.length = 0;
      const response = await postJson(`${bff.url}${path}`, { text: 'Summarise me, please.' });
      expect([401, 404]).toContain(response.status);
      expect(fake.requests).toHaveLength(0);
    },
  );

  test('every operation of the registry requires a token', async () => {
    for (const contract of Object.values(operationContracts)) {
      const response = await postJson(`${bff.url}${contract.path}`, contract.example);
      expect({ path: contract.path, status: response.status }).toEqual({ path: contract.path, status: 401 });
    }
  });
});

describe('sign-in may be off only on loopback', () => {
  test('without Entra settings on a public HOST the server refuses to start, saying what to set', () => {
    let problems: string[] = [];
    try {
      loadConfig({ HOST: '0.0.0.0' });
    } catch (error) {
      if (error instanceof ConfigError) problems = error.problems;
    }
    expect(problems).toEqual([expect.stringMatching(/HOST is 0\.0\.0\.0, but sign-in is off: set ENTRA_CLIENT_ID and ENTRA_TENANT_IDS/)]);
  });

  test('on loopback it starts and says at start that sign-in is off', async () => {
    const bff = await startBff(openAiCompatibleEnvironment(fake.baseUrl));
    try {
      expect(bff.logs.some((line) => line.includes('Sign-in is OFF'))).toBe(true);
    } finally {
      await bff.close();
    }
  });

  test('a client id without tenants is a configuration error', () => {
    expect(() => loadConfig({ ENTRA_CLIENT_ID: clientId })).toThrow(/ENTRA_TENANT_IDS is required/);
  });
});

describe('per-user limits', () => {
  test('requests per minute: the next one gets 429 RATE_LIMITED with Retry-After, per user', async () => {
    const bff = await startBff(securedEnvironment({ RATE_LIMIT_PER_MINUTE: '3' }));
    try {
      const alice = { headers: { 'content-type': 'application/json', authorization: `Bearer ${await token({ objectId: 'alice' })}` } };
      const bob = { headers: { 'content-type': 'application/json', authorization: `Bearer ${await token({ objectId: 'bob' })}` } };
      for (let index = 0; index < 3; index += 1) expect((await postJson(`${bff.url}/api/v1/summarize`, { text: 'Hi there.' }, alice)).status).toBe(200);
      const limited = await postJson(`${bff.url}/api/v1/summarize`, { text: 'Hi there.' }, alice);
      expect(limited.status).toBe(429);
      expect(errorEnvelopeSchema.parse(limited.body).error).toMatchObject({ code: 'RATE_LIMITED', retryable: true });
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
      expect((await postJson(`${bff.url}/api/v1/summarize`, { text: 'Hi there.' }, bob)).status).toBe(200);
    } finally {
      await bff.close();
    }
  });

  test('daily token budget: a request that may cost more than is left gets 429 BUDGET_EXCEEDED, saying what is left, until midnight UTC', async () => {
    const bff = await startBff(openAiCompatibleEnvironment(fake.baseUrl, { DAILY_TOKEN_BUDGET: '1000' }));
    try {
      // Each summary reserves its prompt and answer budget (about 700 tokens) and is charged what it used (about 100).
      let spent = 0;
      let refused: Awaited<ReturnType<typeof postJson>> | undefined;
      for (let attempt = 0; attempt < 10 && refused === undefined; attempt += 1) {
        const response = await postJson(`${bff.url}/api/v1/summarize`, { text: shortText });
        if (response.status === 200) spent += usedTokens(response.body);
        else refused = response;
      }
      expect(spent).toBeGreaterThan(0);
      expect(refused?.status).toBe(429);
      const error = errorEnvelopeSchema.parse(refused?.body).error;
      expect(error).toMatchObject({ code: 'BUDGET_EXCEEDED', retryable: true, message: expect.stringMatching(/midnight UTC/) });
      expect(error.message).toContain(`You have ${1000 - spent} of today's 1,000 tokens left`);
      const needed = Number(/needs up to ([\d,]+) tokens/.exec(error.message)?.[1]?.replace(/,/g, ''));
      expect(needed).toBeGreaterThan(1000 - spent);
      const retryAfter = Number(refused?.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(86_400);
      // What is left still serves a smaller request.
      expect((await postJson(`${bff.url}/api/v1/classify`, { items: ['a'], labels: ['x'] })).status).toBe(200);
    } finally {
      await bff.close();
    }
  });
});

/** A text whose summary costs about 100 tokens and reserves about 700. */
const shortText = 'A short text that costs some tokens to summarise, more than a few.';
/** A long summary of it reserves about 1,250 tokens: more than a budget of 1,000, so it is refused and says what is left. */
const longSummary = { text: shortText, length: 'long' };

function usedTokens(body: unknown): number {
  const { usage } = body as { usage: { promptTokens: number; completionTokens: number } };
  return usage.promptTokens + usage.completionTokens;
}

test('a daily budget survives a restart of the server (SQLite on one machine)', async () => {
  const budgetPath = path.join(temporaryFolder('budget-restart'), 'budgets.sqlite');
  const environment = openAiCompatibleEnvironment(fake.baseUrl, { DAILY_TOKEN_BUDGET: '1000', BUDGET_PATH: budgetPath });
  const before = await startBff(environment);
  let spent = 0;
  try {
    const response = await postJson(`${before.url}/api/v1/summarize`, { text: shortText });
    expect(response.status).toBe(200);
    spent = usedTokens(response.body);
  } finally {
    await before.close();
  }
  const after = await startBff(environment);
  try {
    const refused = await postJson(`${after.url}/api/v1/summarize`, longSummary);
    expect(refused.status).toBe(429);
    const error = errorEnvelopeSchema.parse(refused.body).error;
    expect(error.code).toBe('BUDGET_EXCEEDED');
    expect(error.message).toContain(`You have ${1000 - spent} of today's 1,000 tokens left`);
  } finally {
    await after.close();
  }
});

test('an upgrade keeps today’s spending from a budget file of the earlier layout', async () => {
  const budgetPath = path.join(temporaryFolder('budget-upgrade'), 'budgets.sqlite');
  const earlier = new Database(budgetPath);
  earlier.exec('CREATE TABLE budgets (key TEXT PRIMARY KEY, total INTEGER NOT NULL, expires_at INTEGER NOT NULL) WITHOUT ROWID');
  const today = new Date().toISOString().slice(0, 10);
  earlier.prepare('INSERT INTO budgets VALUES (?, ?, ?)').run(`${today}:address:127.0.0.1`, 900, Date.now() + 3_600_000);
  earlier.close();
  const bff = await startBff(openAiCompatibleEnvironment(fake.baseUrl, { DAILY_TOKEN_BUDGET: '1000', BUDGET_PATH: budgetPath }));
  try {
    const refused = await postJson(`${bff.url}/api/v1/summarize`, { text: shortText });
    expect(refused.status).toBe(429);
    expect(errorEnvelopeSchema.parse(refused.body).error.message).toContain("You have 100 of today's 1,000 tokens left");
  } finally {
    await bff.close();
  }
});

describe('browser-facing protections', () => {
  let bff: RunningBff;
  beforeAll(async () => {
    bff = await startBff(openAiCompatibleEnvironment(fake.baseUrl, { ALLOWED_ORIGINS: 'https://addin.example.com' }));
  });
  afterAll(async () => {
    await bff.close();
  });

  test('CORS answers only the allowed origin', async () => {
    const preflight = (origin: string) =>
      fetch(`${bff.url}/api/v1/summarize`, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
      });
    expect((await preflight('https://addin.example.com')).headers.get('access-control-allow-origin')).toBe('https://addin.example.com');
    expect((await preflight('https://evil.example.com')).headers.get('access-control-allow-origin')).toBeNull();
  });

  test('security headers: CSP limited to self and Office frames, nosniff, HSTS, no X-Frame-Options that would block Office on the web', async () => {
    const response = await fetch(`${bff.url}/healthz`);
    const policy = response.headers.get('content-security-policy') ?? '';
    expect(policy).toContain("default-src 'self'");
    expect(policy).toContain("script-src 'self' https://appsforoffice.microsoft.com");
    expect(policy).toMatch(/frame-ancestors 'self' https:\/\/\*\.office\.com/);
    expect(policy).toContain("object-src 'none'");
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
    expect(response.headers.get('x-frame-options')).toBeNull();
  });
});

describe('limits shared by several instances (REDIS_URL)', () => {
  describe('with a real redis-server', () => {
    let redis: RunningRedis;
    beforeAll(async () => {
      redis = await startRedisServer();
    });
    afterAll(async () => {
      await redis.stop();
    });

    test('a user’s rate limit and token budget hold across two BFF instances', async () => {
      const environment = securedEnvironment({ REDIS_URL: redis.url, RATE_LIMIT_PER_MINUTE: '4', DAILY_TOKEN_BUDGET: '1000000' });
      const first = await startBff(environment);
      const second = await startBff(environment);
      try {
        const carol = { headers: { 'content-type': 'application/json', authorization: `Bearer ${await token({ objectId: 'carol' })}` } };
        const statuses: number[] = [];
        for (const instance of [first, second, first, second, first]) {
          statuses.push((await postJson(`${instance.url}/api/v1/summarize`, { text: 'Shared limits, please.' }, carol)).status);
        }
        expect(statuses).toEqual([200, 200, 200, 200, 429]);
      } finally {
        await first.close();
        await second.close();
      }
    });

    test('a daily budget spent on one instance counts on the other', async () => {
      const environment = securedEnvironment({ REDIS_URL: redis.url, RATE_LIMIT_PER_MINUTE: '0', DAILY_TOKEN_BUDGET: '1000' });
      const first = await startBff(environment);
      const second = await startBff(environment);
      try {
        const dave = { headers: { 'content-type': 'application/json', authorization: `Bearer ${await token({ objectId: 'dave' })}` } };
        const served = await postJson(`${first.url}/api/v1/summarize`, { text: shortText }, dave);
        expect(served.status).toBe(200);
        const refused = await postJson(`${second.url}/api/v1/summarize`, longSummary, dave);
        expect(refused.status).toBe(429);
        const error = errorEnvelopeSchema.parse(refused.body).error;
        expect(error.code).toBe('BUDGET_EXCEEDED');
        expect(error.message).toContain(`You have ${1000 - usedTokens(served.body)} of today's 1,000 tokens left`);
      } finally {
        await first.close();
        await second.close();
      }
    });
  });
});

describe('client configuration for sign-in', () => {
  test('with Entra ID: the public client id, the API scope and the authority; without: mode off', async () => {
    const secured = await startBff(securedEnvironment({ ENTRA_TENANT_IDS: allowedTenant }));
    const open = await startBff(openAiCompatibleEnvironment(fake.baseUrl));
    try {
      expect(await (await fetch(`${secured.url}/api/v1/client-config`)).json()).toEqual({
        auth: { mode: 'entra', clientId, scopes: [`api://${clientId}/access_as_user`], authority: `https://login.microsoftonline.com/${allowedTenant}` },
        // An addition: when the pane asks before bulk runs (ESTIMATE_CONFIRM_ROWS, default 500).
        estimate: { confirmAboveRows: 500 },
      });
      expect(await (await fetch(`${open.url}/api/v1/client-config`)).json()).toEqual({ auth: { mode: 'off' }, estimate: { confirmAboveRows: 500 } });
    } finally {
      await secured.close();
      await open.close();
    }
  });
});
