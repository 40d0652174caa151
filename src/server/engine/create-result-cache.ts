// Chooses the cache from configuration: Redis when REDIS_URL is set, off with CACHE=off, otherwise
// the embedded SQLite file (CACHE_PATH).
import type { CacheSettings } from '../config.js';
import { RedisResultCache } from './redis-result-cache.js';
import { cacheForTenant, NoResultCache, type ResultCache } from './result-cache.js';
import { SqliteResultCache } from './sqlite-result-cache.js';

export function createResultCache(settings: CacheSettings): ResultCache {
  if (settings.kind === 'off') return new NoResultCache();
  if (settings.kind === 'redis') return new TolerantResultCache(new RedisResultCache(settings.url, settings.ttlSeconds));
  return new TolerantResultCache(new SqliteResultCache(settings.path, settings.ttlSeconds));
}

/** A cache that fails (Redis down, disk full) makes work cost again; it never fails the request. */
export class TolerantResultCache implements ResultCache {
  readonly kind: ResultCache['kind'];
  failures = 0;

  constructor(private readonly inner: ResultCache) {
    this.kind = inner.kind;
  }

  async getMany(keys: readonly string[]): Promise<Map<string, string>> {
    try {
      return await this.inner.getMany(keys);
    } catch {
      this.failures += 1;
      return new Map();
    }
  }

  async setMany(entries: ReadonlyMap<string, string>): Promise<void> {
    try {
      await this.inner.setMany(entries);
    } catch {
      this.failures += 1;
    }
  }

  forTenant(tenantId: string | undefined): ResultCache {
    return cacheForTenant(this, tenantId);
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
