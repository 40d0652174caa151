// Translating selected cells into the column next to them, through the Excel adapter.
import { createExcelSheetAccess } from '../../src/hosts/excel/excel-sheet-access.js';
import { FAILED_CELL_PREFIX, translateCells, translateSelectedCells, type TranslatedItem } from '../../src/workflows/index.js';
import { ExcelMock } from '../hosts/mocks/excel-mock.js';

const cells = [
  ['Deutsch', 'English'],
  ['Guten Morgen', null],
  ['Danke', 'Thanks (mine)'],
  [null, null],
  ['Auf Wiedersehen', null],
  ['Kaputt', null],
];

function workbook(selection = { row: 1, column: 0, rowCount: 5, columnCount: 1 }): ExcelMock {
  return new ExcelMock([{ id: 'sheet-1', name: 'Words', rowExtent: cells.length, columnExtent: 2, valueAt: (row, column) => cells[row]?.[column] ?? null }], {
    sheetId: 'sheet-1',
    ...selection,
  });
}

const dictionary: Record<string, string> = { 'Guten Morgen': 'Good morning', Danke: 'Thank you', 'Auf Wiedersehen': 'Goodbye' };

async function* translate(texts: string[], _signal?: AbortSignal): AsyncIterable<TranslatedItem> {
  for (const [index, text] of texts.entries()) {
    const translation = dictionary[text];
    yield translation === undefined ? { index, text: null, error: { code: 'PROVIDER_ERROR', message: 'no translation' } } : { index, text: translation };
  }
}

test('selected cells are translated into the column next to them; filled cells and empty rows are skipped', async () => {
  const mock = workbook();
  const seen: string[][] = [];
  const result = await translateSelectedCells(createExcelSheetAccess({ run: mock.run }), {
    translate: (texts, signal) => {
      seen.push(texts);
      return translate(texts, signal);
    },
    // The user picks B, which holds one translation of their own.
    outputColumn: 1,
    overwrite: false,
    signal: new AbortController().signal,
  });
  expect(seen).toEqual([['Guten Morgen', 'Auf Wiedersehen', 'Kaputt']]);
  expect(result).toEqual({ translated: 2, skipped: 2, failed: 1, empty: 1, changed: 0, moved: 0, stopped: false, outputColumn: 1 });
  expect(mock.cell('sheet-1', 1, 1)).toBe('Good morning');
  expect(mock.cell('sheet-1', 2, 1)).toBe('Thanks (mine)');
  expect(mock.cell('sheet-1', 4, 1)).toBe('Goodbye');
  expect(String(mock.cell('sheet-1', 5, 1))).toMatch(new RegExp(`^${FAILED_CELL_PREFIX}PROVIDER_ERROR`));
  // Selection read, one read of both columns, one verification read and one write.
  expect(mock.syncCount).toBe(4);
});

test('with overwrite the user chose, a filled cell is replaced', async () => {
  const mock = workbook();
  const result = await translateCells(createExcelSheetAccess({ run: mock.run }), {
    rows: { startRow: 2, rowCount: 1 },
    sourceColumn: 0,
    outputColumn: 1,
    overwrite: true,
    translate,
    signal: new AbortController().signal,
  });
  expect(result.translated).toBe(1);
  expect(mock.cell('sheet-1', 2, 1)).toBe('Thank you');
});

test('a selection of several columns is refused with a clear message', async () => {
  const mock = workbook({ row: 1, column: 0, rowCount: 5, columnCount: 2 });
  await expect(
    translateSelectedCells(createExcelSheetAccess({ run: mock.run }), { translate, overwrite: false, signal: new AbortController().signal }),
  ).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
});
