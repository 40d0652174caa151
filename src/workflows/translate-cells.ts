// Translation of sheet cells into another column, host-agnostic, with the same skip, overwrite, resume,
// verification and failure-marker rules as classification. The translator is injected (the pane's BFF
// client); an item that comes back with an error is marked like a failed classification and retried by
// the next run. The output column is the user's choice: by default the one a previous run used for this
// input column (remembered with the workbook), so a stopped run resumes in the same column instead of
// starting a new one; else the column right of the input when it is empty, or the first empty one after it.
import { HostError, type SheetAccess, type SheetSelection } from '../hosts/host-adapter.js';
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
  /** The first of `rows` is a header: not translated; the output column gets `outputHeader` (e.g. "Translation (en)") when empty. */
  firstRowIsHeader?: boolean | undefined;
  outputHeader?: string | undefined;
}

export interface TranslateCellsResult {
  translated: number;
  skipped: number;
  /** Of the skipped rows, those with no text. */
  empty: number;
  failed: number;
  /** Rows that changed during the run and were left alone (the next run does them). */
  changed: number;
  moved: number;
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
  const { answered, ...counts } = result;
  return { translated: answered, ...counts };
}

/** The output column to suggest: the one a previous run used for this input column, else the first empty one right of it. */
export async function suggestedOutputColumn(sheet: SheetAccess, selection: SheetSelection): Promise<number> {
  const remembered = await sheet.recallOutputColumn(selection.firstColumn);
  // A column of other data right of the input would only be skipped cell by cell: the first empty one is meant.
  return remembered ?? selection.firstEmptyColumnToTheRight;
}

export type TranslateSelectedCellsOptions = Omit<TranslateCellsOptions, 'rows' | 'sourceColumn' | 'outputColumn'> & {
  /** Default: the column a previous run used for this input column, else the first empty one right of it. */
  outputColumn?: number | undefined;
  /** The selection as read (saves a read); default: read now. */
  selection?: SheetSelection | undefined;
};

export interface TranslateSelectedCellsResult extends TranslateCellsResult {
  outputColumn: number;
}

/** Translates the selected cells (one column) into the chosen column and remembers it for the next run. */
export async function translateSelectedCells(sheet: SheetAccess, options: TranslateSelectedCellsOptions): Promise<TranslateSelectedCellsResult> {
  const { selection: given, outputColumn: chosen, ...rest } = options;
  const selection = given ?? (await sheet.readSelection());
  if (selection.columnCount !== 1) {
    throw new HostError('INVALID_ARGUMENT', 'Select the cells of one column to translate; the translations go in the column you choose.');
  }
  const outputColumn = chosen ?? (await suggestedOutputColumn(sheet, selection));
  // Remembered before the run, so a stopped or failed run resumes in the same column.
  await sheet.rememberOutputColumn(selection.firstColumn, outputColumn);
  const result = await translateCells(sheet, {
    ...rest,
    rows: { startRow: selection.firstRow, rowCount: selection.rowCount },
    sourceColumn: selection.firstColumn,
    outputColumn,
  });
  return { ...result, outputColumn };
}
