// SheetAccess over Excel's JavaScript API. Every method is one Excel.run; reads are chunked to stay under
// Excel on the web's 5 MB payload limit, writes are one 2-D assignment per contiguous block and one sync
// per call. All positions are absolute (zero-based) on the worksheet of the last readSelection, so a
// long run keeps writing to the sheet it started on even when the user switches sheets meanwhile.
// Cells are read as `text` (ExcelApi 1.1: what the user sees, so a date reaches the LLM as "31.12.2023",
// not 45291), and written with the text number format "@" set first in the same sync, so Excel keeps an
// answer such as 007, 1/2, 50%, TRUE or =SUM(A1) exactly as given instead of parsing it as typed input.
// valuesAsJson (ExcelApi 1.16) is not used: it gives typed values that we would have to format ourselves.
import { HostError, type SheetAccess, type SheetSelection, type WorkbookLabels } from '../host-adapter.js';
import { EXCEL_COLUMN_COUNT, EXCEL_ROW_COUNT, parseAddress } from '../a1-address.js';
import { EXCEL_MAX_CELLS_PER_READ, EXCEL_WEB_PAYLOAD_LIMIT_BYTES, cellJsonBytes, isPayloadTooLargeError, valuesJsonBytes } from './payload-size.js';

/** Excel.run, injectable so tests can hand in a mock context. */
export type ExcelRun = <T>(batch: (context: Excel.RequestContext) => Promise<T>) => Promise<T>;

export interface ExcelSheetAccessOptions {
  run?: ExcelRun;
  /** What one request or response may carry (Excel on the web: 5 MB). */
  payloadLimitBytes?: number;
  /** Share of the limit that cell values may use; the rest is room for the JSON envelope and estimate error. */
  payloadBudgetShare?: number;
  maxCellsPerRead?: number;
  /** A block up to this many cells is read in one go, without a first small read to measure it. */
  singleReadCells?: number;
  /** Rows of the first small read that measures bytes per cell for a large block. */
  probeRows?: number;
  /** Columns to the right of the selection checked for emptiness in the selection's one sync. */
  lookAheadColumns?: number;
  /** Office.context.requirements.isSetSupported; suspending calculation needs ExcelApi 1.6. Default: all supported. */
  isSetSupported?: (name: string, version: string) => boolean;
  /** Settings saved with the workbook (Office.context.document.settings); default: Office's, when there is one. */
  documentSettings?: DocumentSettings | undefined;
  /** The worksheet positions are on until a readSelection; default: the active one (jobSheet sets a kept run's). */
  worksheetId?: string | undefined;
}

/** The part of Office.Settings the adapter uses: values kept in the workbook file. */
export interface DocumentSettings {
  get(name: string): unknown;
  set(name: string, value: unknown): void;
  saveAsync(callback?: (result: Office.AsyncResult<void>) => void): void;
}

/** Document-settings key of the output columns previous runs used, per worksheet id and input column. */
const OUTPUT_COLUMNS_SETTING = 'office-llm-addin.outputColumns.v1';

/** Document-settings key of bulk runs that go on as server jobs (sheet-job-run.ts), by name. */
const JOBS_SETTING = 'office-llm-addin.jobs.v1';

/** Document-settings key of the labels last used with the workbook, as the user gave them. */
const LABELS_SETTING = 'office-llm-addin.labels.v1';

/** The name of a range or sheet that holds the workbook's labels. */
const LABELS_NAME = 'Labels';

/** The text number format: what is written stays text. */
const TEXT_FORMAT = '@';

/** Excel's limit for the characters in one cell. */
const EXCEL_CELL_CHARACTER_LIMIT = 32_767;

export function createExcelSheetAccess(options: ExcelSheetAccessOptions = {}): SheetAccess {
  const run: ExcelRun = options.run ?? ((batch) => Excel.run(batch));
  const payloadLimit = options.payloadLimitBytes ?? EXCEL_WEB_PAYLOAD_LIMIT_BYTES;
  const budget = Math.floor(payloadLimit * (options.payloadBudgetShare ?? 0.8));
  const maxCells = Math.min(options.maxCellsPerRead ?? EXCEL_MAX_CELLS_PER_READ, EXCEL_MAX_CELLS_PER_READ);
  const singleReadCells = options.singleReadCells ?? 50_000;
  const probeRows = options.probeRows ?? 200;
  const lookAheadColumns = options.lookAheadColumns ?? 16;
  const canSuspendCalculation = options.isSetSupported?.('ExcelApi', '1.6') ?? true;
  /** Formulas depending on the written cells recalculate once after the sync, not once per cell. */
  const suspendCalculation = (context: Excel.RequestContext): void => {
    if (canSuspendCalculation) context.application.suspendApiCalculationUntilNextSync();
  };

  /** Id of the worksheet the last readSelection was on; undefined means the active worksheet. */
  let worksheetId: string | undefined = options.worksheetId;
  /** Bytes per cell last measured for a set of columns: the first guess of the next read of them. */
  const measuredBytesPerCell = new Map<string, number>();

  const worksheetOf = (context: Excel.RequestContext): Excel.Worksheet =>
    worksheetId === undefined ? context.workbook.worksheets.getActiveWorksheet() : context.workbook.worksheets.getItem(worksheetId);

  async function readSelection(): Promise<SheetSelection> {
    try {
      return await readSelectionOnce(lookAheadColumns);
    } catch (error) {
      // Near the sheet's right edge the look-ahead ranges fall off the grid and Excel rejects the
      // whole batch; without look-ahead the used range's right edge still answers.
      if (error instanceof HostError) throw error;
      try {
        return await readSelectionOnce(0);
      } catch (secondError) {
        throw mapExcelError(secondError, 'read the selection');
      }
    }
  }

  /** The selection, its first row and the emptiness of the next columns: one sync. */
  async function readSelectionOnce(lookAheadCount: number): Promise<SheetSelection> {
    return run(async (context) => {
      const range = context.workbook.getSelectedRange();
      range.load('address,rowIndex,columnIndex,rowCount,columnCount');
      // `worksheet` is a navigation property: a proxy queued in this batch, not a value read before the sync.
      // eslint-disable-next-line office-addins/call-sync-before-read, office-addins/load-object-before-read
      const worksheet = range.worksheet;
      worksheet.load('id,name');
      const used = worksheet.getUsedRangeOrNullObject(true);
      used.load('rowIndex,columnIndex,rowCount,columnCount');
      // The used part of the first row: its texts label the column pickers without loading a
      // whole-row selection's 16,384 cells.
      const firstRowUsed = range.getRow(0).getUsedRangeOrNullObject(true);
      firstRowUsed.load('columnIndex,columnCount,text');
      // Whether each of the next columns is empty in the selected rows, answered by Excel without
      // sending their values, placed relative to the selection so no earlier sync is needed.
      const lookAhead: Excel.Range[] = [];
      const lastColumnOfSelection = range.getLastColumn();
      for (let offset = 1; offset <= lookAheadCount; offset++) {
        const column = lastColumnOfSelection.getOffsetRange(0, offset).getUsedRangeOrNullObject(true);
        column.load('columnIndex');
        lookAhead.push(column);
      }
      await context.sync();

      worksheetId = worksheet.id;
      const firstRow = range.rowIndex;
      const firstColumn = range.columnIndex;
      const lastColumn = firstColumn + range.columnCount - 1;
      // Cells past the used range are empty: clip whole-column or whole-row selections to it.
      let rowCount = 1;
      let columnCount = 1;
      if (!used.isNullObject) {
        rowCount = clamp(used.rowIndex + used.rowCount - firstRow, 1, range.rowCount);
        columnCount = clamp(used.columnIndex + used.columnCount - firstColumn, 1, range.columnCount);
      }
      const firstRowTexts: string[] = [];
      for (let offset = 0; offset < columnCount; offset++) {
        let text = '';
        if (!firstRowUsed.isNullObject) {
          const index = firstColumn + offset - firstRowUsed.columnIndex;
          if (index >= 0 && index < firstRowUsed.columnCount) text = firstRowUsed.text[0]?.[index] ?? '';
        }
        firstRowTexts.push(text);
      }
      const emptyOffset = lookAhead.findIndex((column) => column.isNullObject);
      let firstEmptyColumnToTheRight: number;
      if (emptyOffset >= 0) firstEmptyColumnToTheRight = lastColumn + emptyOffset + 1;
      else if (!used.isNullObject) firstEmptyColumnToTheRight = Math.max(lastColumn + 1, used.columnIndex + used.columnCount);
      else firstEmptyColumnToTheRight = lastColumn + 1;
      firstEmptyColumnToTheRight = Math.min(firstEmptyColumnToTheRight, EXCEL_COLUMN_COUNT - 1);

      return {
        sheetName: worksheet.name,
        address: range.address,
        firstRow,
        firstColumn,
        rowCount,
        columnCount,
        firstRowTexts,
        firstEmptyColumnToTheRight,
      };
    });
  }

  async function readRows(startRow: number, rowCount: number, columns: readonly number[]): Promise<string[][]> {
    checkRows(startRow, rowCount);
    columns.forEach(checkColumn);
    if (rowCount === 0 || columns.length === 0) return Array.from({ length: rowCount }, () => []);
    const runs = contiguousRuns(columns);
    const cellsPerRow = columns.length;
    const rows: string[][] = new Array<string[]>(rowCount);
    // What an earlier read of the same columns measured is the best first guess (the next window).
    const columnsKey = columns.join(',');
    let bytesPerCell: number | undefined = measuredBytesPerCell.get(columnsKey);
    let probe = false;
    let done = 0;
    while (done < rowCount) {
      const remaining = rowCount - done;
      let chunkRows: number;
      if (bytesPerCell !== undefined) {
        chunkRows = Math.floor(budget / (bytesPerCell * cellsPerRow));
      } else if (!probe && remaining * cellsPerRow <= singleReadCells) {
        // A small block in one read; should Excel refuse it, a small read measures the cells first.
        chunkRows = remaining;
      } else {
        chunkRows = probeRows;
      }
      chunkRows = clamp(chunkRows, 1, Math.min(remaining, Math.floor(maxCells / cellsPerRow)));
      let chunk: unknown[][][];
      try {
        chunk = await readChunk(startRow + done, chunkRows, runs);
      } catch (error) {
        if (!isPayloadTooLargeError(error)) throw mapExcelError(error, 'read the cells');
        if (chunkRows === 1) {
          throw new HostError('PAYLOAD_TOO_LARGE', 'One row of these columns is larger than Excel can send at once (5 MB): choose fewer columns.', {
            cause: error,
          });
        }
        if (bytesPerCell === undefined && !probe) {
          probe = true;
        } else {
          // The estimate was too low: halve the chunk and measure again.
          bytesPerCell = Math.max(bytesPerCell ?? 0, budget / (cellsPerRow * Math.floor(chunkRows / 2)));
        }
        continue;
      }
      let chunkBytes = 0;
      for (let row = 0; row < chunkRows; row++) {
        const texts = new Array<string>(cellsPerRow);
        runs.forEach((columnRun, runIndex) => {
          const values = chunk[runIndex]?.[row] ?? [];
          columnRun.positions.forEach((positions, offset) => {
            const value = values[offset];
            chunkBytes += cellJsonBytes(value);
            for (const position of positions) texts[position] = cellText(value);
          });
        });
        rows[done + row] = texts;
      }
      // Grow-only estimate: a later chunk never assumes smaller cells than any seen so far.
      const chunkBytesPerCell = Math.max(chunkBytes / (chunkRows * cellsPerRow), 1);
      bytesPerCell = Math.max(bytesPerCell ?? 0, chunkBytesPerCell);
      measuredBytesPerCell.set(columnsKey, chunkBytesPerCell);
      done += chunkRows;
    }
    return rows;
  }

  async function readChunk(startRow: number, rowCount: number, runs: readonly ColumnRun[]): Promise<unknown[][][]> {
    return run(async (context) => {
      const worksheet = worksheetOf(context);
      const ranges = runs.map((columnRun) => {
        const range = worksheet.getRangeByIndexes(startRow, columnRun.first, rowCount, columnRun.count);
        range.load('text');
        return range;
      });
      await context.sync();
      const texts = ranges.map((range) => range.text as unknown[][]);
      // A number or date in a column too narrow for it shows as "####": its value is sent instead (one
      // more sync, only when a chunk has such a cell), never the hashes.
      const hidden = texts.map((rows) => rows.some((row) => row.some(isColumnTooNarrowText)));
      if (!hidden.includes(true)) return texts;
      const valueRanges = ranges.map((range, index) => {
        if (hidden[index] !== true) return undefined;
        range.load('values');
        return range;
      });
      await context.sync();
      return texts.map((rows, index) => {
        const values = valueRanges[index]?.values as unknown[][] | undefined;
        if (values === undefined) return rows;
        return rows.map((row, rowIndex) => row.map((text, column) => (isColumnTooNarrowText(text) ? (values[rowIndex]?.[column] ?? text) : text)));
      });
    });
  }

  async function readColumn(startRow: number, rowCount: number, column: number): Promise<string[]> {
    const rows = await readRows(startRow, rowCount, [column]);
    return rows.map((row) => row[0] ?? '');
  }

  async function writeColumn(startRow: number, column: number, values: readonly (string | null)[]): Promise<void> {
    checkRows(startRow, values.length);
    checkColumn(column);
    const blocks = nonNullRuns(values);
    if (blocks.length === 0) return;
    await run(async (context) => {
      const worksheet = worksheetOf(context);
      let pendingBytes = 0;
      let pending = false;
      for (const block of blocks) {
        const cells = block.values.map((value) => [cellValueToWrite(value)]);
        // The number formats travel too: about four bytes per cell.
        const bytes = valuesJsonBytes(cells) + cells.length * 6;
        // Only a block beyond the 5 MB budget costs an extra sync; a normal call is one.
        if (pending && pendingBytes + bytes > budget) {
          await syncWrite(context);
          pendingBytes = 0;
          pending = false;
        }
        if (bytes > budget) {
          for (const part of splitByBytes(block.offset, cells, budget)) {
            suspendCalculation(context);
            writeAsText(worksheet.getRangeByIndexes(startRow + part.offset, column, part.cells.length, 1), part.cells);
            await syncWrite(context);
          }
          continue;
        }
        if (!pending) suspendCalculation(context);
        writeAsText(worksheet.getRangeByIndexes(startRow + block.offset, column, cells.length, 1), cells);
        pendingBytes += bytes;
        pending = true;
      }
      if (pending) await syncWrite(context);
    });
  }

  async function syncWrite(context: Excel.RequestContext): Promise<void> {
    try {
      await context.sync();
    } catch (error) {
      throw mapExcelError(error, 'write the cells');
    }
  }

  async function readRangeTexts(address: string): Promise<string[]> {
    const parsed = parseAddress(address);
    return run(async (context) => {
      const worksheet = parsed.sheetName === undefined ? worksheetOf(context) : context.workbook.worksheets.getItem(parsed.sheetName);
      // Only the used part of the range travels, so "Labels!A:A" costs what its labels cost.
      const used = worksheet.getRange(parsed.range).getUsedRangeOrNullObject(true);
      used.load('text');
      try {
        await context.sync();
      } catch (error) {
        if (typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'ItemNotFound') {
          throw new HostError('INVALID_ARGUMENT', `There is no sheet named "${parsed.sheetName ?? ''}" in this workbook: check the address ${address}.`, {
            cause: error,
          });
        }
        throw mapExcelError(error, 'read the range');
      }
      if (used.isNullObject) return [];
      return (used.text as unknown[][])
        .flat()
        .map(cellText)
        .map((text) => text.trim())
        .filter((text) => text.length > 0);
    });
  }

  const documentSettings = (): DocumentSettings | undefined => {
    if (options.documentSettings !== undefined) return options.documentSettings;
    try {
      return typeof Office === 'undefined' ? undefined : (Office.context?.document?.settings ?? undefined);
    } catch {
      return undefined;
    }
  };

  /** Output columns by "worksheetId:inputColumn"; ids survive renaming the sheet. */
  const outputColumns = (): Record<string, number> => {
    const stored = documentSettings()?.get(OUTPUT_COLUMNS_SETTING);
    return typeof stored === 'object' && stored !== null ? (stored as Record<string, number>) : {};
  };
  const memoryKey = (inputColumn: number): string => `${worksheetId ?? 'active'}:${inputColumn}`;

  async function recallOutputColumn(inputColumn: number): Promise<number | undefined> {
    const column = outputColumns()[memoryKey(inputColumn)];
    return typeof column === 'number' && Number.isInteger(column) && column >= 0 && column < EXCEL_COLUMN_COUNT && column !== inputColumn ? column : undefined;
  }

  async function rememberOutputColumn(inputColumn: number, outputColumn: number): Promise<void> {
    const settings = documentSettings();
    if (settings === undefined) return;
    settings.set(OUTPUT_COLUMNS_SETTING, { ...outputColumns(), [memoryKey(inputColumn)]: outputColumn });
    // Saved with the workbook; a failed save only means the next run suggests the default column.
    await new Promise<void>((resolve) => settings.saveAsync(() => resolve()));
  }

  async function suggestLabels(): Promise<WorkbookLabels | undefined> {
    const stored = documentSettings()?.get(LABELS_SETTING);
    if (Array.isArray(stored) && stored.length > 0 && stored.every((label) => typeof label === 'string')) return { labels: stored, source: 'remembered' };
    try {
      return await run(async (context) => {
        // Excel finds names and sheets without regard to case; a missing one is a null object, not an error.
        const name = context.workbook.names.getItemOrNullObject(LABELS_NAME);
        const worksheet = context.workbook.worksheets.getItemOrNullObject(LABELS_NAME);
        await context.sync();
        // Only a synced non-null object may be used further: a name can also hold a constant or a formula.
        let namedRange: Excel.Range | undefined;
        if (!name.isNullObject) {
          const range = name.getRangeOrNullObject();
          await context.sync();
          if (!range.isNullObject) namedRange = range;
        }
        if (namedRange === undefined && worksheet.isNullObject) return undefined;
        const source = namedRange === undefined ? 'sheet' : 'named-range';
        // Only the used part of the first column travels, so a whole-column name costs what its labels cost.
        const used = (namedRange === undefined ? worksheet.getRange('A:A') : namedRange.getColumn(0)).getUsedRangeOrNullObject(true);
        used.load('text');
        await context.sync();
        if (used.isNullObject) return undefined;
        const labels = (used.text as unknown[][]).map((row) => cellText(row[0]).trim()).filter((text) => text !== '');
        return labels.length === 0 ? undefined : { labels, source };
      });
    } catch (error) {
      throw mapExcelError(error, 'read the labels');
    }
  }

  async function rememberLabels(labels: readonly string[]): Promise<void> {
    const settings = documentSettings();
    if (settings === undefined) return;
    settings.set(LABELS_SETTING, [...labels]);
    // A failed save only means the next pane suggests the Labels sheet again.
    await new Promise<void>((resolve) => settings.saveAsync(() => resolve()));
  }

  /** Runs kept as server jobs, by name, each with the worksheet it started on. */
  const keptJobs = (): Record<string, { worksheetId?: string; job: unknown }> => {
    const stored = documentSettings()?.get(JOBS_SETTING);
    return typeof stored === 'object' && stored !== null ? (stored as Record<string, { worksheetId?: string; job: unknown }>) : {};
  };
  const saveJobs = async (jobs: Record<string, { worksheetId?: string; job: unknown }>): Promise<void> => {
    const settings = documentSettings();
    if (settings === undefined) return;
    settings.set(JOBS_SETTING, jobs);
    // Saved with the workbook at once: the pane may be closed next, and the job is found again by it.
    await new Promise<void>((resolve) => settings.saveAsync(() => resolve()));
  };

  async function recallJob(name: string): Promise<unknown> {
    return keptJobs()[name]?.job;
  }

  async function jobSheet(name: string): Promise<SheetAccess> {
    const kept = keptJobs()[name];
    // A second access, not this one re-pointed: the pane's own reads stay on the selection's sheet meanwhile.
    return typeof kept?.worksheetId === 'string' ? createExcelSheetAccess({ ...options, worksheetId: kept.worksheetId }) : access;
  }

  async function rememberJob(name: string, job: unknown): Promise<void> {
    await saveJobs({ ...keptJobs(), [name]: { ...(worksheetId === undefined ? {} : { worksheetId }), job } });
  }

  async function forgetJob(name: string): Promise<void> {
    const { [name]: _forgotten, ...rest } = keptJobs();
    if (_forgotten !== undefined) await saveJobs(rest);
  }

  const access: SheetAccess = {
    readSelection,
    readRows,
    readColumn,
    writeColumn,
    readRangeTexts,
    recallOutputColumn,
    rememberOutputColumn,
    recallJob,
    rememberJob,
    forgetJob,
    jobSheet,
    suggestLabels,
    rememberLabels,
  };
  return access;
}

/** The text format first, then the values, in the same sync: Excel applies them in that order. */
function writeAsText(range: Excel.Range, cells: string[][]): void {
  range.numberFormat = cells.map(() => [TEXT_FORMAT]);
  range.values = cells;
}

interface ColumnRun {
  first: number;
  count: number;
  /** For each column of the run, where it goes in the caller's column order (a column asked twice reads once). */
  positions: number[][];
}

/** Groups absolute columns into contiguous runs, so [2, 3, 7] reads C:D and H, not C:H. */
function contiguousRuns(columns: readonly number[]): ColumnRun[] {
  const order = columns.map((column, position) => ({ column, position })).sort((a, b) => a.column - b.column);
  const runs: ColumnRun[] = [];
  for (const { column, position } of order) {
    const last = runs[runs.length - 1];
    if (last !== undefined && column === last.first + last.count - 1) {
      last.positions[last.count - 1]?.push(position);
    } else if (last !== undefined && column === last.first + last.count) {
      last.count++;
      last.positions.push([position]);
    } else {
      runs.push({ first: column, count: 1, positions: [[position]] });
    }
  }
  return runs;
}

/** What Excel displays for a number or date wider than its column. */
function isColumnTooNarrowText(text: unknown): boolean {
  return typeof text === 'string' && /^#+$/u.test(text);
}

/** Contiguous runs of non-null values: null cells are never written. */
function nonNullRuns(values: readonly (string | null)[]): { offset: number; values: string[] }[] {
  const runs: { offset: number; values: string[] }[] = [];
  let current: { offset: number; values: string[] } | undefined;
  values.forEach((value, offset) => {
    if (value === null) {
      current = undefined;
      return;
    }
    if (current === undefined) {
      current = { offset, values: [] };
      runs.push(current);
    }
    current.values.push(value);
  });
  return runs;
}

function splitByBytes(offset: number, cells: string[][], budget: number): { offset: number; cells: string[][] }[] {
  const parts: { offset: number; cells: string[][] }[] = [];
  let start = 0;
  let bytes = 0;
  cells.forEach((cell, index) => {
    const cellBytes = valuesJsonBytes([cell]);
    if (index > start && bytes + cellBytes > budget) {
      parts.push({ offset: offset + start, cells: cells.slice(start, index) });
      start = index;
      bytes = 0;
    }
    bytes += cellBytes;
  });
  parts.push({ offset: offset + start, cells: cells.slice(start) });
  return parts;
}

/** A cell's value as text: what the classifier or translator reads. */
function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  return String(value);
}

/**
 * Generated text is data, not a formula: the cell's text format ("@", set in the same sync) keeps a
 * leading = + - @ and number-looking text as typed. Excel holds at most 32,767 characters.
 */
function cellValueToWrite(value: string): string {
  return value.length > EXCEL_CELL_CHARACTER_LIMIT ? value.slice(0, EXCEL_CELL_CHARACTER_LIMIT - 1) + '…' : value;
}

function mapExcelError(error: unknown, action: string): Error {
  if (error instanceof HostError) return error;
  if (isPayloadTooLargeError(error)) {
    return new HostError('PAYLOAD_TOO_LARGE', `Excel could not ${action}: the data is larger than Excel on the web accepts at once (5 MB).`, { cause: error });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new HostError('OFFICE_CALL_FAILED', `Excel could not ${action}: ${message}`, { cause: error });
}

function clamp(value: number, minimum: number, maximum: number): number {
  return Math.max(minimum, Math.min(maximum, value));
}

function checkRows(startRow: number, rowCount: number): void {
  if (!Number.isInteger(startRow) || !Number.isInteger(rowCount) || startRow < 0 || rowCount < 0 || startRow + rowCount > EXCEL_ROW_COUNT) {
    throw new HostError('INVALID_ARGUMENT', `Rows ${startRow} to ${startRow + rowCount - 1} are outside the sheet.`);
  }
}

function checkColumn(column: number): void {
  if (!Number.isInteger(column) || column < 0 || column >= EXCEL_COLUMN_COUNT) {
    throw new HostError('INVALID_ARGUMENT', `Column ${column} is outside the sheet.`);
  }
}
