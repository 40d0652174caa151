// Bulk classification of sheet rows into the user's labels, host-agnostic: it drives any SheetAccess
// (Excel, or the preview). The classifier is injected (the pane passes its BFF client).
import type { SheetAccess } from '../hosts/host-adapter.js';
import { runCellColumn, type CellRunProgress, type ItemError, type RowRange } from './cell-column-run.js';

export interface ClassifiedItem {
  index: number;
  label: string | null;
  error?: ItemError | undefined;
}

export interface ClassifySheetOptions {
  rows: RowRange;
  /** Absolute input columns; several are joined with " | ". */
  inputColumns: number[];
  /** Absolute column the labels are written to. */
  outputColumn: number;
  /** Replace labels already in the output column (failure markers are always retried). */
  overwrite: boolean;
  classify: (items: string[], signal: AbortSignal) => AsyncIterable<ClassifiedItem>;
  signal: AbortSignal;
  onProgress?: ((progress: CellRunProgress) => void) | undefined;
  /** Rows per write (one sync each, after one verification read); default 500. */
  writeEvery?: number | undefined;
  rowsPerWindow?: number | undefined;
  /** The first of `rows` is a header: it is not classified, and the output column gets `outputHeader` (e.g. "Label") when empty. */
  firstRowIsHeader?: boolean | undefined;
  outputHeader?: string | undefined;
}

export interface ClassifySheetResult {
  classified: number;
  skipped: number;
  /** Of the skipped rows, those with no text. */
  empty: number;
  failed: number;
  /** Rows that changed during the run and were left alone (the next run does them). */
  changed: number;
  /** Rows written where they had moved to (rows inserted, deleted or sorted during the run). */
  moved: number;
  stopped: boolean;
}

export async function classifySheet(sheet: SheetAccess, options: ClassifySheetOptions): Promise<ClassifySheetResult> {
  const { classify, ...rest } = options;
  const result = await runCellColumn(sheet, {
    ...rest,
    process: async function* (items, signal) {
      for await (const item of classify(items, signal)) yield { index: item.index, value: item.label, error: item.error };
    },
  });
  const { answered, ...counts } = result;
  return { classified: answered, ...counts };
}
