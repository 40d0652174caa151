// The pane's bulk runs during a provider outage, end to end: the workflow over the real Excel adapter
// (office-addin-mock workbook), the pane's own API client (streamed, as the panels call it), the real
// BFF, and the loopback OpenAI-protocol server answering errors. One click costs a handful of upstream
// requests; the run stops instead of sending its next windows, keeps every row written, and says so;
// after the breaker's cool-down the next click finishes every row (resume skips rows already done).
import { createExcelSheetAccess } from '../../src/hosts/excel/excel-sheet-access.js';
import { createApiClient } from '../../src/taskpane/shared/api/api-client.js';
import { streamedClassify, streamedTranslate } from '../../src/taskpane/shared/api/streamed-cell-operations.js';
import { FAILED_CELL_PREFIX, WorkflowError, classifySheet, translateCells, type ClassifySheetOptions } from '../../src/workflows/index.js';
import { startBff, openAiCompatibleEnvironment, type RunningBff } from '../support/bff.js';
import {
  delimitedContent,
  fakeLabel,
  fakeTranslation,
  startFakeOpenAiServer,
  type FakeOpenAiServer,
  type RecordedRequest,
} from '../support/fake-openai-server.js';
import { ExcelMock } from '../hosts/mocks/excel-mock.js';

const labels = ['card_arrival', 'refund_request', 'lost_or_stolen_card'];
const subjects = ['my card has not arrived', 'I want a refund', 'my card was stolen'];
const ticket = (row: number) => `Ticket #${row}: ${subjects[row % subjects.length]}`;
const cooldownMilliseconds = 1000;
const sleep = (milliseconds: number) => new Promise((resolve) => setTimeout(resolve, milliseconds));

let fake: FakeOpenAiServer;
let bff: RunningBff;
/** Requests the pane sent to the BFF (its fetch of a same-origin path). */
let paneRequests = 0;
const originalFetch = globalThis.fetch;

beforeAll(async () => {
  fake = await startFakeOpenAiServer();
  // The pane calls its own origin: here that is the BFF on loopback.
  globalThis.fetch = ((input: RequestInfo | URL, init?: RequestInit) => {
    if (typeof input === 'string' && input.startsWith('/')) {
      paneRequests += 1;
      return originalFetch(new URL(input, bff.url), init);
    }
    return originalFetch(input, init);
  }) as typeof fetch;
});
beforeEach(async () => {
  // Each test gets its own BFF, so its own closed breaker; default retries (4) and breaker (5 failures in a row).
  bff = await startBff(
    openAiCompatibleEnvironment(fake.baseUrl, { RATE_LIMIT_PER_MINUTE: '0', LOG_LEVEL: 'warn', LLM_BREAKER_COOLDOWN_MS: String(cooldownMilliseconds) }),
  );
  paneRequests = 0;
});
afterEach(async () => {
  bff.app.server.closeAllConnections();
  await bff.close();
  fake.setResponder(undefined);
  fake.requests.splice(0);
});
afterAll(async () => {
  globalThis.fetch = originalFetch;
  await fake.close();
});

/** Row 0 is a header; rows 1..count hold tickets in A; labels go to B. */
function ticketWorkbook(count: number, text: (row: number) => string = ticket): ExcelMock {
  return new ExcelMock(
    [
      {
        id: 'sheet-1',
        name: 'Tickets',
        rowExtent: count + 1,
        columnExtent: 2,
        valueAt: (row, column) => (row === 0 ? ['Ticket', 'Label'][column]! : column === 0 ? text(row) : null),
      },
    ],
    { sheetId: 'sheet-1', row: 1, column: 0, rowCount: count, columnCount: 1 },
  );
}

function click(mock: ExcelMock, count: number, extra: Partial<ClassifySheetOptions> = {}) {
  return classifySheet(createExcelSheetAccess({ run: mock.run }), {
    rows: { startRow: 1, rowCount: count },
    inputColumns: [0],
    outputColumn: 1,
    overwrite: false,
    classify: streamedClassify(createApiClient(), labels),
    signal: new AbortController().signal,
    ...extra,
  });
}

async function failure(run: Promise<unknown>): Promise<WorkflowError> {
  const error = await run.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(WorkflowError);
  return error as WorkflowError;
}

const cellsOf = (mock: ExcelMock, count: number) => Array.from({ length: count }, (_, offset) => mock.cell('sheet-1', offset + 1, 1));

test('one click on 50 rows during a total outage costs a handful of upstream requests and stops with the reason; a click while the breaker is open costs none; after the cool-down the next click finishes every row', async () => {
  const mock = ticketWorkbook(50);
  fake.setResponder(() => ({ kind: 'error', status: 500 }));

  const first = await failure(click(mock, 50));
  const firstUpstream = fake.requests.length;
  expect(firstUpstream).toBeLessThanOrEqual(5);
  expect(paneRequests).toBe(1);
  expect(first.providerUnavailable).toBe(true);
  expect(first.message).toMatch(/unavailable/);
  expect(first.cause).toMatchObject({ code: 'PROVIDER_UNAVAILABLE', retryable: true });
  // The rows the BFF answered with the outage are marked (a later run retries them); none is lost.
  for (const value of cellsOf(mock, 50)) expect(String(value)).toMatch(new RegExp(`^${FAILED_CELL_PREFIX}PROVIDER_UNAVAILABLE`));

  const second = await failure(click(mock, 50));
  expect(second.providerUnavailable).toBe(true);
  const secondUpstream = fake.requests.length - firstUpstream;
  expect(secondUpstream).toBe(0);

  fake.setResponder(undefined);
  await sleep(cooldownMilliseconds + 100);
  const recovered = await click(mock, 50);
  expect(recovered).toEqual({ classified: 50, skipped: 0, failed: 0, empty: 0, changed: 0, moved: 0, stopped: false });
  cellsOf(mock, 50).forEach((value, offset) => expect(value).toBe(fakeLabel(ticket(offset + 1), labels)));
  console.log(
    `pane outage, one click on 50 rows: ${firstUpstream} upstream requests (1 BFF request); a second click while open: ${secondUpstream} upstream; ` +
      `after the cool-down: ${fake.requests.length - firstUpstream} upstream request(s), 50/50 rows labelled (${paneRequests} BFF requests in all)`,
  );
});

test('an outage midway: rows answered before it stay, the next windows are not sent, and the next run finishes the rest', async () => {
  const rows = 300;
  const mock = ticketWorkbook(rows);
  // The first window is answered (however many upstream batches the BFF makes of it); then the provider goes down.
  const firstWindowOnly = (request: RecordedRequest) =>
    [...delimitedContent(request.body).matchAll(/Ticket #(\d+):/g)].every((match) => Number(match[1]) <= 100);
  let answeredUpstream = 0;
  fake.setResponder((request) => {
    if (answeredUpstream === fake.requests.indexOf(request) && firstWindowOnly(request)) {
      answeredUpstream++;
      return undefined;
    }
    return { kind: 'drop' };
  });

  const stopped = await failure(click(mock, rows, { rowsPerWindow: 100 }));
  expect(stopped.providerUnavailable).toBe(true);
  expect(stopped.partial).toMatchObject({ answered: 100, failed: 100 });
  // Windows 1 and 2 were sent; window 3 was not.
  expect(paneRequests).toBe(2);
  // The outage itself costs a handful of upstream requests.
  expect(fake.requests.length - answeredUpstream).toBeLessThanOrEqual(6);
  const cells = cellsOf(mock, rows);
  cells.slice(0, 100).forEach((value, offset) => expect(value).toBe(fakeLabel(ticket(offset + 1), labels)));
  cells.slice(100, 200).forEach((value) => expect(String(value)).toMatch(new RegExp(`^${FAILED_CELL_PREFIX}PROVIDER_UNAVAILABLE`)));
  cells.slice(200).forEach((value) => expect(value).toBeNull());
  const outageUpstream = fake.requests.length;

  fake.setResponder(undefined);
  await sleep(cooldownMilliseconds + 100);
  const resumed = await click(mock, rows, { rowsPerWindow: 100 });
  expect(resumed).toEqual({ classified: 200, skipped: 100, failed: 0, empty: 0, changed: 0, moved: 0, stopped: false });
  cellsOf(mock, rows).forEach((value, offset) => expect(value).toBe(fakeLabel(ticket(offset + 1), labels)));
  console.log(
    `pane outage midway, 300 rows in windows of 100: 100 rows kept, ${outageUpstream} upstream requests, window 3 never sent; the next run labelled the other 200`,
  );
});

test('an outage inside a window (some batches answered, the rest refused by the open breaker): the rows answered are kept and the next window is not sent', async () => {
  const rows = 400;
  // Long rows: a window of 200 is several upstream batches.
  const longTicket = (row: number) => `${ticket(row)}. ${'I have been waiting for weeks and nobody answers my messages about it. '.repeat(6).trim()}`;
  const mock = ticketWorkbook(rows, longTicket);
  fake.setResponder((request) => (fake.requests.indexOf(request) === 0 ? undefined : { kind: 'error', status: 503 }));

  const stopped = await failure(click(mock, rows, { rowsPerWindow: 200 }));
  expect(stopped.providerUnavailable).toBe(true);
  // The BFF answered the window (200) with some rows labelled and the rest marked with the outage.
  expect(stopped.partial.answered).toBeGreaterThan(0);
  expect(stopped.partial.answered + stopped.partial.failed).toBe(200);
  expect(paneRequests).toBe(1);
  const cells = cellsOf(mock, rows);
  expect(cells.slice(0, 200).filter((value) => value !== null && !String(value).startsWith(FAILED_CELL_PREFIX))).toHaveLength(stopped.partial.answered);
  cells.slice(200).forEach((value) => expect(value).toBeNull());
  expect(fake.requests.length).toBeLessThanOrEqual(10);

  fake.setResponder(undefined);
  await sleep(cooldownMilliseconds + 100);
  const resumed = await click(mock, rows, { rowsPerWindow: 200 });
  expect(resumed).toEqual({
    classified: rows - stopped.partial.answered,
    skipped: stopped.partial.answered,
    failed: 0,
    empty: 0,
    changed: 0,
    moved: 0,
    stopped: false,
  });
  cellsOf(mock, rows).forEach((value, offset) => expect(value).toBe(fakeLabel(longTicket(offset + 1), labels)));
});

test('translating 50 cells during a total outage: a handful of upstream requests, the run stops with the reason; after the cool-down every cell is translated', async () => {
  const mock = ticketWorkbook(50);
  const translate = () =>
    translateCells(createExcelSheetAccess({ run: mock.run }), {
      rows: { startRow: 1, rowCount: 50 },
      sourceColumn: 0,
      outputColumn: 1,
      overwrite: false,
      translate: streamedTranslate(createApiClient(), 'de'),
      signal: new AbortController().signal,
    });
  fake.setResponder(() => ({ kind: 'error', status: 502 }));
  const stopped = await failure(translate());
  expect(stopped.providerUnavailable).toBe(true);
  expect(fake.requests.length).toBeLessThanOrEqual(5);
  // With per-item errors each row is marked with the outage (a later run retries it); nothing else is written.
  for (const value of cellsOf(mock, 50)) expect(value === null || String(value).startsWith(`${FAILED_CELL_PREFIX}PROVIDER_`)).toBe(true);

  fake.setResponder(undefined);
  await sleep(cooldownMilliseconds + 100);
  expect(await translate()).toEqual({ translated: 50, skipped: 0, failed: 0, empty: 0, changed: 0, moved: 0, stopped: false });
  cellsOf(mock, 50).forEach((value, offset) => expect(value).toBe(fakeTranslation(ticket(offset + 1), 'de')));
});
