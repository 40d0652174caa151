// No document content in logs at any level: canary strings go through every route, as JSON and as
// streams, through success and failure paths, and the captured logs (level trace) never contain them.
import { operationContracts } from '../../src/contract/schemas.js';
import { useBffWithFakeProvider } from '../support/bff.js';
import { postJson, postStream } from '../support/http-client.js';

const canary = 'CANARY-7f3e9b2a-do-not-log';

const setup = useBffWithFakeProvider({ LOG_LEVEL: 'trace', LLM_MAX_RETRIES: '1', LLM_TIMEOUT_MS: '1000', RATE_LIMIT_PER_MINUTE: '0' });

test('canaries through every route and failure path never reach the logs', async () => {
  const text = `Confidential: ${canary}. The merger closes on Friday.`;
  // Every operation of the registry with its example, the canary in each piece of free text; then the
  // fields whose text is not a sentence (glossary terms, labels, names).
  const requests: [string, unknown][] = [
    ...Object.values(operationContracts).map((contract): [string, unknown] => [contract.path, withCanary(contract.example)]),
    ['/api/v1/summarize', { text, kind: 'email' }],
    ['/api/v1/translate', { texts: [text, `${canary} zwei`], targetLanguage: 'de', glossary: { [canary]: canary } }],
    ['/api/v1/classify', { items: [text, canary], labels: [`label ${canary}`, 'other'], instructions: `Prefer ${canary}` }],
    ['/api/v1/reply', { message: text, instructions: `Say ${canary}`, senderName: canary }],
  ];
  expect(requests.length).toBeGreaterThan(Object.keys(operationContracts).length);
  for (const [path, body] of requests) {
    expect((await postJson(`${setup.bff.url}${path}`, body)).status).toBe(200);
    const streamed = await postStream(`${setup.bff.url}${path}`, body);
    expect(streamed.events.at(-1)?.event).toBe('done');
  }

  // Failure paths: invalid input that quotes the canary, provider errors that echo it, a cut stream, a timeout.
  expect((await postJson(`${setup.bff.url}/api/v1/classify`, { items: [text], labels: [canary, canary] })).status).toBe(400);
  expect((await postJson(`${setup.bff.url}/api/v1/summarize`, `{"text": "${canary}`)).status).toBe(400);
  setup.fake.enqueue({ kind: 'error', status: 400, message: `Invalid content near '${canary}'` });
  expect((await postJson(`${setup.bff.url}/api/v1/summarize`, { text })).status).toBe(502);
  setup.fake.enqueue(
    { kind: 'error', status: 500, message: `Crash while reading ${canary}` },
    { kind: 'error', status: 500, message: `Crash while reading ${canary}` },
  );
  expect((await postJson(`${setup.bff.url}/api/v1/summarize`, { text })).status).toBe(502);
  setup.fake.enqueue({ kind: 'cut-stream', afterChunks: 3 });
  expect((await postStream(`${setup.bff.url}/api/v1/summarize`, { text })).events.at(-1)?.event).toBe('error');
  setup.fake.enqueue({ kind: 'hang' }, { kind: 'hang' });
  expect((await postJson(`${setup.bff.url}/api/v1/summarize`, { text })).status).toBe(504);

  // The provider did see the canary (the test would be empty otherwise), the logs did not.
  expect(setup.fake.requests.some((request) => JSON.stringify(request.body).includes(canary))).toBe(true);
  expect(setup.bff.logs.length).toBeGreaterThan(20);
  expect(setup.bff.logs.filter((line) => line.includes('request failed')).length).toBeGreaterThan(3);
  const leaked = setup.bff.logs.filter((line) => line.includes(canary) || line.includes('merger closes'));
  expect(leaked).toEqual([]);
});

/** The example with the canary added to every string that is free text (has a space), not a choice such as "email". */
function withCanary(value: unknown): unknown {
  if (typeof value === 'string') return value.includes(' ') ? `${value} ${canary}` : value;
  if (Array.isArray(value)) return value.map(withCanary);
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([key, entry]) => [key, withCanary(entry)]));
  return value;
}
