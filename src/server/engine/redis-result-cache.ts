// The shared cache for several BFF instances behind a load balancer (REDIS_URL): MGET in one round
// trip, and SET … EX in one pipeline, so a 10,000-row sheet costs a handful of round trips.
//
// Time: Redis expires each key after the TTL by itself. The value also carries when it was stored, so a
// read drops an entry older than the TTL configured now, even one written under a longer TTL.
import { Redis } from 'ioredis';
import { cacheForTenant, type PurgeableResultStore, type ResultCache } from './result-cache.js';

/** Every key of this product's cache starts with it; purging touches nothing else in a shared Redis. */
export const redisResultKeyPrefix = 'office-llm-addin:result:';
const keysPerLookup = 1000;
const keysPerScan = 1000;

export class RedisResultCache implements ResultCache, PurgeableResultStore {
  readonly kind = 'redis';
  private readonly client: Redis;

  constructor(
    url: string,
    private readonly ttlSeconds: number,
  ) {
    // A cache that cannot be reached must not stall requests: fail fast, and the work is simply done.
    // No ioredis keyPrefix: it would not apply to SCAN's pattern, and purge works on whole keys.
    this.client = new Redis(url, { maxRetriesPerRequest: 1, enableOfflineQueue: true, connectTimeout: 2000, lazyConnect: false });
    this.client.on('error', () => undefined);
  }

  async getMany(keys: readonly string[]): Promise<Map<string, string>> {
    const found = new Map<string, string>();
    const oldestValid = Date.now() - this.ttlSeconds * 1000;
    for (let start = 0; start < keys.length; start += keysPerLookup) {
      const slice = keys.slice(start, start + keysPerLookup);
      const values = await this.client.mget(slice.map((key) => redisResultKeyPrefix + key));
      values.forEach((stored, index) => {
        const key = slice[index];
        const entry = stored === null ? undefined : parseEntry(stored);
        if (entry !== undefined && key !== undefined && entry.storedAt > oldestValid) found.set(key, entry.value);
      });
    }
    return found;
  }

  async setMany(entries: ReadonlyMap<string, string>): Promise<void> {
    if (entries.size === 0) return;
    const storedAt = Date.now();
    const pipeline = this.client.pipeline();
    for (const [key, value] of entries) pipeline.set(redisResultKeyPrefix + key, `${storedAt}:${value}`, 'EX', this.ttlSeconds);
    await pipeline.exec();
  }

  forTenant(tenantId: string | undefined): ResultCache {
    return cacheForTenant(this, tenantId);
  }

  async purge(partitionPrefix = ''): Promise<number> {
    // The prefixes are fixed text and hex hashes: no glob characters to escape.
    const pattern = `${redisResultKeyPrefix}${partitionPrefix}*`;
    let deleted = 0;
    let cursor = '0';
    do {
      const [next, keys] = await this.client.scan(cursor, 'MATCH', pattern, 'COUNT', keysPerScan);
      cursor = next;
      if (keys.length > 0) deleted += await this.client.unlink(...keys);
    } while (cursor !== '0');
    return deleted;
  }

  async close(): Promise<void> {
    await this.client.quit().catch(() => this.client.disconnect());
  }
}

/** `<stored at, ms>:<value>`; anything else (an entry of an older version) counts as expired. */
function parseEntry(stored: string): { storedAt: number; value: string } | undefined {
  const separator = stored.indexOf(':');
  const storedAt = Number(stored.slice(0, separator));
  if (separator <= 0 || !Number.isSafeInteger(storedAt)) return undefined;
  return { storedAt, value: stored.slice(separator + 1) };
}
