// Excel side of Translate: the selected cells (one column) into an output column the user picks. The
// default is the column a previous run used for these cells (remembered with the workbook), else the one
// right of them, so a stopped run continues in the same column and a re-run sends only what is missing.
// A header row is detected (and can be unticked); the output column then gets "Translation (en)".
import { Button, Checkbox, Text } from '@fluentui/react-components';
import { useCallback, useEffect, useRef, useState } from 'react';
import { columnLetters } from '../../../hosts/a1-address.js';
import type { SheetAccess, SheetSelection } from '../../../hosts/host-adapter.js';
import { detectHeaderRow, suggestedOutputColumn, translateSelectedCells, type TranslateSelectedCellsResult } from '../../../workflows/index.js';
import type { ApiClient } from '../../shared/api/api-client.js';
import { streamedTranslate } from '../../shared/api/streamed-cell-operations.js';
import { glossaryRequestFields, type Glossary } from '../../shared/api/translate-glossary.js';
import { sheetRunTexts, type RunEstimateGate } from '../../shared/ui/run-estimate.js';
import { createJobsClient, jobStartTime } from '../../shared/api/jobs-client.js';
import { JOB_THRESHOLD, keptSheetJob, resumeSheetJob, runsAsJob, startSheetJob, stopSheetJob, type SheetJobRunResult } from '../../../workflows/index.js';
import { formatCount } from '../../shared/i18n/messages.js';
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
  /** Run as a server job even below JOB_THRESHOLD rows, so closing the pane does not stop it. */
  keepRunning?: boolean | undefined;
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
  // The catalogue's formatCount: plural rules, digits of the UI language, and a text's own wording for 0.
  return formatCount(messages, forms, count, values);
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

function describeTranslateJob(messages: Messages, result: SheetJobRunResult, outputColumn: number): string {
  const summary = describeTranslateRun(messages, { ...result, translated: result.answered, outputColumn });
  return result.resent > 0 ? `${summary} ${formatCount(messages, messages.rowsResent, result.resent)}` : summary;
}

/**
 * A translation this workbook keeps as a server job (the pane was closed during it): shown as
 * "continuing the run started at 14:02" and continued when the pane opens, with its own Stop.
 */
function KeptTranslationRun({ sheet, api }: { sheet: SheetAccess; api: ApiClient | undefined }) {
  const messages = useMessages();
  const [note, setNote] = useState<string | undefined>(undefined);
  const [progress, setProgress] = useState<string | undefined>(undefined);
  const [running, setRunning] = useState(false);
  const controller = useRef<AbortController | undefined>(undefined);
  const jobs = useRef(createJobsClient({ getAccessToken: api?.getAccessToken }));

  useEffect(() => {
    const run = new AbortController();
    controller.current = run;
    void (async () => {
      const kept = await keptSheetJob(sheet, 'translate');
      if (kept === undefined || kept.job.operation !== 'translate') return;
      const time = jobStartTime(messages.locale, kept.startedAt);
      setNote(format(messages.jobContinuing, { time }));
      setRunning(true);
      const { targetLanguage, glossary, doNotTranslate } = kept.job.request;
      const result = await resumeSheetJob(sheet, 'translate', {
        jobs: jobs.current,
        // Rows changed since the start are translated afresh; without the client they are marked and done by the next run.
        fallback: api === undefined ? undefined : streamedTranslate(api, targetLanguage, { terms: glossary ?? {}, doNotTranslate: doNotTranslate ?? [] }),
        signal: run.signal,
        onProgress: (current) =>
          setProgress(formatCount(messages, messages.sheetProgress, current.total, { done: new Intl.NumberFormat(messages.locale).format(current.done) })),
      });
      if (result === undefined) setNote(undefined);
      else if ('expired' in result) setNote(format(messages.jobExpired, { time }));
      else if (!result.detached) setNote(describeTranslateJob(messages, result, kept.outputColumn));
    })()
      .catch((error: unknown) => !run.signal.aborted && setNote(error instanceof Error ? error.message : String(error)))
      .finally(() => setRunning(false));
    // Leaving the tab leaves the job running: the next open continues it.
    return () => run.abort();
  }, [sheet, api, messages]);

  const stop = () => {
    void stopSheetJob(sheet, 'translate', jobs.current).catch(() => undefined);
    controller.current?.abort();
    setNote(messages.stopped);
  };

  if (note === undefined) return null;
  return (
    <>
      <Text role="status" data-testid="translate-job">
        {note}
      </Text>
      {running && progress !== undefined && <Text>{progress}</Text>}
      {running && <Button onClick={stop}>{messages.stop}</Button>}
    </>
  );
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
  estimateGate?: RunEstimateGate,
): Promise<string> {
  const selection = await sheet.readSelection();
  if (selection.columnCount !== 1) throw new Error(messages.selectOneColumn);
  const chosen = sameSelection(choice.selection, selection) ? choice : await choiceFor(sheet, selection, choice.overwrite);
  if (estimateGate !== undefined && chosen.outputColumn !== undefined) {
    // Know before you run: the cells that would be sent, estimated by the BFF, confirmed above the threshold.
    const header = chosen.firstRowIsHeader ? 1 : 0;
    const texts = await sheetRunTexts(sheet, {
      startRow: selection.firstRow + header,
      rowCount: selection.rowCount - header,
      inputColumns: [selection.firstColumn],
      outputColumn: chosen.outputColumn,
      overwrite: choice.overwrite,
    });
    const request = { texts, targetLanguage, perItemErrors: true, ...glossaryRequestFields(glossary) };
    if (texts.length > 0 && !(await estimateGate.check({ operation: 'translate', request }, 'rows', signal))) return messages.estimateCancelled;
  }
  if (runsAsJob(selection.rowCount, choice.keepRunning === true)) {
    const outputColumn = chosen.outputColumn ?? (await suggestedOutputColumn(sheet, selection));
    // As a streamed run does: remembered first, so a later run continues in this column.
    await sheet.rememberOutputColumn(selection.firstColumn, outputColumn);
    const jobs = createJobsClient({ getAccessToken: api.getAccessToken });
    const result = await startSheetJob(sheet, 'translate', {
      job: { operation: 'translate', request: { targetLanguage, perItemErrors: true, ...glossaryRequestFields(glossary) } },
      rows: { startRow: selection.firstRow, rowCount: selection.rowCount },
      inputColumns: [selection.firstColumn],
      outputColumn,
      overwrite: choice.overwrite,
      firstRowIsHeader: chosen.firstRowIsHeader,
      outputHeader: format(messages.translationHeader, { language: targetLanguage }),
      jobs,
      fallback: streamedTranslate(api, targetLanguage, glossary),
      signal,
      onProgress: (progress) => onProgress(progress.done, progress.total),
    });
    if (result.detached) {
      // Stop (the panel's only way to end a run while the pane stays open) cancels the job; a closed pane never gets here.
      await stopSheetJob(sheet, 'translate', jobs);
      onStopped(describeTranslateJob(messages, result, outputColumn));
      throw new DOMException('Stopped', 'AbortError');
    }
    return describeTranslateJob(messages, result, outputColumn);
  }
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
  api,
}: {
  sheet: SheetAccess;
  /** The BFF client a continued job run answers changed rows with. */
  api?: ApiClient | undefined;
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
      onChange((current) => ({ ...fresh, overwrite: current.overwrite, keepRunning: current.keepRunning }));
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
      <KeptTranslationRun sheet={sheet} api={api} />
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
      <Checkbox
        checked={value.keepRunning === true}
        onChange={(_event, data) => onChange((current) => ({ ...current, keepRunning: data.checked === true }))}
        label={messages.keepRunningWhenClosed}
        data-testid="translate-keep-running"
      />
      <Text className={styles.hint}>{formatCount(messages, messages.keepRunningHint, JOB_THRESHOLD)}</Text>
    </>
  );
}
