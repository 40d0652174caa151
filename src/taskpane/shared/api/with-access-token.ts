// The sign-in every client of the BFF sends (api-client.ts, jobs-client.ts): a bearer token when the BFF
// requires sign-in, and after a 401 one more try with a fresh token, in case the cached one was stale.
// A 401 comes before any stream event, so the retry repeats nothing the user saw.
import type { TokenOptions } from '../auth/access-token-provider.js';
import { ApiError } from './api-error.js';

export type AccessTokenSource = ((options: TokenOptions) => Promise<string | undefined>) | undefined;

/** Calls `call` with the Authorization header for `getAccessToken` (none without one). */
export async function withAccessToken<Result>(getAccessToken: AccessTokenSource, call: (headers: Record<string, string>) => Promise<Result>): Promise<Result> {
  if (getAccessToken === undefined) return call({});
  try {
    return await call(bearer(await getAccessToken({ forceRefresh: false })));
  } catch (error) {
    if (!(error instanceof ApiError && error.status === 401)) throw error;
  }
  return call(bearer(await getAccessToken({ forceRefresh: true })));
}

function bearer(token: string | undefined): Record<string, string> {
  return token === undefined ? {} : { authorization: `Bearer ${token}` };
}
