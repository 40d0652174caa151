// What the cells of =AI.CLASSIFY, =AI.TRANSLATE and =AI.SUMMARIZE show, against the real BFF and the
// loopback OpenAI-protocol server: ranges in, arrays of the same shape out; Excel errors (never text
// that passes for an answer) for bad input, failed items, an outage, a budget, a missing sign-in;
// Stop cancels the work end to end; a large run waits for the pane's confirmation.
import { createFormulaBatcher, type FormulaBatcher } from '../../src/functions/formula-batcher.js';
import { createFormulaFunctions, type FormulaFunctions } from '../../src/functions/formula-functions.js';
import { createApiClient, type ApiClient } from '../../src/taskpane/shared/api/api-client.js';
import { SignInRequiredError } from '../../src/taskpane/shared/auth/access-token-provider.js';
import { english } from '../../src/taskpane/shared/i18n/messages.js';
import { useBffWithFakeProvider, type BffWithFakeProvider } from '../support/bff.js';
import { delimitedContent, fakeLabel, fakeTranslation } from '../support/fake-openai-server.js';
import { CustomFunctionsErrorStandIn, installCustomFunctionsStandIn, shown } from './support/custom-functions-stand-in.js';
import { useSameOriginFetch, type SameOriginFetch } from './support/same-origin-fetch.js';

installCustomFunctionsStandIn();
const provider = useBffWithFakeProvider({ LLM_MAX_RETRIES: '0', LLM_BREAKER_FAILURES: '1000', RATE_LIMIT_PER_MINUTE: '10000' });
const budgeted = useBffWithFakeProvider({ DAILY_TOKEN_BUDGET: '60' });
let sameOrigin: SameOriginFetch;
let origin: BffWithFakeProvider = provider;
beforeEach(() => {
  origin = provider;
  sameOrigin = useSameOriginFetch(() => origin.bff.url);
});
afterEach(() => sameOrigin.restore());

const labels = ['card arrival', 'refund request', 'exchange rate'];
const labelRange = labels.map((label) => [label]);
const tickets = ['My card has not arrived yet', 'I want a refund for my order', 'What exchange rate do you use?', 'Where is my card? It has not arrived'];

function session(options: { api?: ApiClient; confirmationThreshold?: number; recalculate?: () => void; displayLanguage?: string } = {}): {
  batcher: FormulaBatcher;
  functions: FormulaFunctions;
} {
  const batcher = createFormulaBatcher({
    api: options.api ?? createApiClient(),
    messages: english,
    ...(options.confirmationThreshold === undefined ? {} : { confirmationThreshold: options.confirmationThreshold }),
    ...(options.recalculate === undefined ? {} : { recalculate: options.recalculate }),
  });
  return { batcher, functions: createFormulaFunctions({ batcher, messages: english, displayLanguage: () => options.displayLanguage ?? 'en-US' }) };
}

const shownMatrix = (matrix: unknown[][]) => matrix.map((row) => row.map(shown));
const requestsTo = (operation: string) => sameOrigin.paths.filter((requestPath) => requestPath === `/api/v1/${operation}`).length;
const pause = (milliseconds: number) => new Promise((resolve) => setTimeout(resolve, milliseconds));

describe('ranges in, spilled arrays of the same shape out', () => {
  test('=AI.CLASSIFY over a 2×2 range keeps the shape; empty cells stay empty; labels from an array constant, repeats once', async () => {
    const { functions } = session();
    const result = await functions.classify(
      [
        [tickets[0], ''],
        [42, tickets[1]],
      ],
      [['card arrival', 'refund request', 'exchange rate', ' card arrival ']],
    );
    expect(shownMatrix(result)).toEqual([
      [fakeLabel(tickets[0] ?? '', labels), ''],
      [fakeLabel('42', labels), fakeLabel(tickets[1] ?? '', labels)],
    ]);
    expect(requestsTo('classify')).toBe(1);
  });

  test('=AI.TRANSLATE translates each cell, into the Office display language unless told', async () => {
    const { functions } = session({ displayLanguage: 'de-DE' });
    const column = [['Good morning'], [''], ['See you tomorrow']];
    const intoDisplayLanguage = shownMatrix(await functions.translate(column));
    expect(intoDisplayLanguage).toEqual([[expect.stringMatching(/^\[.+\] Good morning$/)], [''], [expect.stringMatching(/^\[.+\] See you tomorrow$/)]]);
    expect(provider.fake.requests[0]?.body.messages.find((message) => message.role === 'system')?.content).toMatch(/Translate into German/);
    await expect(functions.translate(column, 'fr', 'en').then(shownMatrix)).resolves.toEqual([
      [fakeTranslation('Good morning', 'fr')],
      [''],
      [fakeTranslation('See you tomorrow', 'fr')],
    ]);
    expect(requestsTo('translate')).toBe(2);
  });

  test('=AI.SUMMARIZE reads a range row by row as one text and answers in one cell', async () => {
    const { functions } = session();
    const result = await functions.summarize(
      [
        ['Release moves to Friday.', 'Anna fixes two issues.'],
        ['', ''],
        ['Ben updates the notes.', null],
      ],
      'short',
    );
    expect(result).toHaveLength(1);
    expect(result[0]).toHaveLength(1);
    expect(typeof result[0]?.[0]).toBe('string');
    expect(shown(result[0]?.[0])).not.toBe('');
    expect(provider.fake.requests.map((request) => delimitedContent(request.body))).toContain(
      'Release moves to Friday. Anna fixes two issues.\nBen updates the notes.',
    );
  });
});

describe('errors as Excel shows them', () => {
  test('no labels is #VALUE! in every cell of the shape, and nothing is asked', async () => {
    const { functions } = session();
    const result = await functions.classify([[tickets[0]], [tickets[1]]], [['', ' ']]);
    expect(result.flat().every((cell) => cell instanceof CustomFunctionsErrorStandIn && cell.code === '#VALUE!')).toBe(true);
    expect(shown(result[0]?.[0])).toMatch(/^#VALUE! Give at least one label/);
    expect(sameOrigin.paths).toEqual([]);
  });

  test('labels the BFF refuses are #VALUE!, and a length Excel cannot mean is #VALUE!', async () => {
    const { functions } = session();
    const result = await functions.classify([[tickets[0]]], [['bad\u0007label', 'fine']]);
    expect(shown(result[0]?.[0])).toBe('#VALUE! The formula input was refused (INVALID_REQUEST): check the text and labels.');
    expect(shown((await functions.summarize('Some text', 'tiny'))[0]?.[0])).toBe('#VALUE! Length is short, medium or long.');
  });

  test('=AI.TRANSLATE: a text the provider refuses errors only its own cell (perItemErrors)', async () => {
    provider.fake.setResponder((request) =>
      delimitedContent(request.body).includes('POISON') ? { kind: 'error', status: 400, message: 'content filtered' } : undefined,
    );
    const { functions } = session();
    const result = await functions.translate([['Good morning'], ['POISON text'], ['Thank you']], 'de');
    expect(shown(result[0]?.[0])).toBe(fakeTranslation('Good morning', 'de'));
    expect(result[1]?.[0]).toBeInstanceOf(CustomFunctionsErrorStandIn);
    expect(shown(result[1]?.[0])).toMatch(/^#N\/A No answer for this cell \(PROVIDER_REJECTED_REQUEST\)/);
    expect(shown(result[2]?.[0])).toBe(fakeTranslation('Thank you', 'de'));
    expect(requestsTo('translate')).toBe(1);
  });

  test('an outage is one #N/A message for every cell, and later windows are answered without asking again', async () => {
    provider.fake.setResponder(() => ({ kind: 'error', status: 503 }));
    const { functions } = session();
    const cells: Promise<unknown[][]>[] = [];
    // Three recalculation bursts, each after the batcher's window has closed.
    for (let burst = 0; burst < 3; burst += 1) {
      for (let row = 0; row < 100; row += 1) cells.push(functions.classify([[`ticket ${burst}-${row}`]], labelRange));
      await pause(300);
    }
    const shownCells = (await Promise.all(cells)).map((result) => shown(result[0]?.[0]));
    expect(new Set(shownCells)).toEqual(new Set(['#N/A The AI service is unavailable (PROVIDER_UNAVAILABLE): recalculate later.']));
    expect(requestsTo('classify')).toBe(1);
  });

  test('a daily budget the run does not fit is #N/A with its code; the BFF spends nothing upstream', async () => {
    origin = budgeted;
    const { functions } = session();
    const result = await functions.classify(
      tickets.map((ticket) => [ticket]),
      labelRange,
    );
    expect(new Set(result.map((row) => shown(row[0])))).toEqual(new Set(['#N/A Rate limit or daily budget reached (BUDGET_EXCEEDED): recalculate later.']));
    expect(budgeted.fake.requests).toHaveLength(0);
  });

  test('a missing sign-in is one #N/A for every cell: the token provider is asked once and the BFF never', async () => {
    let tokenRequests = 0;
    const api = createApiClient({
      getAccessToken: async () => {
        tokenRequests += 1;
        throw new SignInRequiredError('Sign in to continue.');
      },
    });
    const { functions } = session({ api });
    const cells: Promise<unknown[][]>[] = [];
    for (let burst = 0; burst < 3; burst += 1) {
      for (let row = 0; row < 50; row += 1) cells.push(functions.classify([[`ticket ${burst}-${row}`]], labelRange));
      await pause(300);
    }
    const shownCells = (await Promise.all(cells)).map((result) => shown(result[0]?.[0]));
    expect(new Set(shownCells)).toEqual(new Set(['#N/A Sign in in the AI pane, then recalculate.']));
    expect(tokenRequests).toBe(1);
    expect(sameOrigin.paths).toEqual([]);
  });
});

describe('cost and cancellation', () => {
  test('Stop cancels pending formula work end to end: the upstream call is closed and every waiting cell says so', async () => {
    provider.fake.setResponder(() => ({ kind: 'hang' }));
    const { batcher, functions } = session();
    const cells = tickets.map((ticket) => functions.classify([[ticket]], labelRange));
    // A cell calculated after the first request left: its own request is in flight too.
    const later = pause(60).then(() => functions.classify([['asked after the window closed']], labelRange));
    while (provider.fake.requests.length < 2) await pause(10);
    expect(batcher.activity()).toMatchObject({ requestsInFlight: 2, waitingCells: 5 });
    batcher.stop();
    const closed = await provider.fake.waitForClientClose();
    expect(closed.closedByClient).toBe(true);
    const shownCells = (await Promise.all([...cells, later])).map((result) => shown(result[0]?.[0]));
    expect(new Set(shownCells)).toEqual(new Set(['#N/A Stopped in the AI pane. Recalculate to run again.']));
    expect(batcher.activity()).toMatchObject({ waitingCells: 0, requestsInFlight: 0 });

    // The next calculation runs normally.
    provider.fake.setResponder(undefined);
    await expect(functions.classify([[tickets[0]]], labelRange).then(shownMatrix)).resolves.toEqual([[fakeLabel(tickets[0] ?? '', labels)]]);
  });

  test('above the threshold cells wait for the confirmation in the pane; confirming runs them on the recalculation', async () => {
    const texts = Array.from({ length: 80 }, (_, index) => `Ticket ${index}: my card has not arrived`);
    let recalculations = 0;
    const { batcher, functions } = session({ confirmationThreshold: 50, recalculate: () => (recalculations += 1) });
    const calculate = () => Promise.all(texts.map((text) => functions.classify([[text]], labelRange).then((result) => shown(result[0]?.[0]))));

    await expect(calculate()).resolves.toEqual(texts.map(() => '#N/A Confirm in the AI pane to run 80 cells.'));
    expect(sameOrigin.paths).toEqual([]);
    expect(batcher.activity().awaitingConfirmation).toBe(80);

    batcher.confirm();
    expect(recalculations).toBe(1);
    expect(batcher.activity().awaitingConfirmation).toBe(0);
    await expect(calculate()).resolves.toEqual(texts.map((text) => fakeLabel(text, labels)));
    expect(requestsTo('classify')).toBe(1);
  });
});
