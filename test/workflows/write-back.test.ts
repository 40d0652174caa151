// Write-back fidelity on the office-addin-mock workbook, through the real Excel adapter: while a run is
// on, the user inserts, deletes and sorts rows and types into cells (between two syncs, as Office would
// let them); no label lands on a wrong row and no cell the user typed is overwritten. Answers that look
// like numbers, dates, booleans or formulas land as the exact text; dates are read as shown; a header
// row is left out and the output column gets its own header.
import { createExcelSheetAccess } from '../../src/hosts/excel/excel-sheet-access.js';
import {
  classifySheet,
  detectHeaderRow,
  looksLikeHeaderRow,
  translateCells,
  type ClassifiedItem,
  type ClassifySheetOptions,
  type ClassifySheetResult,
  type TranslatedItem,
} from '../../src/workflows/index.js';
import { ExcelMock } from '../hosts/mocks/excel-mock.js';

const ROWS = 2_000;
const labels = ['Billing', 'Hardware', 'Account'];
const labelOf = (text: string): string => labels[Number(/#(\d+)/.exec(text)?.[1] ?? 0) % 3] ?? 'Billing';
const ticket = (row: number): string => `Ticket #${row}: something about the order`;

/** Row 0 is a header; rows 1..ROWS hold tickets in A, labels go to B. */
function ticketWorkbook(rows = ROWS): ExcelMock {
  return new ExcelMock(
    [
      {
        id: 'sheet-1',
        name: 'Tickets',
        rowExtent: rows + 1,
        columnExtent: 2,
        valueAt: (row, column) => (row === 0 ? (['Ticket', null][column] ?? null) : column === 0 ? ticket(row) : null),
      },
    ],
    { sheetId: 'sheet-1', row: 0, column: 0, rowCount: rows + 1, columnCount: 1 },
  );
}

/** Answers in order, calling `between(count)` after each: the test's user acts between two syncs there. */
function classifier(between: (count: number) => void = () => undefined, seen: string[][] = []) {
  return async function* classify(items: string[]): AsyncIterable<ClassifiedItem> {
    seen.push(items);
    for (const [index, item] of items.entries()) {
      yield { index, label: labelOf(item) };
      between(index + 1);
    }
  };
}

function options(classify: ClassifySheetOptions['classify'], rows = ROWS): ClassifySheetOptions {
  return {
    rows: { startRow: 1, rowCount: rows },
    inputColumns: [0],
    outputColumn: 1,
    overwrite: false,
    classify,
    signal: new AbortController().signal,
  };
}

/** Every row of the sheet: a label is either absent, the user's own, or the right one for the row's ticket. */
function expectNoWrongLabel(mock: ExcelMock, userCells: ReadonlyMap<string, string> = new Map()): { labelled: number; tickets: number } {
  let labelled = 0;
  let tickets = 0;
  for (let row = 1; row <= ROWS + 20; row++) {
    const input = mock.cellText('sheet-1', row, 0);
    const output = mock.cellText('sheet-1', row, 1);
    if (input.startsWith('Ticket')) tickets++;
    if (output === '') continue;
    const own = userCells.get(input);
    if (own !== undefined && output === own) continue;
    expect({ row, input, output }).toEqual({ row, input, output: labelOf(input) });
    labelled++;
  }
  return { labelled, tickets };
}

const total = (result: ClassifySheetResult): number => result.classified + result.failed + result.skipped + result.changed;

test('rows inserted above the rows in flight: every label lands on its own row, found again where it moved', async () => {
  const mock = ticketWorkbook();
  const sheet = createExcelSheetAccess({ run: mock.run });
  // After the first block (500 rows) was written, the user inserts 3 rows at the top of the data.
  const result = await classifySheet(sheet, options(classifier((count) => count === 700 && mock.insertRows('sheet-1', 1, 3))));
  expect(result).toMatchObject({ classified: ROWS, changed: 0, stopped: false });
  expect(result.moved).toBeGreaterThanOrEqual(ROWS - 500);
  expect(expectNoWrongLabel(mock)).toEqual({ labelled: ROWS, tickets: ROWS });
  // The inserted rows stay empty.
  for (const row of [1, 2, 3]) expect(mock.cell('sheet-1', row, 1)).toBeNull();
});

test('rows deleted during the run: their answers are dropped and counted, every other label lands on its row', async () => {
  const mock = ticketWorkbook();
  const sheet = createExcelSheetAccess({ run: mock.run });
  // Rows 600..604 were sent and answered, not yet written: the user deletes them.
  const result = await classifySheet(sheet, options(classifier((count) => count === 700 && mock.deleteRows('sheet-1', 600, 5))));
  expect(result).toMatchObject({ classified: ROWS - 5, changed: 5, stopped: false });
  expect(total(result)).toBe(ROWS);
  expect(expectNoWrongLabel(mock)).toEqual({ labelled: ROWS - 5, tickets: ROWS - 5 });
});

test('rows sorted during the run: no label on a wrong row; what could not be found is left alone, counted, and the next run does it', async () => {
  const mock = ticketWorkbook();
  const sheet = createExcelSheetAccess({ run: mock.run });
  const seen: string[][] = [];
  const first = await classifySheet(sheet, options(classifier((count) => count === 700 && mock.sortRows('sheet-1', 1, ROWS, 0, true), seen)));
  expect(first.changed).toBeGreaterThan(0);
  expect(total(first)).toBe(ROWS);
  expect(expectNoWrongLabel(mock).labelled).toBe(first.classified);

  const second = await classifySheet(sheet, options(classifier(undefined, seen)));
  // Only the rows left alone are sent again.
  expect(seen[1]).toHaveLength(first.changed);
  expect(second).toMatchObject({ classified: first.changed, changed: 0, skipped: ROWS - first.changed });
  expect(expectNoWrongLabel(mock)).toEqual({ labelled: ROWS, tickets: ROWS });
});

test('a cell the user types into during the run is never overwritten, and an edited input gets no stale label', async () => {
  const mock = ticketWorkbook();
  const sheet = createExcelSheetAccess({ run: mock.run });
  const result = await classifySheet(
    sheet,
    options(
      classifier((count) => {
        if (count !== 700) return;
        mock.setCell('sheet-1', 800, 1, 'mine');
        mock.setCell('sheet-1', 900, 0, 'Ticket #901 rewritten by the user');
      }),
    ),
  );
  expect(mock.cell('sheet-1', 800, 1)).toBe('mine');
  expect(mock.cell('sheet-1', 900, 1)).toBeNull();
  expect(result).toMatchObject({ classified: ROWS - 2, changed: 2 });
  expect(total(result)).toBe(ROWS);
});

test('the sync budget with verification: 10,000 rows in one read, then per block of 500 one verification read and one write', async () => {
  const rows = 10_000;
  const mock = ticketWorkbook(rows);
  const result = await classifySheet(createExcelSheetAccess({ run: mock.run }), options(classifier(), rows));
  expect(result).toMatchObject({ classified: rows, changed: 0 });
  const reads = mock.syncs.filter((sync) => sync.cellsRead > 0).length;
  const writes = mock.syncs.filter((sync) => sync.cellsWritten > 0).length;
  expect(writes).toBe(rows / 500);
  expect(reads).toBe(1 + rows / 500);
  expect(mock.syncCount).toBe(reads + writes);
  console.info(`10,000 rows with verification: ${mock.syncCount} syncs (${reads} reads: 1 window + ${reads - 1} verification; ${writes} writes)`);
});

describe('text stays text', () => {
  const answers = ['007', '1/2', '50%', 'TRUE', '3e5', '2024-01-31', '=SUM(A1)', '+1', '-x', '@x', "'quoted", '12/31/2023'];

  test('translations that look like numbers, dates, booleans or formulas land exactly as returned', async () => {
    const mock = new ExcelMock([{ id: 'sheet-1', name: 'Words', rowExtent: answers.length, columnExtent: 1, valueAt: (row) => `source ${row}` }], {
      sheetId: 'sheet-1',
      row: 0,
      column: 0,
      rowCount: answers.length,
      columnCount: 1,
    });
    const translate = async function* (texts: string[]): AsyncIterable<TranslatedItem> {
      for (const [index] of texts.entries()) yield { index, text: answers[index] ?? null };
    };
    const sheet = createExcelSheetAccess({ run: mock.run });
    const result = await translateCells(sheet, {
      rows: { startRow: 0, rowCount: answers.length },
      sourceColumn: 0,
      outputColumn: 1,
      overwrite: false,
      translate,
      signal: new AbortController().signal,
    });
    expect(result).toMatchObject({ translated: answers.length, changed: 0 });
    answers.forEach((answer, row) => {
      expect({ row, value: mock.cell('sheet-1', row, 1), shown: mock.cellText('sheet-1', row, 1) }).toEqual({ row, value: answer, shown: answer });
    });
    // And they read back unchanged: a resume sees them as done.
    expect(await sheet.readColumn(0, answers.length, 1)).toEqual(answers);
  });

  test('without the text format the fake parses like Excel (so the test above can fail)', () => {
    const mock = new ExcelMock([{ id: 'sheet-1', name: 'S', rowExtent: 1, columnExtent: 1, valueAt: () => null }], {
      sheetId: 'sheet-1',
      row: 0,
      column: 0,
      rowCount: 1,
      columnCount: 1,
    });
    const typed = answers.map((answer, row) => {
      mock.setCell('sheet-1', row, 3, answer);
      return mock.cellText('sheet-1', row, 3);
    });
    expect(typed).toEqual(['7', '1/2/2026', '50%', 'TRUE', '300000', '2024-01-31', '#NAME?', '1', '#NAME?', '#NAME?', 'quoted', '12/31/2023']);
    expect(mock.cell('sheet-1', 0, 3)).toBe(7);
  });

  test('dates and formatted numbers reach the LLM as the user sees them', async () => {
    const values = [45_291, 0.25, true, 'plain'];
    const formats = ['dd.mm.yyyy', '0%', 'General', 'General'];
    const mock = new ExcelMock(
      [{ id: 'sheet-1', name: 'S', rowExtent: 4, columnExtent: 1, valueAt: (row) => values[row] ?? null, formatAt: (row) => formats[row] ?? 'General' }],
      { sheetId: 'sheet-1', row: 0, column: 0, rowCount: 4, columnCount: 1 },
    );
    const seen: string[][] = [];
    const translate = async function* (texts: string[]): AsyncIterable<TranslatedItem> {
      seen.push(texts);
      for (const [index, text] of texts.entries()) yield { index, text };
    };
    await translateCells(createExcelSheetAccess({ run: mock.run }), {
      rows: { startRow: 0, rowCount: 4 },
      sourceColumn: 0,
      outputColumn: 1,
      overwrite: false,
      translate,
      signal: new AbortController().signal,
    });
    expect(seen).toEqual([['31.12.2023', '25%', 'TRUE', 'plain']]);
    expect(mock.cell('sheet-1', 0, 1)).toBe('31.12.2023');
  });
});

describe('a header row', () => {
  test('is neither classified nor counted, and the output column gets its own header when empty', async () => {
    const mock = ticketWorkbook(50);
    const seen: string[][] = [];
    const result = await classifySheet(createExcelSheetAccess({ run: mock.run }), {
      ...options(classifier(undefined, seen), 51),
      rows: { startRow: 0, rowCount: 51 },
      firstRowIsHeader: true,
      outputHeader: 'Label',
    });
    expect(seen[0]).toHaveLength(50);
    expect(seen[0]).not.toContain('Ticket');
    expect(result).toMatchObject({ classified: 50, skipped: 0, changed: 0 });
    expect(mock.cell('sheet-1', 0, 1)).toBe('Label');
    expect(mock.cell('sheet-1', 1, 1)).toBe(labelOf(ticket(1)));
  });

  test('keeps a header the user already has in the output column', async () => {
    const mock = ticketWorkbook(5);
    mock.setCell('sheet-1', 0, 1, 'Category (mine)');
    await classifySheet(createExcelSheetAccess({ run: mock.run }), {
      ...options(classifier(), 6),
      rows: { startRow: 0, rowCount: 6 },
      firstRowIsHeader: true,
      outputHeader: 'Label',
    });
    expect(mock.cell('sheet-1', 0, 1)).toBe('Category (mine)');
  });

  test.each([
    [[['Ticket'], ['Printer jams on every page since Monday'], ['Refund for invoice 42, charged twice']], true],
    [[['Amount'], ['12.50'], ['7']], true],
    [
      [
        ['Ticket', 'Date'],
        ['Printer jams', '31.12.2023'],
        ['Refund', '01.01.2024'],
      ],
      true,
    ],
    [[['Guten Morgen'], ['Danke'], ['Auf Wiedersehen']], false],
    [[['42'], ['43'], ['44']], false],
    [
      [
        ['Ticket', ''],
        ['Printer jams on every page', 'x'],
      ],
      false,
    ],
    [[['Status'], ['Status'], ['open']], false],
    [[['Only one row']], false],
  ])('looksLikeHeaderRow(%j) is %s', (rows, expected) => {
    expect(looksLikeHeaderRow(rows)).toBe(expected);
  });

  test('detectHeaderRow reads the first rows of the selection in one sync', async () => {
    const mock = ticketWorkbook(100);
    const sheet = createExcelSheetAccess({ run: mock.run });
    const selection = await sheet.readSelection();
    const before = mock.syncCount;
    expect(await detectHeaderRow(sheet, selection)).toBe(true);
    expect(mock.syncCount - before).toBe(1);
    mock.selection = { sheetId: 'sheet-1', row: 1, column: 0, rowCount: 100, columnCount: 1 };
    expect(await detectHeaderRow(sheet, await sheet.readSelection())).toBe(false);
  });
});
