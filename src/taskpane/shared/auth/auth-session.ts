// The pane's sign-in, as one object: it asks the BFF once whether sign-in is on, picks the token
// provider (choose-token-provider.ts) and loads it on first use, so MSAL is its own chunk, fetched
// only when sign-in is on. The API client calls getAccessToken; the Sign-in button calls signIn.
import type { AccessTokenProvider, TokenOptions } from './access-token-provider.js';
import { chooseTokenProviderKind, type TokenProviderKind } from './choose-token-provider.js';
import type { AuthSettings, EntraSettings } from './client-config.js';

export interface AuthSession extends AccessTokenProvider {
  /** Which provider serves this pane, once the BFF's settings are known (loads no provider). */
  kind(): Promise<TokenProviderKind>;
  /** Loads the provider now (MSAL's chunk when sign-in is on), so the first run does not wait for it. */
  prepare(): Promise<void>;
}

export interface AuthSessionOptions {
  /** The BFF's settings; asked again on the next call when it failed (server down at start). */
  loadSettings: () => Promise<AuthSettings>;
  inOffice: boolean;
  nestedAppAuthSupported: () => boolean;
  /** The preview's test provider in development builds; undefined everywhere else. */
  testProvider?: AccessTokenProvider | undefined;
  location: Location;
}

const noToken: AccessTokenProvider = {
  getAccessToken: async () => undefined,
  signIn: async () => undefined,
};

async function loadProvider(kind: TokenProviderKind, auth: EntraSettings, options: AuthSessionOptions): Promise<AccessTokenProvider> {
  switch (kind) {
    case 'none':
      return noToken;
    case 'test-hook':
      return options.testProvider ?? noToken;
    case 'office-sso': {
      const { createOfficeSsoTokenProvider } = await import(/* webpackChunkName: "office-sso" */ './office-sso-token-provider.js');
      return createOfficeSsoTokenProvider();
    }
    case 'nested-app-auth':
    case 'msal-popup': {
      const { createMsalTokenProvider } = await import(/* webpackChunkName: "msal" */ './msal-token-provider.js');
      return createMsalTokenProvider(auth, kind === 'nested-app-auth' ? 'nested-app-auth' : 'popup', options.location);
    }
  }
}

export function createAuthSession(options: AuthSessionOptions): AuthSession {
  let chosen: Promise<{ kind: TokenProviderKind; auth: AuthSettings }> | undefined;
  let provider: Promise<AccessTokenProvider> | undefined;

  // A failed start (server unreachable, a chunk not loaded) is tried again on the next call.
  const retryLater = <Value>(promise: Promise<Value>): Promise<Value> => {
    promise.catch(() => {
      chosen = undefined;
      provider = undefined;
    });
    return promise;
  };
  const choose = () =>
    (chosen ??= retryLater(
      options.loadSettings().then((auth) => ({
        auth,
        kind: chooseTokenProviderKind({
          auth,
          inOffice: options.inOffice,
          nestedAppAuthSupported: options.inOffice && options.nestedAppAuthSupported(),
          testHookInstalled: !options.inOffice && options.testProvider !== undefined,
        }),
      })),
    ));
  const resolve = () => (provider ??= retryLater(choose().then(({ kind, auth }) => (auth.mode === 'off' ? noToken : loadProvider(kind, auth, options)))));

  return {
    kind: async () => (await choose()).kind,
    prepare: async () => {
      await resolve();
    },
    getAccessToken: async (tokenOptions: TokenOptions) => (await resolve()).getAccessToken(tokenOptions),
    signIn: async () => (await resolve()).signIn(),
  };
}

/** Starts asking the BFF for its settings now, so the answer is ready by the first click. */
export function prefetched<Value>(load: () => Promise<Value>): () => Promise<Value> {
  let first: Promise<Value> | undefined = load();
  first.catch(() => undefined);
  return () => {
    const answer = first ?? load();
    first = undefined;
    return answer;
  };
}
