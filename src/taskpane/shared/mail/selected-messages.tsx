// The messages selected together (multi-select), the digest of them and their labels, for the
// Summarize and Classify panes. Where Outlook lacks multi-select (Mailbox 1.13) or cannot open the
// selected messages (Mailbox 1.15), one plain sentence says so.
import { Text } from '@fluentui/react-components';
import type { Digest } from '../../../contract/mail-parts.js';
import type { MailAccess, SelectedMailMessage } from '../../../hosts/host-adapter.js';
import { useMessages } from '../i18n/i18n-context.js';
import { formatCount, type Messages } from '../i18n/messages.js';
import { ChoiceSelect } from '../ui/choice-select.js';
import { usePanelStyles } from '../ui/panel-layout.js';
import type { ClassifySelectedResult, SelectedRunProgress } from './selected-message-runs.js';

export function SelectedMessagesList({ selected }: { selected: readonly SelectedMailMessage[] }) {
  const messages = useMessages();
  return (
    <details data-testid="selected-messages">
      <summary>{formatCount(messages, messages.selectedMessagesTitle, selected.length)}</summary>
      <ul style={{ margin: 0 }}>
        {selected.map((message) => (
          <li key={message.id}>{message.subject}</li>
        ))}
      </ul>
    </details>
  );
}

/** A sentence for each multi-select ability this Outlook lacks, or nothing. */
export function SelectionLimits({ mail }: { mail: MailAccess }) {
  const messages = useMessages();
  const styles = usePanelStyles();
  const sentence =
    mail.mode !== 'read'
      ? undefined
      : mail.selection === undefined
        ? mail.missingFeatures?.some((missing) => missing.feature === 'multi-select') === true
          ? messages.multiSelectUnavailable
          : undefined
        : mail.selection.canReadMessages
          ? undefined
          : messages.selectedUnreadable;
  if (sentence === undefined) return null;
  return (
    <Text className={styles.hint} data-testid="selection-limits">
      {sentence}
    </Text>
  );
}

export function selectedProgressText(messages: Messages, progress: SelectedRunProgress): string {
  const forms = { reading: messages.selectedReading, classifying: messages.selectedClassifying, applying: messages.selectedApplying }[progress.phase];
  return formatCount(messages, forms, progress.total, { done: new Intl.NumberFormat(messages.locale).format(progress.done) });
}

/** One sentence per fact of a classification of the selected messages; the counts add up to the selection. */
export function describeSelectedClassification(messages: Messages, result: ClassifySelectedResult): string {
  const count = (outcome: string) => result.results.filter((entry) => entry.category === outcome).length;
  const labelled = result.results.filter((entry) => entry.label !== null).length;
  const sentences = [formatCount(messages, messages.selectedClassified, labelled)];
  if (count('applied') > 0) sentences.push(formatCount(messages, messages.selectedCategoriesApplied, count('applied')));
  if (count('missing') > 0) sentences.push(formatCount(messages, messages.selectedCategoriesMissing, count('missing')));
  if (count('failed') > 0) sentences.push(formatCount(messages, messages.selectedCategoriesFailed, count('failed')));
  if (labelled < result.results.length) sentences.push(formatCount(messages, messages.selectedUnlabelled, result.results.length - labelled));
  if (!result.messagesRead) sentences.push(messages.selectedUnreadable);
  return sentences.join(' ');
}

export function SelectedClassificationList({ result }: { result: ClassifySelectedResult }) {
  const messages = useMessages();
  return (
    <ul data-testid="selected-labels" style={{ margin: 0 }}>
      {result.results.map((entry) => (
        <li key={entry.id} data-testid="selected-label" data-category={entry.category ?? ''}>
          {entry.subject}: <strong>{entry.label ?? messages.noLabel}</strong>
        </li>
      ))}
    </ul>
  );
}

/** The digest: what needs the user's answer first, then one line for each other message. */
export function DigestView({ digest, subjects }: { digest: Digest; subjects: ReadonlyMap<string, string> }) {
  const messages = useMessages();
  const byId = new Map(digest.messages.map((line) => [line.id, line]));
  const needsAnswer = digest.needsAnswer.map((id) => byId.get(id)).filter((line) => line !== undefined);
  const others = digest.messages.filter((line) => !digest.needsAnswer.includes(line.id));
  const item = (line: Digest['messages'][number]) => (
    <li key={line.id} data-testid="digest-line">
      <strong>{subjects.get(line.id) ?? ''}</strong>: {line.line}
      {line.reason === undefined || line.reason === '' ? '' : ` (${line.reason})`}
    </li>
  );
  return (
    <div data-testid="digest">
      {needsAnswer.length > 0 && (
        <>
          <Text weight="semibold">{messages.digestNeedsAnswer}</Text>
          <ul style={{ margin: 0 }} data-testid="digest-needs-answer">
            {needsAnswer.map(item)}
          </ul>
        </>
      )}
      {others.length > 0 && (
        <>
          <Text weight="semibold">{messages.digestOthers}</Text>
          <ul style={{ margin: 0 }}>{others.map(item)}</ul>
        </>
      )}
    </div>
  );
}

export type MailScope = 'open' | 'selected';

/** The open message or the messages selected together, and, when the selection is chosen, their list. */
export function MailScopeChoice({
  scope,
  onChange,
  selected,
  testId,
}: {
  scope: MailScope;
  onChange: (scope: MailScope) => void;
  selected: readonly SelectedMailMessage[];
  testId: string;
}) {
  const messages = useMessages();
  return (
    <>
      <ChoiceSelect<MailScope>
        label={messages.mailScope}
        value={scope}
        onChange={onChange}
        testId={testId}
        choices={[
          { value: 'open', label: messages.mailScopeOpen },
          { value: 'selected', label: formatCount(messages, messages.mailScopeSelected, selected.length) },
        ]}
      />
      {scope === 'selected' && <SelectedMessagesList selected={selected} />}
    </>
  );
}
