// A1 addresses: column letters both ways round the Z/AA and XFD edges, sheet names quoted or not.
import { columnLetters, parseAddress } from '../../src/hosts/excel/a1-address.js';

test.each([
  [0, 'A'],
  [25, 'Z'],
  [26, 'AA'],
  [701, 'ZZ'],
  [702, 'AAA'],
  [16_383, 'XFD'],
])('column %i is %s', (index, letters) => {
  expect(columnLetters(index)).toBe(letters);
});

test('a column outside the sheet is refused', () => {
  expect(() => columnLetters(16_384)).toThrow(/outside the sheet/);
  expect(() => columnLetters(-1)).toThrow(/outside the sheet/);
});

test.each([
  ['A1:A20', { sheetName: undefined, range: 'A1:A20' }],
  ['Labels!$B$2:$B$9', { sheetName: 'Labels', range: 'B2:B9' }],
  ["'Q1 ''24'!c:c", { sheetName: "Q1 '24", range: 'C:C' }],
  ['Sheet1!3:5', { sheetName: 'Sheet1', range: '3:5' }],
])('%s', (address, expected) => {
  expect(parseAddress(address)).toEqual(expected);
});

test.each(['', '!A1', 'Labels!', 'A1:B2:C3', 'Labels!A1 B2'])('"%s" is not an address', (address) => {
  expect(() => parseAddress(address)).toThrow(/is not a cell range/);
});
