// The engine under the Excel bulk workflows (classify, translate): read rows in windows, skip what is
// done or empty, hand the rest to an injected processor, and write its answers back into one output
// column as contiguous blocks, at most one write (one sync) per `writeEvery` answers. Finished rows are
// written before a stop or a failure ends the run, so nothing done is lost and a second run resumes.
// When the LLM provider cannot serve (down, not ready, rate limited after the BFF's retries), the run
// stops after the window in flight instead of sending the next ones: one outage, one failed request.
import { isAbortError } from '../contract/abort.js';
import type { ErrorCode } from '../contract/error-codes.js';
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
  /** Rows finished: answered, failed or skipped. */
  done: number;
  total: number;
  skipped: number;
  failed: number;
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
}

export interface CellRunResult {
  answered: number;
  skipped: number;
  failed: number;
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
  const { rows, inputColumns, outputColumn, overwrite, signal } = options;
  const writeEvery = options.writeEvery ?? DEFAULT_WRITE_EVERY;
  const rowsPerWindow = options.rowsPerWindow ?? DEFAULT_ROWS_PER_WINDOW;
  if (inputColumns.length === 0) throw new RangeError('Choose at least one input column.');
  if (inputColumns.includes(outputColumn))
    throw new RangeError('The output column is one of the input columns: choose another, so the input is not overwritten.');
  if (!(writeEvery >= 1) || !(rowsPerWindow >= 1)) throw new RangeError('writeEvery and rowsPerWindow must be at least 1.');

  const result: CellRunResult = { answered: 0, skipped: 0, failed: 0, stopped: false };
  const report = (): void =>
    options.onProgress?.({ done: result.answered + result.failed + result.skipped, total: rows.rowCount, skipped: result.skipped, failed: result.failed });

  for (let windowStart = 0; windowStart < rows.rowCount; windowStart += rowsPerWindow) {
    if (signal.aborted) {
      result.stopped = true;
      break;
    }
    const windowRows = Math.min(rowsPerWindow, rows.rowCount - windowStart);
    const windowFirstRow = rows.startRow + windowStart;
    // Input and output columns in one read: one sync for a window of ordinary cells.
    const cells = await sheet.readRows(windowFirstRow, windowRows, [...inputColumns, outputColumn]);

    const items: string[] = [];
    const itemRows: number[] = [];
    cells.forEach((row, offset) => {
      const output = row[inputColumns.length] ?? '';
      const input = row
        .slice(0, inputColumns.length)
        .map((text) => text.trim())
        .filter((text) => text.length > 0)
        .join(INPUT_SEPARATOR);
      if ((!overwrite && isFilledCell(output)) || input.length === 0) {
        result.skipped++;
        return;
      }
      items.push(input);
      itemRows.push(offset);
    });
    report();
    if (items.length === 0) continue;

    // Answers by row offset in this window, written as one block (nulls between) per flush.
    const buffer = new Map<number, string>();
    const answered = new Set<number>();
    let providerWideFailure: ItemError | undefined;
    const flush = async (): Promise<void> => {
      if (buffer.size === 0) return;
      const offsets = [...buffer.keys()].sort((a, b) => a - b);
      const first = offsets[0] ?? 0;
      const last = offsets[offsets.length - 1] ?? 0;
      const values = new Array<string | null>(last - first + 1).fill(null);
      for (const [offset, value] of buffer) values[offset - first] = value;
      buffer.clear();
      await sheet.writeColumn(windowFirstRow + first, outputColumn, values);
    };

    try {
      for await (const answer of options.process(items, signal)) {
        if (signal.aborted) break;
        const offset = itemRows[answer.index];
        // An index out of range or answered twice is the processor's bug; the first answer stands.
        if (offset === undefined || answered.has(answer.index)) continue;
        answered.add(answer.index);
        if (answer.error === undefined && typeof answer.value === 'string' && answer.value.trim().length > 0) {
          buffer.set(offset, answer.value);
          result.answered++;
        } else {
          buffer.set(offset, failureMarker(answer.error ?? { code: 'NO_ANSWER', message: 'no answer for this row' }));
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
      const offset = itemRows[index];
      if (answered.has(index) || offset === undefined) return;
      buffer.set(offset, failureMarker({ code: 'NO_ANSWER', message: 'no answer came back for this row' }));
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
