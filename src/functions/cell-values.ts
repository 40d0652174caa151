// What Excel hands a custom function and what it takes back. A range argument arrives as a 2-D array
// of values (a single cell as [[value]]); an omitted optional argument as null or undefined. A result
// is a 2-D array of the same shape, which Excel spills; an element may be a CustomFunctions.Error.
import { normalizeLabel } from '../contract/labels.js';

export type CellValue = string | number | boolean | null | undefined;
export type CellMatrix = readonly (readonly CellValue[])[];
export type CellResult = string | CustomFunctions.Error;

/** A scalar or a range, always as a matrix: Excel passes a single cell to a matrix parameter as [[value]]. */
export function asMatrix(value: CellMatrix | CellValue): CellMatrix {
  return Array.isArray(value) ? (value as CellMatrix) : [[value as CellValue]];
}

/** The text of a cell as Excel shows it; an empty cell is ''. */
export function cellText(value: CellValue): string {
  if (value === null || value === undefined) return '';
  return typeof value === 'string' ? value : String(value);
}

/** An omitted optional argument (null, undefined or an empty cell) as undefined, otherwise its trimmed text. */
export function optionalText(value: CellValue | CellMatrix): string | undefined {
  const text = cellText(Array.isArray(value) ? (value as CellMatrix)[0]?.[0] : (value as CellValue)).trim();
  return text === '' ? undefined : text;
}

/** The same shape, each cell mapped; every row keeps its length, so the result spills like the input. */
export async function mapCells(matrix: CellMatrix, map: (text: string) => Promise<CellResult>): Promise<CellResult[][]> {
  return Promise.all(matrix.map((row) => Promise.all(row.map((value) => map(cellText(value))))));
}

/** A range as one text, row by row: the cells of a row joined by a space, rows by a line break; empty cells and rows left out. */
export function joinRowByRow(matrix: CellMatrix): string {
  return matrix
    .map((row) =>
      row
        .map((value) => cellText(value).trim())
        .filter((text) => text !== '')
        .join(' '),
    )
    .filter((line) => line !== '')
    .join('\n');
}

/** The labels of a range or an array constant: non-empty cells in reading order, repeats (as the BFF compares them) once. */
export function labelList(matrix: CellMatrix): string[] {
  const seen = new Set<string>();
  const labels: string[] = [];
  for (const row of matrix) {
    for (const value of row) {
      const label = cellText(value).trim();
      const key = normalizeLabel(label);
      if (label === '' || seen.has(key)) continue;
      seen.add(key);
      labels.push(label);
    }
  }
  return labels;
}
