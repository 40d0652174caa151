// What the pane needs of the formulas' batcher: what is waiting, the confirmation and Stop. In a shared
// runtime the functions script and the pane are two bundles in one page, so the functions page
// publishes its batcher here (one property of the page's global object) and the pane finds it.
import type { FormulaBatcher } from './formula-batcher.js';

export type FormulaControl = Pick<FormulaBatcher, 'activity' | 'subscribe' | 'confirm' | 'stop'>;

const globalKey = '__officeLlmAddinFormulaControl';

export function publishFormulaControl(control: FormulaControl): void {
  (globalThis as Record<string, unknown>)[globalKey] = control;
}

/** The formulas' control in this page, or undefined where no formulas run (Word, Outlook, Excel without a shared runtime). */
export function findFormulaControl(): FormulaControl | undefined {
  return (globalThis as Record<string, unknown>)[globalKey] as FormulaControl | undefined;
}
