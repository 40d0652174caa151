// Translation of sheet cells into another column, host-agnostic, with the same skip, overwrite, resume
// and failure-marker rules as classification. The translator is injected (the pane's BFF client).
import { HostError, type SheetAccess } from '../hosts/host-adapter.js';
import { runCellColumn, type CellRunProgress, type ItemError, type RowRange } from './cell-column-run.js';

export interface TranslatedItem {
  index: number;
  text: string | null;
  error?: ItemError | undefined;
}

export type Translate = (texts: string[], signal: AbortSignal) => AsyncIterable<TranslatedItem>;

export interface TranslateCellsOptions {
  rows: RowRange;
  /** Absolute column holding the texts to translate. */
  sourceColumn: number;
  /** Absolute column the translations are written to. */
  outputColumn: number;
  overwrite: boolean;
  translate: Translate;
  signal: AbortSignal;
  onProgress?: ((progress: CellRunProgress) => void) | undefined;
  writeEvery?: number | undefined;
  rowsPerWindow?: number | undefined;
}

export interface TranslateCellsResult {
  translated: number;
  skipped: number;
  failed: number;
  stopped: boolean;
}

export async function translateCells(sheet: SheetAccess, options: TranslateCellsOptions): Promise<TranslateCellsResult> {
  const { translate, sourceColumn, ...rest } = options;
  const result = await runCellColumn(sheet, {
    ...rest,
    inputColumns: [sourceColumn],
    process: async function* (texts, signal) {
      for await (const item of translate(texts, signal)) yield { index: item.index, value: item.text, error: item.error };
    },
  });
  return { translated: result.answered, skipped: result.skipped, failed: result.failed, stopped: result.stopped };
}

export type TranslateSelectedCellsOptions = Omit<TranslateCellsOptions, 'rows' | 'sourceColumn' | 'outputColumn'> & {
  /** Default: the column right next to the selection. */
  outputColumn?: number | undefined;
};

/** Translates the selected cells (one column) into the column next to them. */
export async function translateSelectedCells(sheet: SheetAccess, options: TranslateSelectedCellsOptions): Promise<TranslateCellsResult> {
  const selection = await sheet.readSelection();
  if (selection.columnCount !== 1) {
    throw new HostError('INVALID_ARGUMENT', 'Select the cells of one column to translate; the translations go in the column next to it.');
  }
  return translateCells(sheet, {
    ...options,
    rows: { startRow: selection.firstRow, rowCount: selection.rowCount },
    sourceColumn: selection.firstColumn,
    outputColumn: options.outputColumn ?? selection.firstColumn + 1,
  });
}
