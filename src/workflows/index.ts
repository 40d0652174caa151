// The workflows' public surface: the pane (and anything else outside src/workflows) imports from here
// only, so the engine behind it (cell-column-run.ts) can change without reaching into its callers.
export { classifySheet, type ClassifiedItem, type ClassifySheetOptions, type ClassifySheetResult } from './classify-sheet.js';
export {
  suggestedOutputColumn,
  translateCells,
  translateSelectedCells,
  type Translate,
  type TranslateCellsOptions,
  type TranslateCellsResult,
  type TranslatedItem,
  type TranslateSelectedCellsOptions,
  type TranslateSelectedCellsResult,
} from './translate-cells.js';
export { detectHeaderRow, looksLikeHeaderRow } from './header-row.js';
export {
  FAILED_CELL_PREFIX,
  INPUT_SEPARATOR,
  WorkflowError,
  isFilledCell,
  type CellRunProgress,
  type CellRunResult,
  type ItemError,
  type RowRange,
} from './cell-column-run.js';
export {
  JOB_THRESHOLD,
  keptSheetJob,
  resumeSheetJob,
  runsAsJob,
  startSheetJob,
  stopSheetJob,
  type ExpiredSheetJob,
  type KeptSheetJob,
  type SheetJobFallback,
  type SheetJobName,
  type SheetJobRequest,
  type SheetJobRunOptions,
  type SheetJobRunResult,
  type SheetJobsPort,
} from './sheet-job-run.js';
