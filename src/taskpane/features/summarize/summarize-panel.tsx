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
import type { MailAccess } from '../../../hosts/host-adapter.js';
import type { ApiClient } from '../../shared/api/api-client.js';
import { format, formatCount } from '../../shared/i18n/messages.js';
import { AttachmentPicker, AttachmentProblems, useAttachmentChoice } from '../../shared/mail/attachment-picker.js';
import type { AttachmentProblem } from '../../shared/mail/mail-attachments.js';
import { summarizeOpenMessage } from '../../shared/mail/open-message-runs.js';
import { digestSelectedMessages, type DigestSelectedResult, type SelectedRunProgress } from '../../shared/mail/selected-message-runs.js';
import { DigestView, MailScopeChoice, SelectionLimits, selectedProgressText, type MailScope } from '../../shared/mail/selected-messages.js';
import { usePerMessage, useRunFollowingMessage, useSelectedMessages } from '../../shared/mail/use-mailbox.js';

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

  if (readMode && mail !== undefined) return <MailReadSummary mail={mail} api={api} />;

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
      <SummaryShapeSelects />
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

// ---------------------------------------------------------------- Outlook read mode

interface MailSummary {
  summary: string;
  problems: AttachmentProblem[];
  truncated: string[];
}
const noMailSummary: MailSummary = { summary: '', problems: [], truncated: [] };

/**
 * The open message with the attachments the user ticks, or a digest of the selected messages. The pane
 * follows the mailbox: each message keeps its own summary, and a run for a message the user left stops.
 */
function MailReadSummary({ mail, api }: { mail: MailAccess; api: ApiClient }) {
  const messages = useMessages();
  const styles = usePanelStyles();
  const { settings } = useSettings();
  const operation = useOperationRun();
  const { current, leftMessage, clearLeftMessage } = useRunFollowingMessage(mail, operation.stop);
  const summaries = usePerMessage<MailSummary>(current.key, noMailSummary);
  const attachments = useAttachmentChoice(mail.attachments, current.key);
  const selection = useSelectedMessages(mail.selection);
  const [scope, setScope] = useState<MailScope>('open');
  const [digest, setDigest] = useState<DigestSelectedResult | undefined>(undefined);
  const [digestText, setDigestText] = useState('');
  const [progress, setProgress] = useState<SelectedRunProgress | undefined>(undefined);
  const several = mail.selection !== undefined && selection.messages.length > 1;
  const useSelected = several && scope === 'selected';

  const summarizeMessage = () =>
    operation.run(async (signal) => {
      clearLeftMessage();
      const key = current.key;
      const update = (change: (value: MailSummary) => MailSummary) => summaries.update(key, change);
      update(() => noMailSummary);
      const { summary, extracted } = await summarizeOpenMessage({
        mail,
        api,
        signal,
        expectedMessageId: current.messageId,
        attachments: attachments.chosenAttachments,
        length: settings.summaryLength,
        format: settings.summaryFormat,
        emptyMessage: messages.nothingToUseInMessage,
        onAttachments: ({ problems, truncated }) => update((value) => ({ ...value, problems, truncated })),
        onTextDelta: (delta) => update((value) => ({ ...value, summary: value.summary + delta })),
      });
      update((value) => ({ ...value, summary }));
      return formatCount(messages, messages.attachmentsUsed, extracted.texts.length);
    });

  const summarizeSelected = () =>
    operation.run(async (signal) => {
      clearLeftMessage();
      const access = mail.selection;
      if (access === undefined) return undefined;
      setDigest(undefined);
      setDigestText('');
      setProgress(undefined);
      try {
        const result = await digestSelectedMessages({
          selection: access,
          api,
          selected: selection.messages,
          signal,
          length: settings.summaryLength,
          format: settings.summaryFormat,
          onProgress: setProgress,
          onTextDelta: (delta) => setDigestText((text) => text + delta),
        });
        setDigest(result);
        setDigestText(result.response.summary);
        return result.messagesRead ? messages.done : messages.selectedUnreadable;
      } finally {
        setProgress(undefined);
      }
    });

  const { summary, problems, truncated } = summaries.value;
  return (
    <div className={styles.panel}>
      <Text className={styles.hint}>{messages.summarizeMessageHint}</Text>
      <SelectionLimits mail={mail} />
      {several && <MailScopeChoice scope={scope} onChange={setScope} selected={selection.messages} testId="summarize-mail-scope" />}
      {!useSelected && <AttachmentPicker access={mail.attachments} choice={attachments.choice} onToggle={attachments.toggle} disabled={operation.running} />}
      <SummaryShapeSelects />
      <RunButtons
        label={useSelected ? messages.selectedDigestButton : messages.summarizeButton}
        running={operation.running}
        onRun={() => void (useSelected ? summarizeSelected() : summarizeMessage())}
        onStop={operation.stop}
      />
      <RunStatusView
        status={operation.status}
        stoppedNote={leftMessage ? messages.messageLeftStopped : messages.stoppedShownBelow}
        progress={progress === undefined ? undefined : { done: progress.done, total: progress.total, text: selectedProgressText(messages, progress) }}
      />
      {useSelected ? (
        digest?.response.digest !== undefined ? (
          <DigestView digest={digest.response.digest} subjects={digest.subjects} />
        ) : (
          <ResultText text={digestText} busy={operation.running} />
        )
      ) : (
        <>
          <AttachmentProblems problems={problems} task="summary" />
          {truncated.length > 0 && <Text className={styles.hint}>{format(messages.attachmentsTruncated, { names: truncated.join(', ') })}</Text>}
          <ResultText text={summary} busy={operation.running} />
        </>
      )}
    </div>
  );
}

/** The summary's length and format, kept in the user's settings: the same two choices for documents and mail. */
function SummaryShapeSelects() {
  const messages = useMessages();
  const { settings, updateSettings } = useSettings();
  return (
    <>
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
    </>
  );
}
