// The Excel preview: sheet tabs, a name box for the selection (type A2:B21), and an editable grid
// where a click selects a cell and a shift-click extends the selection.
import { Button, Field, Input, Text, makeStyles, mergeClasses, tokens } from '@fluentui/react-components';
import { useEffect, useState, useSyncExternalStore } from 'react';
import { EXCEL_COLUMN_COUNT, EXCEL_ROW_COUNT, columnLetters, formatAddress, tryParseAddress } from '../../hosts/a1-address.js';
import { cellText, type PreviewSheet, type SelectionRange } from '../../hosts/preview/preview-sheet.js';
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
});

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

  return (
    <section className={styles.document} aria-label="Sample Excel workbook">
      <Text weight="semibold">Book1 – Excel (preview)</Text>
      <div className={styles.row}>
        <Field label="Selection (name box)">
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
          Select
        </Button>
        <Text className={styles.margin} data-testid="sheet-writes">
          Writes: {state.writeCount}
        </Text>
      </div>
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
                {Array.from({ length: columnCount }, (_, column) => (
                  <td key={column} className={mergeClasses(grid.cell, contains(state.selection, row, column) && grid.selected)}>
                    <input
                      className={mergeClasses(grid.input, column === 1 && grid.wide)}
                      aria-label={`${columnLetters(column)}${row + 1}`}
                      data-cell={`${columnLetters(column)}${row + 1}`}
                      value={cellText(cells, row, column)}
                      onChange={(event) => setCell(row, column, event.currentTarget.value)}
                      onMouseDown={(event) => selectCell(row, column, event.shiftKey)}
                      onFocus={() => {
                        if (!contains(state.selection, row, column)) selectCell(row, column, false);
                      }}
                    />
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className={grid.tabs} role="tablist" aria-label="Sheets">
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
