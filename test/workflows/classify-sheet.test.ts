// The bulk classification workflow through the real Excel adapter on an office-addin-mock workbook:
// 10,000 rows in at most 41 syncs (one read, then per block of 500 a verification read and a write),
// resume after a stop, failure markers retried, nothing overwritten that the user did not choose to
// overwrite, and rows the user inserts, deletes, sorts or types into during the run never get a wrong label.
import { createExcelSheetAccess } from '../../src/hosts/excel/excel-sheet-access.js';
import { FAILED_CELL_PREFIX, WorkflowError, classifySheet, type ClassifiedItem, type ClassifySheetOptions } from '../../src/workflows/index.js';
import { ExcelMock } from '../hosts/mocks/excel-mock.js';

const ROWS = 10_000;
const labels = ['Billing', 'Hardware', 'Account'];
const labelOf = (text: string): string => labels[Number(/#(\d+)/.exec(text)?.[1] ?? 0) % 3] ?? 'Billing';
const ticket = (row: number): string => `Ticket #${row}: something about the order`;

/** Row 0 is a header; rows 1..10,000 hold tickets in A, labels go to B. Row 5 was labelled by hand. */
function ticketWorkbook(extraColumns: (row: number) => (string | null)[] = () => []): ExcelMock {
  return new ExcelMock(
    [
      {
        id: 'sheet-1',
        name: 'Tickets',
        rowExtent: ROWS + 1,
        columnExtent: 4,
        valueAt: (row, column) => {
          if (row === 0) return ['Ticket', 'Label', 'Extra', 'More'][column] ?? null;
          if (column === 0) return ticket(row);
          if (column === 1) return row === 5 ? 'Billing (checked by hand)' : null;
          return extraColumns(row)[column - 2] ?? null;
        },
      },
    ],
    { sheetId: 'sheet-1', row: 1, column: 0, rowCount: ROWS, columnCount: 1 },
  );
}

/** A classifier that answers in batches of 100, out of order inside each batch, as a stream would. */
function fakeClassifier(calls: string[][], options: { failWhen?: (text: string) => boolean; onItem?: (count: number) => void } = {}) {
  return async function* classify(items: string[], signal: AbortSignal): AsyncIterable<ClassifiedItem> {
    calls.push(items);
    let count = 0;
    for (let start = 0; start < items.length; start += 100) {
      await Promise.resolve();
      const indices = Array.from({ length: Math.min(100, items.length - start) }, (_value, offset) => start + offset).reverse();
      for (const index of indices) {
        if (signal.aborted) return;
        const text = items[index] ?? '';
        count++;
        options.onItem?.(count);
        if (options.failWhen?.(text)) yield { index, label: null, error: { code: 'INVALID_MODEL_OUTPUT', message: 'The model answered with no label.' } };
        else yield { index, label: labelOf(text) };
      }
    }
  };
}

function baseOptions(overrides: Partial<ClassifySheetOptions> & Pick<ClassifySheetOptions, 'classify'>): ClassifySheetOptions {
  return {
    rows: { startRow: 1, rowCount: ROWS },
    inputColumns: [0],
    outputColumn: 1,
    overwrite: false,
    signal: new AbortController().signal,
    ...overrides,
  };
}

test('10,000 rows are classified, verified, in at most 41 syncs, and the hand-made label stays', async () => {
  const mock = ticketWorkbook();
  const sheet = createExcelSheetAccess({ run: mock.run });
  const calls: string[][] = [];
  const progress: number[] = [];
  const result = await classifySheet(sheet, baseOptions({ classify: fakeClassifier(calls), onProgress: (p) => progress.push(p.done) }));

  expect(result).toEqual({ classified: ROWS - 1, skipped: 1, failed: 0, empty: 0, changed: 0, moved: 0, stopped: false });
  expect(calls).toHaveLength(1);
  expect(calls[0]).toHaveLength(ROWS - 1);
  expect(mock.cell('sheet-1', 5, 1)).toBe('Billing (checked by hand)');
  for (const row of [1, 2, 3, 4, 6, 777, 5_000, ROWS]) expect(mock.cell('sheet-1', row, 1)).toBe(labelOf(ticket(row)));
  expect(mock.cell('sheet-1', 0, 1)).toBe('Label');
  // One read of input and output columns, then per 500 labels one verification read and one write.
  expect(mock.syncCount).toBeLessThanOrEqual(41);
  expect(mock.syncs.filter((sync) => sync.cellsWritten > 0)).toHaveLength(20);
  expect(mock.syncs.filter((sync) => sync.cellsRead > 0)).toHaveLength(21);
  expect(mock.syncs.every((sync) => sync.cellsRead === 0 || sync.cellsWritten === 0)).toBe(true);
  expect(mock.syncs.filter((sync) => sync.cellsWritten > 0).every((sync) => sync.suspendedCalculation)).toBe(true);
  expect(progress.at(-1)).toBe(ROWS);
  console.info(
    `classify 10,000 rows with verification: ${mock.syncCount} syncs (${mock.syncs.filter((sync) => sync.cellsRead > 0).length} read, ${mock.syncs.filter((sync) => sync.cellsWritten > 0).length} write)`,
  );
});

test('a stop midway keeps the finished rows, and a second run finishes the rest', async () => {
  const mock = ticketWorkbook();
  const sheet = createExcelSheetAccess({ run: mock.run });
  const controller = new AbortController();
  const calls: string[][] = [];
  const first = await classifySheet(
    sheet,
    baseOptions({ classify: fakeClassifier(calls, { onItem: (count) => count === 3_210 && controller.abort() }), signal: controller.signal }),
  );
  expect(first.stopped).toBe(true);
  expect(first.classified).toBeGreaterThanOrEqual(3_200);
  expect(first.classified).toBeLessThan(ROWS - 1);
  const labelled = (): number => Array.from({ length: ROWS }, (_value, offset) => mock.cell('sheet-1', offset + 1, 1)).filter((value) => value !== null).length;
  // Every finished row is in the sheet (plus the hand-made one), none beyond them.
  expect(labelled()).toBe(first.classified + 1);

  const second = await classifySheet(sheet, baseOptions({ classify: fakeClassifier(calls) }));
  expect(second).toEqual({ classified: ROWS - 1 - first.classified, skipped: first.classified + 1, failed: 0, empty: 0, changed: 0, moved: 0, stopped: false });
  expect(calls[1]).toHaveLength(ROWS - 1 - first.classified);
  expect(labelled()).toBe(ROWS);
  for (let row = 1; row <= ROWS; row++) {
    if (row !== 5) expect(mock.cell('sheet-1', row, 1)).toBe(labelOf(ticket(row)));
  }
});

test('a failed row gets a visible marker, is counted, and is retried by the next run', async () => {
  const mock = ticketWorkbook();
  const sheet = createExcelSheetAccess({ run: mock.run });
  const calls: string[][] = [];
  const first = await classifySheet(
    sheet,
    baseOptions({ classify: fakeClassifier(calls, { failWhen: (text) => text.includes('#42:') || text.includes('#9000:') }) }),
  );
  expect(first).toEqual({ classified: ROWS - 3, skipped: 1, failed: 2, empty: 0, changed: 0, moved: 0, stopped: false });
  expect(mock.cell('sheet-1', 42, 1)).toBe(`${FAILED_CELL_PREFIX}INVALID_MODEL_OUTPUT: The model answered with no label.`);

  const second = await classifySheet(sheet, baseOptions({ classify: fakeClassifier(calls) }));
  expect(calls[1]).toEqual([ticket(42), ticket(9000)]);
  expect(second).toEqual({ classified: 2, skipped: ROWS - 2, failed: 0, empty: 0, changed: 0, moved: 0, stopped: false });
  expect(mock.cell('sheet-1', 42, 1)).toBe(labelOf(ticket(42)));
  expect(mock.cell('sheet-1', 9000, 1)).toBe(labelOf(ticket(9000)));
});

test('several input columns are joined with " | "; rows with no input are skipped; overwrite replaces labels', async () => {
  const mock = new ExcelMock(
    [
      {
        id: 'sheet-1',
        name: 'Mail',
        rowExtent: 4,
        columnExtent: 4,
        valueAt: (row, column) =>
          [
            ['Subject', 'Body', 'Label', null],
            ['Invoice', 'Charged twice', 'Old label', null],
            [null, '', null, null],
            ['Screen', null, null, null],
          ][row]?.[column] ?? null,
      },
    ],
    { sheetId: 'sheet-1', row: 1, column: 0, rowCount: 3, columnCount: 2 },
  );
  const sheet = createExcelSheetAccess({ run: mock.run });
  const seen: string[][] = [];
  const classify = async function* (items: string[]): AsyncIterable<ClassifiedItem> {
    seen.push(items);
    for (const [index, item] of items.entries()) yield { index, label: item.startsWith('Invoice') ? 'Billing' : 'Hardware' };
  };
  const result = await classifySheet(
    sheet,
    baseOptions({ rows: { startRow: 1, rowCount: 3 }, inputColumns: [0, 1], outputColumn: 2, overwrite: true, classify }),
  );
  expect(seen).toEqual([['Invoice | Charged twice', 'Screen']]);
  expect(result).toEqual({ classified: 2, skipped: 1, failed: 0, empty: 1, changed: 0, moved: 0, stopped: false });
  expect(mock.cell('sheet-1', 1, 2)).toBe('Billing');
  expect(mock.cell('sheet-1', 2, 2)).toBeNull();
  expect(mock.cell('sheet-1', 3, 2)).toBe('Hardware');
});

test('a classifier that fails part-way: finished rows are written, the error carries the counts', async () => {
  const mock = ticketWorkbook();
  const sheet = createExcelSheetAccess({ run: mock.run });
  const classify = async function* (items: string[]): AsyncIterable<ClassifiedItem> {
    for (let index = 0; index < 700; index++) yield { index, label: labelOf(items[index] ?? '') };
    throw new Error('The server is unavailable.');
  };
  const failure = await classifySheet(sheet, baseOptions({ classify })).catch((error: unknown) => error);
  expect(failure).toBeInstanceOf(WorkflowError);
  expect((failure as WorkflowError).partial).toMatchObject({ answered: 700, failed: 0 });
  // Rows 1–4 and 6–701 (row 5 was skipped).
  expect(mock.cell('sheet-1', 701, 1)).toBe(labelOf(ticket(701)));
  expect(mock.cell('sheet-1', 702, 1)).toBeNull();
});

test('rows the classifier never answered are marked, not dropped', async () => {
  const mock = ticketWorkbook();
  const sheet = createExcelSheetAccess({ run: mock.run });
  const classify = async function* (items: string[]): AsyncIterable<ClassifiedItem> {
    for (let index = 1; index < items.length; index++) yield { index, label: 'Billing' };
  };
  const result = await classifySheet(sheet, baseOptions({ rows: { startRow: 1, rowCount: 10 }, classify }));
  expect(result).toEqual({ classified: 8, skipped: 1, failed: 1, empty: 0, changed: 0, moved: 0, stopped: false });
  expect(String(mock.cell('sheet-1', 1, 1))).toMatch(new RegExp(`^${FAILED_CELL_PREFIX}NO_ANSWER`));
});

test('the output column may not be an input column', async () => {
  const mock = ticketWorkbook();
  const sheet = createExcelSheetAccess({ run: mock.run });
  await expect(classifySheet(sheet, baseOptions({ outputColumn: 0, classify: fakeClassifier([]) }))).rejects.toThrow(/output column/);
  expect(mock.syncCount).toBe(0);
});

test.each([
  ['an AbortError', () => new DOMException('The operation was aborted.', 'AbortError')],
  ["the SDK's abort", () => Object.assign(new Error('Request was aborted.'), { name: 'APIUserAbortError' })],
  ['the contract CANCELLED code', () => Object.assign(new Error('The request was cancelled.'), { code: 'CANCELLED' })],
])('a classifier that ends with %s stops the run (kept rows, no failure), as the contract defines a cancel', async (_what, cancel) => {
  const mock = ticketWorkbook();
  const sheet = createExcelSheetAccess({ run: mock.run });
  const classify = async function* (items: string[]): AsyncIterable<ClassifiedItem> {
    for (let index = 0; index < 300; index++) yield { index, label: labelOf(items[index] ?? '') };
    throw cancel();
  };
  const result = await classifySheet(sheet, baseOptions({ classify }));
  expect(result).toMatchObject({ classified: 300, failed: 0, stopped: true });
  expect(mock.cell('sheet-1', 301, 1)).toBe(labelOf(ticket(301)));
  expect(mock.cell('sheet-1', 302, 1)).toBeNull();
});

test.each(['PROVIDER_UNAVAILABLE', 'PROVIDER_NOT_READY', 'PROVIDER_RATE_LIMITED'])(
  'rows answered with %s (the provider cannot serve anyone) stop the run after their window: what was answered is kept, the next windows are not sent',
  async (code) => {
    const mock = ticketWorkbook();
    const sheet = createExcelSheetAccess({ run: mock.run });
    const calls: string[][] = [];
    const classify = async function* (items: string[]): AsyncIterable<ClassifiedItem> {
      calls.push(items);
      for (const [index, item] of items.entries()) {
        if (index < 600) yield { index, label: labelOf(item) };
        else yield { index, label: null, error: { code, message: 'The LLM provider is failing. Try again in 30 seconds.' } };
      }
    };
    const failure = await classifySheet(sheet, baseOptions({ classify, rowsPerWindow: 1_000 })).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(WorkflowError);
    expect(failure).toMatchObject({ providerUnavailable: true, partial: { answered: 600, failed: 399 }, cause: { code } });
    expect((failure as WorkflowError).message).toMatch(/unavailable.*run again later/);
    expect(calls).toHaveLength(1);
    // Rows 1–4 and 6–601 labelled (row 5 is the hand-made one), the rest of the window marked, the next window untouched.
    expect(mock.cell('sheet-1', 601, 1)).toBe(labelOf(ticket(601)));
    expect(String(mock.cell('sheet-1', 602, 1))).toMatch(new RegExp(`^${FAILED_CELL_PREFIX}${code}`));
    expect(mock.cell('sheet-1', 1_001, 1)).toBeNull();
  },
);

test('a per-row failure of the row itself (a PROVIDER_ERROR on its batch) does not stop the run', async () => {
  const mock = ticketWorkbook();
  const sheet = createExcelSheetAccess({ run: mock.run });
  const calls: string[][] = [];
  const classify = async function* (items: string[]): AsyncIterable<ClassifiedItem> {
    calls.push(items);
    for (const [index, item] of items.entries()) {
      if (index === 0) yield { index, label: null, error: { code: 'PROVIDER_ERROR', message: 'The LLM provider failed (HTTP 500). Try again.' } };
      else yield { index, label: labelOf(item) };
    }
  };
  const result = await classifySheet(sheet, baseOptions({ classify, rowsPerWindow: 5_000 }));
  expect(result).toEqual({ classified: ROWS - 3, skipped: 1, failed: 2, empty: 0, changed: 0, moved: 0, stopped: false });
  expect(calls).toHaveLength(2);
});
