// The compact classify answer: short ids within a request and labels by number, {"1":3,"2":0}.
// Alignment is by id, never by position: a model that answers in another order still labels every
// row right, and a missing, repeated, unknown or out-of-range id fails only its own row (asked again).
import { countTokens } from 'gpt-tokenizer/encoding/o200k_base';
import { classifyResponseSchema } from '../../src/contract/schemas.js';
import { loadBanking77, seededRandom } from '../../bench/support-messages.js';
import { startBff, openAiCompatibleEnvironment, useBffWithFakeProvider } from '../support/bff.js';
import { classifyAnswerContent, classifyRequestParts, delimitedContent, type ChatCompletionBody } from '../support/fake-openai-server.js';
import { postJson } from '../support/http-client.js';

const setup = useBffWithFakeProvider({ LLM_MODEL: 'gpt-4o-mini', RATE_LIMIT_PER_MINUTE: '0', CACHE: 'off' });
const { rows, labels } = loadBanking77();
/** The true intent of each distinct message: a shifted row gets another row's intent and shows. */
const gold = new Map<string, string>();
for (const row of rows) if (!gold.has(row.text.replace(/\s+/gu, ' ').trim())) gold.set(row.text.replace(/\s+/gu, ' ').trim(), row.label);
// Every 30th distinct message: the file is grouped by intent, so this spreads the rows over the intents.
const items = [...gold.keys()].filter((_, index) => index % 30 === 0).slice(0, 300);
const goldLabel = (text: string) => gold.get(text) ?? 'not a label';

function shuffled<T>(values: readonly T[], random: () => number): T[] {
  const copy = [...values];
  for (let index = copy.length - 1; index > 0; index -= 1) {
    const other = Math.floor(random() * (index + 1));
    [copy[index], copy[other]] = [copy[other]!, copy[index]!];
  }
  return copy;
}

test('answers in shuffled order still label every row by its id', async () => {
  const random = seededRandom(12);
  const answered: string[][] = [];
  setup.fake.setResponder((request) => {
    const parts = classifyRequestParts(request.body);
    if (parts === undefined) return undefined;
    const entries = shuffled(
      parts.items.map((item) => ({ id: item.id, label: goldLabel(item.text) })),
      random,
    );
    answered.push(entries.map((entry) => entry.id));
    return { kind: 'content', content: classifyAnswerContent(entries, parts.labels) };
  });
  const response = await postJson(`${setup.bff.url}/api/v1/classify`, { items, labels });
  expect(response.status).toBe(200);
  const body = classifyResponseSchema.parse(response.body);
  expect(body.results.map((result) => result.label)).toEqual(items.map(goldLabel));
  // The test means something: the answers really came in another order, and the rows carry many different labels.
  expect(answered.some((ids) => ids.join() !== [...ids].sort((a, b) => Number(a) - Number(b)).join())).toBe(true);
  expect(new Set(items.map(goldLabel)).size).toBeGreaterThan(30);
  // Ids are short: 1 to n within each request.
  for (const request of setup.fake.requests) {
    const ids = classifyRequestParts(request.body)!.items.map((item) => item.id);
    expect(ids).toEqual(ids.map((_, position) => String(position + 1)));
  }
});

test('a missing, repeated, unknown or out-of-range id fails only its row, which is asked again alone', async () => {
  const batch = items.slice(0, 40);
  let faulty = true;
  setup.fake.setResponder((request) => {
    const parts = classifyRequestParts(request.body);
    if (parts === undefined) return undefined;
    const entries = parts.items.map((item) => ({ id: item.id, label: goldLabel(item.text) }));
    if (!faulty || entries.length === 1) return { kind: 'content', content: classifyAnswerContent(entries, parts.labels) };
    faulty = false;
    const [, second, third, ...rest] = entries;
    // Id 1 missing, id 2 twice (with different labels), id 3 a label number out of range, an unknown id 99.
    const mostly = classifyAnswerContent([second!, { id: '2', label: labels[0]! }, ...rest, { id: '99', label: labels[1]! }], parts.labels);
    const content = `${mostly.slice(0, -1)},${JSON.stringify(third!.id)}:${labels.length}}`;
    return { kind: 'content', content };
  });
  const response = await postJson(`${setup.bff.url}/api/v1/classify`, { items: batch, labels });
  const body = classifyResponseSchema.parse(response.body);
  expect(body.results.map((result) => result.label)).toEqual(batch.map(goldLabel));
  const sizes = setup.fake.requests.map((request) => classifyRequestParts(request.body)!.items.length);
  // One batch, then exactly the three rows without a valid answer, each alone.
  expect(sizes).toEqual([40, 1, 1, 1]);
  const reasked = setup.fake.requests.slice(1).map((request) => classifyRequestParts(request.body)!.items[0]!.text);
  expect(reasked.sort()).toEqual(batch.slice(0, 3).sort());
});

test('a row costs its text plus about 5 tokens: a one-token id, and a 4-token answer', async () => {
  const response = await postJson(`${setup.bff.url}/api/v1/classify`, { items, labels });
  expect(response.status).toBe(200);
  let overheadTokens = 0;
  let answerTokens = 0;
  let rowsSent = 0;
  for (const request of setup.fake.requests) {
    const parts = classifyRequestParts(request.body)!;
    overheadTokens += countTokens(delimitedContent(request.body)) - parts.items.reduce((total, item) => total + countTokens(item.text), 0);
    answerTokens += countTokens(
      classifyAnswerContent(
        parts.items.map((item) => ({ id: item.id, label: goldLabel(item.text) })),
        parts.labels,
      ),
    );
    rowsSent += parts.items.length;
  }
  expect(rowsSent).toBe(items.length);
  // Each line adds its id and a tab (the line break merges with the text's last token or costs one).
  expect(overheadTokens / rowsSent).toBeLessThanOrEqual(2);
  expect(answerTokens / rowsSent).toBeLessThanOrEqual(4.2);
  // The old {"results":[{"id":"1","label":"card_arrival"}]} answer cost more than twice as much.
  const oldAnswer = JSON.stringify({ results: items.map((text, index) => ({ id: String(index + 1), label: goldLabel(text) })) });
  expect(countTokens(oldAnswer) / items.length).toBeGreaterThan(2 * (answerTokens / rowsSent));
});

test('JSON mode (no schema): the prompt alone carries the format, and answers are still checked', async () => {
  const bff = await startBff(openAiCompatibleEnvironment(setup.fake.baseUrl, { LLM_MODEL: 'gpt-4o-mini', LLM_STRUCTURED_OUTPUT: 'json_object', CACHE: 'off' }));
  try {
    setup.fake.setResponder((request) => {
      const parts = classifyRequestParts(request.body);
      if (parts === undefined) return undefined;
      // Answers by number for most rows, by the label's text for the first, and out of range for the second (asked again).
      const entries = parts.items.map((item, position) =>
        position === 1 && parts.items.length > 1
          ? `"${item.id}":-1`
          : `"${item.id}":${position === 0 ? JSON.stringify(goldLabel(item.text)) : parts.labels.indexOf(goldLabel(item.text))}`,
      );
      return { kind: 'content', content: `{${entries.join(',')}}` };
    });
    const batch = items.slice(0, 50);
    const body = classifyResponseSchema.parse((await postJson(`${bff.url}/api/v1/classify`, { items: batch, labels })).body);
    expect(body.results.map((result) => result.label)).toEqual(batch.map(goldLabel));
    const first: ChatCompletionBody = setup.fake.requests[0]!.body;
    expect(first.response_format?.type).toBe('json_object');
    expect(first.messages[0]!.content).toContain('{"1":3,"2":0}');
  } finally {
    await bff.close();
  }
});
