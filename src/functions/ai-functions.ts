// The custom functions Excel lists in the AI namespace (=AI.CLASSIFY, =AI.TRANSLATE, =AI.SUMMARIZE).
// custom-functions-metadata-plugin reads the JSDoc below at build time into functions.json (names,
// help, parameters) and registers each function with CustomFunctions.associate. Parameters typed
// `any[][]` take a cell or a range (a single cell arrives as [[value]]) with numbers and text as they
// are; results are 2-D arrays that Excel spills. The work is formula-functions.ts, set up by the
// functions page (functions-page.ts) with the API client and the batcher.
/* eslint-disable @typescript-eslint/no-explicit-any -- the metadata generator maps only the literal `any` to Excel's any type */
import type { FormulaFunctions } from './formula-functions.js';

// The build appends `CustomFunctions.associate("CLASSIFY", classify)` (and the others) to this file. The
// browser preview loads this script with the pane, outside Excel, where no CustomFunctions API exists:
// there this module's own binding takes the calls and registers nothing.
const CustomFunctions: { associate(id: string, implementation: (...parameters: never[]) => unknown): void } = (
  globalThis as { CustomFunctions?: { associate(id: string, implementation: unknown): void } }
).CustomFunctions ?? { associate: () => undefined };
void CustomFunctions;

let configure: (functions: FormulaFunctions) => void = () => undefined;
/** Cells calculated before the functions page is set up wait for it (Excel shows #BUSY!). */
const configured = new Promise<FormulaFunctions>((resolve) => {
  configure = resolve;
});

/** Called once by the functions page with the batcher and the API client. */
export function useFormulaFunctions(functions: FormulaFunctions): void {
  configure(functions);
}

/**
 * Classifies text into one of your labels. A range of texts returns one label per cell, spilled in the same shape.
 * @customfunction CLASSIFY
 * @param text The text to classify: a cell or a range such as A2:A1000.
 * @param labels The labels to choose from: a range such as L1:L12 or an array constant such as {"refund","delivery","other"}.
 * @param [instructions] Extra guidance on how to choose, such as what each label means.
 * @returns One of the labels for each text cell.
 */
export async function classify(text: any[][], labels: any[][], instructions?: string): Promise<any[][]> {
  return (await configured).classify(text, labels, instructions);
}

/**
 * Translates text. A range of texts returns one translation per cell, spilled in the same shape.
 * @customfunction TRANSLATE
 * @param text The text to translate: a cell or a range.
 * @param [to] The language to translate into, such as "de" or "en-GB". Default: your Office display language.
 * @param [from] The language of the text. Default: detected.
 * @returns The translation of each text cell.
 */
export async function translate(text: any[][], to?: string, from?: string): Promise<any[][]> {
  return (await configured).translate(text, to, from);
}

/**
 * Summarises text. A range is read row by row as one text and gives one summary.
 * @customfunction SUMMARIZE
 * @param text_or_range The text to summarise: a cell or a range.
 * @param [length] "short", "medium" or "long". Default: medium.
 * @returns A summary of the text.
 */
export async function summarize(text_or_range: any[][], length?: string): Promise<any[][]> {
  return (await configured).summarize(text_or_range, length);
}
