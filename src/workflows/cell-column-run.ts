// The engine under the Excel bulk workflows (classify, translate): read rows in windows, skip what is
// done or empty, hand the rest to an injected processor, and write its answers back into one output
// column as contiguous blocks, at most one write (one sync) per `writeEvery` answers. Finished rows are
// written before a stop or a failure ends the run, so nothing done is lost and a second run resumes.
// When the LLM provider cannot serve (down, not ready, rate limited after the BFF's retries), the run
// stops after the window in flight instead of sending the next ones: one outage, one failed request.
// A run takes minutes and the user keeps working, so every block is verified before it is written (one
// read of the block, then one write): a row is written only where its input cells still hold what was
// sent and its output cell is as it was read. A row that moved (rows inserted, deleted or sorted) is
// found again by its input near where it was; a row that changed or cannot be found is left alone and
// counted in `changed`, and the next run does it.
import { isAbortError } from '../contract/abort.js';
import type { ErrorCode } from '../contract/error-codes.js';
import { EXCEL_ROW_COUNT } from '../hosts/a1-address.js';
import type { SheetAccess } from '../hosts/host-adapter.js';

/** A failed row's output cell starts with this; a later run treats such a cell as empty and retries it. */
export const FAILED_CELL_PREFIX = '⚠ ';

/** How multi-column input is joined into one item. */
export const INPUT_SEPARATOR = ' | ';

export interface RowRange {
  /** Zero-based absolute row. */
  startRow: number;
  rowCount: number;
}

export interface ItemError {
  code: string;
  message: string;
}

export interface CellAnswer {
  index: number;
  value: string | null;
  error?: ItemError | undefined;
}

export interface CellRunProgress {
  /** Rows finished: answered, failed, skipped or left alone because they changed. */
  done: number;
  total: number;
  skipped: number;
  failed: number;
  changed: number;
}

export interface CellRunOptions {
  rows: RowRange;
  /** Absolute columns read as input, joined with " | " when several. */
  inputColumns: readonly number[];
  /** Absolute column the answers go to. */
  outputColumn: number;
  /** True: answer rows whose output cell is already filled, replacing it. False: skip them. */
  overwrite: boolean;
  /** Answers for the items, in any order, each with the item's index. */
  process: (items: string[], signal: AbortSignal) => AsyncIterable<CellAnswer>;
  signal: AbortSignal;
  onProgress?: ((progress: CellRunProgress) => void) | undefined;
  /** Answers buffered before one write; default 500. */
  writeEvery?: number | undefined;
  /** Rows read (and handed to `process`) at a time, so a huge sheet never sits in memory whole; default 10,000. */
  rowsPerWindow?: number | undefined;
  /** The first of `rows` is a header: not processed; its output cell gets `outputHeader` when empty. */
  firstRowIsHeader?: boolean | undefined;
  outputHeader?: string | undefined;
}

export interface CellRunResult {
  /** Rows whose answer was written. */
  answered: number;
  /** Rows skipped: their output was filled (and overwrite was off), or they had no input (counted in `empty` too). */
  skipped: number;
  /** Of the skipped rows, those with no input text. */
  empty: number;
  /** Rows marked as failed in the output column. */
  failed: number;
  /** Rows whose input or output cells changed during the run: not written, done by the next run. */
  changed: number;
  /** Of the rows written, those found again elsewhere because rows were inserted, deleted or sorted. */
  moved: number;
  /** True when the signal stopped the run before every row was done. */
  stopped: boolean;
}

/** A run that failed part-way; what it finished is written, and counted in `partial`. */
export class WorkflowError extends Error {
  override readonly name = 'WorkflowError';
  readonly partial: CellRunResult;
  /** The LLM provider could not serve (or the server could not be reached): running again later finishes the rest. */
  readonly providerUnavailable: boolean;

  constructor(message: string, partial: CellRunResult, cause: unknown, providerUnavailable = false) {
    super(message, { cause });
    this.partial = partial;
    this.providerUnavailable = providerUnavailable;
  }
}

/**
 * Codes that say the LLM provider cannot serve anyone now, whichever rows are sent: the BFF's circuit
 * breaker is open or the provider is down (PROVIDER_UNAVAILABLE), still starting, rate limited after
 * the BFF's retries, refusing the server's key; or the pane cannot reach the BFF at all.
 */
const providerWideCodes: ReadonlySet<string> = new Set<ErrorCode | 'NETWORK_ERROR'>([
  'PROVIDER_UNAVAILABLE',
  'PROVIDER_NOT_READY',
  'PROVIDER_RATE_LIMITED',
  'PROVIDER_AUTH_FAILED',
  'NETWORK_ERROR',
]);

export function isProviderWideError(error: unknown): boolean {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'string' && providerWideCodes.has(code);
}

export const DEFAULT_WRITE_EVERY = 500;
export const DEFAULT_ROWS_PER_WINDOW = 10_000;
/** Rows read above and below a block before it is written, where a moved row is looked for. */
export const RELOCATION_MARGIN = 100;

/** A cell waiting to be written, with the row's cells as they were read. */
interface PendingCell {
  value: string;
  /** Input texts as read, in input-column order. */
  inputs: readonly string[];
  /** Output text as read. */
  output: string;
  kind: 'answer' | 'failure' | 'header';
}

/** The output cell is still as it was read (an empty cell and a failure marker count as the same), or already holds `value`. */
function outputStillOurs(current: string, asRead: string, value: string): boolean {
  return current === asRead || current === value || (!isFilledCell(current) && !isFilledCell(asRead));
}

function sameInputs(current: readonly string[], asRead: readonly string[]): boolean {
  return asRead.every((text, index) => current[index] === text);
}

/** A cell counts as done when it holds text that is not a failure marker. */
export function isFilledCell(text: string): boolean {
  return text.trim().length > 0 && !text.startsWith(FAILED_CELL_PREFIX);
}

/** The visible marker written into a failed row's output cell. */
export function failureMarker(error: ItemError | undefined): string {
  const code = error?.code.trim() || 'FAILED';
  const message = (error?.message ?? '').replace(/\s+/g, ' ').trim();
  const short = message.length > 100 ? `${message.slice(0, 99)}…` : message;
  return `${FAILED_CELL_PREFIX}${code}${short.length > 0 ? `: ${short}` : ''}`;
}

export async function runCellColumn(sheet: SheetAccess, options: CellRunOptions): Promise<CellRunResult> {
  const { inputColumns, outputColumn, overwrite, signal } = options;
  const writeEvery = options.writeEvery ?? DEFAULT_WRITE_EVERY;
  const rowsPerWindow = options.rowsPerWindow ?? DEFAULT_ROWS_PER_WINDOW;
  if (inputColumns.length === 0) throw new RangeError('Choose at least one input column.');
  if (inputColumns.includes(outputColumn))
    throw new RangeError('The output column is one of the input columns: choose another, so the input is not overwritten.');
  if (!(writeEvery >= 1) || !(rowsPerWindow >= 1)) throw new RangeError('writeEvery and rowsPerWindow must be at least 1.');
  const header = options.firstRowIsHeader === true && options.rows.rowCount > 0;
  const rows: RowRange = header ? { startRow: options.rows.startRow + 1, rowCount: options.rows.rowCount - 1 } : options.rows;
  const columns = [...inputColumns, outputColumn];

  const result: CellRunResult = { answered: 0, skipped: 0, empty: 0, failed: 0, changed: 0, moved: 0, stopped: false };
  const report = (): void =>
    options.onProgress?.({
      done: result.answered + result.failed + result.skipped + result.changed,
      total: rows.rowCount,
      skipped: result.skipped,
      failed: result.failed,
      changed: result.changed,
    });

  // Answers by absolute row, written as one verified block per flush.
  const buffer = new Map<number, PendingCell>();
  /** Rows the user inserted (+) or deleted (−) above the rows in flight, as the last block found them. */
  let drift = 0;
  const flush = async (): Promise<void> => {
    if (buffer.size === 0) return;
    const pending = [...buffer.entries()].sort(([a], [b]) => a - b);
    buffer.clear();
    const firstRow = pending[0]?.[0] ?? 0;
    const lastRow = pending[pending.length - 1]?.[0] ?? 0;
    // The verification read: the block and a margin around it, where moved rows are looked for.
    const readStart = Math.max(0, Math.min(firstRow, firstRow + drift) - RELOCATION_MARGIN);
    const readEnd = Math.min(EXCEL_ROW_COUNT, Math.max(lastRow, lastRow + drift) + RELOCATION_MARGIN + 1);
    const current = await sheet.readRows(readStart, readEnd - readStart, columns);
    const inputsAt = (row: number): string[] => (current[row - readStart] ?? []).slice(0, inputColumns.length);
    const outputAt = (row: number): string => current[row - readStart]?.[inputColumns.length] ?? '';
    const fits = (row: number, cell: PendingCell): boolean =>
      row >= readStart && row < readEnd && sameInputs(inputsAt(row), cell.inputs) && outputStillOurs(outputAt(row), cell.output, cell.value);

    const targets = new Map<number, PendingCell>();
    const unplaced: [number, PendingCell][] = [];
    // Where it was read first, then shifted as the previous block found the rows.
    for (const [row, cell] of pending) {
      const place = [row, row + drift].find((candidate) => !targets.has(candidate) && fits(candidate, cell));
      if (place === undefined) unplaced.push([row, cell]);
      else targets.set(place, cell);
      if (place !== undefined && place !== row && cell.kind !== 'header') result.moved++;
    }
    // The rest is looked for by its input, nearest first: sorted or shifted rows are found again.
    const rowsByInputs = new Map<string, number[]>();
    if (unplaced.length > 0) {
      for (let row = readStart; row < readEnd; row++) {
        const inputsKey = JSON.stringify(inputsAt(row));
        const list = rowsByInputs.get(inputsKey);
        if (list === undefined) rowsByInputs.set(inputsKey, [row]);
        else list.push(row);
      }
    }
    const shifts: number[] = [];
    for (const [row, cell] of unplaced) {
      let best: number | undefined;
      for (const candidate of rowsByInputs.get(JSON.stringify(cell.inputs)) ?? []) {
        if (targets.has(candidate) || !fits(candidate, cell)) continue;
        if (best === undefined || Math.abs(candidate - row - drift) < Math.abs(best - row - drift)) best = candidate;
      }
      if (best === undefined) {
        if (cell.kind === 'answer') result.answered--;
        if (cell.kind === 'failure') result.failed--;
        if (cell.kind !== 'header') result.changed++;
        continue;
      }
      targets.set(best, cell);
      shifts.push(best - row);
      if (cell.kind !== 'header') result.moved++;
    }
    if (shifts.length > pending.length / 2) drift = [...shifts].sort((a, b) => a - b)[Math.floor(shifts.length / 2)] ?? drift;

    // A cell that already holds the value (a row found twice) needs no write.
    const writes = [...targets.entries()].filter(([row, cell]) => outputAt(row) !== cell.value).sort(([a], [b]) => a - b);
    if (writes.length === 0) return;
    const writeStart = writes[0]?.[0] ?? 0;
    const values = new Array<string | null>((writes[writes.length - 1]?.[0] ?? 0) - writeStart + 1).fill(null);
    for (const [row, cell] of writes) values[row - writeStart] = cell.value;
    await sheet.writeColumn(writeStart, outputColumn, values);
  };

  for (let windowStart = 0; windowStart < rows.rowCount; windowStart += rowsPerWindow) {
    if (signal.aborted) {
      result.stopped = true;
      break;
    }
    const windowRows = Math.min(rowsPerWindow, rows.rowCount - windowStart);
    const windowFirstRow = rows.startRow + windowStart;
    // Input and output columns in one read (with the header row in the first window): one sync for a window of ordinary cells.
    const withHeader = header && windowStart === 0;
    const read = await sheet.readRows(withHeader ? windowFirstRow - 1 : windowFirstRow, withHeader ? windowRows + 1 : windowRows, columns);
    const cells = withHeader ? read.slice(1) : read;
    const headerCells = withHeader ? read[0] : undefined;
    if (headerCells !== undefined && options.outputHeader !== undefined && options.outputHeader.trim() !== '') {
      const output = headerCells[inputColumns.length] ?? '';
      // The output column's own header, unless the user has one there.
      if (output.trim() === '') {
        buffer.set(windowFirstRow - 1, { value: options.outputHeader, inputs: headerCells.slice(0, inputColumns.length), output, kind: 'header' });
      }
    }

    const items: string[] = [];
    const itemRows: number[] = [];
    const asRead: PendingCell[] = [];
    cells.forEach((row, offset) => {
      const output = row[inputColumns.length] ?? '';
      const inputs = row.slice(0, inputColumns.length);
      const input = inputs
        .map((text) => text.trim())
        .filter((text) => text.length > 0)
        .join(INPUT_SEPARATOR);
      if ((!overwrite && isFilledCell(output)) || input.length === 0) {
        result.skipped++;
        if (input.length === 0) result.empty++;
        return;
      }
      items.push(input);
      itemRows.push(windowFirstRow + offset);
      asRead.push({ value: '', inputs, output, kind: 'answer' });
    });
    report();
    if (items.length === 0) {
      await flush();
      continue;
    }

    const answered = new Set<number>();
    let providerWideFailure: ItemError | undefined;
    const keep = (index: number, value: string, kind: 'answer' | 'failure'): void => {
      const row = itemRows[index];
      const cell = asRead[index];
      if (row !== undefined && cell !== undefined) buffer.set(row, { ...cell, value, kind });
    };

    try {
      for await (const answer of options.process(items, signal)) {
        if (signal.aborted) break;
        // An index out of range or answered twice is the processor's bug; the first answer stands.
        if (itemRows[answer.index] === undefined || answered.has(answer.index)) continue;
        answered.add(answer.index);
        if (answer.error === undefined && typeof answer.value === 'string' && answer.value.trim().length > 0) {
          keep(answer.index, answer.value, 'answer');
          result.answered++;
        } else {
          keep(answer.index, failureMarker(answer.error ?? { code: 'NO_ANSWER', message: 'no answer for this row' }), 'failure');
          result.failed++;
          if (providerWideFailure === undefined && isProviderWideError(answer.error)) providerWideFailure = answer.error;
        }
        report();
        if (buffer.size >= writeEvery) await flush();
      }
    } catch (error) {
      await flush();
      if (signal.aborted || isAbortError(error)) {
        result.stopped = true;
        report();
        return result;
      }
      const message = error instanceof Error ? error.message : String(error);
      if (isProviderWideError(error)) throw providerStop(result, message, error);
      throw new WorkflowError(`Stopped after ${result.answered} rows (kept in the sheet): ${message}`, { ...result }, error);
    }
    if (signal.aborted) {
      await flush();
      result.stopped = true;
      report();
      return result;
    }
    // Every row handed over gets an answer or a visible marker: none is dropped silently.
    items.forEach((_item, index) => {
      if (answered.has(index)) return;
      keep(index, failureMarker({ code: 'NO_ANSWER', message: 'no answer came back for this row' }), 'failure');
      result.failed++;
    });
    await flush();
    report();
    // The rows of this window that failed are marked and retried by the next run; the next windows
    // would only fail the same way, so they are not sent.
    if (providerWideFailure !== undefined) {
      const cause = Object.assign(new Error(providerWideFailure.message), { code: providerWideFailure.code });
      throw providerStop(result, providerWideFailure.message, cause);
    }
  }
  return result;
}

function providerStop(result: CellRunResult, message: string, cause: unknown): WorkflowError {
  return new WorkflowError(
    `The LLM service is unavailable, so the run stopped after ${result.answered} rows (kept in the sheet) and sent no further rows; run again later to finish the rest: ${message}`,
    { ...result },
    cause,
    true,
  );
}
