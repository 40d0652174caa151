// A1-style addresses as Excel writes them: columns A to XFD, rows 1 to 1,048,576, "$" for absolute
// references, whole columns ("C:C") and rows ("3:5"), and an optional sheet before "!", quoted when
// the name needs it ('Q1 ''24'!A1, a quote inside doubled). The one module the Excel adapter, the
// preview and the pane all use, so an address the pane accepts is one the adapters read alike.
import { HostError } from './host-adapter.js';

/** Excel's grid: 1,048,576 rows by 16,384 columns (XFD). */
export const EXCEL_ROW_COUNT = 1_048_576;
export const EXCEL_COLUMN_COUNT = 16_384;

/** A rectangle of cells, zero-based; a whole column has EXCEL_ROW_COUNT rows, a whole row EXCEL_COLUMN_COUNT columns. */
export interface CellRange {
  firstRow: number;
  firstColumn: number;
  rowCount: number;
  columnCount: number;
}

export interface ParsedAddress extends CellRange {
  /** The sheet named before "!", unquoted; undefined for a bare "A1:B2". */
  sheetName: string | undefined;
  /** The range in its normal form, as Excel's getRange takes it: no "$", capitals, top-left first ("A1:A20", "B3", "C:C", "3:5"). */
  range: string;
}

/** Zero-based column index to letters: 0 → A, 25 → Z, 26 → AA, 16,383 → XFD. */
export function columnLetters(columnIndex: number): string {
  if (!Number.isInteger(columnIndex) || columnIndex < 0 || columnIndex >= EXCEL_COLUMN_COUNT) {
    throw new HostError('INVALID_ARGUMENT', `Column ${columnIndex} is outside the sheet (0 to ${EXCEL_COLUMN_COUNT - 1}).`);
  }
  let letters = '';
  for (let remaining = columnIndex + 1; remaining > 0; remaining = Math.floor((remaining - 1) / 26)) {
    letters = String.fromCharCode(65 + ((remaining - 1) % 26)) + letters;
  }
  return letters;
}

/** Column letters (either case) to the zero-based index: A → 0, AA → 26, XFD → 16,383. */
export function columnIndex(letters: string): number {
  if (!/^[A-Za-z]{1,3}$/.test(letters)) throw new HostError('INVALID_ARGUMENT', `"${letters}" is not a column (A to XFD).`);
  let index = 0;
  for (const letter of letters.toUpperCase()) index = index * 26 + (letter.charCodeAt(0) - 64);
  if (index > EXCEL_COLUMN_COUNT) throw new HostError('INVALID_ARGUMENT', `Column ${letters.toUpperCase()} is outside the sheet (A to XFD).`);
  return index - 1;
}

/** The address of a range, with its sheet when given: "B3", "A2:C9", "C:C", "3:5", "'My sheet'!A1". */
export function formatAddress(range: CellRange, sheetName?: string): string {
  checkRange(range);
  const lastRow = range.firstRow + range.rowCount - 1;
  const lastColumn = range.firstColumn + range.columnCount - 1;
  let text: string;
  if (range.firstRow === 0 && range.rowCount === EXCEL_ROW_COUNT) {
    text = `${columnLetters(range.firstColumn)}:${columnLetters(lastColumn)}`;
  } else if (range.firstColumn === 0 && range.columnCount === EXCEL_COLUMN_COUNT) {
    text = `${range.firstRow + 1}:${lastRow + 1}`;
  } else {
    const start = `${columnLetters(range.firstColumn)}${range.firstRow + 1}`;
    text = range.rowCount === 1 && range.columnCount === 1 ? start : `${start}:${columnLetters(lastColumn)}${lastRow + 1}`;
  }
  return sheetName === undefined ? text : `${quoteSheetName(sheetName)}!${text}`;
}

/**
 * Reads "A1:A20", "$B$2", "C:C", "3:5", "Labels!A1:A20" or "'My sheet'!A1" (either order of corners,
 * either case). Throws a HostError INVALID_ARGUMENT that says how to write one when it is not an address.
 */
export function parseAddress(address: string): ParsedAddress {
  const trimmed = address.trim();
  const bang = trimmed.lastIndexOf('!');
  const sheetName = bang >= 0 ? unquoteSheetName(trimmed.slice(0, bang)) : undefined;
  const range = bang >= 0 ? rangeOf(trimmed.slice(bang + 1)) : rangeOf(trimmed);
  if (sheetName === null || range === undefined) {
    throw new HostError('INVALID_ARGUMENT', `"${address}" is not a cell range: write it like Labels!A1:A20 or A1:A20.`);
  }
  return { sheetName, ...range, range: formatAddress(range) };
}

/** parseAddress for input that may be something else (a label, a half-typed name box): undefined then. */
export function tryParseAddress(address: string): ParsedAddress | undefined {
  try {
    return parseAddress(address);
  } catch {
    return undefined;
  }
}

const cellPattern = /^\$?([A-Za-z]{1,3})\$?([1-9][0-9]{0,6})$/;
const columnPattern = /^\$?([A-Za-z]{1,3})$/;
const rowPattern = /^\$?([1-9][0-9]{0,6})$/;

/** The range part: one cell, or two corners that are both cells, both columns or both rows. */
function rangeOf(text: string): CellRange | undefined {
  const parts = text.split(':');
  if (parts.length > 2) return undefined;
  const [startText = '', endText = startText] = parts;
  const start = cellPattern.exec(startText);
  const end = cellPattern.exec(endText);
  if (start !== null && end !== null) return spanOf(columnOrNull(start[1]), columnOrNull(end[1]), rowOrNull(start[2]), rowOrNull(end[2]));
  if (parts.length === 1) return undefined;
  const startColumn = columnPattern.exec(startText);
  const endColumn = columnPattern.exec(endText);
  if (startColumn !== null && endColumn !== null) return spanOf(columnOrNull(startColumn[1]), columnOrNull(endColumn[1]), 0, EXCEL_ROW_COUNT - 1);
  const startRow = rowPattern.exec(startText);
  const endRow = rowPattern.exec(endText);
  if (startRow !== null && endRow !== null) return spanOf(0, EXCEL_COLUMN_COUNT - 1, rowOrNull(startRow[1]), rowOrNull(endRow[1]));
  return undefined;
}

function spanOf(columnA: number | null, columnB: number | null, rowA: number | null, rowB: number | null): CellRange | undefined {
  if (columnA === null || columnB === null || rowA === null || rowB === null) return undefined;
  return {
    firstRow: Math.min(rowA, rowB),
    firstColumn: Math.min(columnA, columnB),
    rowCount: Math.abs(rowB - rowA) + 1,
    columnCount: Math.abs(columnB - columnA) + 1,
  };
}

function columnOrNull(letters: string | undefined): number | null {
  try {
    return columnIndex(letters ?? '');
  } catch {
    return null;
  }
}

function rowOrNull(digits: string | undefined): number | null {
  const row = Number(digits);
  return Number.isInteger(row) && row >= 1 && row <= EXCEL_ROW_COUNT ? row - 1 : null;
}

/** Characters Excel refuses in a sheet name; it also limits names to 31 characters. */
const forbiddenInSheetName = /[[\]:*?/\\]/;

/** The sheet name of "'My sheet'" or "Labels"; null when it is not a valid one. */
function unquoteSheetName(text: string): string | null {
  let name: string;
  if (text.startsWith("'")) {
    // Quoted: ends with a quote, and every quote inside is doubled.
    const inner = text.slice(1, -1);
    if (text.length < 3 || !text.endsWith("'") || inner.replaceAll("''", '').includes("'")) return null;
    name = inner.replaceAll("''", "'");
  } else {
    // Unquoted, as Excel writes a plain name: no spaces, quotes or "!".
    if (!/^[^\s'!]+$/.test(text)) return null;
    name = text;
  }
  return name.length <= 31 && !forbiddenInSheetName.test(name) ? name : null;
}

/** Quotes a sheet name when Excel would: anything but letters, digits, "_" and ".", or a name that reads as a cell. */
function quoteSheetName(name: string): string {
  const plain = /^[A-Za-z_][A-Za-z0-9_.]*$/.test(name) && !cellPattern.test(name);
  return plain ? name : `'${name.replaceAll("'", "''")}'`;
}

function checkRange(range: CellRange): void {
  const { firstRow, firstColumn, rowCount, columnCount } = range;
  const integers = [firstRow, firstColumn, rowCount, columnCount].every(Number.isInteger);
  if (
    !integers ||
    firstRow < 0 ||
    firstColumn < 0 ||
    rowCount < 1 ||
    columnCount < 1 ||
    firstRow + rowCount > EXCEL_ROW_COUNT ||
    firstColumn + columnCount > EXCEL_COLUMN_COUNT
  ) {
    throw new HostError(
      'INVALID_ARGUMENT',
      `Rows ${firstRow + 1}–${firstRow + rowCount}, columns ${firstColumn + 1}–${firstColumn + columnCount} are not a range of the sheet.`,
    );
  }
}
