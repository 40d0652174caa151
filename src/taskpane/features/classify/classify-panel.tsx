// Classification: Excel rows in bulk (input columns named by their header, labels typed or from a range,
// an output column, a header row detected and left out, progress, Stop and resume; rows the user changed
// during the run are left alone and counted), or the open Outlook message, tagged with the matching category.
import { Button, Checkbox, Field, Text, Textarea } from '@fluentui/react-components';
import { useCallback, useEffect, useState } from 'react';
import { columnLetters } from '../../../hosts/a1-address.js';
import type { MailAccess, SheetAccess, SheetSelection } from '../../../hosts/host-adapter.js';
import type { ApiClient } from '../../shared/api/api-client.js';
import type { FeatureProps } from '../../shared/feature-props.js';
import { useMessages } from '../../shared/i18n/i18n-context.js';
import { format, type Messages, type PluralForms } from '../../shared/i18n/messages.js';
import { labelRangeAddress, repeatedLabel, typedLabels } from '../../shared/labels.js';
import { mailAsText } from '../../shared/mail-text.js';
import { useSettings } from '../../shared/settings/settings-context.js';
import { ChoiceSelect } from '../../shared/ui/choice-select.js';
import { usePanelStyles } from '../../shared/ui/panel-layout.js';
import { RunButtons } from '../../shared/ui/run-buttons.js';
import { RunStatusView } from '../../shared/ui/run-status.js';
import { useOperationRun } from '../../shared/ui/use-operation-run.js';
import { classifySheet, detectHeaderRow, type CellRunProgress, type ClassifySheetResult } from '../../../workflows/index.js';
import { streamedClassify } from '../../shared/api/streamed-cell-operations.js';

async function resolveLabels(text: string, sheet: SheetAccess | undefined, messages: Messages): Promise<string[]> {
  const address = labelRangeAddress(text);
  const labels = address !== undefined && sheet !== undefined ? await sheet.readRangeTexts(address) : typedLabels(text);
  if (labels.length === 0) throw new Error(sheet === undefined ? messages.labelsMissingMail : messages.labelsMissing);
  const repeated = repeatedLabel(labels);
  if (repeated !== undefined) throw new Error(format(messages.labelsDuplicate, { label: repeated }));
  return labels;
}

/** `rangeAllowed`: in Excel a label list may be a range of the workbook; elsewhere there is none to name. */
function LabelsField({ value, onChange, rangeAllowed }: { value: string; onChange: (value: string) => void; rangeAllowed: boolean }) {
  const messages = useMessages();
  return (
    <Field label={messages.labels} hint={rangeAllowed ? messages.labelsHint : messages.labelsHintMail}>
      <Textarea value={value} onChange={(_event, data) => onChange(data.value)} rows={5} resize="vertical" data-testid="classify-labels" />
    </Field>
  );
}

/** A counted sentence in the form the UI language's plural rules choose, the count written as that language writes numbers. */
function countText(messages: Messages, forms: PluralForms, count: number, values: Record<string, string | number> = {}): string {
  const category = new Intl.PluralRules(messages.locale).select(count);
  return format(forms[category] ?? forms.other, { ...values, count: new Intl.NumberFormat(messages.locale).format(count) });
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

/** "Tickets!B2:B21" → "B2:B21": the sheet is named once, in its own words. */
const rangeOnly = (address: string): string => address.slice(address.lastIndexOf('!') + 1);

function SheetClassification({ sheet, api }: { sheet: SheetAccess; api: ApiClient }) {
  const messages = useMessages();
  const styles = usePanelStyles();
  const { settings, updateSettings } = useSettings();
  const operation = useOperationRun();
  const { fail } = operation;
  const [selection, setSelection] = useState<SheetSelection | undefined>(undefined);
  const [inputColumns, setInputColumns] = useState<number[]>([]);
  const [outputColumn, setOutputColumn] = useState<number>(0);
  const [overwrite, setOverwrite] = useState(false);
  const [firstRowIsHeader, setFirstRowIsHeader] = useState(false);
  const [headerDetected, setHeaderDetected] = useState(false);
  const [progress, setProgress] = useState<CellRunProgress | undefined>(undefined);
  const [stoppedNote, setStoppedNote] = useState<string | undefined>(undefined);

  const readSelection = useCallback(async () => {
    try {
      const current = await sheet.readSelection();
      const header = await detectHeaderRow(sheet, current);
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

  const classify = () =>
    operation.run(async (signal) => {
      setStoppedNote(undefined);
      if (selection === undefined) return undefined;
      if (inputColumns.length === 0) throw new Error(messages.noInputColumn);
      const labels = await resolveLabels(settings.labels, sheet, messages);
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
    const header = (selection?.firstRowTexts[offset] ?? '').trim().slice(0, 40);
    return firstRowIsHeader && header !== ''
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
      <LabelsField value={settings.labels} onChange={(labels) => updateSettings({ labels })} rangeAllowed={true} />
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
      <RunButtons
        label={messages.classifyButton}
        running={operation.running}
        onRun={() => void classify()}
        onStop={operation.stop}
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
      const labels = await resolveLabels(settings.labels, undefined, messages);
      const response = await api.run('classify', { items: [mailAsText(await mail.readMessage())], labels }, { signal });
      const result = response.results[0];
      if (result === undefined || result.label === null) throw new Error(result?.error?.message ?? messages.fixHint);
      const applied = await mail.applyCategory(result.label);
      return format(applied ? messages.categoryApplied : messages.categoryMissing, { label: result.label });
    });

  return (
    <div className={styles.panel}>
      <Text className={styles.hint}>{messages.classifyMessageHint}</Text>
      <LabelsField value={settings.labels} onChange={(labels) => updateSettings({ labels })} rangeAllowed={false} />
      <RunButtons label={messages.classifyMessageButton} running={operation.running} onRun={() => void classify()} onStop={operation.stop} />
      <RunStatusView status={operation.status} />
    </div>
  );
}

export default function ClassifyPanel({ adapter, api }: FeatureProps) {
  if (adapter.sheet !== undefined) return <SheetClassification sheet={adapter.sheet} api={api} />;
  if (adapter.mail !== undefined) return <MailClassification mail={adapter.mail} api={api} />;
  return null;
}
