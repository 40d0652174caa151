// The shared cache for several BFF instances behind a load balancer (REDIS_URL): MGET in one round
// trip, and SET … EX in one pipeline, so a 10,000-row sheet costs a handful of round trips.
import { Redis } from 'ioredis';
import type { ResultCache } from './result-cache.js';

const keyPrefix = 'office-llm-addin:result:';
const keysPerLookup = 1000;

export class RedisResultCache implements ResultCache {
  readonly kind = 'redis';
  private readonly client: Redis;

  constructor(
    url: string,
    private readonly ttlSeconds: number,
  ) {
    // A cache that cannot be reached must not stall requests: fail fast, and the work is simply done.
    this.client = new Redis(url, { keyPrefix, maxRetriesPerRequest: 1, enableOfflineQueue: true, connectTimeout: 2000, lazyConnect: false });
    this.client.on('error', () => undefined);
  }

  async getMany(keys: readonly string[]): Promise<Map<string, string>> {
    const found = new Map<string, string>();
    for (let start = 0; start < keys.length; start += keysPerLookup) {
      const slice = keys.slice(start, start + keysPerLookup);
      const values = await this.client.mget(...slice);
      values.forEach((value, index) => {
        const key = slice[index];
        if (value !== null && key !== undefined) found.set(key, value);
      });
    }
    return found;
  }

  async setMany(entries: ReadonlyMap<string, string>): Promise<void> {
    if (entries.size === 0) return;
    const pipeline = this.client.pipeline();
    for (const [key, value] of entries) pipeline.set(key, value, 'EX', this.ttlSeconds);
    await pipeline.exec();
  }

  async close(): Promise<void> {
    await this.client.quit().catch(() => this.client.disconnect());
  }
}
