// The result cache through the BFF with sign-in on: entries are partitioned by Entra tenant (no hit
// and no `cachedItems` signal across tenants), the users of one tenant share, an entry past
// CACHE_TTL_SECONDS is redone, and `npm run cache:purge` (run as the operator would, a child process)
// empties one tenant or everything. SQLite and a real redis-server alike.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { classifyResponseSchema } from '../../src/contract/schemas.js';
import { openAiCompatibleEnvironment, startBff, type RunningBff } from '../support/bff.js';
import { startFakeOpenAiServer, type FakeOpenAiServer } from '../support/fake-openai-server.js';
import { postJson } from '../support/http-client.js';
import { startRedisServer, type RunningRedis } from '../support/redis-server.js';

const clientId = '11111111-2222-3333-4444-555555555555';
const tenantA = 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee';
const tenantB = 'bbbbbbbb-cccc-dddd-eeee-ffffffffffff';
const labels = ['card_arrival', 'lost_or_stolen_card', 'refund_not_showing_up'];
const items = ['My card has not arrived yet', 'I lost my card on the train', 'The refund is still not showing up'];

let fake: FakeOpenAiServer;
let jwksServer: Server;
let jwksUrl: string;
let signingKey: CryptoKey;
let redis: RunningRedis;
let folder: string;

beforeAll(async () => {
  fake = await startFakeOpenAiServer();
  redis = await startRedisServer();
  const pair = await generateKeyPair('RS256', { extractable: true });
  signingKey = pair.privateKey;
  const publicJwk: JWK = { ...(await exportJWK(pair.publicKey)), kid: 'test-key-1', alg: 'RS256', use: 'sig' };
  jwksServer = createServer((_request, response) => response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [publicJwk] })));
  await new Promise<void>((resolve) => jwksServer.listen(0, '127.0.0.1', resolve));
  jwksUrl = `http://127.0.0.1:${(jwksServer.address() as AddressInfo).port}/discovery/v2.0/keys`;
});
afterAll(async () => {
  await fake.close();
  await redis.stop();
  await new Promise<void>((resolve) => jwksServer.close(() => resolve()));
});
beforeEach(() => {
  folder = mkdtempSync(path.join(os.tmpdir(), 'cache-tenancy-'));
  fake.requests.length = 0;
  fake.setResponder(undefined);
});
afterEach(() => {
  rmSync(folder, { recursive: true, force: true });
});

/** An Entra access token for a user of a tenant, signed with the local JWKS' key. */
async function bearer(tenant: string, objectId: string): Promise<string> {
  const token = await new SignJWT({ tid: tenant, oid: objectId, scp: 'access_as_user' })
    .setProtectedHeader({ alg: 'RS256', kid: 'test-key-1', typ: 'JWT' })
    .setIssuer(`https://login.microsoftonline.com/${tenant}/v2.0`)
    .setAudience(`api://${clientId}`)
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(signingKey);
  return `Bearer ${token}`;
}

function signedInEnvironment(store: Record<string, string>): Record<string, string> {
  return openAiCompatibleEnvironment(fake.baseUrl, {
    ENTRA_CLIENT_ID: clientId,
    ENTRA_TENANT_IDS: `${tenantA},${tenantB}`,
    ENTRA_JWKS_URL: jwksUrl,
    ...store,
  });
}

/** Classifies `items` as one user; returns the items answered from the cache and the provider requests it cost. */
async function classifyAs(bff: RunningBff, tenant: string, objectId: string): Promise<{ cachedItems: number; providerRequests: number }> {
  const before = fake.requests.length;
  const response = await postJson(
    `${bff.url}/api/v1/classify`,
    { items, labels },
    { headers: { 'content-type': 'application/json', authorization: await bearer(tenant, objectId) } },
  );
  expect(response.status).toBe(200);
  const body = classifyResponseSchema.parse(response.body);
  expect(body.results.map((result) => result.label)).toEqual(labels);
  return { cachedItems: body.usage.cachedItems, providerRequests: fake.requests.length - before };
}

/** `npm run cache:purge`, as an operator runs it: a child process reading the same environment as the server. */
async function purgeCache(store: Record<string, string>, ...args: string[]): Promise<string> {
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'scripts/purge-cache.ts', ...args], {
    env: { PATH: process.env['PATH'], HOME: process.env['HOME'], ...store },
  });
  return stdout;
}

const stores: [string, () => Record<string, string>][] = [
  ['SQLite (CACHE_PATH)', () => ({ CACHE_PATH: path.join(folder, 'results.sqlite') })],
  ['Redis (REDIS_URL)', () => ({ REDIS_URL: redis.url })],
];

describe.each(stores)('%s with sign-in', (_name, storeEnvironment) => {
  test('another tenant classifying the same texts gets cachedItems 0 and the provider is asked; its own second run is cached', async () => {
    const store = storeEnvironment();
    await purgeCache(store);
    const bff = await startBff(signedInEnvironment(store));
    try {
      expect(await classifyAs(bff, tenantA, 'alice')).toEqual({ cachedItems: 0, providerRequests: 1 });
      expect(await classifyAs(bff, tenantB, 'bob')).toEqual({ cachedItems: 0, providerRequests: 1 });
      expect(await classifyAs(bff, tenantB, 'bob')).toEqual({ cachedItems: items.length, providerRequests: 0 });
    } finally {
      await bff.close();
    }
  });

  test("users of one tenant share the tenant's finished work", async () => {
    const store = storeEnvironment();
    await purgeCache(store);
    const bff = await startBff(signedInEnvironment(store));
    try {
      expect(await classifyAs(bff, tenantA, 'alice')).toEqual({ cachedItems: 0, providerRequests: 1 });
      expect(await classifyAs(bff, tenantA, 'carol')).toEqual({ cachedItems: items.length, providerRequests: 0 });
    } finally {
      await bff.close();
    }
  });

  test('`npm run cache:purge -- --tenant <id>` empties that tenant only; without --tenant everything', async () => {
    const store = storeEnvironment();
    await purgeCache(store);
    const bff = await startBff(signedInEnvironment(store));
    try {
      await classifyAs(bff, tenantA, 'alice');
      await classifyAs(bff, tenantB, 'bob');

      expect(await purgeCache(store, '--tenant', tenantA)).toMatch(new RegExp(`^Purged ${items.length} cached results of tenant ${tenantA} from `));
      expect(await classifyAs(bff, tenantA, 'alice')).toEqual({ cachedItems: 0, providerRequests: 1 });
      expect(await classifyAs(bff, tenantB, 'bob')).toEqual({ cachedItems: items.length, providerRequests: 0 });

      expect(await purgeCache(store)).toMatch(new RegExp(`^Purged ${2 * items.length} cached results from `));
      expect(await classifyAs(bff, tenantA, 'alice')).toEqual({ cachedItems: 0, providerRequests: 1 });
      expect(await classifyAs(bff, tenantB, 'bob')).toEqual({ cachedItems: 0, providerRequests: 1 });
    } finally {
      await bff.close();
    }
  });

  test('an entry past CACHE_TTL_SECONDS is not returned: the work is redone', async () => {
    const store = storeEnvironment();
    await purgeCache(store);
    const bff = await startBff(signedInEnvironment({ ...store, CACHE_TTL_SECONDS: '1' }));
    try {
      expect(await classifyAs(bff, tenantA, 'alice')).toEqual({ cachedItems: 0, providerRequests: 1 });
      expect(await classifyAs(bff, tenantA, 'alice')).toEqual({ cachedItems: items.length, providerRequests: 0 });
      await new Promise((resolve) => setTimeout(resolve, 1200));
      expect(await classifyAs(bff, tenantA, 'alice')).toEqual({ cachedItems: 0, providerRequests: 1 });
    } finally {
      await bff.close();
    }
  });
});

test('SQLite: while the BFF runs, entries past CACHE_TTL_SECONDS are deleted from the file', async () => {
  const file = path.join(folder, 'results.sqlite');
  const bff = await startBff(signedInEnvironment({ CACHE_PATH: file, CACHE_TTL_SECONDS: '1' }));
  const rows = () => {
    const database = new Database(file, { readonly: true });
    try {
      return (database.prepare('SELECT count(*) AS count FROM result_entries').get() as { count: number }).count;
    } finally {
      database.close();
    }
  };
  try {
    await classifyAs(bff, tenantA, 'alice');
    expect(rows()).toBe(items.length);
    // The sweep runs once per TTL (at most hourly): within two TTLs the rows are gone.
    await new Promise((resolve) => setTimeout(resolve, 2500));
    expect(rows()).toBe(0);
  } finally {
    await bff.close();
  }
});
