// The Excel adapter against office-addin-mock workbooks: what it reads, what it writes, how many syncs
// it takes, and that no request or response crosses Excel on the web's 5 MB limit.
import { createExcelSheetAccess } from '../../src/hosts/excel/excel-sheet-access.js';
import { HostError } from '../../src/hosts/host-adapter.js';
import { ExcelMock, EXCEL_WEB_LIMIT_BYTES, type SheetData } from './mocks/excel-mock.js';

function tableSheet(rows: (string | number | boolean | null)[][], id = 'sheet-1', name = 'Tickets'): SheetData {
  return {
    id,
    name,
    rowExtent: rows.length,
    columnExtent: Math.max(0, ...rows.map((row) => row.length)),
    valueAt: (row, column) => rows[row]?.[column] ?? null,
  };
}

const tickets = [
  ['Ticket', 'Product', 'Notes', null],
  ['Printer jams', 'P-100', 'x', null],
  ['Refund please', 'P-200', 'y', null],
  ['Login fails', 42, true, null],
];

describe('Excel adapter: readSelection', () => {
  test('reads the selection, its first row and the first empty column to the right in one sync', async () => {
    const mock = new ExcelMock([tableSheet(tickets)], { sheetId: 'sheet-1', row: 0, column: 0, rowCount: 4, columnCount: 2 });
    const selection = await createExcelSheetAccess({ run: mock.run }).readSelection();
    expect(selection).toEqual({
      sheetName: 'Tickets',
      address: 'Tickets!A1:B4',
      firstRow: 0,
      firstColumn: 0,
      rowCount: 4,
      columnCount: 2,
      firstRowTexts: ['Ticket', 'Product'],
      // Column C holds notes in the selected rows; D is empty.
      firstEmptyColumnToTheRight: 3,
    });
    expect(mock.syncCount).toBe(1);
  });

  test('clips a whole-column selection to the used rows', async () => {
    const mock = new ExcelMock([tableSheet(tickets)], { sheetId: 'sheet-1', row: 0, column: 0, rowCount: 1_048_576, columnCount: 1 });
    const selection = await createExcelSheetAccess({ run: mock.run }).readSelection();
    expect(selection.rowCount).toBe(4);
    expect(selection.firstRowTexts).toEqual(['Ticket']);
    expect(selection.firstEmptyColumnToTheRight).toBe(3);
    expect(mock.syncCount).toBe(1);
  });

  test('past the look-ahead, the used range’s right edge is the first empty column', async () => {
    const wide = [Array.from({ length: 30 }, (_value, column) => `c${column}`)];
    const mock = new ExcelMock([tableSheet(wide)], { sheetId: 'sheet-1', row: 0, column: 0, rowCount: 1, columnCount: 1 });
    const selection = await createExcelSheetAccess({ run: mock.run, lookAheadColumns: 4 }).readSelection();
    expect(selection.firstEmptyColumnToTheRight).toBe(30);
  });
});

test('a selection at the sheet’s right edge still reads (the look-ahead would fall off the grid)', async () => {
  const mock = new ExcelMock([tableSheet(tickets)], { sheetId: 'sheet-1', row: 0, column: 16_383, rowCount: 2, columnCount: 1 });
  const selection = await createExcelSheetAccess({ run: mock.run }).readSelection();
  expect(selection).toMatchObject({ firstColumn: 16_383, columnCount: 1, firstEmptyColumnToTheRight: 16_383 });
});

test('without ExcelApi 1.6 writes go without suspending calculation', async () => {
  const mock = new ExcelMock([tableSheet(tickets)], { sheetId: 'sheet-1', row: 0, column: 0, rowCount: 1, columnCount: 1 });
  await createExcelSheetAccess({ run: mock.run, isSetSupported: () => false }).writeColumn(1, 3, ['Hardware']);
  expect(mock.syncs).toEqual([expect.objectContaining({ suspendedCalculation: false, cellsWritten: 1 })]);
  expect(mock.cell('sheet-1', 1, 3)).toBe('Hardware');
});

describe('Excel adapter: reads', () => {
  test('readRows returns texts in the caller’s column order, in one sync for a small block', async () => {
    const mock = new ExcelMock([tableSheet(tickets)], { sheetId: 'sheet-1', row: 0, column: 0, rowCount: 1, columnCount: 1 });
    const sheet = createExcelSheetAccess({ run: mock.run });
    const rows = await sheet.readRows(1, 3, [2, 0, 3]);
    expect(rows).toEqual([
      ['x', 'Printer jams', ''],
      ['y', 'Refund please', ''],
      ['TRUE', 'Login fails', ''],
    ]);
    expect(mock.syncCount).toBe(1);
    expect(await sheet.readColumn(1, 3, 1)).toEqual(['P-100', 'P-200', '42']);
  });

  test('a number in a column too narrow for it ("#####" on screen) is read as its value, with one more sync only then', async () => {
    const mock = new ExcelMock([tableSheet(tickets)], { sheetId: 'sheet-1', row: 0, column: 0, rowCount: 1, columnCount: 1 });
    mock.narrowColumnAt('sheet-1', 3, 1);
    expect(mock.cellText('sheet-1', 3, 1)).toBe('#####');
    const sheet = createExcelSheetAccess({ run: mock.run });
    await expect(sheet.readRows(1, 3, [1, 0])).resolves.toEqual([
      ['P-100', 'Printer jams'],
      ['P-200', 'Refund please'],
      ['42', 'Login fails'],
    ]);
    expect(mock.syncCount).toBe(2);
  });

  test('a huge selection is read in chunks, none over 5 MB, and every cell arrives', async () => {
    const rowCount = 300_000;
    const text = (row: number, column: number): string => `ticket ${row}/${column} `.padEnd(60, 'é');
    const mock = new ExcelMock([{ id: 'sheet-1', name: 'Big', rowExtent: rowCount, columnExtent: 2, valueAt: text }], {
      sheetId: 'sheet-1',
      row: 0,
      column: 0,
      rowCount,
      columnCount: 2,
    });
    const rows = await createExcelSheetAccess({ run: mock.run }).readRows(0, rowCount, [0, 1]);
    expect(rows).toHaveLength(rowCount);
    expect(rows[0]).toEqual([text(0, 0), text(0, 1)]);
    expect(rows[rowCount - 1]).toEqual([text(rowCount - 1, 0), text(rowCount - 1, 1)]);
    expect(rows[123_457]).toEqual([text(123_457, 0), text(123_457, 1)]);
    // ~40 MB of cells: several chunks, each accepted, none rejected, none over the limit.
    const totalBytes = mock.syncs.reduce((sum, sync) => sum + sync.responseBytes, 0);
    expect(totalBytes).toBeGreaterThan(8 * EXCEL_WEB_LIMIT_BYTES);
    expect(mock.rejectedSyncs()).toBe(0);
    expect(mock.largestResponseBytes()).toBeLessThanOrEqual(EXCEL_WEB_LIMIT_BYTES);
    expect(mock.syncCount).toBeLessThan(20);
    console.info(
      `read 300,000 rows × 2 columns (${(totalBytes / 1e6).toFixed(1)} MB): ${mock.syncCount} syncs, largest response ${(mock.largestResponseBytes() / 1e6).toFixed(2)} MB`,
    );
  });

  test('cells longer than the first read suggested: the chunk is halved and the read goes on', async () => {
    const rowCount = 100_000;
    const text = (row: number): string => (row < 1_000 ? `short ${row}` : `long ${row} `.padEnd(400, 'x'));
    const mock = new ExcelMock([{ id: 'sheet-1', name: 'Mixed', rowExtent: rowCount, columnExtent: 1, valueAt: (row) => text(row) }], {
      sheetId: 'sheet-1',
      row: 0,
      column: 0,
      rowCount,
      columnCount: 1,
    });
    const rows = await createExcelSheetAccess({ run: mock.run }).readRows(0, rowCount, [0]);
    expect(rows.map((row) => row[0])).toEqual(Array.from({ length: rowCount }, (_value, row) => text(row)));
    // Excel refused the optimistic chunks; the adapter halved until they fitted.
    expect(mock.rejectedSyncs()).toBeGreaterThan(0);
    expect(mock.largestResponseBytes()).toBeLessThanOrEqual(EXCEL_WEB_LIMIT_BYTES);
  });

  test('a read never asks for more cells than allowed, even when the cells are tiny', async () => {
    const rowCount = 1_048_576;
    const mock = new ExcelMock([{ id: 'sheet-1', name: 'Sparse', rowExtent: rowCount, columnExtent: 6, valueAt: () => null }], {
      sheetId: 'sheet-1',
      row: 0,
      column: 0,
      rowCount,
      columnCount: 6,
    });
    const rows = await createExcelSheetAccess({ run: mock.run, maxCellsPerRead: 1_000_000 }).readRows(0, rowCount, [0, 1, 2, 3, 4, 5]);
    expect(rows).toHaveLength(rowCount);
    expect(Math.max(...mock.syncs.map((sync) => sync.cellsRead))).toBeLessThanOrEqual(1_000_000);
    expect(mock.largestResponseBytes()).toBeLessThanOrEqual(EXCEL_WEB_LIMIT_BYTES);
    expect(mock.rejectedSyncs()).toBe(0);
  });
});

describe('Excel adapter: writeColumn', () => {
  test('writes contiguous runs in one sync with calculation suspended, leaving null cells as they are', async () => {
    const mock = new ExcelMock([tableSheet(tickets)], { sheetId: 'sheet-1', row: 0, column: 0, rowCount: 1, columnCount: 1 });
    mock.setCell('sheet-1', 2, 3, 'kept by the user');
    const sheet = createExcelSheetAccess({ run: mock.run });
    await sheet.writeColumn(1, 3, ['Hardware', null, 'Account', '=1+1']);
    expect(mock.syncCount).toBe(1);
    const [write] = mock.syncs;
    expect(write).toMatchObject({ rangesWritten: 2, cellsWritten: 3, suspendedCalculation: true });
    expect(mock.cell('sheet-1', 1, 3)).toBe('Hardware');
    expect(mock.cell('sheet-1', 2, 3)).toBe('kept by the user');
    expect(mock.cell('sheet-1', 3, 3)).toBe('Account');
    // Generated text is never evaluated as a formula: the cells are text-formatted first.
    expect(mock.cell('sheet-1', 4, 3)).toBe('=1+1');
    expect(mock.cellFormat('sheet-1', 4, 3)).toBe('@');
  });

  test('nothing to write costs no sync', async () => {
    const mock = new ExcelMock([tableSheet(tickets)], { sheetId: 'sheet-1', row: 0, column: 0, rowCount: 1, columnCount: 1 });
    await createExcelSheetAccess({ run: mock.run }).writeColumn(0, 3, [null, null]);
    expect(mock.syncCount).toBe(0);
  });

  test('a write larger than 5 MB is split, each request under the limit', async () => {
    const mock = new ExcelMock([tableSheet(tickets)], { sheetId: 'sheet-1', row: 0, column: 0, rowCount: 1, columnCount: 1 });
    const values = Array.from({ length: 3_000 }, (_value, index) => `translation ${index} `.padEnd(4_000, 'z'));
    await createExcelSheetAccess({ run: mock.run }).writeColumn(0, 5, values);
    expect(mock.syncCount).toBeGreaterThan(1);
    expect(mock.largestRequestBytes()).toBeLessThanOrEqual(EXCEL_WEB_LIMIT_BYTES);
    expect(mock.syncs.every((sync) => sync.suspendedCalculation)).toBe(true);
    expect(mock.cell('sheet-1', 2_999, 5)).toBe(values[2_999]);
  });

  test('writes go to the sheet of the selection even after the user switched sheets', async () => {
    const mock = new ExcelMock([tableSheet(tickets), tableSheet([['other']], 'sheet-2', 'Other')], {
      sheetId: 'sheet-1',
      row: 0,
      column: 0,
      rowCount: 4,
      columnCount: 1,
    });
    const sheet = createExcelSheetAccess({ run: mock.run });
    await sheet.readSelection();
    mock.activeSheetId = 'sheet-2';
    await sheet.writeColumn(1, 3, ['Hardware']);
    expect(mock.cell('sheet-1', 1, 3)).toBe('Hardware');
    expect(mock.cell('sheet-2', 1, 3)).toBeNull();
  });
});

describe('Excel adapter: readRangeTexts', () => {
  const labels = tableSheet([['Billing'], ['  '], ['Hardware'], [null], ['Account']], 'sheet-2', 'Labels');
  const quoted = tableSheet(
    [
      [null, 'Yes'],
      [null, 'No'],
    ],
    'sheet-3',
    "Bob's list",
  );

  test.each([
    ['Labels!A1:A5', ['Billing', 'Hardware', 'Account']],
    ['Labels!A:A', ['Billing', 'Hardware', 'Account']],
    ["'Bob''s list'!B1:B2", ['Yes', 'No']],
    ['A1:A2', ['Ticket', 'Printer jams']],
  ])('%s', async (address, expected) => {
    const mock = new ExcelMock([tableSheet(tickets), labels, quoted], { sheetId: 'sheet-1', row: 0, column: 0, rowCount: 1, columnCount: 1 });
    expect(await createExcelSheetAccess({ run: mock.run }).readRangeTexts(address)).toEqual(expected);
    expect(mock.syncCount).toBe(1);
  });

  test('an unknown sheet or a malformed address is a clear error', async () => {
    const mock = new ExcelMock([tableSheet(tickets)], { sheetId: 'sheet-1', row: 0, column: 0, rowCount: 1, columnCount: 1 });
    const sheet = createExcelSheetAccess({ run: mock.run });
    await expect(sheet.readRangeTexts('Nope!A1:A3')).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringContaining('no sheet named "Nope"'),
    });
    await expect(sheet.readRangeTexts('not an address')).rejects.toBeInstanceOf(HostError);
  });
});

test('a small block Excel refuses as too large is measured by a small read first, then read in fitting chunks', async () => {
  const rowCount = 12_000;
  const text = (row: number): string => `ticket ${row} `.padEnd(1_000, 'x');
  const mock = new ExcelMock([{ id: 'sheet-1', name: 'Long', rowExtent: rowCount, columnExtent: 1, valueAt: (row) => text(row) }], {
    sheetId: 'sheet-1',
    row: 0,
    column: 0,
    rowCount,
    columnCount: 1,
  });
  const sheet = createExcelSheetAccess({ run: mock.run });
  const rows = await sheet.readColumn(0, rowCount, 0);
  expect(rows[11_999]).toBe(text(11_999));
  // One refused optimistic read (12 MB), one small measuring read, then chunks under the limit.
  expect(mock.rejectedSyncs()).toBe(1);
  expect(mock.largestResponseBytes()).toBeLessThanOrEqual(EXCEL_WEB_LIMIT_BYTES);
  expect(mock.syncCount).toBeLessThanOrEqual(2 + 4);
  // The next window of the same column starts from the measured size: no refusal.
  const before = mock.syncCount;
  await sheet.readColumn(0, rowCount, 0);
  expect(mock.rejectedSyncs()).toBe(1);
  expect(mock.syncCount - before).toBeLessThanOrEqual(4);
});

describe('Excel adapter: the output column a run used, kept in the workbook’s settings', () => {
  function settingsStore() {
    const values = new Map<string, unknown>();
    let saves = 0;
    return {
      settings: {
        get: (name: string) => values.get(name),
        set: (name: string, value: unknown) => void values.set(name, structuredClone(value)),
        saveAsync: (callback?: (result: Office.AsyncResult<void>) => void) => {
          saves++;
          callback?.({ status: 'succeeded' } as unknown as Office.AsyncResult<void>);
        },
      },
      saves: () => saves,
    };
  }

  test('is remembered per worksheet and input column, and read back by a new adapter', async () => {
    const store = settingsStore();
    const mock = new ExcelMock([tableSheet(tickets), tableSheet([['other']], 'sheet-2', 'Other')], {
      sheetId: 'sheet-1',
      row: 0,
      column: 0,
      rowCount: 4,
      columnCount: 1,
    });
    const first = createExcelSheetAccess({ run: mock.run, documentSettings: store.settings });
    await first.readSelection();
    expect(await first.recallOutputColumn(0)).toBeUndefined();
    await first.rememberOutputColumn(0, 5);
    expect(store.saves()).toBe(1);

    const second = createExcelSheetAccess({ run: mock.run, documentSettings: store.settings });
    await second.readSelection();
    expect(await second.recallOutputColumn(0)).toBe(5);
    expect(await second.recallOutputColumn(1)).toBeUndefined();
    // Another sheet has its own memory.
    mock.selection = { sheetId: 'sheet-2', row: 0, column: 0, rowCount: 1, columnCount: 1 };
    await second.readSelection();
    expect(await second.recallOutputColumn(0)).toBeUndefined();
  });

  test('outside Office there is nothing to remember, and nothing fails', async () => {
    const mock = new ExcelMock([tableSheet(tickets)], { sheetId: 'sheet-1', row: 0, column: 0, rowCount: 4, columnCount: 1 });
    const sheet = createExcelSheetAccess({ run: mock.run });
    await sheet.rememberOutputColumn(0, 3);
    expect(await sheet.recallOutputColumn(0)).toBeUndefined();
  });
});

test('cells are read as shown: a date as its text, a percentage with its sign, a boolean as TRUE', async () => {
  const values = [45_291, 0.5, false];
  const formats = ['dd.mm.yyyy', '0%', 'General'];
  const mock = new ExcelMock(
    [{ id: 'sheet-1', name: 'S', rowExtent: 3, columnExtent: 1, valueAt: (row) => values[row] ?? null, formatAt: (row) => formats[row] ?? 'General' }],
    { sheetId: 'sheet-1', row: 0, column: 0, rowCount: 3, columnCount: 1 },
  );
  expect(await createExcelSheetAccess({ run: mock.run }).readColumn(0, 3, 0)).toEqual(['31.12.2023', '50%', 'FALSE']);
});

test('the fake syncs like Office: actions queued before a failing one stay applied, later ones are skipped', async () => {
  const mock = new ExcelMock([tableSheet(tickets)], { sheetId: 'sheet-1', row: 0, column: 0, rowCount: 1, columnCount: 1 });
  const failure = await mock
    .run(async (context) => {
      const worksheet = context.workbook.worksheets.getItem('sheet-1');
      worksheet.getRangeByIndexes(1, 3, 1, 1).values = [['first']];
      worksheet.getRangeByIndexes(-1, 3, 1, 1).values = [['off the grid']];
      worksheet.getRangeByIndexes(2, 3, 1, 1).values = [['after the failure']];
      await context.sync();
    })
    .catch((error: unknown) => error);
  expect(failure).toMatchObject({ code: 'InvalidArgument' });
  expect(mock.cell('sheet-1', 1, 3)).toBe('first');
  expect(mock.cell('sheet-1', 2, 3)).toBeNull();
});
