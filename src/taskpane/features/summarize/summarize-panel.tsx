// Summaries of a Word selection or document, an Outlook message with its quoted thread, or an Outlook
// draft. The summary streams into the pane, then goes where the user chose.
import { Text } from '@fluentui/react-components';
import { useState } from 'react';
import type { InsertLocation } from '../../../hosts/host-adapter.js';
import type { FeatureProps } from '../../shared/feature-props.js';
import { useMessages } from '../../shared/i18n/i18n-context.js';
import { mailAsText } from '../../shared/mail-text.js';
import type { SummaryFormat, SummaryKind, SummaryLength } from '../../../contract/options.js';
import type { SummaryDestination } from '../../shared/settings/settings.js';
import { useSettings } from '../../shared/settings/settings-context.js';
import { ChoiceSelect } from '../../shared/ui/choice-select.js';
import { usePanelStyles } from '../../shared/ui/panel-layout.js';
import { ResultText } from '../../shared/ui/result-text.js';
import { RunButtons } from '../../shared/ui/run-buttons.js';
import { ScopeSelect, type DocumentScope } from '../../shared/ui/scope-select.js';
import { RunStatusView } from '../../shared/ui/run-status.js';
import { useOperationRun } from '../../shared/ui/use-operation-run.js';

export default function SummarizePanel({ adapter, api }: FeatureProps) {
  const messages = useMessages();
  const styles = usePanelStyles();
  const { settings, updateSettings } = useSettings();
  const operation = useOperationRun();
  const [scope, setScope] = useState<DocumentScope>('selection');
  const [summary, setSummary] = useState('');
  const mail = adapter.mail;
  const text = adapter.text;
  const readMode = text === undefined && mail?.mode === 'read';
  const destinations: SummaryDestination[] = text !== undefined ? ['cursor', 'start', 'end', 'copy'] : readMode ? ['copy'] : ['cursor', 'copy'];
  const destination = destinations.includes(settings.summaryDestination) ? settings.summaryDestination : (destinations[0] ?? 'copy');

  const readInput = async (): Promise<{ input: string; kind: SummaryKind }> => {
    if (text !== undefined) {
      const blocks = await text.readParagraphs(scope);
      return {
        input: blocks
          .map((block) => block.text)
          .join('\n')
          .trim(),
        kind: scope === 'document' ? 'document' : 'text',
      };
    }
    if (mail === undefined) return { input: '', kind: 'text' };
    if (mail.mode === 'read') return { input: mailAsText(await mail.readMessage()), kind: 'email' };
    const selected = await mail.readSelectedText();
    return { input: selected.trim() !== '' ? selected : (await mail.readMessage()).body, kind: 'text' };
  };

  const summarize = () =>
    operation.run(async (signal) => {
      setSummary('');
      const { input, kind } = await readInput();
      if (input.trim() === '') throw new Error(text === undefined ? messages.nothingToUseInMessage : messages.nothingToUse);
      const response = await api.run(
        'summarize',
        { text: input, kind, length: settings.summaryLength, format: settings.summaryFormat },
        { signal, onTextDelta: (text) => setSummary((current) => current + text) },
      );
      setSummary(response.summary);
      if (destination === 'copy') return messages.done;
      if (text !== undefined) {
        await text.insertText(response.summary, destination as InsertLocation);
        return messages.summaryInserted;
      }
      if (mail === undefined) return messages.done;
      // A draft is a message, not a document: say where the summary went in it.
      return (await mail.insertText(response.summary)) === 'replaced-selection' ? messages.summaryReplacedSelection : messages.summaryInsertedInMessage;
    });

  return (
    <div className={styles.panel}>
      {readMode && <Text className={styles.hint}>{messages.summarizeMessageHint}</Text>}
      {text === undefined && mail?.mode === 'compose' && <Text className={styles.hint}>{messages.composeOnlyHint}</Text>}
      {text !== undefined && <ScopeSelect value={scope} onChange={setScope} testId="summarize-scope" />}
      <ChoiceSelect<SummaryLength>
        label={messages.length}
        value={settings.summaryLength}
        onChange={(summaryLength) => updateSettings({ summaryLength })}
        choices={[
          { value: 'short', label: messages.lengthShort },
          { value: 'medium', label: messages.lengthMedium },
          { value: 'long', label: messages.lengthLong },
        ]}
      />
      <ChoiceSelect<SummaryFormat>
        label={messages.format}
        value={settings.summaryFormat}
        onChange={(summaryFormat) => updateSettings({ summaryFormat })}
        choices={[
          { value: 'paragraph', label: messages.formatParagraph },
          { value: 'bullets', label: messages.formatBullets },
        ]}
      />
      {!readMode && (
        <ChoiceSelect<SummaryDestination>
          label={messages.destination}
          value={destination}
          onChange={(summaryDestination) => updateSettings({ summaryDestination })}
          testId="summarize-destination"
          choices={destinations.map((value) => ({
            value,
            label: {
              cursor: messages.destinationCursor,
              start: messages.destinationStart,
              end: messages.destinationEnd,
              copy: messages.destinationCopy,
            }[value],
          }))}
        />
      )}
      <RunButtons label={messages.summarizeButton} running={operation.running} onRun={() => void summarize()} onStop={operation.stop} />
      <RunStatusView status={operation.status} stoppedNote={messages.stoppedShownBelow} />
      <ResultText text={summary} busy={operation.running} />
    </div>
  );
}
