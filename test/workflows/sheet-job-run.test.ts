// An Excel classification that runs as a durable job, end to end: the workflow over the real Excel
// adapter (office-addin-mock workbook, document settings in memory as the file keeps them), the pane's
// jobs client and streamed client, the real BFF (its SQLite job store, one worker) and the loopback
// OpenAI-protocol server. The pane closes mid-run (its requests are dropped), the user edits rows, the
// pane reopens: the run continues, every row is written once, the user's edits are left alone. Stop
// cancels the job upstream. The client survives a cut event stream by fetching what it missed by range.
import { createExcelSheetAccess, type DocumentSettings } from '../../src/hosts/excel/excel-sheet-access.js';
import type { SheetAccess } from '../../src/hosts/host-adapter.js';
import { PreviewSheet, createWorkbookStore } from '../../src/hosts/preview/preview-sheet.js';
import { createApiClient } from '../../src/taskpane/shared/api/api-client.js';
import { createJobsClient } from '../../src/taskpane/shared/api/jobs-client.js';
import { streamedClassify } from '../../src/taskpane/shared/api/streamed-cell-operations.js';
import { keptSheetJob, resumeSheetJob, startSheetJob, stopSheetJob, type SheetJobRunOptions } from '../../src/workflows/index.js';
import { openAiCompatibleEnvironment, startBff, type RunningBff } from '../support/bff.js';
import { fakeLabel, startFakeOpenAiServer, type FakeOpenAiServer } from '../support/fake-openai-server.js';
import { ExcelMock } from '../hosts/mocks/excel-mock.js';

const LABELS = ['billing', 'shipping', 'other'];
const ROWS = 120;
const ticket = (row: number) => (row % 2 === 0 ? `Ticket ${row}: the invoice billing amount is wrong` : `Ticket ${row}: the parcel shipping is late`);

let fake: FakeOpenAiServer;
let bff: RunningBff;
/** Paths and bodies the pane sent to the BFF. */
const sent: { path: string; method: string; body?: unknown }[] = [];
/** A test may cut the next event stream after this many bytes (a lost connection). */
let cutNextEventsAfterBytes: number | undefined;
const originalFetch = globalThis.fetch;

beforeAll(async () => {
  fake = await startFakeOpenAiServer();
  // Small batches, one worker: a 120-row job takes a dozen upstream calls, long enough to close the pane in between.
  bff = await startBff(
    openAiCompatibleEnvironment(fake.baseUrl, { RATE_LIMIT_PER_MINUTE: '0', LOG_LEVEL: 'warn', JOB_BATCH_SIZE: '10', JOB_WORKER_CONCURRENCY: '1' }),
  );
  // The pane calls its own origin: here that is the BFF on loopback.
  globalThis.fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
    if (typeof input !== 'string' || !input.startsWith('/')) return originalFetch(input, init);
    sent.push({ path: input, method: init?.method ?? 'GET', ...(typeof init?.body === 'string' ? { body: JSON.parse(init.body) as unknown } : {}) });
    const response = await originalFetch(new URL(input, bff.url), init);
    if (cutNextEventsAfterBytes === undefined || !input.endsWith('/events') || response.body === null) return response;
    const limit = cutNextEventsAfterBytes;
    cutNextEventsAfterBytes = undefined;
    return new Response(cutAfter(response.body, limit), { status: response.status, headers: response.headers });
  }) as typeof fetch;
});
afterAll(async () => {
  globalThis.fetch = originalFetch;
  bff.app.server.closeAllConnections();
  await bff.close();
  await fake.close();
});
beforeEach(() => {
  sent.splice(0);
  fake.setResponder(undefined);
});

/** The body, until `limit` bytes have passed: then the connection "drops" (the stream errors). */
function cutAfter(body: ReadableStream<Uint8Array>, limit: number): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  let passed = 0;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { value, done } = await reader.read();
      if (done) return controller.close();
      if (passed + value.byteLength > limit) {
        controller.enqueue(value.slice(0, Math.max(0, limit - passed)));
        await reader.cancel();
        controller.error(new TypeError('terminated'));
        return;
      }
      passed += value.byteLength;
      controller.enqueue(value);
    },
    cancel: () => reader.cancel(),
  });
}

/** Office.context.document.settings for one workbook: kept in memory, as the file would keep them. */
function workbookSettings(): DocumentSettings {
  const values = new Map<string, unknown>();
  return {
    get: (name) => structuredClone(values.get(name)),
    set: (name, value) => void values.set(name, structuredClone(value)),
    saveAsync: (callback) => callback?.({ status: 'succeeded' } as unknown as Office.AsyncResult<void>),
  };
}

/** Tickets: A1 is a header, A2:A121 tickets, B empty; Notes: another sheet. The adapter counts every cell it writes. */
function workbook() {
  const mock = new ExcelMock(
    [
      {
        id: 'sheet-1',
        name: 'Tickets',
        rowExtent: ROWS + 1,
        columnExtent: 2,
        valueAt: (row, column) => (column === 0 ? (row === 0 ? 'Text' : ticket(row)) : null),
      },
      { id: 'sheet-2', name: 'Notes', rowExtent: ROWS + 1, columnExtent: 2, valueAt: (row, column) => (column === 0 ? `note ${row}` : null) },
    ],
    { sheetId: 'sheet-1', row: 0, column: 0, rowCount: ROWS + 1, columnCount: 1 },
  );
  const settings = workbookSettings();
  /** Writes by "column:row". */
  const writes = new Map<string, number>();
  const counted = (sheet: SheetAccess): SheetAccess => ({
    ...sheet,
    writeColumn: async (startRow, column, values) => {
      values.forEach(
        (value, offset) => value !== null && writes.set(`${column}:${startRow + offset}`, (writes.get(`${column}:${startRow + offset}`) ?? 0) + 1),
      );
      await sheet.writeColumn(startRow, column, values);
    },
    jobSheet: async (name) => counted(await sheet.jobSheet(name)),
  });
  /** A fresh adapter, as a newly opened pane makes one. */
  const openPane = (): SheetAccess => counted(createExcelSheetAccess({ run: mock.run, documentSettings: settings }));
  return { mock, writes, openPane };
}

const runOptions = (signal: AbortSignal, extra: Partial<SheetJobRunOptions> = {}): SheetJobRunOptions => ({
  job: { operation: 'classify', request: { labels: LABELS } },
  rows: { startRow: 0, rowCount: ROWS + 1 },
  inputColumns: [0],
  outputColumn: 1,
  overwrite: false,
  firstRowIsHeader: true,
  outputHeader: 'Label',
  jobs: createJobsClient({ reconnect: { initialDelayMilliseconds: 20, maxDelayMilliseconds: 200 } }),
  signal,
  writeEvery: 10,
  ...extra,
});

test('a job goes on while the pane is closed; reopened, the pane writes every row once and leaves the rows the user edited alone', async () => {
  // Each upstream call takes a while, so the job is mid-way when the pane closes.
  fake.setResponder(() => ({ kind: 'model', delayMilliseconds: 80 }));
  const { mock, writes, openPane } = workbook();
  const closing = new AbortController();
  const pane = openPane();
  // As the pane does: the selection (on Tickets) first, which is the sheet the run is kept with.
  await pane.readSelection();
  const first = await startSheetJob(pane, 'classify', runOptions(closing.signal, { onProgress: (progress) => progress.done >= 30 && closing.abort() }));
  expect(first).toMatchObject({ detached: true, finished: false });
  expect(first.jobIds).toHaveLength(1);
  const jobId = first.jobIds[0] ?? '';
  const writtenBeforeClose = [...writes.keys()].filter((key) => key !== '1:0').length;
  expect(writtenBeforeClose).toBeGreaterThanOrEqual(30);
  expect(writtenBeforeClose).toBeLessThan(ROWS);

  // While the pane is closed the user types a label of their own into a row not done yet, and rewrites another row's ticket.
  const typedRow = ROWS - 5;
  const editedRow = ROWS - 10;
  expect(mock.cell('sheet-1', typedRow, 1)).toBeNull();
  expect(mock.cell('sheet-1', editedRow, 1)).toBeNull();
  const editedText = `Ticket ${editedRow}: something other entirely`;
  mock.setCell('sheet-1', typedRow, 1, 'my own label');
  mock.setCell('sheet-1', editedRow, 0, editedText);
  // The job did not stop with the pane.
  const upstreamWhileClosed = fake.requests.length;
  await new Promise((resolve) => setTimeout(resolve, 200));
  expect(fake.requests.length).toBeGreaterThan(upstreamWhileClosed);

  // The pane reopens on the same workbook, with another sheet active now: the run is there, with its start time.
  mock.activeSheetId = 'sheet-2';
  mock.selection = { sheetId: 'sheet-2', row: 0, column: 0, rowCount: 5, columnCount: 1 };
  const reopened = openPane();
  const kept = await keptSheetJob(reopened, 'classify');
  expect(kept?.jobs.map((job) => job.id)).toEqual([jobId]);
  expect(kept?.startedAt).toBe(first.startedAt);
  sent.splice(0);
  const second = await resumeSheetJob(reopened, 'classify', {
    jobs: createJobsClient(),
    fallback: streamedClassify(createApiClient(), LABELS),
    signal: new AbortController().signal,
    writeEvery: 10,
  });
  expect(second).toMatchObject({ finished: true, detached: false, stopped: false, failed: 0, changed: 0, resent: 1 });

  for (let row = 1; row <= ROWS; row++) {
    const expected = row === typedRow ? 'my own label' : row === editedRow ? fakeLabel(editedText, LABELS) : fakeLabel(ticket(row), LABELS);
    expect(mock.cell('sheet-1', row, 1)).toBe(expected);
  }
  // The edited row got the answer for its new text (not the job's answer for the old one), which differs.
  expect(fakeLabel(editedText, LABELS)).not.toBe(fakeLabel(ticket(editedRow), LABELS));
  // Every row written once across both panes; the typed one never.
  for (let row = 1; row <= ROWS; row++) expect(writes.get(`1:${row}`) ?? 0).toBe(row === typedRow ? 0 : 1);
  // Written where the run started, not on the sheet active when the pane reopened.
  for (let row = 0; row <= ROWS; row++) expect(mock.cell('sheet-2', row, 1)).toBeNull();
  // Only the edited row went through the streamed route; the rest came from the job.
  const streamed = sent.filter((request) => request.path === '/api/v1/classify');
  expect(streamed.map((request) => (request.body as { items: string[] }).items)).toEqual([[editedText]]);
  expect(sent.some((request) => request.path.startsWith('/api/v1/jobs') && request.method === 'POST')).toBe(false);
  // Finished: the workbook no longer keeps it, so the next open offers nothing to continue.
  expect(await keptSheetJob(openPane(), 'classify')).toBeUndefined();
  expect((await createJobsClient().status(jobId)).state).toBe('completed');
});

test('Stop cancels the job upstream, keeps the rows written and forgets the run', async () => {
  fake.setResponder(() => ({ kind: 'model', delayMilliseconds: 60 }));
  const { mock, openPane } = workbook();
  const jobs = createJobsClient();
  const sheet = openPane();
  const controller = new AbortController();
  let stopping: Promise<void> | undefined;
  const result = await startSheetJob(
    sheet,
    'classify',
    runOptions(controller.signal, {
      jobs,
      onProgress: (progress) => {
        if (progress.done < 20 || stopping !== undefined) return;
        // The pane's Stop: the job is cancelled upstream, then this pane's part ends.
        stopping = stopSheetJob(sheet, 'classify', jobs).then(() => controller.abort());
      },
    }),
  );
  await stopping;
  expect(result.stopped).toBe(true);
  const jobId = result.jobIds[0] ?? '';
  const status = await jobs.status(jobId);
  expect(status.state).toBe('cancelled');
  expect(status.counts.done).toBeLessThan(ROWS);
  // Nothing more is asked upstream for it.
  const upstream = fake.requests.length;
  await new Promise((resolve) => setTimeout(resolve, 300));
  expect(fake.requests.length).toBeLessThanOrEqual(upstream + 1);
  // The rows written stay; the rest are left empty, not marked; the workbook forgot the run.
  const written = Array.from({ length: ROWS }, (_value, offset) => mock.cell('sheet-1', offset + 1, 1));
  expect(written.filter((value) => value !== null).length).toBeGreaterThanOrEqual(20);
  expect(written.some((value) => value === null)).toBe(true);
  expect(written.some((value) => typeof value === 'string' && value.startsWith('⚠'))).toBe(false);
  expect(await keptSheetJob(openPane(), 'classify')).toBeUndefined();
});

test('the jobs client reconnects after a lost event stream and fetches what it missed by range: every result once', async () => {
  // Slow enough that the job still runs when the connection drops: the client catches up, then listens again.
  let calls = 0;
  fake.setResponder(() => ({ kind: 'model', delayMilliseconds: calls++ === 0 ? 0 : 300 }));
  const jobs = createJobsClient({ reconnect: { initialDelayMilliseconds: 20, maxDelayMilliseconds: 100 } });
  const items = Array.from({ length: 40 }, (_value, index) => ticket(index));
  const created = await jobs.create({ operation: 'classify', request: { items, labels: LABELS } });
  sent.splice(0);
  // The first connection drops after a few events.
  cutNextEventsAfterBytes = 150;
  const received: number[] = [];
  let final: string | undefined;
  for await (const item of jobs.follow(created.id, { onStatus: (job) => (final = job.state) })) {
    received.push(item.index);
    expect('label' in item && item.label).toBe(fakeLabel(items[item.index] ?? '', LABELS));
  }
  expect(final).toBe('completed');
  expect([...received].sort((a, b) => a - b)).toEqual(items.map((_item, index) => index));
  expect(sent.filter((request) => request.path.endsWith('/events')).length).toBeGreaterThanOrEqual(2);
  expect(sent.some((request) => request.path.includes('/results?from=0'))).toBe(true);
});

test('a kept run whose job is gone (expired) is forgotten and reported, not continued', async () => {
  const { openPane } = workbook();
  const sheet = openPane();
  await sheet.rememberJob('classify', {
    version: 1,
    job: { operation: 'classify', request: { labels: LABELS } },
    jobs: [{ id: 'no-such-job', offset: 0, items: 1 }],
    startedAt: '2026-11-30T14:02:00.000Z',
    rows: { startRow: 0, rowCount: 2 },
    inputColumns: [0],
    outputColumn: 1,
    overwrite: false,
    firstRowIsHeader: true,
    fingerprints: 'AAAAAAAA',
  });
  expect(await keptSheetJob(openPane(), 'classify')).toBeDefined();
  const result = await resumeSheetJob(openPane(), 'classify', { jobs: createJobsClient(), signal: new AbortController().signal });
  expect(result).toEqual({ expired: true, startedAt: '2026-11-30T14:02:00.000Z' });
  expect(await keptSheetJob(openPane(), 'classify')).toBeUndefined();
});

test('the browser preview keeps a run in its store as Excel keeps it in the workbook, and runs it as a job', async () => {
  const cells = [['Text'], ...Array.from({ length: 12 }, (_value, index) => [ticket(index + 1)])];
  const sheet = new PreviewSheet(createWorkbookStore([{ name: 'Tickets', cells }], { firstRow: 0, firstColumn: 0, rowCount: 13, columnCount: 1 }));
  await sheet.rememberJob('translate', { kept: 1 });
  expect(await sheet.recallJob('translate')).toEqual({ kept: 1 });
  const controller = new AbortController();
  const result = await startSheetJob(sheet, 'classify', { ...runOptions(controller.signal), rows: { startRow: 0, rowCount: 13 } });
  expect(result).toMatchObject({ finished: true, answered: 12, failed: 0 });
  const written = sheet.store.get().sheets[0]?.cells.map((row) => row[1]);
  expect(written).toEqual(['Label', ...Array.from({ length: 12 }, (_value, index) => fakeLabel(ticket(index + 1), LABELS))]);
  // The finished run is forgotten; another name's run is not touched.
  expect(await sheet.recallJob('classify')).toBeUndefined();
  expect(await sheet.recallJob('translate')).toEqual({ kept: 1 });
  await sheet.forgetJob('translate');
  expect(await sheet.recallJob('translate')).toBeUndefined();
});
