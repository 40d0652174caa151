// =AI.CLASSIFY filled down 1,000 rows, against the real BFF and the loopback OpenAI-protocol server:
// the cells' calls are collected into a few requests, identical cells are asked once, a recalculation
// asks nothing and a reopened workbook is answered by the BFF's cache without the model.
// Excel calls a custom function once per cell, in bursts; this test calls the registered functions the
// same way, through the pane's real API client (src/taskpane/shared/api) over HTTP.
import path from 'node:path';
import { loadBanking77, seededRandom } from '../../bench/support-messages.js';
import { classify, useFormulaFunctions } from '../../src/functions/ai-functions.js';
import { createFormulaBatcher, type FormulaBatcher } from '../../src/functions/formula-batcher.js';
import { createFormulaFunctions, type FormulaFunctions } from '../../src/functions/formula-functions.js';
import { createApiClient } from '../../src/taskpane/shared/api/api-client.js';
import { english } from '../../src/taskpane/shared/i18n/messages.js';
import { useBffWithFakeProvider } from '../support/bff.js';
import { fakeLabel } from '../support/fake-openai-server.js';
import { installCustomFunctionsStandIn, shown } from './support/custom-functions-stand-in.js';
import { useSameOriginFetch, type SameOriginFetch } from './support/same-origin-fetch.js';
import { temporaryFolder } from '../support/temporary-folder.js';

installCustomFunctionsStandIn();
const cachePath = path.join(temporaryFolder('formula-cache'), 'results.sqlite');
const provider = useBffWithFakeProvider({ CACHE_PATH: cachePath, RATE_LIMIT_PER_MINUTE: '10000' });
let sameOrigin: SameOriginFetch;
beforeEach(() => {
  sameOrigin = useSameOriginFetch(() => provider.bff.url);
});
afterEach(() => sameOrigin.restore());

const { rows, labels: allLabels } = loadBanking77();
const random = seededRandom(13);
const sample = (pool: number, count: number) => Array.from({ length: count }, () => rows[Math.floor(random() * pool)]?.text ?? '');
/** A support sheet's column: 1,000 rows drawn from 200 banking77 messages, so messages recur as in a real queue. */
const column = sample(200, 1_000);
const labels = allLabels.slice(0, 12);
const labelRange = labels.map((label) => [label]);

function workbookSession(): { batcher: FormulaBatcher; functions: FormulaFunctions } {
  const batcher = createFormulaBatcher({ api: createApiClient(), messages: english });
  return { batcher, functions: createFormulaFunctions({ batcher, messages: english, displayLanguage: () => 'en-US' }) };
}

/** Excel's calculation: one call per cell (=AI.CLASSIFY(A2, $L$1:$L$12) filled down), delivered in bursts of 100. */
async function calculateColumn(call: (text: string) => Promise<unknown[][]>, texts: readonly string[] = column): Promise<string[]> {
  const pending: Promise<unknown[][]>[] = [];
  for (let start = 0; start < texts.length; start += 100) {
    for (const text of texts.slice(start, start + 100)) pending.push(call(text));
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  return (await Promise.all(pending)).map((result) => shown(result[0]?.[0]));
}

const bffRequests = () => sameOrigin.paths.filter((requestPath) => requestPath === '/api/v1/classify').length;

test('1,000 cells cost at most 10 BFF and 10 upstream requests; a recalculation none; a reopened workbook no model call', async () => {
  const distinct = new Set(column).size;
  const expected = column.map((text) => fakeLabel(text, labels));

  // The functions Excel calls (ai-functions.ts), set up as the functions page does.
  const first = workbookSession();
  useFormulaFunctions(first.functions);
  await expect(calculateColumn((text) => classify([[text]], labelRange))).resolves.toEqual(expected);
  const firstRun = { bff: bffRequests(), upstream: provider.fake.requests.length };
  console.log(`1,000 =AI.CLASSIFY cells (${distinct} distinct texts, 12 labels): ${firstRun.bff} BFF request(s), ${firstRun.upstream} upstream request(s)`);
  expect(firstRun.bff).toBeGreaterThanOrEqual(1);
  expect(firstRun.bff).toBeLessThanOrEqual(10);
  expect(firstRun.upstream).toBeGreaterThanOrEqual(1);
  expect(firstRun.upstream).toBeLessThanOrEqual(10);

  // A full recalculation in the same session: answered from the session's memory.
  await expect(calculateColumn((text) => classify([[text]], labelRange))).resolves.toEqual(expected);
  expect({ bff: bffRequests(), upstream: provider.fake.requests.length }).toEqual(firstRun);

  // The workbook reopened (a new runtime): the BFF is asked again and its cache answers every row.
  const reopened = workbookSession();
  await expect(calculateColumn((text) => reopened.functions.classify([[text]], labelRange))).resolves.toEqual(expected);
  const recalculation = { bff: bffRequests() - firstRun.bff, upstream: provider.fake.requests.length - firstRun.upstream };
  console.log(`recalculation after reopening: ${recalculation.bff} BFF request(s), ${recalculation.upstream} upstream request(s)`);
  expect(recalculation.upstream).toBe(0);
  expect(recalculation.bff).toBeLessThanOrEqual(10);
  expect(reopened.batcher.activity()).toMatchObject({ waitingCells: 0, requestsInFlight: 0 });
});

test('1,000 nearly all different rows: at most 10 BFF requests, which the BFF spreads over one wave of its parallel upstream calls', async () => {
  const texts = sample(rows.length, 1_000);
  const { functions } = workbookSession();
  await expect(calculateColumn((text) => functions.classify([[text]], labelRange), texts)).resolves.toEqual(texts.map((text) => fakeLabel(text, labels)));
  const counts = { bff: bffRequests(), upstream: provider.fake.requests.length };
  console.log(
    `1,000 =AI.CLASSIFY cells (${new Set(texts).size} distinct texts, 12 labels): ${counts.bff} BFF request(s), ${counts.upstream} upstream request(s)`,
  );
  expect(counts.bff).toBeLessThanOrEqual(10);
  // The BFF's planner (classify.ts) spreads a request over parallel upstream calls of at least 100 rows.
  expect(counts.upstream).toBeLessThanOrEqual(10);
});

test('one formula over the whole range: =AI.CLASSIFY(A2:A1001, L1:L12) spills one label per row in one column', async () => {
  const { functions } = workbookSession();
  const range = column.slice(0, 300).map((text) => [text]);
  range[5] = [''];
  const result = await functions.classify(range, labelRange);
  expect(result).toHaveLength(300);
  expect(result.every((row) => row.length === 1)).toBe(true);
  expect(result[5]).toEqual(['']);
  expect(result.map((row) => shown(row[0]))).toEqual(range.map(([text = '']) => (text === '' ? '' : fakeLabel(text, labels))));
  expect(bffRequests()).toBe(1);
});
