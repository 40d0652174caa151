// The open message's attachments with name, type and size, and a tick for each one to include. Files
// the server cannot read are shown unticked with the reason, never hidden. The list is read again
// whenever the user moves to another message.
import { Checkbox, MessageBar, MessageBarBody, Text } from '@fluentui/react-components';
import { useEffect, useState } from 'react';
import type { MailAttachment, MailAttachmentAccess } from '../../../hosts/host-adapter.js';
import { useMessages } from '../i18n/i18n-context.js';
import { format, formatCount, type Messages } from '../i18n/messages.js';
import { usePanelStyles } from '../ui/panel-layout.js';
import { attachmentOptions, type AttachmentOption, type AttachmentProblem, type AttachmentRefusal } from './mail-attachments.js';

/** Bytes in the user's number format. */
export function formatBytes(bytes: number, locale: string): string {
  const number = (value: number, digits: number) => new Intl.NumberFormat(locale, { maximumFractionDigits: digits }).format(value);
  if (bytes < 1024) return `${number(bytes, 0)} B`;
  if (bytes < 1024 * 1024) return `${number(bytes / 1024, 0)} KB`;
  return `${number(bytes / 1024 / 1024, 1)} MB`;
}

/** A short type for the list: the file's ending, else Outlook's MIME type. */
function typeOf(attachment: MailAttachment): string {
  if (attachment.kind === 'item') return 'E-Mail';
  const dot = attachment.name.lastIndexOf('.');
  return dot > 0 ? attachment.name.slice(dot + 1).toUpperCase() : attachment.contentType;
}

function refusalText(messages: Messages, refusal: AttachmentRefusal): string {
  return { unsupported: messages.attachmentRefusedUnsupported, 'too-large': messages.attachmentRefusedTooLarge, cloud: messages.attachmentRefusedCloud }[
    refusal
  ];
}

/** What the pane says about an attachment that gave no text: the file's name and what to do. */
export function describeAttachmentProblem(messages: Messages, problem: AttachmentProblem): string {
  const text =
    {
      ATTACHMENT_ENCRYPTED: messages.attachmentProblemEncrypted,
      ATTACHMENT_NO_TEXT: messages.attachmentProblemNoText,
      ATTACHMENT_UNSUPPORTED: messages.attachmentProblemUnsupported,
      ATTACHMENT_TOO_LARGE: messages.attachmentProblemTooLarge,
      PAYLOAD_TOO_LARGE: messages.attachmentProblemTooLarge,
    }[problem.code] ?? messages.attachmentProblemOther;
  return format(text, { name: `"${problem.name}"`, code: problem.code });
}

export interface AttachmentChoice {
  options: AttachmentOption[];
  chosen: ReadonlySet<string>;
}

/** The attachments of the message open now and the user's ticks; `messageKey` changes when another message opens. */
export function useAttachmentChoice(access: MailAttachmentAccess | undefined, messageKey: string) {
  const [choice, setChoice] = useState<AttachmentChoice>({ options: [], chosen: new Set() });
  useEffect(() => {
    if (access === undefined) return undefined;
    let active = true;
    setChoice({ options: [], chosen: new Set() });
    access.listAttachments().then(
      (attachments) => {
        if (!active) return;
        const options = attachmentOptions(attachments);
        setChoice({ options, chosen: new Set(options.filter((option) => option.chosenByDefault).map((option) => option.attachment.id)) });
      },
      (error: unknown) => console.error('Listing the attachments failed:', error),
    );
    return () => {
      active = false;
    };
  }, [access, messageKey]);
  const toggle = (id: string, chosen: boolean) =>
    setChoice((current) => {
      const next = new Set(current.chosen);
      if (chosen) next.add(id);
      else next.delete(id);
      return { ...current, chosen: next };
    });
  const chosenAttachments = choice.options.filter((option) => choice.chosen.has(option.attachment.id)).map((option) => option.attachment);
  return { choice, toggle, chosenAttachments };
}

export function AttachmentPicker({
  access,
  choice,
  onToggle,
  disabled,
}: {
  access: MailAttachmentAccess | undefined;
  choice: AttachmentChoice;
  onToggle: (id: string, chosen: boolean) => void;
  disabled: boolean;
}) {
  const messages = useMessages();
  const styles = usePanelStyles();
  if (access === undefined) {
    return (
      <Text className={styles.hint} data-testid="attachments-unavailable">
        {messages.attachmentsUnavailable}
      </Text>
    );
  }
  return (
    // A fieldset, not a Field: a Field gives its one id to every checkbox inside, and only the first would be labelled.
    <fieldset style={{ border: 'none', margin: 0, padding: 0 }} data-testid="attachment-picker">
      <legend>{messages.attachmentsLabel}</legend>
      {choice.options.length === 0 && <Text className={styles.hint}>{messages.attachmentsNone}</Text>}
      {choice.options.map(({ attachment, refusal }) => (
        <Checkbox
          key={attachment.id}
          checked={choice.chosen.has(attachment.id)}
          disabled={disabled || refusal !== undefined}
          onChange={(_event, data) => onToggle(attachment.id, data.checked === true)}
          data-testid="attachment-option"
          label={`${attachment.name} (${typeOf(attachment)}, ${formatBytes(attachment.size, messages.locale)})${refusal === undefined ? '' : ` – ${refusalText(messages, refusal)}`}`}
        />
      ))}
    </fieldset>
  );
}

/** The attachments that gave no text, each with its reason: shown beside the result, never left out silently. */
export function AttachmentProblems({ problems, task }: { problems: readonly AttachmentProblem[]; task: 'summary' | 'reply' }) {
  const messages = useMessages();
  if (problems.length === 0) return null;
  return (
    <MessageBar intent="warning" data-testid="attachment-problems">
      <MessageBarBody>
        {formatCount(messages, messages.attachmentsLeftOut, problems.length, { task: task === 'summary' ? messages.taskSummary : messages.taskReply })}
        <ul style={{ margin: 0 }}>
          {problems.map((problem) => (
            <li key={problem.name}>{describeAttachmentProblem(messages, problem)}</li>
          ))}
        </ul>
      </MessageBarBody>
    </MessageBar>
  );
}
