// A workbook for the Excel adapter's tests, built from office-addin-mock objects: properties must be
// loaded and synced before they can be read (the mock answers an error string otherwise), and
// context.sync is counted. It also enforces what Excel on the web enforces: a request or response over
// 5 MB and a read over 5,000,000 cells fail with Excel's error codes. Like Excel, a written value is parsed
// as typed input unless the cell's number format is text ("@"): "007" becomes 7, "50%" 0.5, "TRUE" a
// boolean, "1/2" a date, "=SUM(A1)" a formula, and a leading apostrophe marks text. `text` is what the
// cell shows. Between two syncs a test may insert, delete or sort rows as the user would: values move.
import { OfficeMockObject } from 'office-addin-mock';
import type { ExcelRun } from '../../../src/hosts/excel/excel-sheet-access.js';

export const EXCEL_WEB_LIMIT_BYTES = 5_000_000;

export interface SheetData {
  id: string;
  name: string;
  /** Rows and columns that may hold data; cells outside are empty. */
  rowExtent: number;
  columnExtent: number;
  /** The value of a cell inside the extent ('' or null for empty), computed on demand so a huge sheet costs nothing. */
  valueAt: (row: number, column: number) => string | number | boolean | null;
  /** The number format of a cell inside the extent (default "General"), e.g. "dd.mm.yyyy" for a date serial. */
  formatAt?: (row: number, column: number) => string;
}

export type CellValue = string | number | boolean | null;

/** One cell as Excel holds it: its value, its number format and, for a formula, the formula. */
export interface MockCell {
  value: CellValue;
  numberFormat: string;
  formula?: string;
  /** Its column is too narrow for the number: Excel shows "#####" as its text. */
  tooNarrow?: boolean;
}

export interface SelectionData {
  sheetId: string;
  row: number;
  column: number;
  rowCount: number;
  columnCount: number;
}

export interface SyncRecord {
  responseBytes: number;
  requestBytes: number;
  cellsRead: number;
  cellsWritten: number;
  rangesWritten: number;
  suspendedCalculation: boolean;
  /** Excel refused this sync (an oversized payload, say); nothing of it was applied. */
  rejected: boolean;
}

interface Sheet extends SheetData {
  written: Map<string, MockCell>;
}

interface RangeGeometry {
  sheet: Sheet;
  row: number;
  column: number;
  rowCount: number;
  columnCount: number;
}

interface BatchState {
  reads: { geometry: RangeGeometry; property: 'values' | 'text' | 'numberFormat'; target: unknown[][] }[];
  /** Assignments in the order they were queued: Excel applies them in that order. */
  writes: { geometry: RangeGeometry; property: 'values' | 'numberFormat'; values: unknown[][]; sequence: number }[];
  /** Actions that fail at sync; `sequence` orders them among the writes. */
  errors: { code: string; message: string; sequence: number }[];
  /** Actions queued so far in this batch. */
  sequence: number;
  mocks: OfficeMockObject[];
  suspended: boolean;
}

const MAX_ROWS = 1_048_576;
const MAX_COLUMNS = 16_384;

export class ExcelMock {
  readonly sheets = new Map<string, Sheet>();
  selection: SelectionData;
  activeSheetId: string;
  readonly syncs: SyncRecord[] = [];
  /** Rejects requests/responses over this many bytes, like Excel on the web. */
  payloadLimitBytes = EXCEL_WEB_LIMIT_BYTES;
  /** The workbook's defined names: a range on a sheet, or a constant (which has no range). */
  readonly names = new Map<string, { sheetId: string; address: string } | { constant: string }>();

  constructor(sheets: SheetData[], selection: SelectionData) {
    for (const sheet of sheets) this.sheets.set(sheet.id, { ...sheet, written: new Map() });
    this.selection = selection;
    this.activeSheetId = selection.sheetId;
  }

  get syncCount(): number {
    return this.syncs.length;
  }

  /** Excel.run over this workbook: each batch gets a fresh request context. */
  readonly run: ExcelRun = async (batch) => batch(this.createContext() as unknown as Excel.RequestContext);

  /** The current value of a cell (null when empty). */
  cell(sheetId: string, row: number, column: number): CellValue {
    return cellAt(this.requireSheet(sheetId), row, column).value;
  }

  /** What the cell shows, as Excel's `text`. */
  cellText(sheetId: string, row: number, column: number): string {
    return displayText(cellAt(this.requireSheet(sheetId), row, column));
  }

  cellFormat(sheetId: string, row: number, column: number): string {
    return cellAt(this.requireSheet(sheetId), row, column).numberFormat;
  }

  /** The user types into a cell (between two adapter calls): parsed as Excel parses typed input. */
  setCell(sheetId: string, row: number, column: number, value: string): void {
    const sheet = this.requireSheet(sheetId);
    sheet.written.set(key(row, column), typedCell(value, cellAt(sheet, row, column).numberFormat));
  }

  /** The user narrows the column until this cell's number no longer fits: its text becomes "#####". */
  narrowColumnAt(sheetId: string, row: number, column: number): void {
    const sheet = this.requireSheet(sheetId);
    sheet.written.set(key(row, column), { ...cellAt(sheet, row, column), tooNarrow: true });
  }

  /** The user inserts `count` empty rows before `row`: the rows below move down. */
  insertRows(sheetId: string, row: number, count: number): void {
    this.moveRows(sheetId, (current) => (current < row ? current : current + count));
  }

  /** The user deletes `count` rows from `row`: the rows below move up. */
  deleteRows(sheetId: string, row: number, count: number): void {
    this.moveRows(sheetId, (current) => (current < row ? current : current < row + count ? undefined : current - count));
  }

  /** The user sorts rows `firstRow`.. (whole rows) by the text of `keyColumn`, ascending or descending. */
  sortRows(sheetId: string, firstRow: number, rowCount: number, keyColumn: number, descending = false): void {
    const sheet = this.requireSheet(sheetId);
    const rows = Array.from({ length: rowCount }, (_value, offset) => firstRow + offset);
    const order = [...rows].sort((a, b) => {
      const compared = displayText(cellAt(sheet, a, keyColumn)).localeCompare(displayText(cellAt(sheet, b, keyColumn)));
      return descending ? -compared : compared;
    });
    // order[index] is the old row that lands at firstRow + index.
    const target = new Map(order.map((oldRow, index) => [oldRow, firstRow + index]));
    this.moveRows(sheetId, (current) => target.get(current) ?? current);
  }

  /** Moves every cell of a sheet to `newRow(row)` (undefined: deleted), materialising its cells first. */
  private moveRows(sheetId: string, newRow: (row: number) => number | undefined): void {
    const sheet = this.requireSheet(sheetId);
    const cells = new Map<string, MockCell>();
    for (let row = 0; row < sheet.rowExtent; row++) {
      for (let column = 0; column < sheet.columnExtent; column++) {
        const cell = cellAt(sheet, row, column);
        if (!isEmpty(cell.value)) cells.set(key(row, column), cell);
      }
    }
    for (const [cellKey, cell] of sheet.written) cells.set(cellKey, cell);
    sheet.written.clear();
    let lastRow = 0;
    for (const [cellKey, cell] of cells) {
      const [row, column] = cellKey.split(',').map(Number) as [number, number];
      const moved = newRow(row);
      if (moved === undefined) continue;
      sheet.written.set(key(moved, column), cell);
      lastRow = Math.max(lastRow, moved + 1);
    }
    // The generated cells now live in `written`; the function no longer answers.
    sheet.valueAt = () => null;
    delete sheet.formatAt;
    sheet.rowExtent = Math.max(sheet.rowExtent, lastRow);
  }

  /** The largest response Excel accepted to send. */
  largestResponseBytes(): number {
    return this.syncs.filter((sync) => !sync.rejected).reduce((largest, sync) => Math.max(largest, sync.responseBytes), 0);
  }

  largestRequestBytes(): number {
    return this.syncs.reduce((largest, sync) => Math.max(largest, sync.requestBytes), 0);
  }

  rejectedSyncs(): number {
    return this.syncs.filter((sync) => sync.rejected).length;
  }

  private requireSheet(sheetId: string): Sheet {
    const sheet = this.sheets.get(sheetId);
    if (sheet === undefined) throw new Error(`no sheet ${sheetId}`);
    return sheet;
  }

  private createContext(): OfficeMockObject {
    const batch: BatchState = { reads: [], writes: [], errors: [], mocks: [], suspended: false, sequence: 0 };
    const context = new OfficeMockObject({
      workbook: {
        getSelectedRange: () => {
          const { sheetId, row, column, rowCount, columnCount } = this.selection;
          return this.createRange(batch, { sheet: this.requireSheet(sheetId), row, column, rowCount, columnCount });
        },
        worksheets: {
          getItem: (idOrName: string) => {
            const sheet = [...this.sheets.values()].find((candidate) => candidate.id === idOrName || candidate.name === idOrName);
            if (sheet === undefined) {
              batch.errors.push({ code: 'ItemNotFound', message: `The requested resource doesn't exist.`, sequence: batch.sequence++ });
              return this.createWorksheet(batch, { id: '?', name: idOrName, rowExtent: 0, columnExtent: 0, valueAt: () => null, written: new Map() });
            }
            return this.createWorksheet(batch, sheet);
          },
          getActiveWorksheet: () => this.createWorksheet(batch, this.requireSheet(this.activeSheetId)),
          // As Excel: found without regard to case; a missing sheet is a null object, known only after a sync.
          getItemOrNullObject: (name: string) => {
            const sheet = [...this.sheets.values()].find((candidate) => candidate.name.toLowerCase() === name.toLowerCase());
            return sheet === undefined ? nullObject(batch) : syncedNotNull(batch, this.createWorksheet(batch, sheet));
          },
        },
        names: {
          getItemOrNullObject: (name: string) => {
            const found = [...this.names.entries()].find(([candidate]) => candidate.toLowerCase() === name.toLowerCase());
            if (found === undefined) return nullObject(batch);
            const [itemName, item] = found;
            const named = new OfficeMockObject({
              name: itemName,
              type: 'sheetId' in item ? 'Range' : 'String',
              // A constant has no range: a null object, as Excel answers.
              getRangeOrNullObject: () =>
                'sheetId' in item
                  ? syncedNotNull(batch, this.createRange(batch, { sheet: this.requireSheet(item.sheetId), ...parseA1(item.address) }))
                  : nullObject(batch),
            });
            return syncedNotNull(batch, named);
          },
        },
      },
      application: {
        suspendApiCalculationUntilNextSync: () => {
          batch.suspended = true;
        },
      },
    });
    context.sync = async () => this.sync(batch);
    return context;
  }

  private async sync(batch: BatchState): Promise<void> {
    const record: SyncRecord = {
      responseBytes: 0,
      requestBytes: 0,
      cellsRead: 0,
      cellsWritten: 0,
      rangesWritten: 0,
      suspendedCalculation: batch.suspended,
      rejected: false,
    };
    this.syncs.push(record);
    const pending = { ...batch, reads: [...batch.reads], writes: [...batch.writes], errors: [...batch.errors], mocks: [...batch.mocks] };
    batch.reads.length = 0;
    batch.writes.length = 0;
    batch.errors.length = 0;
    batch.mocks.length = 0;
    batch.suspended = false;

    try {
      await this.apply(pending, record);
    } catch (error) {
      record.rejected = true;
      throw error;
    }
  }

  private async apply(pending: BatchState, record: SyncRecord): Promise<void> {
    for (const write of pending.writes) record.requestBytes += jsonBytes(write.values);
    // An oversized request is refused whole: nothing of it applies.
    if (record.requestBytes > this.payloadLimitBytes) {
      throw excelError('RequestPayloadSizeLimitExceeded', `The request payload size has exceeded the limit (${record.requestBytes} bytes).`);
    }
    // Otherwise Office runs the queued actions in order: those before a failing one stay applied, the rest are skipped.
    const firstError = pending.errors[0];
    for (const write of pending.writes) {
      if (firstError !== undefined && write.sequence > firstError.sequence) break;
      const { geometry, values, property } = write;
      if (values.length !== geometry.rowCount || values.some((row) => row.length !== geometry.columnCount)) {
        throw excelError('InvalidArgument', 'The number of rows or columns in the input array does not match the size or dimensions of the range.');
      }
      values.forEach((row, rowOffset) =>
        row.forEach((value, columnOffset) => {
          const cellRow = geometry.row + rowOffset;
          const cellColumn = geometry.column + columnOffset;
          const current = cellAt(geometry.sheet, cellRow, cellColumn);
          const next: MockCell =
            property === 'numberFormat'
              ? { ...current, numberFormat: String(value) }
              : typeof value === 'string'
                ? typedCell(value, current.numberFormat)
                : { value: (value ?? null) as CellValue, numberFormat: current.numberFormat };
          geometry.sheet.written.set(key(cellRow, cellColumn), next);
        }),
      );
      if (property === 'values') {
        record.cellsWritten += geometry.rowCount * geometry.columnCount;
        record.rangesWritten++;
      }
    }
    if (firstError !== undefined) throw excelError(firstError.code, firstError.message);
    for (const read of pending.reads) {
      const { geometry, property, target } = read;
      const cells = geometry.rowCount * geometry.columnCount;
      if (cells > 5_000_000) throw excelError('ResponsePayloadSizeLimitExceeded', `A read of ${cells} cells exceeds 5,000,000 cells.`);
      record.cellsRead += cells;
      target.length = 0;
      for (let row = 0; row < geometry.rowCount; row++) {
        const cellsOfRow: unknown[] = [];
        for (let column = 0; column < geometry.columnCount; column++) {
          const cell = cellAt(geometry.sheet, geometry.row + row, geometry.column + column);
          cellsOfRow.push(property === 'text' ? displayText(cell) : property === 'numberFormat' ? cell.numberFormat : (cell.value ?? ''));
        }
        target.push(cellsOfRow);
      }
      record.responseBytes += jsonBytes(target);
    }
    if (record.responseBytes > this.payloadLimitBytes) {
      throw excelError('ResponsePayloadSizeLimitExceeded', `The response payload size has exceeded the limit (${record.responseBytes} bytes).`);
    }
    for (const mock of pending.mocks) await mock.sync();
  }

  private createWorksheet(batch: BatchState, sheet: Sheet): OfficeMockObject {
    const worksheet = new OfficeMockObject({
      id: sheet.id,
      name: sheet.name,
      getRangeByIndexes: (row: number, column: number, rowCount: number, columnCount: number) =>
        this.createRange(batch, { sheet, row, column, rowCount, columnCount }),
      getRange: (address: string) => this.createRange(batch, { sheet, ...parseA1(address) }),
      getUsedRangeOrNullObject: () => this.createUsedRange(batch, { sheet, row: 0, column: 0, rowCount: MAX_ROWS, columnCount: MAX_COLUMNS }),
    });
    batch.mocks.push(worksheet);
    return worksheet;
  }

  private createRange(batch: BatchState, geometry: RangeGeometry, isNullObject = false): OfficeMockObject {
    if (geometry.row < 0 || geometry.column < 0 || geometry.row + geometry.rowCount > MAX_ROWS || geometry.column + geometry.columnCount > MAX_COLUMNS) {
      batch.errors.push({ code: 'InvalidArgument', message: 'The argument is invalid or missing or has an incorrect format.', sequence: batch.sequence++ });
    }
    // Filled in place at sync time, so the mock hands out the cells as they are then.
    const values: unknown[][] = [];
    const text: unknown[][] = [];
    const numberFormat: unknown[][] = [];
    const range = new OfficeMockObject({
      address: `${geometry.sheet.name}!${a1(geometry)}`,
      rowIndex: geometry.row,
      columnIndex: geometry.column,
      rowCount: geometry.rowCount,
      columnCount: geometry.columnCount,
      values,
      text,
      numberFormat,
      getRow: (offset: number) => this.createRange(batch, { ...geometry, row: geometry.row + offset, rowCount: 1 }),
      getColumn: (offset: number) => this.createRange(batch, { ...geometry, column: geometry.column + offset, columnCount: 1 }),
      getLastColumn: () => this.createRange(batch, { ...geometry, column: geometry.column + geometry.columnCount - 1, columnCount: 1 }),
      getOffsetRange: (rowOffset: number, columnOffset: number) =>
        this.createRange(batch, { ...geometry, row: geometry.row + rowOffset, column: geometry.column + columnOffset }),
      getUsedRangeOrNullObject: () => this.createUsedRange(batch, geometry),
    });
    range['isNullObject'] = isNullObject;
    let worksheet: OfficeMockObject | undefined;
    Object.defineProperty(range, 'worksheet', { get: () => (worksheet ??= this.createWorksheet(batch, geometry.sheet)) });
    const load = range.load.bind(range);
    range.load = (properties: string | string[]) => {
      const names = (Array.isArray(properties) ? properties : properties.split(',')).map((name) => name.trim());
      if (names.includes('values')) batch.reads.push({ geometry, property: 'values', target: values });
      if (names.includes('text')) batch.reads.push({ geometry, property: 'text', target: text });
      if (names.includes('numberFormat')) batch.reads.push({ geometry, property: 'numberFormat', target: numberFormat });
      // As in Office, a range loaded again after a sync is filled by the next one.
      if (!batch.mocks.includes(range)) batch.mocks.push(range);
      return load(properties);
    };
    batch.mocks.push(range);
    // Assigning `values` or `numberFormat` queues a write, applied at the next sync like Office.js does.
    return new Proxy(range, {
      set(target, property, value: unknown) {
        if (property === 'values' && Array.isArray(value) && value !== values)
          batch.writes.push({ geometry, property: 'values', values: value as unknown[][], sequence: batch.sequence++ });
        if (property === 'numberFormat' && Array.isArray(value) && value !== numberFormat) {
          batch.writes.push({ geometry, property: 'numberFormat', values: value as unknown[][], sequence: batch.sequence++ });
        }
        return Reflect.set(target, property, value);
      },
    });
  }

  /** The bounding box of the non-empty cells inside `geometry`, or a null object. */
  private createUsedRange(batch: BatchState, geometry: RangeGeometry): OfficeMockObject {
    const { sheet } = geometry;
    let top = Infinity;
    let bottom = -1;
    let left = Infinity;
    let right = -1;
    const include = (row: number, column: number): void => {
      top = Math.min(top, row);
      bottom = Math.max(bottom, row);
      left = Math.min(left, column);
      right = Math.max(right, column);
    };
    const lastRow = Math.min(geometry.row + geometry.rowCount, sheet.rowExtent);
    const lastColumn = Math.min(geometry.column + geometry.columnCount, sheet.columnExtent);
    for (let row = geometry.row; row < lastRow; row++) {
      for (let column = geometry.column; column < lastColumn; column++) {
        if (!sheet.written.has(key(row, column)) && !isEmpty(sheet.valueAt(row, column))) include(row, column);
      }
    }
    for (const [cellKey, cell] of sheet.written) {
      const [row, column] = cellKey.split(',').map(Number) as [number, number];
      const inside =
        row >= geometry.row && row < geometry.row + geometry.rowCount && column >= geometry.column && column < geometry.column + geometry.columnCount;
      if (inside && !isEmpty(cell.value)) include(row, column);
    }
    if (bottom < 0) return this.createRange(batch, { ...geometry, rowCount: 1, columnCount: 1 }, true);
    return this.createRange(batch, { sheet, row: top, column: left, rowCount: bottom - top + 1, columnCount: right - left + 1 });
  }
}

/**
 * Gives `object` an `isNullObject` that, as in Office, can be read only after the next sync. The object
 * is also synced with the batch.
 */
function withNullState(batch: BatchState, object: OfficeMockObject, isNull: boolean): OfficeMockObject {
  let synced = false;
  const sync = object.sync.bind(object);
  object.sync = async () => {
    synced = true;
    return sync();
  };
  Object.defineProperty(object, 'isNullObject', {
    configurable: true,
    get: () => {
      if (!synced) throw new Error('PropertyNotLoaded: isNullObject is known after context.sync()');
      return isNull;
    },
  });
  if (!batch.mocks.includes(object)) batch.mocks.push(object);
  return object;
}

/** What a *OrNullObject call answers for a missing item: no methods and nothing to load, only isNullObject. */
function nullObject(batch: BatchState): OfficeMockObject {
  return withNullState(batch, new OfficeMockObject({}), true);
}

function syncedNotNull(batch: BatchState, object: OfficeMockObject): OfficeMockObject {
  return withNullState(batch, object, false);
}

function cellAt(sheet: Sheet, row: number, column: number): MockCell {
  const written = sheet.written.get(key(row, column));
  if (written !== undefined) return written;
  if (row >= sheet.rowExtent || column >= sheet.columnExtent) return { value: null, numberFormat: 'General' };
  const value = sheet.valueAt(row, column);
  return { value: value === '' ? null : value, numberFormat: sheet.formatAt?.(row, column) ?? 'General' };
}

/** Days from Excel's epoch (1899-12-30) to a date: Excel's date serial. */
function dateSerial(year: number, month: number, day: number): number {
  return Math.round((Date.UTC(year, month - 1, day) - Date.UTC(1899, 11, 30)) / 86_400_000);
}

function serialDate(serial: number): Date {
  return new Date(Date.UTC(1899, 11, 30) + Math.round(serial) * 86_400_000);
}

/** A string as Excel parses typed input into a cell of this number format. */
export function typedCell(input: string, numberFormat: string): MockCell {
  if (input === '') return { value: null, numberFormat };
  if (numberFormat === '@') return { value: input, numberFormat };
  if (input.startsWith("'")) return { value: input.slice(1), numberFormat };
  const trimmed = input.trim();
  if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(trimmed)) return { value: Number(trimmed), numberFormat };
  const percent = /^([+-]?\d+\.?\d*)%$/.exec(trimmed);
  if (percent !== null) return { value: Number(percent[1]) / 100, numberFormat: numberFormat === 'General' ? '0%' : numberFormat };
  if (/^(true|false)$/i.test(trimmed)) return { value: trimmed.toUpperCase() === 'TRUE', numberFormat };
  const dayMonth = /^(\d{1,2})\/(\d{1,2})(?:\/(\d{2,4}))?$/.exec(trimmed);
  if (dayMonth !== null && Number(dayMonth[1]) <= 12 && Number(dayMonth[2]) <= 31) {
    const year = dayMonth[3] === undefined ? 2026 : Number(dayMonth[3]) < 100 ? 2000 + Number(dayMonth[3]) : Number(dayMonth[3]);
    return { value: dateSerial(year, Number(dayMonth[1]), Number(dayMonth[2])), numberFormat: 'm/d/yyyy' };
  }
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(trimmed);
  if (iso !== null) return { value: dateSerial(Number(iso[1]), Number(iso[2]), Number(iso[3])), numberFormat: 'yyyy-mm-dd' };
  // = + - @ start a formula; the mock does not evaluate it (Excel shows its result, here #NAME?).
  if (/^[=+\-@]./.test(trimmed)) return { value: '#NAME?', numberFormat, formula: trimmed.startsWith('=') ? trimmed : `=${trimmed}` };
  return { value: input, numberFormat };
}

/** What a cell shows: Excel's `text` for the formats the mock knows. */
function displayText(cell: MockCell): string {
  const { value, numberFormat } = cell;
  if (value === null) return '';
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (typeof value === 'string') return value;
  if (cell.tooNarrow === true) return '#####';
  if (numberFormat === '0%') return `${Math.round(value * 10_000) / 100}%`;
  const date = /^(m\/d\/yyyy|dd\.mm\.yyyy|yyyy-mm-dd)$/.test(numberFormat) ? serialDate(value) : undefined;
  if (date !== undefined) {
    const [year, month, day] = [date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate()];
    const two = (part: number): string => String(part).padStart(2, '0');
    if (numberFormat === 'dd.mm.yyyy') return `${two(day)}.${two(month)}.${year}`;
    if (numberFormat === 'yyyy-mm-dd') return `${year}-${two(month)}-${two(day)}`;
    return `${month}/${day}/${year}`;
  }
  return String(value);
}

function isEmpty(value: unknown): boolean {
  return value === null || value === undefined || value === '';
}

function key(row: number, column: number): string {
  return `${row},${column}`;
}

function jsonBytes(values: unknown): number {
  return Buffer.byteLength(JSON.stringify(values), 'utf8');
}

function excelError(code: string, message: string): Error {
  return Object.assign(new Error(message), { code, name: 'RichApi.Error' });
}

function columnName(index: number): string {
  let name = '';
  for (let remaining = index + 1; remaining > 0; remaining = Math.floor((remaining - 1) / 26)) {
    name = String.fromCharCode(65 + ((remaining - 1) % 26)) + name;
  }
  return name;
}

function a1(geometry: RangeGeometry): string {
  const start = `${columnName(geometry.column)}${geometry.row + 1}`;
  const end = `${columnName(geometry.column + geometry.columnCount - 1)}${geometry.row + geometry.rowCount}`;
  return start === end ? start : `${start}:${end}`;
}

function columnIndex(letters: string): number {
  return [...letters].reduce((index, letter) => index * 26 + (letter.charCodeAt(0) - 64), 0) - 1;
}

/** "A1:B20", "B3", "A:A" or "3:5" to a geometry (without its sheet). */
export function parseA1(address: string): Omit<RangeGeometry, 'sheet'> {
  const [start = '', end = start] = address.toUpperCase().split(':');
  const parse = (part: string): { row: number | undefined; column: number | undefined } => {
    const match = /^([A-Z]*)(\d*)$/.exec(part);
    if (match === null) throw excelError('InvalidArgument', `bad address ${address}`);
    return { column: match[1] ? columnIndex(match[1]) : undefined, row: match[2] ? Number(match[2]) - 1 : undefined };
  };
  const first = parse(start);
  const last = parse(end);
  const row = first.row ?? 0;
  const column = first.column ?? 0;
  return {
    row,
    column,
    rowCount: (last.row ?? MAX_ROWS - 1) - row + 1,
    columnCount: (last.column ?? MAX_COLUMNS - 1) - column + 1,
  };
}
