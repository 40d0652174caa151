// Fault injection against the protocol-level test server: every request either succeeds after
// retries or fails with a clear, retryable error; in a 10,000-row classification no row is lost or
// misaligned, and a re-run of the failed rows finishes the rest. Sparse faults never open the circuit
// breaker; an outage opens it, so it costs a handful of upstream calls, and service resumes by itself.
import { classifyResponseSchema, errorEnvelopeSchema, type ClassifyResult } from '../../src/contract/schemas.js';
import { useBffWithFakeProvider } from '../support/bff.js';
import {
  classifyAnswerContent,
  classifyRequestParts,
  delimitedContent,
  fakeLabel,
  type FakeReply,
  type RecordedRequest,
} from '../support/fake-openai-server.js';
import { postJson } from '../support/http-client.js';
import { loadBanking77, seededRandom } from '../../bench/support-messages.js';

/** Faults of every kind, chosen per request by a seeded coin. */
function faultyResponder(random: () => number): (request: RecordedRequest) => FakeReply | undefined {
  return (request) => {
    const roll = random();
    if (roll < 0.08) return { kind: 'error', status: 429, headers: { 'retry-after-ms': '20' } };
    if (roll < 0.11) return { kind: 'error', status: 429 };
    if (roll < 0.15) return { kind: 'error', status: [500, 502, 503][Math.floor(random() * 3)]! };
    if (roll < 0.17) return { kind: 'drop' };
    if (roll < 0.2) return { kind: 'content', content: '{"results": [{"id": "1", "lab' };
    const parts = classifyRequestParts(request.body);
    if (parts === undefined) return undefined;
    const answer = parts.items.map((item) => ({ id: item.id, label: fakeLabel(item.text, parts.labels) }));
    if (roll < 0.24)
      return {
        kind: 'content',
        content: classifyAnswerContent(
          answer.filter((_, index) => index % 3 !== 0),
          parts.labels,
        ),
      };
    if (roll < 0.27) return { kind: 'content', content: classifyAnswerContent([...answer, ...answer.slice(0, 2)], parts.labels) };
    if (roll < 0.3)
      return {
        kind: 'content',
        content: classifyAnswerContent(
          answer.map((entry, index) => (index === 0 ? { ...entry, id: '9999' } : entry)),
          parts.labels,
        ),
      };
    if (roll < 0.33)
      return {
        kind: 'content',
        content: classifyAnswerContent(
          answer.map((entry, index) => (index === 1 ? { ...entry, label: 'not a label' } : entry)),
          parts.labels,
        ),
      };
    return undefined;
  };
}

const breakerFailures = 5;
const breakerCooldownMilliseconds = 3_000;
const setup = useBffWithFakeProvider({
  LLM_MAX_RETRIES: '3',
  LLM_TIMEOUT_MS: '2000',
  RATE_LIMIT_PER_MINUTE: '0',
  CACHE: 'off',
  LLM_BREAKER_FAILURES: String(breakerFailures),
  LLM_BREAKER_COOLDOWN_MS: String(breakerCooldownMilliseconds),
});

test('10,000 rows under injected faults: none lost or misaligned, failures retryable, a re-run finishes them', async () => {
  const random = seededRandom(20261128);
  const { rows, labels } = loadBanking77();
  const items = Array.from({ length: 10_000 }, () => rows[Math.floor(random() * rows.length)]!.text);
  setup.fake.setResponder(faultyResponder(random));

  const response = await postJson(`${setup.bff.url}/api/v1/classify`, { items, labels });
  expect(response.status).toBe(200);
  const results: ClassifyResult[] = classifyResponseSchema.parse(response.body).results;
  expect(results).toHaveLength(items.length);

  const misaligned = results.filter((result, index) => result.label !== null && result.label !== fakeLabel(items[index]!, labels));
  expect(misaligned).toEqual([]);
  const failed = results.map((result, index) => ({ result, index })).filter(({ result }) => result.label === null);
  for (const { result } of failed) expect(result.error?.retryable).toBe(true);
  // Random sparse faults are not an outage: the breaker never opened, so no row was refused by it.
  expect(failed.filter(({ result }) => result.error?.code === 'PROVIDER_UNAVAILABLE' && /paused/.test(result.error.message))).toEqual([]);
  // The faults were real: some requests failed and were retried.
  expect(setup.fake.requests.length).toBeGreaterThan(new Set(items).size / 25);

  // Re-run only the failed rows with a healthy provider: every one is finished.
  setup.fake.setResponder(undefined);
  if (failed.length > 0) {
    const rerun = await postJson(`${setup.bff.url}/api/v1/classify`, { items: failed.map(({ index }) => items[index]), labels });
    const rerunResults = classifyResponseSchema.parse(rerun.body).results;
    rerunResults.forEach((result, position) => {
      const index = failed[position]!.index;
      results[index] = result;
    });
  }
  results.forEach((result, index) => expect(result.label).toBe(fakeLabel(items[index]!, labels)));
}, 120_000);

test('the provider down for 30 seconds: each request fails with a clear retryable error at the cost of a handful of upstream calls, then service resumes by itself', async () => {
  const downMilliseconds = 30_000;
  const downUntil = Date.now() + downMilliseconds;
  let attemptsWhileDown = 0;
  setup.fake.setResponder(() => {
    if (Date.now() < downUntil) {
      attemptsWhileDown += 1;
      return attemptsWhileDown % 2 === 0 ? { kind: 'drop' } : { kind: 'error', status: 503 };
    }
    return undefined;
  });
  const outcomes: { status: number; code: string | undefined; retryable: boolean | undefined; retryAfter: string | null }[] = [];
  let firstSuccessAt: number | undefined;
  // Until the provider is back, plus a cool-down for the probe, plus a little.
  while (Date.now() < downUntil + breakerCooldownMilliseconds + 2_000) {
    const response = await postJson(`${setup.bff.url}/api/v1/summarize`, { text: 'Is the provider back yet? Please summarise.' });
    const envelope = response.status === 200 ? undefined : errorEnvelopeSchema.parse(response.body).error;
    outcomes.push({ status: response.status, code: envelope?.code, retryable: envelope?.retryable, retryAfter: response.headers.get('retry-after') });
    if (response.status === 200) firstSuccessAt ??= Date.now();
    if (response.status !== 200) await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
  const failures = outcomes.filter((outcome) => outcome.status !== 200);
  expect(failures.length).toBeGreaterThan(3);
  for (const failure of failures) {
    expect(failure).toMatchObject({ status: 503, code: 'PROVIDER_UNAVAILABLE', retryable: true });
    expect(Number(failure.retryAfter)).toBeGreaterThan(0);
  }
  expect(outcomes.at(-1)!.status).toBe(200);
  // Back within one cool-down (and the one-second pause between the client's tries) of the provider's return.
  expect(firstSuccessAt! - downUntil).toBeLessThan(breakerCooldownMilliseconds + 1_500);
  // The breaker opened after the first failures in a row: then one probe per cool-down, not 4 attempts per request.
  expect(attemptsWhileDown).toBeLessThanOrEqual(breakerFailures + Math.ceil(downMilliseconds / breakerCooldownMilliseconds) + 1);
  expect(attemptsWhileDown).toBeLessThan(failures.length);
  console.log(
    `provider down for 30 s: ${failures.length} requests answered 503 with Retry-After, ${attemptsWhileDown} upstream attempts (4 per request without the breaker); ` +
      `served again ${firstSuccessAt! - downUntil} ms after the provider returned`,
  );
}, 60_000);

test('a request with the provider in trouble answers within the deadline and names the problem', async () => {
  setup.fake.setResponder(() => ({ kind: 'hang' }));
  const started = Date.now();
  const response = await postJson(`${setup.bff.url}/api/v1/classify`, { items: ['a card question'], labels: ['card', 'other'] });
  expect(response.status).toBe(504);
  expect(errorEnvelopeSchema.parse(response.body).error).toMatchObject({ code: 'PROVIDER_TIMEOUT', retryable: true });
  // Four attempts of 2 s each plus backoff: bounded, not forever.
  expect(Date.now() - started).toBeLessThan(20_000);
  expect(delimitedContent(setup.fake.requests[0]!.body)).toContain('a card question');
}, 30_000);
