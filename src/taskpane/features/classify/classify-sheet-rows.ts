// Bulk classification of sheet rows, 500 rows per step: one read of the inputs and the output column,
// one streamed classify call, one write. Filled output cells are skipped unless the user chose to
// overwrite, so a stopped run resumes where it ended; failed rows get a marker a later run retries.
import type { SheetAccess } from '../../../hosts/host-adapter.js';

export const rowsPerStep = 500;
export const failedMarkerPrefix = '#FAILED';

export interface ClassifiedItem {
  label: string | null;
  error?: { code: string; message: string } | undefined;
}

export interface RowProgress {
  done: number;
  total: number;
  failed: number;
  skipped: number;
}

export interface SheetRowClassification {
  firstRow: number;
  rowCount: number;
  inputColumns: readonly number[];
  outputColumn: number;
  labels: readonly string[];
  overwrite: boolean;
  signal: AbortSignal;
  /** Classifies items; `onItem` reports each result as it streams in. */
  classify: (items: string[], labels: readonly string[], signal: AbortSignal, onItem: (index: number, item: ClassifiedItem) => void) => Promise<ClassifiedItem[]>;
  onProgress: (progress: RowProgress) => void;
}

const isFilled = (cell: string) => cell.trim() !== '' && !cell.startsWith(failedMarkerPrefix);

export async function classifySheetRows(sheet: SheetAccess, options: SheetRowClassification): Promise<RowProgress> {
  const progress: RowProgress = { done: 0, total: options.rowCount, failed: 0, skipped: 0 };
  options.onProgress({ ...progress });
  for (let stepStart = 0; stepStart < options.rowCount; stepStart += rowsPerStep) {
    if (options.signal.aborted) throw new DOMException('Stopped', 'AbortError');
    const startRow = options.firstRow + stepStart;
    const count = Math.min(rowsPerStep, options.rowCount - stepStart);
    const [inputs, outputs] = await Promise.all([
      sheet.readRows(startRow, count, options.inputColumns),
      sheet.readColumn(startRow, count, options.outputColumn),
    ]);
    const pending: number[] = [];
    inputs.forEach((row, offset) => {
      const text = row.filter((cell) => cell.trim() !== '').join(' | ');
      if ((!options.overwrite && isFilled(outputs[offset] ?? '')) || text === '') progress.skipped += 1;
      else pending.push(offset);
    });
    progress.done += count - pending.length;
    options.onProgress({ ...progress });
    if (pending.length === 0) continue;

    const values: (string | null)[] = new Array<string | null>(count).fill(null);
    const settle = (position: number, item: ClassifiedItem) => {
      const offset = pending[position];
      if (offset === undefined || values[offset] !== null) return;
      values[offset] = item.label ?? `${failedMarkerPrefix}: ${item.error?.code ?? 'NO_LABEL'}`;
      if (item.label === null) progress.failed += 1;
      progress.done += 1;
      options.onProgress({ ...progress });
    };
    const items = pending.map((offset) => (inputs[offset] ?? []).filter((cell) => cell.trim() !== '').join(' | '));
    try {
      const results = await options.classify(items, options.labels, options.signal, settle);
      results.forEach((item, position) => settle(position, item));
    } finally {
      // Also on Stop or failure: what already arrived is written, in this step's one write.
      if (values.some((value) => value !== null)) await sheet.writeColumn(startRow, options.outputColumn, values);
    }
  }
  return progress;
}
