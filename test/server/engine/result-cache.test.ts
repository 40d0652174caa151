// The result cache through the real BFF: a real SQLite file shared by two BFF instances (a restart),
// and a real redis-server shared by two instances (a load balancer). Identical work is answered
// without an LLM request; failures are never cached. Then the stores alone: tenant partitions, the
// TTL on read, expiry, purging. (Tenancy through the BFF with sign-in: test/server/cache-tenancy.test.ts.)
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { Redis } from 'ioredis';
import { classifyResponseSchema, summarizeResponseSchema, translateResponseSchema } from '../../../src/contract/schemas.js';
import { RedisResultCache, redisResultKeyPrefix } from '../../../src/server/engine/redis-result-cache.js';
import { tenantPartitionPrefix } from '../../../src/server/engine/result-cache.js';
import { SqliteResultCache } from '../../../src/server/engine/sqlite-result-cache.js';
import { openAiCompatibleEnvironment, startBff } from '../../support/bff.js';
import { classifyAnswerContent, classifyRequestParts, startFakeOpenAiServer, type FakeOpenAiServer } from '../../support/fake-openai-server.js';
import { postJson, postStream } from '../../support/http-client.js';
import { freePort, startRedisServer, type RunningRedis } from '../../support/redis-server.js';

const labels = ['card_arrival', 'lost_or_stolen_card', 'refund_not_showing_up'];
const rows = Array.from({ length: 120 }, (_, index) => ['my card arrival is late', 'I lost my card', 'refund not showing up'][index % 3] + ` #${index % 40}`);

let fake: FakeOpenAiServer;
let folder: string;

beforeAll(async () => {
  fake = await startFakeOpenAiServer();
});
afterAll(async () => {
  await fake.close();
});
beforeEach(() => {
  folder = mkdtempSync(path.join(os.tmpdir(), 'result-cache-'));
  fake.requests.length = 0;
  fake.setResponder(undefined);
});
afterEach(() => {
  rmSync(folder, { recursive: true, force: true });
});

describe('embedded SQLite cache', () => {
  test('a second BFF on the same CACHE_PATH answers the same rows with 0 LLM requests', async () => {
    const environment = openAiCompatibleEnvironment(fake.baseUrl, { CACHE_PATH: path.join(folder, 'results.sqlite') });
    const first = await startBff(environment);
    const firstBody = classifyResponseSchema.parse((await postJson(`${first.url}/api/v1/classify`, { items: rows, labels })).body);
    await first.close();
    expect(fake.requests.length).toBeGreaterThan(0);
    expect(firstBody.usage.cachedItems).toBe(0);

    fake.requests.length = 0;
    const second = await startBff(environment);
    try {
      const { events } = await postStream(`${second.url}/api/v1/classify`, { items: rows, labels });
      const done = classifyResponseSchema.parse(events.at(-1)!.data);
      expect(fake.requests).toHaveLength(0);
      expect(done.usage).toEqual({ promptTokens: 0, completionTokens: 0, requests: 0, cachedItems: rows.length });
      expect(done.results).toEqual(firstBody.results);
      // The pane writes back from item events: every row gets one, from the cache too.
      expect(new Set(events.filter((event) => event.event === 'item').map((event) => (event.data as { index: number }).index)).size).toBe(rows.length);
    } finally {
      await second.close();
    }
  });

  test('only new rows cost requests; other labels, guidance or models are other work', async () => {
    const bff = await startBff(openAiCompatibleEnvironment(fake.baseUrl, { CACHE_PATH: path.join(folder, 'results.sqlite') }));
    try {
      await postJson(`${bff.url}/api/v1/classify`, { items: rows.slice(0, 60), labels });
      fake.requests.length = 0;
      const body = classifyResponseSchema.parse((await postJson(`${bff.url}/api/v1/classify`, { items: rows, labels })).body);
      expect(body.usage.cachedItems).toBe(60);
      const sent = fake.requests.flatMap((request) => classifyRequestParts(request.body)?.items ?? []);
      // Rows 60..119 repeat the texts #20..#39 of the first 60 only partly: just the texts not seen before are sent.
      const seen = new Set(rows.slice(0, 60));
      expect(sent.map((item) => item.text).sort()).toEqual([...new Set(rows.slice(60).filter((row) => !seen.has(row)))].sort());

      fake.requests.length = 0;
      await postJson(`${bff.url}/api/v1/classify`, { items: rows.slice(0, 3), labels: [...labels, 'other'] });
      await postJson(`${bff.url}/api/v1/classify`, { items: rows.slice(0, 3), labels, instructions: 'Prefer refunds.' });
      expect(fake.requests).toHaveLength(2);
    } finally {
      await bff.close();
    }
  });

  test('failures are never cached: an item that got no valid label is asked again next time', async () => {
    const bff = await startBff(openAiCompatibleEnvironment(fake.baseUrl, { CACHE_PATH: path.join(folder, 'results.sqlite') }));
    try {
      fake.setResponder((request) => {
        const parts = classifyRequestParts(request.body);
        return {
          kind: 'content',
          content: classifyAnswerContent(
            (parts?.items ?? []).map((item) => ({ id: item.id, label: 'bogus' })),
            parts?.labels ?? [],
          ),
        };
      });
      const failed = classifyResponseSchema.parse((await postJson(`${bff.url}/api/v1/classify`, { items: ['I lost my card'], labels })).body);
      expect(failed.results[0]!.label).toBeNull();
      fake.setResponder(undefined);
      fake.requests.length = 0;
      const again = classifyResponseSchema.parse((await postJson(`${bff.url}/api/v1/classify`, { items: ['I lost my card'], labels })).body);
      expect(again.results[0]!.label).toBe('lost_or_stolen_card');
      expect(again.usage.cachedItems).toBe(0);
      expect(fake.requests).toHaveLength(1);
    } finally {
      await bff.close();
    }
  });

  test('translations and summaries are cached per options', async () => {
    const bff = await startBff(openAiCompatibleEnvironment(fake.baseUrl, { CACHE_PATH: path.join(folder, 'results.sqlite') }));
    try {
      const texts = ['Guten Morgen, wie geht es?', 'Der Bericht ist fertig.'];
      await postJson(`${bff.url}/api/v1/translate`, { texts, targetLanguage: 'en', sourceLanguage: 'de' });
      fake.requests.length = 0;
      const cached = translateResponseSchema.parse(
        (await postJson(`${bff.url}/api/v1/translate`, { texts: [...texts, 'Neu hier.'], targetLanguage: 'en', sourceLanguage: 'de' })).body,
      );
      expect(cached.translations).toEqual(['[en] Guten Morgen, wie geht es?', '[en] Der Bericht ist fertig.', '[en] Neu hier.']);
      expect(cached.usage.cachedItems).toBe(2);
      expect(fake.requests).toHaveLength(1);
      await postJson(`${bff.url}/api/v1/translate`, { texts, targetLanguage: 'fr', sourceLanguage: 'de' });
      expect(fake.requests).toHaveLength(2);

      fake.requests.length = 0;
      const text = 'The meeting moved to Friday. Anna books the room.';
      const first = summarizeResponseSchema.parse((await postJson(`${bff.url}/api/v1/summarize`, { text })).body);
      const { events } = await postStream(`${bff.url}/api/v1/summarize`, { text });
      const second = summarizeResponseSchema.parse(events.at(-1)!.data);
      expect(second.summary).toBe(first.summary);
      expect(second.usage.cachedItems).toBe(1);
      expect(
        events
          .filter((event) => event.event === 'text-delta')
          .map((event) => (event.data as { text: string }).text)
          .join(''),
      ).toBe(first.summary);
      expect(fake.requests).toHaveLength(1);
    } finally {
      await bff.close();
    }
  });

  test('CACHE=off sends everything to the provider', async () => {
    const bff = await startBff(openAiCompatibleEnvironment(fake.baseUrl, { CACHE: 'off', CACHE_PATH: path.join(folder, 'results.sqlite') }));
    try {
      await postJson(`${bff.url}/api/v1/classify`, { items: ['I lost my card'], labels });
      await postJson(`${bff.url}/api/v1/classify`, { items: ['I lost my card'], labels });
      expect(fake.requests).toHaveLength(2);
    } finally {
      await bff.close();
    }
  });
});

describe('Redis cache (REDIS_URL)', () => {
  let redis: RunningRedis;

  beforeAll(async () => {
    redis = await startRedisServer();
  });
  afterAll(async () => {
    await redis.stop();
  });

  test('two BFF instances share finished work through Redis', async () => {
    const environment = openAiCompatibleEnvironment(fake.baseUrl, { REDIS_URL: redis.url });
    const first = await startBff(environment);
    const second = await startBff(environment);
    try {
      const firstBody = classifyResponseSchema.parse((await postJson(`${first.url}/api/v1/classify`, { items: rows, labels })).body);
      expect(fake.requests.length).toBeGreaterThan(0);
      fake.requests.length = 0;
      const secondBody = classifyResponseSchema.parse((await postJson(`${second.url}/api/v1/classify`, { items: rows, labels })).body);
      expect(fake.requests).toHaveLength(0);
      expect(secondBody.usage.cachedItems).toBe(rows.length);
      expect(secondBody.results).toEqual(firstBody.results);
    } finally {
      await first.close();
      await second.close();
    }
  });

  test('a Redis that cannot be reached costs requests, never the answer', async () => {
    const bff = await startBff(openAiCompatibleEnvironment(fake.baseUrl, { REDIS_URL: `redis://127.0.0.1:${await freePort()}` }));
    try {
      const body = classifyResponseSchema.parse((await postJson(`${bff.url}/api/v1/classify`, { items: ['I lost my card'], labels })).body);
      expect(body.results[0]!.label).toBe('lost_or_stolen_card');
    } finally {
      await bff.close();
    }
  });
});

// The stores themselves: tenant partitions, the TTL on read (before any sweep or key expiry), the
// sweep of expired SQLite rows, and purging all entries or one tenant's.
describe('the stores: tenants, time and purging', () => {
  const wait = (milliseconds: number) => new Promise((resolve) => setTimeout(resolve, milliseconds));
  const countRows = (file: string) => {
    const database = new Database(file, { readonly: true });
    try {
      return (database.prepare('SELECT count(*) AS count FROM result_entries').get() as { count: number }).count;
    } finally {
      database.close();
    }
  };

  test('SQLite: an entry older than the TTL is not returned before any sweep, then the sweep deletes it, and opening the file does too', async () => {
    const file = path.join(folder, 'results.sqlite');
    // No scheduled sweep during the test: only the read may hide the expired entry.
    const cache = new SqliteResultCache(file, 1, { sweepIntervalMilliseconds: 3_600_000 });
    try {
      await cache.forTenant('tenant-a').setMany(new Map([['classify:k', 'refund']]));
      expect(await cache.forTenant('tenant-a').getMany(['classify:k'])).toEqual(new Map([['classify:k', 'refund']]));
      await wait(1100);
      expect(await cache.forTenant('tenant-a').getMany(['classify:k'])).toEqual(new Map());
      expect(countRows(file)).toBe(1);
      expect(cache.sweepExpired()).toBe(1);
      expect(countRows(file)).toBe(0);

      await cache.forTenant('tenant-a').setMany(new Map([['classify:k', 'refund']]));
    } finally {
      await cache.close();
    }
    await wait(1100);
    const reopened = new SqliteResultCache(file, 1);
    try {
      expect(countRows(file)).toBe(0);
    } finally {
      await reopened.close();
    }
  });

  test('SQLite: expired entries are deleted on a schedule while the server runs', async () => {
    const file = path.join(folder, 'results.sqlite');
    const cache = new SqliteResultCache(file, 1, { sweepIntervalMilliseconds: 200 });
    try {
      await cache.forTenant(undefined).setMany(new Map([['summarize:k', 'A summary.']]));
      expect(countRows(file)).toBe(1);
      await wait(1500);
      expect(countRows(file)).toBe(0);
    } finally {
      await cache.close();
    }
  });

  test('SQLite: a TTL lowered after writing applies to the entries already stored', async () => {
    const file = path.join(folder, 'results.sqlite');
    const longLived = new SqliteResultCache(file, 3600);
    await longLived.forTenant('t').setMany(new Map([['k', 'v']]));
    await longLived.close();
    await wait(1100);
    const shortLived = new SqliteResultCache(file, 1, { sweepIntervalMilliseconds: 3_600_000 });
    try {
      expect(await shortLived.forTenant('t').getMany(['k'])).toEqual(new Map());
    } finally {
      await shortLived.close();
    }
  });

  test('SQLite: tenants see only their own partition; purge empties one tenant or everything', async () => {
    const cache = new SqliteResultCache(path.join(folder, 'results.sqlite'), 3600);
    try {
      await cache.forTenant('tenant-a').setMany(new Map([['k', 'a']]));
      await cache.forTenant('TENANT-B').setMany(new Map([['k', 'b']]));
      await cache.forTenant(undefined).setMany(new Map([['k', 'local']]));
      expect(await cache.forTenant('tenant-a').getMany(['k'])).toEqual(new Map([['k', 'a']]));
      // Tenant ids compare as Entra writes them, in any case.
      expect(await cache.forTenant('tenant-b').getMany(['k'])).toEqual(new Map([['k', 'b']]));
      expect(await cache.forTenant('tenant-c').getMany(['k'])).toEqual(new Map());
      expect(await cache.getMany(['k'])).toEqual(new Map());

      expect(await cache.purge(tenantPartitionPrefix('tenant-a'))).toBe(1);
      expect(await cache.forTenant('tenant-a').getMany(['k'])).toEqual(new Map());
      expect(await cache.forTenant('tenant-b').getMany(['k'])).toEqual(new Map([['k', 'b']]));
      expect(await cache.purge()).toBe(2);
      expect(await cache.forTenant('tenant-b').getMany(['k'])).toEqual(new Map());
    } finally {
      await cache.close();
    }
  });

  describe('Redis', () => {
    let redis: RunningRedis;
    let client: Redis;

    beforeAll(async () => {
      redis = await startRedisServer();
      client = new Redis(redis.url);
    });
    afterAll(async () => {
      await client.quit();
      await redis.stop();
    });
    beforeEach(async () => {
      await client.flushall();
    });

    test('an entry older than the TTL is not returned, and Redis expires the key', async () => {
      const cache = new RedisResultCache(redis.url, 1);
      try {
        await cache.forTenant('tenant-a').setMany(new Map([['classify:k', 'refund']]));
        const [key] = await client.keys(`${redisResultKeyPrefix}*`);
        expect(key).toBe(`${redisResultKeyPrefix}${tenantPartitionPrefix('tenant-a')}classify:k`);
        expect(await client.ttl(key!)).toBe(1);
        expect(await cache.forTenant('tenant-a').getMany(['classify:k'])).toEqual(new Map([['classify:k', 'refund']]));
        await wait(1100);
        expect(await cache.forTenant('tenant-a').getMany(['classify:k'])).toEqual(new Map());
        expect(await client.exists(key!)).toBe(0);
      } finally {
        await cache.close();
      }
    });

    test('a TTL lowered after writing applies to the entries already stored, before Redis expires them', async () => {
      const longLived = new RedisResultCache(redis.url, 3600);
      const shortLived = new RedisResultCache(redis.url, 1);
      try {
        await longLived.forTenant('t').setMany(new Map([['k', 'v']]));
        await wait(1100);
        expect(await longLived.forTenant('t').getMany(['k'])).toEqual(new Map([['k', 'v']]));
        expect(await shortLived.forTenant('t').getMany(['k'])).toEqual(new Map());
      } finally {
        await longLived.close();
        await shortLived.close();
      }
    });

    test("tenants see only their own partition; purge deletes one tenant's keys or all of this cache's, nothing else in Redis", async () => {
      const cache = new RedisResultCache(redis.url, 3600);
      try {
        await client.set('office-llm-addin:rate:someone', '3');
        await client.set('another-application:key', 'kept');
        await cache.forTenant('tenant-a').setMany(new Map([['k', 'a']]));
        await cache.forTenant('tenant-b').setMany(new Map([['k', 'b']]));
        expect(await cache.forTenant('tenant-a').getMany(['k'])).toEqual(new Map([['k', 'a']]));
        expect(await cache.forTenant('tenant-c').getMany(['k'])).toEqual(new Map());

        expect(await cache.purge(tenantPartitionPrefix('tenant-a'))).toBe(1);
        expect(await cache.forTenant('tenant-a').getMany(['k'])).toEqual(new Map());
        expect(await cache.forTenant('tenant-b').getMany(['k'])).toEqual(new Map([['k', 'b']]));
        expect(await cache.purge()).toBe(1);
        expect((await client.keys('*')).sort()).toEqual(['another-application:key', 'office-llm-addin:rate:someone']);
      } finally {
        await cache.close();
      }
    });
  });
});
