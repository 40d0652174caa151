// Classification: Excel rows in bulk (input columns named by their header, labels typed or from a range,
// an output column, a header row detected and left out, progress, Stop and resume; rows the user changed
// during the run are left alone and counted), or the open Outlook message, tagged with the matching category.
import { Button, Checkbox, Field, Text, Textarea } from '@fluentui/react-components';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { columnLetters } from '../../../hosts/a1-address.js';
import type { MailAccess, SheetAccess, SheetSelection, WorkbookLabels } from '../../../hosts/host-adapter.js';
import type { ApiClient } from '../../shared/api/api-client.js';
import type { FeatureProps } from '../../shared/feature-props.js';
import { useMessages } from '../../shared/i18n/i18n-context.js';
import { format, type Messages, type PluralForms } from '../../shared/i18n/messages.js';
import { labelRangeAddress, repeatedLabel, typedLabels } from '../../shared/labels.js';
import { useSettings } from '../../shared/settings/settings-context.js';
import { ChoiceSelect } from '../../shared/ui/choice-select.js';
import { usePanelStyles } from '../../shared/ui/panel-layout.js';
import { RunButtons } from '../../shared/ui/run-buttons.js';
import { RunStatusView } from '../../shared/ui/run-status.js';
import { useOperationRun } from '../../shared/ui/use-operation-run.js';
import { sheetRunTexts, useRunEstimate } from '../../shared/ui/run-estimate.js';
import { classifySheet, detectHeaderRow, looksLikeHeaderRow, type CellRunProgress, type ClassifySheetResult } from '../../../workflows/index.js';
import { streamedClassify } from '../../shared/api/streamed-cell-operations.js';
import { createJobsClient, jobStartTime, type JobsClient } from '../../shared/api/jobs-client.js';
import { JOB_THRESHOLD, keptSheetJob, resumeSheetJob, runsAsJob, startSheetJob, stopSheetJob, type SheetJobRunResult } from '../../../workflows/index.js';
import { formatCount } from '../../shared/i18n/messages.js';
import { classifySelectedMessages, type ClassifySelectedResult, type SelectedRunProgress } from '../../shared/mail/selected-message-runs.js';
import {
  SelectedClassificationList,
  MailScopeChoice,
  type MailScope,
  SelectionLimits,
  describeSelectedClassification,
  selectedProgressText,
} from '../../shared/mail/selected-messages.js';
import { useRunFollowingMessage, useSelectedMessages } from '../../shared/mail/use-mailbox.js';
import { classifyOpenMessage } from '../../shared/mail/open-message-runs.js';

async function resolveLabels(text: string, sheet: SheetAccess | undefined, messages: Messages): Promise<string[]> {
  const address = labelRangeAddress(text);
  const labels = address !== undefined && sheet !== undefined ? await sheet.readRangeTexts(address) : typedLabels(text);
  if (labels.length === 0) throw new Error(sheet === undefined ? messages.labelsMissingMail : messages.labelsMissing);
  const repeated = repeatedLabel(labels);
  if (repeated !== undefined) throw new Error(format(messages.labelsDuplicate, { label: repeated }));
  return labels;
}

/** `rangeAllowed`: in Excel a label list may be a range of the workbook; elsewhere there is none to name. */
function LabelsField({
  value,
  onChange,
  rangeAllowed,
  source,
}: {
  value: string;
  onChange: (value: string) => void;
  rangeAllowed: boolean;
  /** Where pre-filled labels came from, said under the box until the user edits them. */
  source?: WorkbookLabels['source'] | undefined;
}) {
  const messages = useMessages();
  const from =
    source === undefined
      ? undefined
      : { remembered: messages.labelsRemembered, 'named-range': messages.labelsFromNamedRange, sheet: messages.labelsFromSheet }[source];
  const hint = rangeAllowed ? messages.labelsHint : messages.labelsHintMail;
  return (
    <Field label={messages.labels} hint={from === undefined ? hint : `${from} ${hint}`}>
      <Textarea value={value} onChange={(_event, data) => onChange(data.value)} rows={5} resize="vertical" data-testid="classify-labels" />
    </Field>
  );
}

/** A counted sentence in the form the UI language's plural rules choose, the count written as that language writes numbers. */
function countText(messages: Messages, forms: PluralForms, count: number, values: Record<string, string | number> = {}): string {
  // The catalogue's formatCount: plural rules, digits of the UI language, and a text's own wording for 0.
  return formatCount(messages, forms, count, values);
}

/** What a finished or stopped run did, one sentence per fact; the counts add up to the rows of the run. */
function describeClassifyRun(messages: Messages, result: ClassifySheetResult): string {
  const filled = result.skipped - result.empty;
  const sentences: string[] = [];
  if (result.stopped) {
    sentences.push(result.classified > 0 ? countText(messages, messages.rowsStoppedKept, result.classified) : messages.rowsStoppedNone);
  } else if (result.classified > 0 || filled + result.empty + result.failed + result.changed === 0) {
    sentences.push(countText(messages, messages.rowsClassified, result.classified));
  }
  if (!result.stopped && filled > 0) sentences.push(countText(messages, messages.rowsSkippedFilled, filled));
  if (!result.stopped && result.empty > 0) sentences.push(countText(messages, messages.rowsEmpty, result.empty));
  if (result.failed > 0) sentences.push(countText(messages, messages.rowsFailed, result.failed));
  if (result.changed > 0) sentences.push(countText(messages, messages.rowsChanged, result.changed));
  return sentences.join(' ');
}

/** Rows under a header above the selection compared with it, as the header detection does. */
const rowsBelowHeaderToCompare = 20;

/** "Tickets!B2:B21" → "B2:B21": the sheet is named once, in its own words. */
const rangeOnly = (address: string): string => address.slice(address.lastIndexOf('!') + 1);

function SheetClassification({ sheet, api, jobs }: { sheet: SheetAccess; api: ApiClient; jobs: JobsClient }) {
  const messages = useMessages();
  const styles = usePanelStyles();
  const { settings, updateSettings } = useSettings();
  const operation = useOperationRun();
  const estimateGate = useRunEstimate(api);
  const { fail } = operation;
  const [selection, setSelection] = useState<SheetSelection | undefined>(undefined);
  const [inputColumns, setInputColumns] = useState<number[]>([]);
  const [outputColumn, setOutputColumn] = useState<number>(0);
  const [overwrite, setOverwrite] = useState(false);
  const [firstRowIsHeader, setFirstRowIsHeader] = useState(false);
  const [headerDetected, setHeaderDetected] = useState(false);
  const [progress, setProgress] = useState<CellRunProgress | undefined>(undefined);
  const [stoppedNote, setStoppedNote] = useState<string | undefined>(undefined);
  // Big runs (or on request) go as a server job kept with the workbook: closing the pane does not stop them, Stop cancels them.
  const [keepRunning, setKeepRunning] = useState(false);
  const [jobNote, setJobNote] = useState<string | undefined>(undefined);
  const jobRunning = useRef(false);
  const stopRequested = useRef(false);
  // The labels start as the workbook's (last used with it, or its "Labels" range or sheet), else the user's last.
  const [labelText, setLabelText] = useState(settings.labels);
  const [labelSource, setLabelSource] = useState<WorkbookLabels['source'] | undefined>(undefined);
  const labelsEdited = useRef(false);
  /** The header row just above a selection that starts below it, to name the columns by. */
  const [headerAbove, setHeaderAbove] = useState<string[] | undefined>(undefined);

  useEffect(() => {
    void sheet
      .suggestLabels()
      .then((suggested) => {
        // What the user typed meanwhile stays.
        if (suggested === undefined || labelsEdited.current) return;
        setLabelText(suggested.labels.join('\n'));
        setLabelSource(suggested.source);
      })
      .catch(() => undefined);
  }, [sheet]);

  const changeLabels = (labels: string) => {
    labelsEdited.current = true;
    setLabelText(labels);
    setLabelSource(undefined);
    updateSettings({ labels });
  };

  const readSelection = useCallback(async () => {
    try {
      const current = await sheet.readSelection();
      const header = await detectHeaderRow(sheet, current);
      let above: string[] | undefined;
      if (!header && current.firstRow > 0) {
        const columns = Array.from({ length: current.columnCount }, (_, offset) => current.firstColumn + offset);
        const rows = await sheet.readRows(current.firstRow - 1, Math.min(current.rowCount, rowsBelowHeaderToCompare) + 1, columns);
        above = looksLikeHeaderRow(rows) ? rows[0] : undefined;
      }
      setHeaderAbove(above);
      setSelection(current);
      setInputColumns(Array.from({ length: current.columnCount }, (_, offset) => current.firstColumn + offset));
      setOutputColumn(current.firstEmptyColumnToTheRight);
      setFirstRowIsHeader(header);
      setHeaderDetected(header);
      return current;
    } catch (error) {
      fail(error);
      return undefined;
    }
  }, [sheet, fail]);

  useEffect(() => {
    void readSelection();
  }, [readSelection]);

  /** A job run's summary; the pane's part ended (closed, or Stop) while the job was running: Stop cancels it, closing leaves it running. */
  const finishJob = async (result: SheetJobRunResult): Promise<string> => {
    const summary = describeClassifyRun(messages, { ...result, classified: result.answered });
    if (result.detached) {
      // Stop may have come before the job was kept: cancel it now, so it works for nobody.
      if (stopRequested.current) await stopSheetJob(sheet, 'classify', jobs);
      setStoppedNote(stopRequested.current ? summary : messages.jobDetached);
      throw new DOMException('Stopped', 'AbortError');
    }
    setJobNote(undefined);
    return result.resent > 0 ? `${summary} ${formatCount(messages, messages.rowsResent, result.resent)}` : summary;
  };
  const asJob = async (task: () => Promise<string | undefined>): Promise<string | undefined> => {
    jobRunning.current = true;
    stopRequested.current = false;
    try {
      return await task();
    } finally {
      jobRunning.current = false;
    }
  };
  const stopRun = () => {
    if (jobRunning.current) {
      stopRequested.current = true;
      void stopSheetJob(sheet, 'classify', jobs).catch(fail);
    }
    operation.stop();
  };

  // A run this workbook keeps (the pane was closed during it) continues when the pane opens: what finished is written.
  const { run } = operation;
  const resumeChecked = useRef(false);
  useEffect(() => {
    if (resumeChecked.current) return;
    resumeChecked.current = true;
    void keptSheetJob(sheet, 'classify')
      .then((kept) => {
        if (kept === undefined) return;
        const time = jobStartTime(messages.locale, kept.startedAt);
        setJobNote(format(messages.jobContinuing, { time }));
        const labels = kept.job.operation === 'classify' ? kept.job.request.labels : [];
        return run((signal) =>
          asJob(async () => {
            const result = await resumeSheetJob(sheet, 'classify', { jobs, fallback: streamedClassify(api, labels), signal, onProgress: setProgress });
            if (result !== undefined && 'expired' in result) setJobNote(format(messages.jobExpired, { time }));
            return result === undefined || 'expired' in result ? undefined : finishJob(result);
          }),
        );
      })
      .catch(fail);
  });

  const classify = () =>
    operation.run(async (signal) => {
      setStoppedNote(undefined);
      setJobNote(undefined);
      if (selection === undefined) return undefined;
      if (inputColumns.length === 0) throw new Error(messages.noInputColumn);
      const labels = await resolveLabels(labelText, sheet, messages);
      // The next pane on this workbook starts with these labels, as the user gave them (lines or a range).
      await sheet.rememberLabels(typedLabels(labelText)).catch(() => undefined);
      // Know before you run: the BFF's estimate of these rows, confirmed above the threshold.
      const header = firstRowIsHeader ? 1 : 0;
      const items = await sheetRunTexts(sheet, {
        startRow: selection.firstRow + header,
        rowCount: selection.rowCount - header,
        inputColumns,
        outputColumn,
        overwrite,
      });
      if (items.length > 0 && !(await estimateGate.check({ operation: 'classify', request: { items, labels } }, 'rows', signal))) {
        return signal.aborted ? undefined : messages.estimateCancelled;
      }
      if (runsAsJob(selection.rowCount, keepRunning)) {
        setJobNote(messages.jobRunning);
        return asJob(async () =>
          finishJob(
            await startSheetJob(sheet, 'classify', {
              job: { operation: 'classify', request: { labels } },
              rows: { startRow: selection.firstRow, rowCount: selection.rowCount },
              inputColumns,
              outputColumn,
              overwrite,
              firstRowIsHeader,
              outputHeader: messages.labelHeader,
              jobs,
              fallback: streamedClassify(api, labels),
              signal,
              onProgress: setProgress,
            }),
          ),
        );
      }
      const result = await classifySheet(sheet, {
        rows: { startRow: selection.firstRow, rowCount: selection.rowCount },
        inputColumns,
        outputColumn,
        overwrite,
        firstRowIsHeader,
        outputHeader: messages.labelHeader,
        signal,
        classify: streamedClassify(api, labels),
        onProgress: setProgress,
      });
      if (result.stopped) {
        setStoppedNote(describeClassifyRun(messages, result));
        throw new DOMException('Stopped', 'AbortError');
      }
      return describeClassifyRun(messages, result);
    });

  const lastSelectedColumn = selection === undefined ? 0 : selection.firstColumn + selection.columnCount - 1;
  const outputChoices =
    selection === undefined
      ? []
      : Array.from({ length: selection.firstEmptyColumnToTheRight - lastSelectedColumn + 3 }, (_, offset) => lastSelectedColumn + 1 + offset);
  const columnName = (column: number, offset: number): string => {
    const header = ((firstRowIsHeader ? selection?.firstRowTexts[offset] : headerAbove?.[offset]) ?? '').trim().slice(0, 40);
    return header !== ''
      ? format(messages.columnWithHeader, { column: columnLetters(column), header })
      : format(messages.columnPlain, { column: columnLetters(column) });
  };

  return (
    <div className={styles.panel}>
      <Field label={messages.selection}>
        <Text data-testid="classify-selection">
          {selection === undefined
            ? messages.loading
            : countText(messages, messages.sheetSelection, selection.rowCount, { range: rangeOnly(selection.address), sheet: selection.sheetName })}
        </Text>
      </Field>
      <Button onClick={() => void readSelection()} disabled={operation.running}>
        {messages.refreshSelection}
      </Button>
      {selection !== undefined && (
        <>
          <Checkbox
            checked={firstRowIsHeader}
            onChange={(_event, data) => setFirstRowIsHeader(data.checked === true)}
            label={messages.firstRowIsHeader}
            data-testid="classify-header"
          />
          {headerDetected && firstRowIsHeader && (
            <Text className={styles.hint} data-testid="classify-header-detected">
              {messages.headerDetected}
            </Text>
          )}
          <fieldset style={{ border: 'none', margin: 0, padding: 0 }}>
            <legend>{messages.inputColumns}</legend>
            {Array.from({ length: selection.columnCount }, (_, offset) => selection.firstColumn + offset).map((column, offset) => (
              <Checkbox
                key={column}
                checked={inputColumns.includes(column)}
                onChange={(_event, data) =>
                  setInputColumns((current) =>
                    data.checked === true ? [...current, column].sort((a, b) => a - b) : current.filter((candidate) => candidate !== column),
                  )
                }
                label={columnName(column, offset)}
              />
            ))}
          </fieldset>
        </>
      )}
      <LabelsField value={labelText} onChange={changeLabels} rangeAllowed={true} source={labelSource} />
      {selection !== undefined && (
        <ChoiceSelect<string>
          label={messages.outputColumn}
          value={String(outputColumn)}
          onChange={(value) => setOutputColumn(Number(value))}
          testId="classify-output-column"
          choices={outputChoices.map((column) => ({ value: String(column), label: columnLetters(column) }))}
        />
      )}
      <Checkbox checked={overwrite} onChange={(_event, data) => setOverwrite(data.checked === true)} label={messages.overwrite} />
      <Checkbox
        checked={keepRunning}
        onChange={(_event, data) => setKeepRunning(data.checked === true)}
        label={messages.keepRunningWhenClosed}
        data-testid="classify-keep-running"
      />
      <Text className={styles.hint}>{formatCount(messages, messages.keepRunningHint, JOB_THRESHOLD)}</Text>
      {jobNote !== undefined && (
        <Text role="status" data-testid="classify-job">
          {jobNote}
        </Text>
      )}
      {estimateGate.view}
      <RunButtons
        label={messages.classifyButton}
        running={operation.running}
        onRun={() => void classify()}
        onStop={stopRun}
        disabled={selection === undefined}
      />
      <RunStatusView
        status={operation.status}
        stoppedNote={stoppedNote}
        progress={
          progress === undefined
            ? undefined
            : {
                done: progress.done,
                total: progress.total,
                text: countText(messages, messages.sheetProgress, progress.total, { done: new Intl.NumberFormat(messages.locale).format(progress.done) }),
              }
        }
      />
      {operation.running && progress !== undefined && progress.failed > 0 && (
        <Text role="status" data-testid="classify-failed">
          {countText(messages, messages.rowsFailed, progress.failed)}
        </Text>
      )}
    </div>
  );
}

function MailClassification({ mail, api }: { mail: MailAccess; api: ApiClient }) {
  const messages = useMessages();
  const styles = usePanelStyles();
  const { settings, updateSettings } = useSettings();
  const operation = useOperationRun();
  // A pinned pane follows the mailbox: a run for a message the user left stops, and its category is never
  // applied to the message open now (the adapter refuses a target that is not open any more).
  const { current, leftMessage, clearLeftMessage } = useRunFollowingMessage(mail, operation.stop);
  const selection = useSelectedMessages(mail.selection);
  const [scope, setScope] = useState<MailScope>('open');
  const [selectedProgress, setSelectedProgress] = useState<SelectedRunProgress | undefined>(undefined);
  const [selectedResult, setSelectedResult] = useState<ClassifySelectedResult | undefined>(undefined);
  const several = mail.selection !== undefined && selection.messages.length > 1;
  const useSelected = several && scope === 'selected';

  // The mailbox's own categories are the natural labels until the user types others.
  useEffect(() => {
    if (settings.labels.trim() !== '') return;
    void mail
      .listCategories()
      .then((categories) => {
        if (categories.length > 0) updateSettings({ labels: categories.join('\n') });
      })
      .catch(() => undefined);
  }, [mail, settings.labels, updateSettings]);

  const classify = () =>
    operation.run(async (signal) => {
      clearLeftMessage();
      const labels = await resolveLabels(settings.labels, undefined, messages);
      const { label, applied } = await classifyOpenMessage({ mail, api, signal, labels, expectedMessageId: current.messageId });
      return format(applied ? messages.categoryApplied : messages.categoryMissing, { label });
    });

  const classifySelected = () =>
    operation.run(async (signal) => {
      clearLeftMessage();
      const access = mail.selection;
      if (access === undefined) return undefined;
      const labels = await resolveLabels(settings.labels, undefined, messages);
      setSelectedResult(undefined);
      try {
        const result = await classifySelectedMessages({
          selection: access,
          api,
          labels,
          selected: selection.messages,
          signal,
          onProgress: setSelectedProgress,
        });
        setSelectedResult(result);
        return describeSelectedClassification(messages, result);
      } finally {
        setSelectedProgress(undefined);
      }
    });

  return (
    <div className={styles.panel}>
      <Text className={styles.hint}>{messages.classifyMessageHint}</Text>
      <SelectionLimits mail={mail} />
      {several && <MailScopeChoice scope={scope} onChange={setScope} selected={selection.messages} testId="classify-mail-scope" />}
      <LabelsField value={settings.labels} onChange={(labels) => updateSettings({ labels })} rangeAllowed={false} />
      <RunButtons
        label={useSelected ? messages.selectedClassifyButton : messages.classifyMessageButton}
        running={operation.running}
        onRun={() => void (useSelected ? classifySelected() : classify())}
        onStop={operation.stop}
      />
      <RunStatusView
        status={operation.status}
        stoppedNote={leftMessage && !useSelected ? messages.messageLeftStopped : undefined}
        progress={
          selectedProgress === undefined
            ? undefined
            : { done: selectedProgress.done, total: selectedProgress.total, text: selectedProgressText(messages, selectedProgress) }
        }
      />
      {useSelected && selectedResult !== undefined && <SelectedClassificationList result={selectedResult} />}
    </div>
  );
}

/** `jobs`: a jobs client to use; by default the API client's (with its sign-in), else one of the same origin without sign-in. */
export default function ClassifyPanel({ adapter, api, jobs }: FeatureProps & { jobs?: JobsClient | undefined }) {
  const jobsClient = useMemo(() => jobs ?? createJobsClient({ getAccessToken: api.getAccessToken }), [jobs, api]);
  if (adapter.sheet !== undefined) return <SheetClassification sheet={adapter.sheet} api={api} jobs={jobsClient} />;
  if (adapter.mail !== undefined) return <MailClassification mail={adapter.mail} api={api} />;
  return null;
}
