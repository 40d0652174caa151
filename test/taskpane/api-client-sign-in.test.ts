// The API client's side of sign-in: it sends the bearer token, retries a 401 once with
// forceRefresh, and then gives up with the 401 (so the pane asks the user to sign in). fetch is a
// stand-in here; test/browser/sign-in.test.ts runs the same path against the real BFF.
import { jest } from '@jest/globals';
import { createApiClient } from '../../src/taskpane/shared/api/api-client.js';
import { ApiError } from '../../src/taskpane/shared/api/api-error.js';

const originalFetch = globalThis.fetch;
afterEach(() => {
  globalThis.fetch = originalFetch;
});

const unauthorized = () =>
  new Response(JSON.stringify({ error: { code: 'UNAUTHENTICATED', message: 'Your sign-in has expired. Sign in again.', retryable: false } }), {
    status: 401,
    headers: { 'content-type': 'application/json' },
  });
const forbidden = () =>
  new Response(JSON.stringify({ error: { code: 'FORBIDDEN', message: 'Your organisation is not allowed to use this add-in.', retryable: false } }), {
    status: 403,
    headers: { 'content-type': 'application/json' },
  });
const streamed = (summary: string) =>
  new Response(
    `event: done\ndata: ${JSON.stringify({ summary, model: 'm', usage: { promptTokens: 1, completionTokens: 1, requests: 1, cachedItems: 0 } })}\n\n`,
    {
      status: 200,
      headers: { 'content-type': 'text/event-stream' },
    },
  );

/** Answers in order, recording the Authorization header of each request. */
function fetchAnswering(...answers: (() => Response)[]): (string | null)[] {
  const authorizations: (string | null)[] = [];
  globalThis.fetch = jest.fn(async (_input: RequestInfo | URL, init?: RequestInit) => {
    authorizations.push(new Headers(init?.headers).get('authorization'));
    const answer = answers.shift();
    if (answer === undefined) throw new Error('no more answers');
    return answer();
  }) as typeof fetch;
  return authorizations;
}

test('sends the token as a bearer header', async () => {
  const authorizations = fetchAnswering(() => streamed('ok'));
  const api = createApiClient({ getAccessToken: async () => 'token-1' });
  await expect(api.run('summarize', { text: 'x' })).resolves.toMatchObject({ summary: 'ok' });
  expect(authorizations).toEqual(['Bearer token-1']);
});

test('a 401 is retried once with a fresh token, which can succeed', async () => {
  const authorizations = fetchAnswering(unauthorized, () => streamed('ok'));
  const requests: boolean[] = [];
  const api = createApiClient({
    getAccessToken: async ({ forceRefresh }) => {
      requests.push(forceRefresh);
      return forceRefresh ? 'fresh' : 'stale';
    },
  });
  await expect(api.run('summarize', { text: 'x' })).resolves.toMatchObject({ summary: 'ok' });
  expect(requests).toEqual([false, true]);
  expect(authorizations).toEqual(['Bearer stale', 'Bearer fresh']);
});

test('a second 401 ends with the 401: no loop', async () => {
  fetchAnswering(unauthorized, unauthorized);
  const getAccessToken = jest.fn(async () => undefined);
  const api = createApiClient({ getAccessToken });
  const error = await api.run('translate', { texts: ['x'], targetLanguage: 'de' }).catch((failure: unknown) => failure);
  expect(error).toBeInstanceOf(ApiError);
  expect((error as ApiError).status).toBe(401);
  expect(getAccessToken).toHaveBeenCalledTimes(2);
});

test('a 403 is not retried: a new token would not change the answer', async () => {
  fetchAnswering(forbidden);
  const getAccessToken = jest.fn(async () => 'token');
  const error = await createApiClient({ getAccessToken })
    .run('classify', { items: ['x'], labels: ['a'] })
    .catch((failure: unknown) => failure);
  expect((error as ApiError).status).toBe(403);
  expect(getAccessToken).toHaveBeenCalledTimes(1);
});

test('without a token getter nothing is retried and no header is sent', async () => {
  const authorizations = fetchAnswering(unauthorized);
  await expect(createApiClient().run('summarize', { text: 'x' })).rejects.toMatchObject({ status: 401 });
  expect(authorizations).toEqual([null]);
});
