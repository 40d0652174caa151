// The three formulas' behaviour, apart from how they are registered: Excel's custom functions
// (ai-functions.ts) and the browser preview's sheet (src/hosts/preview/preview-formulas.ts) both call
// these, so a formula answers the same in either. Each cell of a range argument is one text; the
// result has the argument's shape (Excel spills it), empty cells stay empty, and a cell that fails
// holds an Excel error, never text that could pass for an answer.
import { summaryLengths, type SummaryLength } from '../contract/options.js';
import type { Messages } from '../taskpane/shared/i18n/messages.js';
import { FormulaError, formulaErrorFrom, toCellError } from './cell-errors.js';
import { asMatrix, cellText, joinRowByRow, labelList, mapCells, optionalText, type CellMatrix, type CellResult, type CellValue } from './cell-values.js';
import type { FormulaBatcher } from './formula-batcher.js';

export interface FormulaRuntime {
  batcher: FormulaBatcher;
  messages: Messages;
  /** The user's Office display language (BCP 47), the default target of AI.TRANSLATE. */
  displayLanguage: () => string;
}

export type FormulaArgument = CellMatrix | CellValue;

export interface FormulaFunctions {
  classify(text: FormulaArgument, labels: FormulaArgument, instructions?: FormulaArgument): Promise<CellResult[][]>;
  translate(text: FormulaArgument, to?: FormulaArgument, from?: FormulaArgument): Promise<CellResult[][]>;
  summarize(textOrRange: FormulaArgument, length?: FormulaArgument): Promise<CellResult[][]>;
}

export function createFormulaFunctions(runtime: FormulaRuntime): FormulaFunctions {
  const { batcher, messages } = runtime;
  const answerOrError = async (text: string, ask: (text: string) => Promise<string>): Promise<CellResult> => {
    if (text.trim() === '') return '';
    try {
      return await ask(text);
    } catch (error) {
      return toCellError(formulaErrorFrom(error, messages));
    }
  };
  const everyCell = (matrix: CellMatrix, error: FormulaError): CellResult[][] => matrix.map((row) => row.map(() => toCellError(error)));

  return {
    classify: async (text, labels, instructions) => {
      const cells = asMatrix(text);
      const labelTexts = labelList(asMatrix(labels));
      if (labelTexts.length === 0) return everyCell(cells, new FormulaError('INVALID_ARGUMENT', messages.formulaNoLabels, 'invalid-input'));
      const guidance = optionalText(instructions);
      return mapCells(cells, (cell) => answerOrError(cell, (item) => batcher.classify(item, labelTexts, guidance)));
    },
    translate: async (text, to, from) => {
      const targetLanguage = optionalText(to) ?? runtime.displayLanguage();
      const sourceLanguage = optionalText(from);
      return mapCells(asMatrix(text), (cell) => answerOrError(cell, (item) => batcher.translate(item, targetLanguage, sourceLanguage)));
    },
    summarize: async (textOrRange, length) => {
      const lengthText = optionalText(length)?.toLowerCase();
      if (lengthText !== undefined && !(summaryLengths as readonly string[]).includes(lengthText)) {
        return [[toCellError(new FormulaError('INVALID_ARGUMENT', messages.formulaInvalidLength, 'invalid-input'))]];
      }
      const matrix = asMatrix(textOrRange);
      const joined = matrix.length === 1 && matrix[0]?.length === 1 ? cellText(matrix[0][0]) : joinRowByRow(matrix);
      return [[await answerOrError(joined, (item) => batcher.summarize(item, lengthText as SummaryLength | undefined))]];
    },
  };
}
