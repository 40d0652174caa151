// The cache of finished work: identical work (operation, model, the options that change the answer,
// the input, and the prompt version) is answered from it instead of the provider. It stores results
// only (labels, translations, summaries), never failures. Keys are SHA-256 hashes, so the store holds
// no document text in its keys; values are the results the user asked for.
import { createHash } from 'node:crypto';

export interface ResultCache {
  readonly kind: 'sqlite' | 'redis' | 'off';
  /** The stored values of the keys found; missing and expired keys are absent. */
  getMany(keys: readonly string[]): Promise<Map<string, string>>;
  setMany(entries: ReadonlyMap<string, string>): Promise<void>;
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

/** No cache (CACHE=off): every request goes to the provider. */
export class NoResultCache implements ResultCache {
  readonly kind = 'off';
  async getMany(): Promise<Map<string, string>> {
    return new Map();
  }
  async setMany(): Promise<void> {}
  async close(): Promise<void> {}
}
