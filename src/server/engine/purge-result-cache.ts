// Empties the result cache for an operator (`npm run cache:purge`): the configured store (the SQLite
// file at CACHE_PATH, or Redis at REDIS_URL), all of this product's entries or one tenant's. It works
// while BFFs are running: SQLite waits for their writes (WAL, busy timeout), Redis deletes by key.
import { existsSync } from 'node:fs';
import type { CacheStoreSettings } from '../config.js';
import { RedisResultCache } from './redis-result-cache.js';
import { tenantPartitionPrefix, type PurgeableResultStore } from './result-cache.js';
import { SqliteResultCache } from './sqlite-result-cache.js';

export interface PurgeOutcome {
  deleted: number;
  /** Where, for the operator: the file, or Redis' address without credentials. */
  store: string;
}

export async function purgeResultCache(settings: CacheStoreSettings, options: { tenantId?: string } = {}): Promise<PurgeOutcome> {
  const partition = options.tenantId === undefined ? undefined : tenantPartitionPrefix(options.tenantId);
  if (settings.kind === 'sqlite') {
    // Opening would create an empty file: nothing stored there means nothing to purge.
    if (!existsSync(settings.path)) return { deleted: 0, store: settings.path };
    return { deleted: await purgeAndClose(new SqliteResultCache(settings.path, settings.ttlSeconds), partition), store: settings.path };
  }
  const address = new URL(settings.url);
  const store = `${address.protocol}//${address.host}${address.pathname === '/' ? '' : address.pathname}`;
  try {
    return { deleted: await purgeAndClose(new RedisResultCache(settings.url, settings.ttlSeconds), partition), store };
  } catch (error) {
    throw new Error(`Redis at ${store} did not answer: check REDIS_URL and that Redis runs (${error instanceof Error ? error.message : String(error)})`, {
      cause: error,
    });
  }
}

async function purgeAndClose(store: PurgeableResultStore, partition: string | undefined): Promise<number> {
  try {
    return await store.purge(partition);
  } finally {
    await store.close();
  }
}
