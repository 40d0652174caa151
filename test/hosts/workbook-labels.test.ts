// Labels a workbook offers Classify (SheetAccess.suggestLabels): the labels last used with it, else a range
// named "Labels", else a sheet called "Labels" (first column, non-empty cells). The Excel adapter against the
// office-addin-mock workbook, whose names and sheets are null objects when missing, as in Office; and the
// browser preview's workbook.
import { createExcelSheetAccess, type DocumentSettings } from '../../src/hosts/excel/excel-sheet-access.js';
import { HostError } from '../../src/hosts/host-adapter.js';
import { createPreviewHostAdapter } from '../../src/hosts/preview/preview-host-adapter.js';
import { sampleLabels } from '../../src/hosts/preview/sample-documents.js';
import { ExcelMock, type SheetData } from './mocks/excel-mock.js';

function tableSheet(rows: (string | number | null)[][], id: string, name: string): SheetData {
  return {
    id,
    name,
    rowExtent: rows.length,
    columnExtent: Math.max(0, ...rows.map((row) => row.length)),
    valueAt: (row, column) => rows[row]?.[column] ?? null,
  };
}

const tickets = tableSheet(
  [
    ['Ticket', 'Message'],
    ['T-1', 'Printer jams'],
  ],
  'sheet-1',
  'Tickets',
);
const selection = { sheetId: 'sheet-1', row: 1, column: 1, rowCount: 1, columnCount: 1 };

function settingsStore(): DocumentSettings & { saves: number } {
  const values = new Map<string, unknown>();
  const store = {
    saves: 0,
    get: (name: string) => values.get(name),
    set: (name: string, value: unknown) => void values.set(name, structuredClone(value)),
    saveAsync: (callback?: (result: Office.AsyncResult<void>) => void) => {
      store.saves++;
      callback?.({ status: 'succeeded' } as unknown as Office.AsyncResult<void>);
    },
  };
  return store;
}

describe('Excel adapter: suggestLabels', () => {
  test('a sheet called "labels" (any case): the first column’s non-empty cells, other columns ignored', async () => {
    const labels = tableSheet([['Billing', 'ignored'], [null], ['  Bug  '], [42], ['']], 'sheet-2', 'labels');
    const mock = new ExcelMock([tickets, labels], selection);
    const suggested = await createExcelSheetAccess({ run: mock.run, documentSettings: settingsStore() }).suggestLabels();
    expect(suggested).toEqual({ labels: ['Billing', 'Bug', '42'], source: 'sheet' });
    // One sync to learn which exists, one to read: no per-cell round trips.
    expect(mock.syncCount).toBe(2);
  });

  test('a range named "Labels" wins over the sheet, and only its first column is read', async () => {
    const lists = tableSheet(
      [
        ['', ''],
        ['', 'Refund', 'note'],
        ['', 'Delivery', 'note'],
      ],
      'sheet-3',
      'Lists',
    );
    const mock = new ExcelMock([tickets, lists, tableSheet([['From the sheet']], 'sheet-2', 'Labels')], selection);
    mock.names.set('LABELS', { sheetId: 'sheet-3', address: 'B2:C3' });
    const suggested = await createExcelSheetAccess({ run: mock.run, documentSettings: settingsStore() }).suggestLabels();
    expect(suggested).toEqual({ labels: ['Refund', 'Delivery'], source: 'named-range' });
  });

  test('a name that holds a constant is no label range: the sheet is used', async () => {
    const mock = new ExcelMock([tickets, tableSheet([['From the sheet']], 'sheet-2', 'Labels')], selection);
    mock.names.set('Labels', { constant: '="Billing"' });
    await expect(createExcelSheetAccess({ run: mock.run, documentSettings: settingsStore() }).suggestLabels()).resolves.toEqual({
      labels: ['From the sheet'],
      source: 'sheet',
    });
  });

  test('no name, no sheet, or an empty Labels sheet: nothing to suggest', async () => {
    const bare = new ExcelMock([tickets], selection);
    await expect(createExcelSheetAccess({ run: bare.run, documentSettings: settingsStore() }).suggestLabels()).resolves.toBeUndefined();
    expect(bare.syncCount).toBe(1);
    const empty = new ExcelMock([tickets, tableSheet([], 'sheet-2', 'Labels')], selection);
    await expect(createExcelSheetAccess({ run: empty.run, documentSettings: settingsStore() }).suggestLabels()).resolves.toBeUndefined();
  });

  test('the labels last used with the workbook come first, kept in its document settings, read without a sync', async () => {
    const store = settingsStore();
    const mock = new ExcelMock([tickets, tableSheet([['From the sheet']], 'sheet-2', 'Labels')], selection);
    const first = createExcelSheetAccess({ run: mock.run, documentSettings: store });
    await first.rememberLabels(['Urgent', 'Later']);
    expect(store.saves).toBe(1);
    const syncsBefore = mock.syncCount;
    const second = createExcelSheetAccess({ run: mock.run, documentSettings: store });
    await expect(second.suggestLabels()).resolves.toEqual({ labels: ['Urgent', 'Later'], source: 'remembered' });
    expect(mock.syncCount).toBe(syncsBefore);
  });

  test('a failing Excel call is a HostError with a sentence, not Office’s text', async () => {
    const mock = new ExcelMock([tickets, tableSheet([['x']], 'sheet-2', 'Labels')], selection);
    mock.payloadLimitBytes = 1;
    const failure = await createExcelSheetAccess({ run: mock.run, documentSettings: settingsStore() })
      .suggestLabels()
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(HostError);
    expect((failure as HostError).code).toBe('PAYLOAD_TOO_LARGE');
  });

  test('the mock is as strict as Office: a null object’s state is unknown before a sync', async () => {
    const mock = new ExcelMock([tickets], selection);
    await mock.run(async (context) => {
      const missing = context.workbook.worksheets.getItemOrNullObject('Labels');
      expect(() => missing.isNullObject).toThrow(/PropertyNotLoaded/);
      await context.sync();
      expect(missing.isNullObject).toBe(true);
    });
  });
});

describe('preview workbook: suggestLabels', () => {
  test('the sample workbook offers its Labels sheet, and then the labels last used', async () => {
    const sheet = createPreviewHostAdapter('excel').sheet;
    if (sheet === undefined) throw new Error('the Excel preview has a sheet');
    await expect(sheet.suggestLabels()).resolves.toEqual({ labels: sampleLabels, source: 'sheet' });
    await sheet.rememberLabels(['Labels!A1:A3']);
    await expect(sheet.suggestLabels()).resolves.toEqual({ labels: ['Labels!A1:A3'], source: 'remembered' });
  });
});
