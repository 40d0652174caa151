// The Excel preview: sheet tabs, a name box for the selection (type A2:B21), and an editable grid
// where a click selects a cell and a shift-click extends the selection. A cell starting with `=AI.`
// is a formula, evaluated through the same function code and batching as Excel's custom functions
// (src/functions, by preview-formulas.ts): the cell shows its answer (and spills), the formula while
// it is edited; a formula is committed on Enter or on leaving the cell, as in Excel. Above the grid,
// the formulas' state with Stop and the confirmation a large run waits for.
import { Button, Field, Input, Text, makeStyles, mergeClasses, tokens } from '@fluentui/react-components';
import { useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import { FormulaStatus, createFormulaBatcher, createFormulaFunctions, type FormulaBatcher } from '../../functions/index.js';
import { EXCEL_COLUMN_COUNT, EXCEL_ROW_COUNT, columnLetters, formatAddress, tryParseAddress } from '../../hosts/a1-address.js';
import { PreviewFormulas, displayKey, isPreviewFormula, providePreviewCustomFunctions } from '../../hosts/preview/preview-formulas.js';
import { cellText, type PreviewSheet, type SelectionRange, type WorkbookState } from '../../hosts/preview/preview-sheet.js';
import type { PreviewStore } from '../../hosts/preview/preview-store.js';
import { createApiClient } from '../shared/api/api-client.js';
import { useMessages } from '../shared/i18n/i18n-context.js';
import { formatLocalized, type Messages } from '../shared/i18n/messages.js';
import { usePreviewStyles } from './preview-styles.js';

const useGridStyles = makeStyles({
  scroller: { overflow: 'auto', maxHeight: '70vh', border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke1}` },
  grid: { borderCollapse: 'collapse', fontFamily: 'Calibri, "Segoe UI", sans-serif', fontSize: '13px' },
  header: {
    backgroundColor: tokens.colorNeutralBackground3,
    fontWeight: 'normal',
    padding: '0 6px',
    border: `1px solid ${tokens.colorNeutralStroke2}`,
    position: 'sticky',
    top: 0,
  },
  cell: { border: `1px solid ${tokens.colorNeutralStroke2}`, padding: 0 },
  selected: { backgroundColor: tokens.colorBrandBackground2 },
  input: {
    border: 'none',
    background: 'transparent',
    width: '100%',
    minWidth: '90px',
    padding: '2px 4px',
    font: 'inherit',
    ':focus-visible': { outline: `2px solid ${tokens.colorBrandStroke1}` },
  },
  wide: { minWidth: '360px' },
  tabs: { display: 'flex', columnGap: tokens.spacingHorizontalXS },
  error: { color: tokens.colorPaletteRedForeground1 },
});

/** The workbook's formulas: one batcher per workbook (Excel has one runtime per workbook), the same code as Excel's. */
function createFormulaEngine(store: PreviewStore<WorkbookState>, messages: Messages): { batcher: FormulaBatcher; formulas: PreviewFormulas } {
  providePreviewCustomFunctions();
  const holder: { formulas?: PreviewFormulas } = {};
  const batcher = createFormulaBatcher({ api: createApiClient(), messages, recalculate: () => holder.formulas?.recalculate() });
  const functions = createFormulaFunctions({ batcher, messages, displayLanguage: () => document.documentElement.lang || navigator.language || 'en-US' });
  holder.formulas = new PreviewFormulas(store, { CLASSIFY: functions.classify, TRANSLATE: functions.translate, SUMMARIZE: functions.summarize });
  return { batcher, formulas: holder.formulas };
}

/** A whole column or row ("B:B", "2:4") selects only as far as the sheet holds cells, as Excel's used range does. */
function clipToCells(range: SelectionRange, cells: readonly (readonly string[])[]): SelectionRange {
  const usedRows = Math.max(1, cells.length - range.firstRow);
  const usedColumns = Math.max(1, Math.max(0, ...cells.map((row) => row.length)) - range.firstColumn);
  return {
    firstRow: range.firstRow,
    firstColumn: range.firstColumn,
    rowCount: range.rowCount === EXCEL_ROW_COUNT ? usedRows : range.rowCount,
    columnCount: range.columnCount === EXCEL_COLUMN_COUNT ? usedColumns : range.columnCount,
  };
}

function contains(range: SelectionRange, row: number, column: number): boolean {
  return row >= range.firstRow && row < range.firstRow + range.rowCount && column >= range.firstColumn && column < range.firstColumn + range.columnCount;
}

export function SheetView({ sheet }: { sheet: PreviewSheet }) {
  const styles = usePreviewStyles();
  const grid = useGridStyles();
  const { store } = sheet;
  const state = useSyncExternalStore(store.subscribe, store.get);
  const messages = useMessages();
  const engine = useMemo(() => createFormulaEngine(store, messages), [store, messages]);
  useEffect(() => () => engine.formulas.dispose(), [engine]);
  const formulaState = useSyncExternalStore(engine.formulas.store.subscribe, engine.formulas.store.get);
  // A formula being typed is a draft until Enter or leaving the cell, so half-typed formulas ask nothing.
  const [draft, setDraft] = useState<{ row: number; column: number; text: string } | undefined>();
  const [editing, setEditing] = useState<string | undefined>();
  const [anchor, setAnchor] = useState<{ row: number; column: number }>({ row: state.selection.firstRow, column: state.selection.firstColumn });
  const [nameBox, setNameBox] = useState(formatAddress(state.selection));
  useEffect(() => setNameBox(formatAddress(state.selection)), [state.selection]);
  const active = state.sheets.find((candidate) => candidate.name === state.activeSheet);
  const cells = active?.cells ?? [];
  const rowCount = Math.max(cells.length + 2, 24);
  const columnCount = Math.max(6, ...cells.map((row) => row.length + 1));

  const select = (selection: SelectionRange) => store.update((current) => ({ ...current, selection }));
  const selectCell = (row: number, column: number, extend: boolean) => {
    if (!extend) {
      setAnchor({ row, column });
      select({ firstRow: row, firstColumn: column, rowCount: 1, columnCount: 1 });
      return;
    }
    select({
      firstRow: Math.min(anchor.row, row),
      firstColumn: Math.min(anchor.column, column),
      rowCount: Math.abs(anchor.row - row) + 1,
      columnCount: Math.abs(anchor.column - column) + 1,
    });
  };
  const applyNameBox = () => {
    const range = tryParseAddress(nameBox);
    if (range === undefined) return;
    store.update((current) => {
      const activeSheet =
        range.sheetName !== undefined && current.sheets.some((candidate) => candidate.name === range.sheetName) ? range.sheetName : current.activeSheet;
      const target = current.sheets.find((candidate) => candidate.name === activeSheet)?.cells ?? [];
      return { ...current, activeSheet, selection: clipToCells(range, target) };
    });
  };
  const setCell = (row: number, column: number, value: string) =>
    store.update((current) => ({
      ...current,
      sheets: current.sheets.map((candidate) => {
        if (candidate.name !== current.activeSheet) return candidate;
        const next = candidate.cells.map((cellsOfRow) => [...cellsOfRow]);
        while (next.length <= row) next.push([]);
        const cellsOfRow = next[row] ?? [];
        while (cellsOfRow.length <= column) cellsOfRow.push('');
        cellsOfRow[column] = value;
        next[row] = cellsOfRow;
        return { ...candidate, cells: next };
      }),
    }));
  const edit = (row: number, column: number, value: string) => {
    if (value.trimStart().startsWith('=')) setDraft({ row, column, text: value });
    else {
      setDraft(undefined);
      setCell(row, column, value);
    }
  };
  const commitDraft = () => {
    if (draft === undefined) return;
    setDraft(undefined);
    setCell(draft.row, draft.column, draft.text);
  };
  /** What a cell shows: the text being edited; a formula's answer; a value spilled into it; its text. */
  const shownText = (row: number, column: number): string => {
    if (draft !== undefined && draft.row === row && draft.column === column) return draft.text;
    const text = cellText(cells, row, column);
    if (editing === `${columnLetters(column)}${row + 1}`) return text;
    const display = formulaState.displays.get(displayKey(state.activeSheet, row, column));
    if (isPreviewFormula(text)) return display?.text ?? '#BUSY!';
    return text === '' ? (display?.text ?? '') : text;
  };

  return (
    <section className={styles.document} aria-label={messages.previewWorkbook}>
      <Text weight="semibold">{messages.previewWorkbookTitle}</Text>
      <div className={styles.row}>
        <Field label={messages.previewNameBox}>
          <Input
            value={nameBox}
            onChange={(_event, data) => setNameBox(data.value)}
            onKeyDown={(event) => {
              if (event.key === 'Enter') applyNameBox();
            }}
            data-testid="name-box"
          />
        </Field>
        <Button onClick={applyNameBox} data-testid="apply-selection">
          {messages.previewSelect}
        </Button>
        <Text className={styles.margin} data-testid="sheet-writes">
          {formatLocalized(messages, messages.previewWrites, { count: state.writeCount })}
        </Text>
      </div>
      <FormulaStatus control={engine.batcher} />
      <div className={grid.scroller}>
        <table className={grid.grid} data-testid="sheet-grid">
          <thead>
            <tr>
              <th className={grid.header} aria-hidden="true" />
              {Array.from({ length: columnCount }, (_, column) => (
                <th key={column} scope="col" className={grid.header}>
                  {columnLetters(column)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {Array.from({ length: rowCount }, (_, row) => (
              <tr key={row}>
                <th scope="row" className={grid.header}>
                  {row + 1}
                </th>
                {Array.from({ length: columnCount }, (_, column) => {
                  const address = `${columnLetters(column)}${row + 1}`;
                  const text = cellText(cells, row, column);
                  const display = formulaState.displays.get(displayKey(state.activeSheet, row, column));
                  return (
                    <td key={column} className={mergeClasses(grid.cell, contains(state.selection, row, column) && grid.selected)}>
                      <input
                        className={mergeClasses(
                          grid.input,
                          column === 1 && grid.wide,
                          display?.errorMessage !== undefined && editing !== address && grid.error,
                        )}
                        aria-label={address}
                        data-cell={address}
                        data-formula={isPreviewFormula(text) ? text : undefined}
                        title={display?.errorMessage}
                        value={shownText(row, column)}
                        onChange={(event) => edit(row, column, event.currentTarget.value)}
                        onMouseDown={(event) => selectCell(row, column, event.shiftKey)}
                        onKeyDown={(event) => {
                          if (event.key === 'Enter') commitDraft();
                        }}
                        onFocus={() => {
                          setEditing(address);
                          if (!contains(state.selection, row, column)) selectCell(row, column, false);
                        }}
                        onBlur={() => {
                          commitDraft();
                          setEditing(undefined);
                        }}
                      />
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className={grid.tabs} role="tablist" aria-label={messages.previewSheets}>
        {state.sheets.map((candidate) => (
          <Button
            key={candidate.name}
            role="tab"
            aria-selected={candidate.name === state.activeSheet}
            appearance={candidate.name === state.activeSheet ? 'primary' : 'subtle'}
            size="small"
            onClick={() => store.update((current) => ({ ...current, activeSheet: candidate.name }))}
          >
            {candidate.name}
          </Button>
        ))}
      </div>
    </section>
  );
}
