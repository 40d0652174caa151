// The preview workbook's formulas: a cell whose text starts with `=AI.` (=AI.CLASSIFY(B2, Labels!A1:A5),
// =AI.TRANSLATE(B2:B21, "de"), =AI.SUMMARIZE(B2:B6, "short")) is evaluated through the same function
// code and batching Excel's custom functions use (src/functions), which the pane passes in: nothing
// here knows the BFF. Arguments are cell ranges (sheet names, $ and whole columns as the A1 module reads
// them), "text" literals, numbers and array constants {"a","b";"c","d"}. A result is shown as Excel
// does: the first value in the formula's cell, the rest spilled right and down into empty cells
// (#SPILL! when one is not empty), #BUSY! while the answer is pending, errors as their code with the
// message beside. A formula is evaluated again when its text or its inputs change.
import { parseAddress, tryParseAddress } from '../a1-address.js';
import { cellText, type WorkbookState } from './preview-sheet.js';
import { PreviewStore } from './preview-store.js';

export type FormulaArgumentValue = readonly (readonly (string | number)[])[] | string | number | undefined;
/** What a function answers: a 2-D array of text or Excel errors (anything with a `code` such as "#N/A"). */
export type FormulaAnswer = readonly (readonly unknown[])[];
export type PreviewFormulaFunction = (...parameters: FormulaArgumentValue[]) => Promise<FormulaAnswer>;

/** What a cell shows because of a formula: its own answer or a value spilled into it. */
export interface FormulaDisplay {
  text: string;
  /** The error's message (Excel shows it beside the cell), when the value is an error. */
  errorMessage?: string;
  /** The cell holding the formula, for a spilled value. */
  spilledFrom?: string;
}

export interface FormulaState {
  /** By "sheet!row:column". */
  displays: ReadonlyMap<string, FormulaDisplay>;
  pending: number;
}

const busy: FormulaDisplay = { text: '#BUSY!' };
const formulaPattern = /^=AI\.([A-Z]+)\((.*)\)\s*$/is;

export const displayKey = (sheet: string, row: number, column: number) => `${sheet}!${row}:${column}`;

export function isPreviewFormula(text: string): boolean {
  return /^=AI\./i.test(text.trim());
}

export class PreviewFormulas {
  readonly store = new PreviewStore<FormulaState>({ displays: new Map(), pending: 0 });
  /** The inputs each formula cell was last evaluated with, so only changed formulas are asked again. */
  private readonly evaluated = new Map<string, string>();
  private readonly answers = new Map<string, { signature: string; anchor: { sheet: string; row: number; column: number }; answer: FormulaDisplay[][] }>();
  private readonly unsubscribe: () => void;

  constructor(
    private readonly workbook: PreviewStore<WorkbookState>,
    private readonly functions: Readonly<Record<string, PreviewFormulaFunction>>,
  ) {
    this.unsubscribe = workbook.subscribe(() => this.evaluateChanged());
    this.evaluateChanged();
  }

  /** Every formula again, as Excel's full recalculation (after the user confirmed a large run). */
  recalculate(): void {
    this.evaluated.clear();
    this.evaluateChanged();
  }

  dispose(): void {
    this.unsubscribe();
  }

  private evaluateChanged(): void {
    const { sheets } = this.workbook.get();
    const seen = new Set<string>();
    for (const sheet of sheets) {
      sheet.cells.forEach((cells, row) =>
        cells.forEach((text, column) => {
          if (!isPreviewFormula(text)) return;
          const key = displayKey(sheet.name, row, column);
          seen.add(key);
          const call = this.parse(text, sheet.name);
          const signature = JSON.stringify([text, call.arguments]);
          if (this.evaluated.get(key) === signature) return;
          this.evaluated.set(key, signature);
          void this.evaluate(key, { sheet: sheet.name, row, column }, signature, call);
        }),
      );
    }
    for (const key of [...this.answers.keys()]) {
      if (!seen.has(key)) {
        this.answers.delete(key);
        this.evaluated.delete(key);
      }
    }
    this.publish();
  }

  private async evaluate(
    key: string,
    anchor: { sheet: string; row: number; column: number },
    signature: string,
    call: { name: string; arguments: FormulaArgumentValue[]; error?: string },
  ): Promise<void> {
    const implementation = this.functions[call.name];
    if (call.error !== undefined || implementation === undefined) {
      this.answers.set(key, { signature, anchor, answer: [[call.error === undefined ? { text: '#NAME?' } : { text: '#VALUE!', errorMessage: call.error }]] });
      this.publish();
      return;
    }
    this.answers.set(key, { signature, anchor, answer: [[busy]] });
    this.store.update((state) => ({ ...state, pending: state.pending + 1 }));
    this.publish();
    let answer: FormulaDisplay[][];
    try {
      answer = (await implementation(...call.arguments)).map((row) => row.map(toDisplay));
    } catch (error) {
      answer = [[toDisplay(error)]];
    }
    this.store.update((state) => ({ ...state, pending: state.pending - 1 }));
    // A newer evaluation of this cell (its inputs changed meanwhile) wins.
    if (this.evaluated.get(key) === signature) this.answers.set(key, { signature, anchor, answer });
    this.publish();
  }

  /** The cells' displays: each answer in its formula's cell, the rest spilled, or #SPILL! when blocked. */
  private publish(): void {
    const { sheets } = this.workbook.get();
    const displays = new Map<string, FormulaDisplay>();
    for (const [key, { anchor, answer }] of this.answers) {
      const cells = sheets.find((sheet) => sheet.name === anchor.sheet)?.cells ?? [];
      const blocked = answer.some((values, rowOffset) =>
        values.some(
          (_value, columnOffset) => (rowOffset > 0 || columnOffset > 0) && cellText(cells, anchor.row + rowOffset, anchor.column + columnOffset) !== '',
        ),
      );
      if (blocked) {
        displays.set(key, { text: '#SPILL!', errorMessage: 'The cells this formula spills into are not empty.' });
        continue;
      }
      answer.forEach((values, rowOffset) =>
        values.forEach((display, columnOffset) => {
          const target = displayKey(anchor.sheet, anchor.row + rowOffset, anchor.column + columnOffset);
          displays.set(target, rowOffset === 0 && columnOffset === 0 ? display : { ...display, spilledFrom: key });
        }),
      );
    }
    this.store.update((state) => ({ ...state, displays }));
  }

  /** A cell's value as a formula argument sees it: a formula's displayed answer, or the cell's text. */
  private valueAt(sheetName: string, row: number, column: number): string {
    const sheet = this.workbook.get().sheets.find((candidate) => candidate.name.toLowerCase() === sheetName.toLowerCase());
    const text = cellText(sheet?.cells ?? [], row, column);
    if (isPreviewFormula(text) || text === '')
      return this.store.get().displays.get(displayKey(sheet?.name ?? sheetName, row, column))?.text ?? (text === '' ? '' : '#BUSY!');
    return text;
  }

  private parse(text: string, sheetName: string): { name: string; arguments: FormulaArgumentValue[]; error?: string } {
    const match = formulaPattern.exec(text.trim());
    if (match === null) return { name: '', arguments: [], error: 'Write the formula like =AI.CLASSIFY(B2, Labels!A1:A5).' };
    const name = (match[1] ?? '').toUpperCase();
    try {
      return { name, arguments: splitArguments(match[2] ?? '').map((argument) => this.argumentValue(argument, sheetName)) };
    } catch (error) {
      return { name, arguments: [], error: error instanceof Error ? error.message : String(error) };
    }
  }

  private argumentValue(argument: string, sheetName: string): FormulaArgumentValue {
    const text = argument.trim();
    if (text === '') return undefined;
    if (text.startsWith('"')) return stringLiteral(text);
    if (text.startsWith('{')) return arrayConstant(text);
    if (/^-?\d+(\.\d+)?$/.test(text)) return Number(text);
    const range = tryParseAddress(text) ?? parseAddress(text);
    const sheet = range.sheetName ?? sheetName;
    const used = this.workbook.get().sheets.find((candidate) => candidate.name.toLowerCase() === sheet.toLowerCase())?.cells ?? [];
    // Whole columns or rows read as far as the sheet holds cells, as Excel's used range does.
    const rowCount = Math.min(range.rowCount, Math.max(0, used.length - range.firstRow));
    const columnCount = Math.min(range.columnCount, Math.max(0, ...used.map((cells) => cells.length - range.firstColumn)));
    return Array.from({ length: Math.max(1, rowCount) }, (_row, rowOffset) =>
      Array.from({ length: Math.max(1, columnCount) }, (_column, columnOffset) =>
        this.valueAt(sheet, range.firstRow + rowOffset, range.firstColumn + columnOffset),
      ),
    );
  }
}

function toDisplay(value: unknown): FormulaDisplay {
  if (typeof value === 'object' && value !== null && 'code' in value) {
    const { code, message } = value as { code: unknown; message?: unknown };
    return typeof message === 'string' && message !== '' ? { text: String(code), errorMessage: message } : { text: String(code) };
  }
  if (value instanceof Error) return { text: '#VALUE!', errorMessage: value.message };
  return { text: value === null || value === undefined ? '' : String(value) };
}

/** Top-level arguments: commas inside quotes or braces do not split. */
function splitArguments(text: string): string[] {
  if (text.trim() === '') return [];
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  let depth = 0;
  for (const character of text) {
    if (character === '"') quoted = !quoted;
    else if (!quoted && character === '{') depth += 1;
    else if (!quoted && character === '}') depth -= 1;
    if (!quoted && depth === 0 && character === ',') {
      parts.push(current);
      current = '';
    } else current += character;
  }
  if (quoted || depth !== 0) throw new Error('A quote or a brace is not closed.');
  parts.push(current);
  return parts;
}

function stringLiteral(text: string): string {
  if (!/^"(?:[^"]|"")*"$/.test(text)) throw new Error(`${text} is not a text in quotes.`);
  return text.slice(1, -1).replace(/""/g, '"');
}

/** {"a","b";"c","d"}: commas separate columns, semicolons rows. */
function arrayConstant(text: string): string[][] {
  if (!text.endsWith('}')) throw new Error('An array constant ends with }.');
  const rows: string[][] = [[]];
  let current = '';
  let quoted = false;
  const finish = () => {
    const value = current.trim();
    rows[rows.length - 1]?.push(value.startsWith('"') ? stringLiteral(value) : value);
    current = '';
  };
  for (const character of text.slice(1, -1)) {
    if (character === '"') quoted = !quoted;
    if (!quoted && (character === ',' || character === ';')) {
      finish();
      if (character === ';') rows.push([]);
    } else current += character;
  }
  finish();
  return rows;
}

/** Excel's error values, as the custom functions runtime defines CustomFunctions.ErrorCode. */
export const previewErrorCodes = {
  invalidValue: '#VALUE!',
  notAvailable: '#N/A',
  divisionByZero: '#DIV/0!',
  invalidNumber: '#NUM!',
  nullReference: '#NULL!',
  invalidName: '#NAME?',
  invalidReference: '#REF!',
} as const;

class PreviewFunctionError {
  constructor(
    readonly code: string,
    readonly message?: string,
  ) {}
}

/**
 * Outside Excel, office.js defines CustomFunctions with `associate` only (Excel's custom functions
 * runtime adds the rest); the formulas' code builds its errors with Error and ErrorCode, so the preview
 * provides those, shaped as Excel's, where they are missing.
 */
export function providePreviewCustomFunctions(): void {
  const scope = globalThis as { CustomFunctions?: { Error?: unknown; ErrorCode?: unknown; associate?: unknown } };
  const api = (scope.CustomFunctions ??= { associate: () => undefined });
  api.Error ??= PreviewFunctionError;
  api.ErrorCode ??= previewErrorCodes;
}
