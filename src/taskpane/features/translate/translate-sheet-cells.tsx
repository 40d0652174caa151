// Excel side of Translate: the selected cells (one column) into an output column the user picks. The
// default is the column a previous run used for these cells (remembered with the workbook), else the one
// right of them, so a stopped run continues in the same column and a re-run sends only what is missing.
// A header row is detected (and can be unticked); the output column then gets "Translation (en)".
import { Button, Checkbox, Text } from '@fluentui/react-components';
import { useCallback, useEffect, useState } from 'react';
import { columnLetters } from '../../../hosts/a1-address.js';
import type { SheetAccess, SheetSelection } from '../../../hosts/host-adapter.js';
import { detectHeaderRow, suggestedOutputColumn, translateSelectedCells, type TranslateSelectedCellsResult } from '../../../workflows/index.js';
import type { ApiClient } from '../../shared/api/api-client.js';
import { streamedTranslate } from '../../shared/api/streamed-cell-operations.js';
import type { Glossary } from '../../shared/api/translate-glossary.js';
import { useMessages } from '../../shared/i18n/i18n-context.js';
import { format, type Messages, type PluralForms } from '../../shared/i18n/messages.js';
import { ChoiceSelect } from '../../shared/ui/choice-select.js';
import { usePanelStyles } from '../../shared/ui/panel-layout.js';

/** What the user chose for the selection shown; a run on another selection uses that selection's defaults. */
export interface SheetTranslateChoice {
  selection: SheetSelection | undefined;
  outputColumn: number | undefined;
  /** The output column came from a previous run. */
  remembered: boolean;
  firstRowIsHeader: boolean;
  headerDetected: boolean;
  overwrite: boolean;
}

export const initialSheetTranslateChoice: SheetTranslateChoice = {
  selection: undefined,
  outputColumn: undefined,
  remembered: false,
  firstRowIsHeader: false,
  headerDetected: false,
  overwrite: false,
};

function countText(messages: Messages, forms: PluralForms, count: number, values: Record<string, string | number> = {}): string {
  const category = new Intl.PluralRules(messages.locale).select(count);
  return format(forms[category] ?? forms.other, { ...values, count: new Intl.NumberFormat(messages.locale).format(count) });
}

/** The defaults for a selection: the remembered or adjacent output column, and whether the first row looks like a header. */
async function choiceFor(sheet: SheetAccess, selection: SheetSelection, overwrite: boolean): Promise<SheetTranslateChoice> {
  const remembered = await sheet.recallOutputColumn(selection.firstColumn);
  const outputColumn = remembered ?? (await suggestedOutputColumn(sheet, selection));
  const headerDetected = await detectHeaderRow(sheet, selection);
  return { selection, outputColumn, remembered: remembered !== undefined, firstRowIsHeader: headerDetected, headerDetected, overwrite };
}

const sameSelection = (a: SheetSelection | undefined, b: SheetSelection): boolean =>
  a !== undefined && a.sheetName === b.sheetName && a.address === b.address && a.rowCount === b.rowCount;

/** What the run did, one sentence per fact; the counts add up to the rows of the run. */
function describeTranslateRun(messages: Messages, result: TranslateSelectedCellsResult): string {
  const filled = result.skipped - result.empty;
  const column = columnLetters(result.outputColumn);
  const sentences: string[] = [];
  if (result.stopped) {
    sentences.push(result.translated > 0 ? countText(messages, messages.rowsStoppedKept, result.translated) : messages.rowsStoppedNone);
  } else {
    if (result.translated > 0 || filled + result.empty + result.failed + result.changed === 0) {
      sentences.push(countText(messages, messages.cellsTranslated, result.translated, { column }));
    }
    if (filled > 0) sentences.push(countText(messages, messages.rowsSkippedFilled, filled));
    if (result.empty > 0) sentences.push(countText(messages, messages.rowsEmpty, result.empty));
  }
  if (result.failed > 0) sentences.push(countText(messages, messages.rowsFailed, result.failed));
  if (result.changed > 0) sentences.push(countText(messages, messages.rowsChanged, result.changed));
  return sentences.join(' ');
}

/**
 * Translates the selected cells with the user's choices (or, when the selection changed since they were
 * shown, with that selection's defaults). A stop hands `onStopped` what was kept, then ends as a stop.
 */
export async function translateSelectedSheetCells(
  sheet: SheetAccess,
  api: ApiClient,
  targetLanguage: string,
  choice: SheetTranslateChoice,
  signal: AbortSignal,
  messages: Messages,
  onProgress: (done: number, total: number) => void,
  onStopped: (note: string) => void,
  glossary?: Glossary,
): Promise<string> {
  const selection = await sheet.readSelection();
  if (selection.columnCount !== 1) throw new Error(messages.selectOneColumn);
  const chosen = sameSelection(choice.selection, selection) ? choice : await choiceFor(sheet, selection, choice.overwrite);
  const result = await translateSelectedCells(sheet, {
    selection,
    outputColumn: chosen.outputColumn,
    overwrite: choice.overwrite,
    firstRowIsHeader: chosen.firstRowIsHeader,
    outputHeader: format(messages.translationHeader, { language: targetLanguage }),
    translate: streamedTranslate(api, targetLanguage, glossary),
    signal,
    onProgress: (progress) => onProgress(progress.done, progress.total),
  });
  if (result.stopped) {
    onStopped(describeTranslateRun(messages, result));
    throw new DOMException('Stopped', 'AbortError');
  }
  return describeTranslateRun(messages, result);
}

/** The Excel options of Translate: output column, header row, overwrite; reads the selection when shown. */
export function SheetTranslateOptions({
  sheet,
  value,
  onChange,
  disabled,
}: {
  sheet: SheetAccess;
  value: SheetTranslateChoice;
  /** Takes an update of the current choice, as React's state setter does. */
  onChange: (update: (current: SheetTranslateChoice) => SheetTranslateChoice) => void;
  disabled: boolean;
}) {
  const messages = useMessages();
  const styles = usePanelStyles();
  const [failed, setFailed] = useState(false);

  const refresh = useCallback(async () => {
    try {
      const selection = await sheet.readSelection();
      const fresh = await choiceFor(sheet, selection, false);
      setFailed(false);
      onChange((current) => ({ ...fresh, overwrite: current.overwrite }));
    } catch {
      // The run reads the selection again and reports what is wrong with it.
      setFailed(true);
    }
  }, [sheet, onChange]);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  const { selection, outputColumn, overwrite } = value;
  const lastChoice = selection === undefined ? 0 : Math.max(selection.firstEmptyColumnToTheRight, outputColumn ?? 0, selection.firstColumn + 1) + 2;
  const choices = selection === undefined ? [] : Array.from({ length: lastChoice - selection.firstColumn }, (_, offset) => selection.firstColumn + 1 + offset);

  return (
    <>
      <Text className={styles.hint}>{messages.translateCellsOptionsHint}</Text>
      <Button onClick={() => void refresh()} disabled={disabled}>
        {messages.refreshSelection}
      </Button>
      {selection !== undefined && !failed && (
        <>
          <ChoiceSelect<string>
            label={messages.outputColumn}
            value={String(outputColumn ?? selection.firstColumn + 1)}
            onChange={(column) => onChange((current) => ({ ...current, outputColumn: Number(column), remembered: false }))}
            testId="translate-output-column"
            choices={choices.map((column) => ({ value: String(column), label: format(messages.columnPlain, { column: columnLetters(column) }) }))}
          />
          {value.remembered && outputColumn !== undefined && (
            <Text className={styles.hint} data-testid="translate-output-remembered">
              {format(messages.outputColumnRemembered, { column: columnLetters(outputColumn) })}
            </Text>
          )}
          <Checkbox
            checked={value.firstRowIsHeader}
            onChange={(_event, data) => onChange((current) => ({ ...current, firstRowIsHeader: data.checked === true }))}
            label={messages.firstRowIsHeader}
            data-testid="translate-header"
          />
          {value.headerDetected && value.firstRowIsHeader && (
            <Text className={styles.hint} data-testid="translate-header-detected">
              {messages.headerDetected}
            </Text>
          )}
        </>
      )}
      <Checkbox
        checked={overwrite}
        onChange={(_event, data) => onChange((current) => ({ ...current, overwrite: data.checked === true }))}
        label={messages.overwrite}
      />
    </>
  );
}
