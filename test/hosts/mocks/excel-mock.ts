// A workbook for the Excel adapter's tests, built from office-addin-mock objects: properties must be
// loaded and synced before they can be read (the mock answers an error string otherwise), and
// context.sync is counted. It also enforces what Excel on the web enforces: a request or response over
// 5 MB and a read over 5,000,000 cells fail with Excel's error codes.
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
  written: Map<string, string | number | boolean | null>;
}

interface RangeGeometry {
  sheet: Sheet;
  row: number;
  column: number;
  rowCount: number;
  columnCount: number;
}

interface BatchState {
  reads: { geometry: RangeGeometry; property: 'values' | 'text'; target: unknown[][] }[];
  writes: { geometry: RangeGeometry; values: unknown[][] }[];
  errors: { code: string; message: string }[];
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

  /** The current value of a cell, as the user would see it. */
  cell(sheetId: string, row: number, column: number): string | number | boolean | null {
    const sheet = this.requireSheet(sheetId);
    return cellValue(sheet, row, column);
  }

  /** The user edits a cell (between two adapter calls). */
  setCell(sheetId: string, row: number, column: number, value: string): void {
    this.requireSheet(sheetId).written.set(key(row, column), value);
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
    const batch: BatchState = { reads: [], writes: [], errors: [], mocks: [], suspended: false };
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
              batch.errors.push({ code: 'ItemNotFound', message: `The requested resource doesn't exist.` });
              return this.createWorksheet(batch, { id: '?', name: idOrName, rowExtent: 0, columnExtent: 0, valueAt: () => null, written: new Map() });
            }
            return this.createWorksheet(batch, sheet);
          },
          getActiveWorksheet: () => this.createWorksheet(batch, this.requireSheet(this.activeSheetId)),
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
    const firstError = pending.errors[0];
    if (firstError !== undefined) throw excelError(firstError.code, firstError.message);
    for (const write of pending.writes) record.requestBytes += jsonBytes(write.values);
    if (record.requestBytes > this.payloadLimitBytes) {
      throw excelError('RequestPayloadSizeLimitExceeded', `The request payload size has exceeded the limit (${record.requestBytes} bytes).`);
    }
    for (const write of pending.writes) {
      const { geometry, values } = write;
      if (values.length !== geometry.rowCount || values.some((row) => row.length !== geometry.columnCount)) {
        throw excelError('InvalidArgument', 'The number of rows or columns in the input array does not match the size or dimensions of the range.');
      }
      values.forEach((row, rowOffset) =>
        row.forEach((value, columnOffset) =>
          geometry.sheet.written.set(key(geometry.row + rowOffset, geometry.column + columnOffset), value as string | number | boolean | null),
        ),
      );
      record.cellsWritten += geometry.rowCount * geometry.columnCount;
      record.rangesWritten++;
    }
    for (const read of pending.reads) {
      const { geometry, property, target } = read;
      const cells = geometry.rowCount * geometry.columnCount;
      if (cells > 5_000_000) throw excelError('ResponsePayloadSizeLimitExceeded', `A read of ${cells} cells exceeds 5,000,000 cells.`);
      record.cellsRead += cells;
      target.length = 0;
      for (let row = 0; row < geometry.rowCount; row++) {
        const cellsOfRow: unknown[] = [];
        for (let column = 0; column < geometry.columnCount; column++) {
          const value = cellValue(geometry.sheet, geometry.row + row, geometry.column + column);
          cellsOfRow.push(property === 'text' ? (value === null ? '' : String(value)) : (value ?? ''));
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
      batch.errors.push({ code: 'InvalidArgument', message: 'The argument is invalid or missing or has an incorrect format.' });
    }
    // Filled in place at sync time, so the mock hands out the cells as they are then.
    const values: unknown[][] = [];
    const text: unknown[][] = [];
    const range = new OfficeMockObject({
      address: `${geometry.sheet.name}!${a1(geometry)}`,
      rowIndex: geometry.row,
      columnIndex: geometry.column,
      rowCount: geometry.rowCount,
      columnCount: geometry.columnCount,
      values,
      text,
      getRow: (offset: number) => this.createRange(batch, { ...geometry, row: geometry.row + offset, rowCount: 1 }),
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
      return load(properties);
    };
    batch.mocks.push(range);
    // Assigning `values` queues a write, applied at the next sync like Office.js does.
    return new Proxy(range, {
      set(target, property, value: unknown) {
        if (property === 'values' && Array.isArray(value) && value !== values) batch.writes.push({ geometry, values: value as unknown[][] });
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
        if (!isEmpty(sheet.valueAt(row, column)) && !sheet.written.has(key(row, column))) include(row, column);
      }
    }
    for (const [cellKey, value] of sheet.written) {
      const [row, column] = cellKey.split(',').map(Number) as [number, number];
      const inside =
        row >= geometry.row && row < geometry.row + geometry.rowCount && column >= geometry.column && column < geometry.column + geometry.columnCount;
      if (inside && !isEmpty(value)) include(row, column);
    }
    if (bottom < 0) return this.createRange(batch, { ...geometry, rowCount: 1, columnCount: 1 }, true);
    return this.createRange(batch, { sheet, row: top, column: left, rowCount: bottom - top + 1, columnCount: right - left + 1 });
  }
}

function cellValue(sheet: Sheet, row: number, column: number): string | number | boolean | null {
  const cellKey = key(row, column);
  if (sheet.written.has(cellKey)) return sheet.written.get(cellKey) ?? null;
  if (row >= sheet.rowExtent || column >= sheet.columnExtent) return null;
  return sheet.valueAt(row, column);
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
