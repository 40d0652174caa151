// The pane's API client calls the BFF on its own origin ('/api/v1/classify'). In Node there is no page
// origin: this resolves those paths against a running BFF's URL and counts the requests, then sends
// them with Node's real fetch (real HTTP, real SSE).
const originalFetch = globalThis.fetch;

export interface SameOriginFetch {
  /** Paths requested so far, such as /api/v1/classify. */
  readonly paths: string[];
  restore(): void;
}

export function useSameOriginFetch(origin: () => string): SameOriginFetch {
  const paths: string[] = [];
  globalThis.fetch = ((input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(typeof input === 'string' || input instanceof URL ? input : input.url, origin());
    paths.push(url.pathname);
    return originalFetch(url, init);
  }) as typeof fetch;
  return {
    paths,
    restore: () => {
      globalThis.fetch = originalFetch;
    },
  };
}
