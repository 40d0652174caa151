// A1 addresses, the one module the Excel adapter, the preview and the pane share: column letters both
// ways round the Z/AA and XFD edges, absolute references, whole columns and rows, sheet names quoted
// or not, and every kind of input that is not an address refused with the same HostError.
import { EXCEL_COLUMN_COUNT, EXCEL_ROW_COUNT, columnIndex, columnLetters, formatAddress, parseAddress, tryParseAddress } from '../../src/hosts/a1-address.js';
import { HostError } from '../../src/hosts/host-adapter.js';

describe('column letters', () => {
  test.each([
    [0, 'A'],
    [1, 'B'],
    [25, 'Z'],
    [26, 'AA'],
    [51, 'AZ'],
    [52, 'BA'],
    [701, 'ZZ'],
    [702, 'AAA'],
    [16_383, 'XFD'],
  ])('column %i is %s, and back', (index, letters) => {
    expect(columnLetters(index)).toBe(letters);
    expect(columnIndex(letters)).toBe(index);
    expect(columnIndex(letters.toLowerCase())).toBe(index);
  });

  test('every column of the sheet round-trips, and each name is one longer only past Z and ZZ', () => {
    const seen = new Set<string>();
    for (let index = 0; index < EXCEL_COLUMN_COUNT; index++) {
      const letters = columnLetters(index);
      expect(columnIndex(letters)).toBe(index);
      seen.add(letters);
    }
    expect(seen.size).toBe(EXCEL_COLUMN_COUNT);
  });

  test('a column outside the sheet is refused both ways', () => {
    for (const index of [EXCEL_COLUMN_COUNT, -1, 1.5, Number.NaN]) {
      expect(() => columnLetters(index)).toThrow(/outside the sheet/);
    }
    expect(() => columnIndex('XFE')).toThrow(/outside the sheet/);
    expect(() => columnIndex('AAAA')).toThrow(/not a column/);
    expect(() => columnIndex('')).toThrow(/not a column/);
    expect(() => columnIndex('A1')).toThrow(/not a column/);
  });
});

describe('parseAddress', () => {
  test.each([
    ['B3', { sheetName: undefined, range: 'B3', firstRow: 2, firstColumn: 1, rowCount: 1, columnCount: 1 }],
    ['A1:A20', { sheetName: undefined, range: 'A1:A20', firstRow: 0, firstColumn: 0, rowCount: 20, columnCount: 1 }],
    // Corners in any order and case; the normal form starts top-left.
    ['c9:a2', { sheetName: undefined, range: 'A2:C9', firstRow: 1, firstColumn: 0, rowCount: 8, columnCount: 3 }],
    ['  A1:B2  ', { sheetName: undefined, range: 'A1:B2', firstRow: 0, firstColumn: 0, rowCount: 2, columnCount: 2 }],
    ['A1:A1', { sheetName: undefined, range: 'A1', firstRow: 0, firstColumn: 0, rowCount: 1, columnCount: 1 }],
    [
      'XFD1048576',
      { sheetName: undefined, range: 'XFD1048576', firstRow: EXCEL_ROW_COUNT - 1, firstColumn: EXCEL_COLUMN_COUNT - 1, rowCount: 1, columnCount: 1 },
    ],
  ])('%s', (address, expected) => {
    expect(parseAddress(address)).toEqual(expected);
  });

  test('absolute references read like relative ones, without their $', () => {
    const relative = parseAddress('Labels!B2:B9');
    for (const address of ['Labels!$B$2:$B$9', 'Labels!$B2:B$9', 'Labels!B$2:$B9']) expect(parseAddress(address)).toEqual(relative);
    expect(relative).toMatchObject({ sheetName: 'Labels', range: 'B2:B9' });
    expect(parseAddress('$C:$C')).toEqual(parseAddress('C:C'));
    expect(parseAddress('$3:$5')).toEqual(parseAddress('3:5'));
  });

  test('whole columns and whole rows span the sheet', () => {
    expect(parseAddress('Labels!A:A')).toEqual({ sheetName: 'Labels', range: 'A:A', firstRow: 0, firstColumn: 0, rowCount: EXCEL_ROW_COUNT, columnCount: 1 });
    expect(parseAddress('d:b')).toEqual({ sheetName: undefined, range: 'B:D', firstRow: 0, firstColumn: 1, rowCount: EXCEL_ROW_COUNT, columnCount: 3 });
    expect(parseAddress('Sheet1!3:5')).toEqual({
      sheetName: 'Sheet1',
      range: '3:5',
      firstRow: 2,
      firstColumn: 0,
      rowCount: 3,
      columnCount: EXCEL_COLUMN_COUNT,
    });
  });

  test.each([
    ["'My sheet'!A1:A3", 'My sheet'],
    ["'Q1 ''24'!c:c", "Q1 '24"],
    ["'Sales!2024'!B2", 'Sales!2024'],
    ["'''quoted'''!A1", "'quoted'"],
    ["'A1'!B2", 'A1'],
    ['Umsätze_2024!A1', 'Umsätze_2024'],
  ])('sheet-qualified %s names the sheet %s', (address, sheetName) => {
    expect(parseAddress(address).sheetName).toBe(sheetName);
  });

  test.each([
    '',
    '   ',
    '!A1',
    'Labels!',
    "''!A1",
    'A1:B2:C3',
    'Labels!A1 B2',
    'A',
    '5',
    'A0',
    'A01',
    'A1048577',
    'XFE1',
    'AAAA1',
    '1A',
    'A1:B',
    'A:1',
    'A1:',
    ':A1',
    'My sheet!A1',
    "'My sheet!A1",
    "My sheet'!A1",
    "'It's'!A1",
    "'a[b]'!A1",
    "'Sheet/1'!A1",
    `'${'x'.repeat(32)}'!A1`,
    'R1C1',
    'Labels!A1!B2',
  ])('"%s" is not an address', (address) => {
    const failure = (() => {
      try {
        parseAddress(address);
        return undefined;
      } catch (error) {
        return error;
      }
    })();
    expect(failure).toBeInstanceOf(HostError);
    expect(failure).toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringMatching(/is not a cell range: write it like Labels!A1:A20/) });
    expect(tryParseAddress(address)).toBeUndefined();
  });

  test('tryParseAddress answers what parseAddress answers for an address', () => {
    expect(tryParseAddress("'My sheet'!$A$1:$B$2")).toEqual(parseAddress("'My sheet'!A1:B2"));
  });
});

describe('formatAddress', () => {
  test.each([
    [{ firstRow: 2, firstColumn: 1, rowCount: 1, columnCount: 1 }, undefined, 'B3'],
    [{ firstRow: 1, firstColumn: 25, rowCount: 20, columnCount: 2 }, undefined, 'Z2:AA21'],
    [{ firstRow: 0, firstColumn: 2, rowCount: EXCEL_ROW_COUNT, columnCount: 1 }, undefined, 'C:C'],
    [{ firstRow: 2, firstColumn: 0, rowCount: 3, columnCount: EXCEL_COLUMN_COUNT }, undefined, '3:5'],
    [{ firstRow: 0, firstColumn: 0, rowCount: 20, columnCount: 1 }, 'Labels', 'Labels!A1:A20'],
    [{ firstRow: 0, firstColumn: 0, rowCount: 1, columnCount: 1 }, 'My sheet', "'My sheet'!A1"],
    [{ firstRow: 0, firstColumn: 0, rowCount: 1, columnCount: 1 }, "Q1 '24", "'Q1 ''24'!A1"],
    // A sheet named like a cell would read as a cell: Excel quotes it.
    [{ firstRow: 0, firstColumn: 1, rowCount: 1, columnCount: 1 }, 'A1', "'A1'!B1"],
  ])('%o on %s is %s', (range, sheetName, expected) => {
    expect(formatAddress(range, sheetName)).toBe(expected);
  });

  test('a range off the grid is refused', () => {
    expect(() => formatAddress({ firstRow: EXCEL_ROW_COUNT, firstColumn: 0, rowCount: 1, columnCount: 1 })).toThrow(HostError);
    expect(() => formatAddress({ firstRow: 0, firstColumn: EXCEL_COLUMN_COUNT - 1, rowCount: 1, columnCount: 2 })).toThrow(HostError);
    expect(() => formatAddress({ firstRow: 0, firstColumn: 0, rowCount: 0, columnCount: 1 })).toThrow(HostError);
    expect(() => formatAddress({ firstRow: -1, firstColumn: 0, rowCount: 1, columnCount: 1 })).toThrow(HostError);
  });

  test('a range over every row is written as whole columns, which Excel reads as the same cells', () => {
    expect(parseAddress('B1:C1048576')).toEqual(parseAddress('B:C'));
    expect(parseAddress('A1:XFD1048576').range).toBe('A:XFD');
  });

  test.each(['A1', 'B2:D9', 'XFD1048576', 'C:C', 'A:XFD', '7:7', 'Labels!A1:A20', "'My sheet'!B2:C3", "'Q1 ''24'!3:5", "'A1'!B2"])(
    '%s round-trips through parseAddress and formatAddress',
    (address) => {
      const parsed = parseAddress(address);
      expect(formatAddress(parsed, parsed.sheetName)).toBe(address);
      expect(parseAddress(formatAddress(parsed, parsed.sheetName))).toEqual(parsed);
    },
  );
});
