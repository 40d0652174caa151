// The cache of finished work: identical work (operation, model, the options that change the answer,
// the input, and the prompt version) is answered from it instead of the provider. It stores results
// only (labels, translations, summaries), never failures. Keys are SHA-256 hashes, so the store holds
// no document text in its keys; values are the results the user asked for.
//
// Tenancy: the routes read and write through `forTenant(tenantId)`, which puts every key in its
// tenant's partition. A hit, and `usage.cachedItems`, would otherwise tell a caller that someone in
// another organisation already processed this exact text, and hand over their result. The users of
// one tenant do share a partition: one company's translations and labels reused by its colleagues are
// the point of the cache, and the tenant (one organisation, one administrator) is the trust boundary.
// Without sign-in (loopback development only) every caller is in the one `local` partition.
import { createHash } from 'node:crypto';

export interface ResultCache {
  readonly kind: 'sqlite' | 'redis' | 'off';
  /** The stored values of the keys found; missing entries and entries older than the TTL are absent. */
  getMany(keys: readonly string[]): Promise<Map<string, string>>;
  setMany(entries: ReadonlyMap<string, string>): Promise<void>;
  /** The same store seen by one tenant: its keys live in that tenant's partition only. */
  forTenant(tenantId: string | undefined): ResultCache;
  close(): Promise<void>;
}

/** A store that can be emptied: by `npm run cache:purge`, all of it or one tenant's partition. */
export interface PurgeableResultStore {
  /** Deletes this product's entries (only those whose key starts with `partitionPrefix`, when given); returns how many. */
  purge(partitionPrefix?: string): Promise<number>;
  close(): Promise<void>;
}

/**
 * Bump when a prompt or the parsing of an answer changes: older results then miss, and are redone.
 * Each operation passes its own.
 */
export interface CacheKeyParts {
  operation: string;
  promptVersion: number;
  modelId: string;
  /** Only the options that change the answer (labels, target language…), in a stable order. */
  options: unknown;
}

/** A key builder for one request: the shared parts are hashed once, each input adds to a copy. */
export function cacheKeyer(parts: CacheKeyParts): (input: string) => string {
  const prefix = createHash('sha256').update(JSON.stringify([parts.operation, parts.promptVersion, parts.modelId, parts.options]));
  return (input) => `${parts.operation}:${prefix.copy().update('\u0000').update(input).digest('base64url')}`;
}

/**
 * The key prefix of a tenant's partition. Tenant ids are hashed (hex) so every key has one shape and
 * no character of an id can act as a LIKE or glob pattern when a partition is purged.
 */
export function tenantPartitionPrefix(tenantId: string | undefined): string {
  if (tenantId === undefined) return 'local/';
  return `t-${createHash('sha256').update(tenantId.trim().toLowerCase()).digest('hex').slice(0, 32)}/`;
}

/** The store seen by one tenant (see the top of this file); its entries live under the tenant's prefix. */
export function cacheForTenant(cache: ResultCache, tenantId: string | undefined): ResultCache {
  return new TenantResultCache(cache, tenantPartitionPrefix(tenantId));
}

class TenantResultCache implements ResultCache {
  readonly kind: ResultCache['kind'];

  constructor(
    private readonly store: ResultCache,
    private readonly prefix: string,
  ) {
    this.kind = store.kind;
  }

  async getMany(keys: readonly string[]): Promise<Map<string, string>> {
    const found = await this.store.getMany(keys.map((key) => this.prefix + key));
    const unprefixed = new Map<string, string>();
    for (const [key, value] of found) unprefixed.set(key.slice(this.prefix.length), value);
    return unprefixed;
  }

  async setMany(entries: ReadonlyMap<string, string>): Promise<void> {
    const prefixed = new Map<string, string>();
    for (const [key, value] of entries) prefixed.set(this.prefix + key, value);
    await this.store.setMany(prefixed);
  }

  /** Another tenant's view of the same store, never a partition inside this one. */
  forTenant(tenantId: string | undefined): ResultCache {
    return cacheForTenant(this.store, tenantId);
  }

  /** A view per request: the store itself is closed with the app. */
  async close(): Promise<void> {}
}

/** No cache (CACHE=off): every request goes to the provider. */
export class NoResultCache implements ResultCache {
  readonly kind = 'off';
  async getMany(): Promise<Map<string, string>> {
    return new Map();
  }
  async setMany(): Promise<void> {}
  forTenant(): ResultCache {
    return this;
  }
  async close(): Promise<void> {}
}
