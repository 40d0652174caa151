// Whether the first row of a selection is a header ("Ticket", "Message") rather than data, so a run
// leaves it out by default and the pane can say so. A guess from a few rows, which the user can override:
// every first-row cell is a short, distinct, non-numeric text, and in at least one column the rows below
// look different (numbers or dates under a word, or clearly longer texts), with the header word not repeated.
import type { SheetAccess, SheetSelection } from '../hosts/host-adapter.js';

/** Rows read to decide: the first row and this many below it. */
export const HEADER_SAMPLE_ROWS = 20;
const MAX_HEADER_CHARACTERS = 40;

const numberOrDate = /^[-+]?[\d.,\s%/:€$£-]+$/;

function isNumberLike(text: string): boolean {
  return numberOrDate.test(text) && /\d/.test(text);
}

/** `rows[0]` is the candidate header; the rest are the rows below it (texts as shown). */
export function looksLikeHeaderRow(rows: readonly (readonly string[])[]): boolean {
  const [first, ...body] = rows;
  if (first === undefined || first.length === 0 || body.length === 0) return false;
  const headers = first.map((text) => text.trim());
  if (headers.some((text) => text === '' || text.length > MAX_HEADER_CHARACTERS || isNumberLike(text))) return false;
  if (new Set(headers.map((text) => text.toLowerCase())).size !== headers.length) return false;
  return headers.some((header, column) => {
    const below = body.map((row) => (row[column] ?? '').trim()).filter((text) => text !== '');
    if (below.length === 0 || below.some((text) => text.toLowerCase() === header.toLowerCase())) return false;
    const numeric = below.filter(isNumberLike).length / below.length;
    const averageLength = below.reduce((sum, text) => sum + text.length, 0) / below.length;
    return numeric >= 0.5 || averageLength >= 2 * header.length + 5;
  });
}

/** Reads the first rows of the selection's columns (one read) and guesses whether the first is a header. */
export async function detectHeaderRow(sheet: SheetAccess, selection: SheetSelection): Promise<boolean> {
  if (selection.rowCount < 2) return false;
  const columns = Array.from({ length: selection.columnCount }, (_value, offset) => selection.firstColumn + offset);
  const rows = await sheet.readRows(selection.firstRow, Math.min(selection.rowCount, HEADER_SAMPLE_ROWS + 1), columns);
  return looksLikeHeaderRow(rows);
}
