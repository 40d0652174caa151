// The formulas' public module: the pane and its browser preview import from here only.
export { createFormulaBatcher, defaultFormulaSettings, type FormulaActivity, type FormulaBatcher, type FormulaBatcherOptions } from './formula-batcher.js';
export { createFormulaFunctions, type FormulaArgument, type FormulaFunctions, type FormulaRuntime } from './formula-functions.js';
export { findFormulaControl, type FormulaControl } from './formula-control.js';
export type { CellMatrix, CellResult, CellValue } from './cell-values.js';
export { FormulaStatus } from './formula-status.js';
