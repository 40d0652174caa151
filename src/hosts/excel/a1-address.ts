// A1-style addresses: Excel names columns A..XFD and lets a range carry its sheet ("'My Sheet'!A1:B2").
import { HostError } from '../host-adapter.js';

/** Excel's grid: 1,048,576 rows by 16,384 columns (XFD). */
export const EXCEL_ROW_COUNT = 1_048_576;
export const EXCEL_COLUMN_COUNT = 16_384;

/** Zero-based column index to letters: 0 → A, 25 → Z, 26 → AA. */
export function columnLetters(columnIndex: number): string {
  if (!Number.isInteger(columnIndex) || columnIndex < 0 || columnIndex >= EXCEL_COLUMN_COUNT) {
    throw new HostError('INVALID_ARGUMENT', `Column ${columnIndex} is outside the sheet (0 to ${EXCEL_COLUMN_COUNT - 1}).`);
  }
  let letters = '';
  let remaining = columnIndex + 1;
  while (remaining > 0) {
    const digit = (remaining - 1) % 26;
    letters = String.fromCharCode(65 + digit) + letters;
    remaining = Math.floor((remaining - 1) / 26);
  }
  return letters;
}

export interface ParsedAddress {
  /** The sheet named before "!", unquoted; undefined for a bare "A1:B2". */
  sheetName: string | undefined;
  /** The range part, such as "A1:A20", "A:A" or "B3". */
  range: string;
}

const rangePattern = /^\$?[A-Za-z]{1,3}\$?\d*(:\$?[A-Za-z]{1,3}\$?\d*)?$|^\$?\d+:\$?\d+$/;

/** Splits "Sheet!A1:A20", "'My Sheet'!A1:A20" or "A1:A20" into sheet and range. */
export function parseAddress(address: string): ParsedAddress {
  const trimmed = address.trim();
  const bang = trimmed.lastIndexOf('!');
  let sheetName: string | undefined;
  let range = trimmed;
  if (bang >= 0) {
    const sheetPart = trimmed.slice(0, bang);
    range = trimmed.slice(bang + 1);
    sheetName = sheetPart.startsWith("'") && sheetPart.endsWith("'") && sheetPart.length >= 2
      ? sheetPart.slice(1, -1).replaceAll("''", "'")
      : sheetPart;
    if (sheetName.length === 0) throw invalidAddress(address);
  }
  if (!rangePattern.test(range)) throw invalidAddress(address);
  return { sheetName, range: range.replaceAll('$', '').toUpperCase() };
}

function invalidAddress(address: string): HostError {
  return new HostError(
    'INVALID_ARGUMENT',
    `"${address}" is not a cell range: write it like Labels!A1:A20 or A1:A20.`,
  );
}
