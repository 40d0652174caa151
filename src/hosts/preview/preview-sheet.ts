// Excel preview: a small workbook of string cells, shown as an editable grid, with a selection. Its
// cells are text, so what is written stays exactly as given (as Excel's text format keeps it); the
// workflows verify each block before writing here as they do in Excel; the output column a run used
// is remembered per sheet and input column, as the Excel adapter keeps it in the workbook's settings.
import { formatAddress, parseAddress } from '../a1-address.js';
import { HostError, type SheetAccess, type SheetSelection, type WorkbookLabels } from '../host-adapter.js';
import { PreviewStore } from './preview-store.js';

export interface SelectionRange {
  firstRow: number;
  firstColumn: number;
  rowCount: number;
  columnCount: number;
}

export interface WorkbookState {
  sheets: { name: string; cells: string[][] }[];
  activeSheet: string;
  selection: SelectionRange;
  /** Writes made so far, each one sync in Excel: the preview shows it to make batching visible. */
  writeCount: number;
  /** Output columns previous runs used, by "sheet name:input column". */
  outputColumns?: Record<string, number>;
  /** The labels last used with this workbook, as the user gave them (Excel: the document settings). */
  labels?: string[];
  /** Runs kept as server jobs, by name (Excel: the workbook's document settings). */
  jobs?: Record<string, unknown>;
}

export function createWorkbookStore(sheets: WorkbookState['sheets'], selection: SelectionRange): PreviewStore<WorkbookState> {
  return new PreviewStore<WorkbookState>({ sheets, activeSheet: sheets[0]?.name ?? 'Sheet1', selection, writeCount: 0 });
}

export function cellText(cells: readonly (readonly string[])[], row: number, column: number): string {
  return cells[row]?.[column] ?? '';
}

export class PreviewSheet implements SheetAccess {
  constructor(readonly store: PreviewStore<WorkbookState>) {}

  private activeCells(): string[][] {
    const state = this.store.get();
    return state.sheets.find((sheet) => sheet.name === state.activeSheet)?.cells ?? [];
  }

  async readSelection(): Promise<SheetSelection> {
    const { selection, activeSheet } = this.store.get();
    const cells = this.activeCells();
    const firstRowTexts: string[] = [];
    for (let column = 0; column < selection.columnCount; column += 1) {
      firstRowTexts.push(cellText(cells, selection.firstRow, selection.firstColumn + column));
    }
    let firstEmpty = selection.firstColumn + selection.columnCount;
    const isEmptyColumn = (column: number) => {
      for (let row = selection.firstRow; row < selection.firstRow + selection.rowCount; row += 1) {
        if (cellText(cells, row, column) !== '') return false;
      }
      return true;
    };
    while (!isEmptyColumn(firstEmpty)) firstEmpty += 1;
    return { sheetName: activeSheet, address: formatAddress(selection), ...selection, firstRowTexts, firstEmptyColumnToTheRight: firstEmpty };
  }

  async readRows(startRow: number, rowCount: number, columns: readonly number[]): Promise<string[][]> {
    const cells = this.activeCells();
    const rows: string[][] = [];
    for (let row = startRow; row < startRow + rowCount; row += 1) rows.push(columns.map((column) => cellText(cells, row, column)));
    return rows;
  }

  async readColumn(startRow: number, rowCount: number, column: number): Promise<string[]> {
    return (await this.readRows(startRow, rowCount, [column])).map((row) => row[0] ?? '');
  }

  async writeColumn(startRow: number, column: number, values: readonly (string | null)[]): Promise<void> {
    this.store.update((state) => ({
      ...state,
      writeCount: state.writeCount + 1,
      sheets: state.sheets.map((sheet) => {
        if (sheet.name !== state.activeSheet) return sheet;
        const cells = sheet.cells.map((row) => [...row]);
        values.forEach((value, offset) => {
          if (value === null) return;
          const row = startRow + offset;
          while (cells.length <= row) cells.push([]);
          const cellsOfRow = cells[row] ?? [];
          while (cellsOfRow.length <= column) cellsOfRow.push('');
          cellsOfRow[column] = value;
          cells[row] = cellsOfRow;
        });
        return { ...sheet, cells };
      }),
    }));
  }

  async recallOutputColumn(inputColumn: number): Promise<number | undefined> {
    const { outputColumns, activeSheet } = this.store.get();
    const column = outputColumns?.[`${activeSheet}:${inputColumn}`];
    return column === undefined || column === inputColumn ? undefined : column;
  }

  async rememberOutputColumn(inputColumn: number, outputColumn: number): Promise<void> {
    this.store.update((state) => ({ ...state, outputColumns: { ...state.outputColumns, [`${state.activeSheet}:${inputColumn}`]: outputColumn } }));
  }

  /** As Excel: the labels last used here, else the first column of a sheet called "Labels" (the preview has no named ranges). */
  async suggestLabels(): Promise<WorkbookLabels | undefined> {
    const { labels, sheets } = this.store.get();
    if (labels !== undefined && labels.length > 0) return { labels: [...labels], source: 'remembered' };
    const sheet = sheets.find((candidate) => candidate.name.toLowerCase() === 'labels');
    const texts = (sheet?.cells ?? []).map((row) => (row[0] ?? '').trim()).filter((text) => text !== '');
    return texts.length === 0 ? undefined : { labels: texts, source: 'sheet' };
  }

  async rememberLabels(labels: readonly string[]): Promise<void> {
    this.store.update((state) => ({ ...state, labels: [...labels] }));
  }

  async recallJob(name: string): Promise<unknown> {
    return this.store.get().jobs?.[name];
  }

  async rememberJob(name: string, job: unknown): Promise<void> {
    this.store.update((state) => ({ ...state, jobs: { ...state.jobs, [name]: structuredClone(job) } }));
  }

  /** The preview's runs stay on its active sheet. */
  async jobSheet(_name: string): Promise<SheetAccess> {
    return this;
  }

  async forgetJob(name: string): Promise<void> {
    this.store.update((state) => {
      const { [name]: _forgotten, ...jobs } = state.jobs ?? {};
      return { ...state, jobs };
    });
  }

  async readRangeTexts(address: string): Promise<string[]> {
    const range = parseAddress(address);
    const state = this.store.get();
    const sheetName = range.sheetName ?? state.activeSheet;
    const sheet = state.sheets.find((candidate) => candidate.name.toLowerCase() === sheetName.toLowerCase());
    if (sheet === undefined) throw new HostError('INVALID_ARGUMENT', `There is no sheet named "${sheetName}" in this workbook: check the address ${address}.`);
    // As Excel reads only the used part, a whole column ("Labels!A:A") stops where the cells end.
    const lastRow = Math.min(range.firstRow + range.rowCount, sheet.cells.length);
    const lastColumn = Math.min(range.firstColumn + range.columnCount, Math.max(0, ...sheet.cells.map((row) => row.length)));
    const texts: string[] = [];
    for (let row = range.firstRow; row < lastRow; row += 1) {
      for (let column = range.firstColumn; column < lastColumn; column += 1) {
        const text = cellText(sheet.cells, row, column).trim();
        if (text !== '') texts.push(text);
      }
    }
    return texts;
  }
}
