// A1-style addresses for the sheet preview ("B2", "Labels!A1:A20", "'My sheet'!C3:D9").

export interface CellRange {
  sheetName: string | undefined;
  firstRow: number;
  firstColumn: number;
  rowCount: number;
  columnCount: number;
}

export function columnName(index: number): string {
  let name = '';
  for (let rest = index + 1; rest > 0; rest = Math.floor((rest - 1) / 26)) {
    name = String.fromCharCode(65 + ((rest - 1) % 26)) + name;
  }
  return name;
}

export function columnIndex(name: string): number {
  let index = 0;
  for (const letter of name.toUpperCase()) index = index * 26 + (letter.charCodeAt(0) - 64);
  return index - 1;
}

export function formatAddress(range: Omit<CellRange, 'sheetName'>): string {
  const start = `${columnName(range.firstColumn)}${range.firstRow + 1}`;
  if (range.rowCount === 1 && range.columnCount === 1) return start;
  return `${start}:${columnName(range.firstColumn + range.columnCount - 1)}${range.firstRow + range.rowCount}`;
}

const cellPattern = /^\$?([A-Za-z]{1,3})\$?([1-9][0-9]*)$/;

/** Parses an address; undefined when it is not one. */
export function parseAddress(address: string): CellRange | undefined {
  const trimmed = address.trim();
  const bang = trimmed.lastIndexOf('!');
  const rawSheet = bang >= 0 ? trimmed.slice(0, bang) : undefined;
  const sheetName = rawSheet?.replace(/^'(.*)'$/, '$1').replace(/''/g, "'");
  const [startText, endText, extra] = (bang >= 0 ? trimmed.slice(bang + 1) : trimmed).split(':');
  if (startText === undefined || extra !== undefined) return undefined;
  const start = cellPattern.exec(startText);
  const end = cellPattern.exec(endText ?? startText);
  if (start === null || end === null) return undefined;
  const rows = [Number(start[2]) - 1, Number(end[2]) - 1];
  const columns = [columnIndex(start[1] ?? 'A'), columnIndex(end[1] ?? 'A')];
  const firstRow = Math.min(rows[0] ?? 0, rows[1] ?? 0);
  const firstColumn = Math.min(columns[0] ?? 0, columns[1] ?? 0);
  return {
    sheetName: sheetName === '' ? undefined : sheetName,
    firstRow,
    firstColumn,
    rowCount: Math.abs((rows[1] ?? 0) - (rows[0] ?? 0)) + 1,
    columnCount: Math.abs((columns[1] ?? 0) - (columns[0] ?? 0)) + 1,
  };
}
