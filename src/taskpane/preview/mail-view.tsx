// The Outlook preview: the open message (read mode) with its categories, attachments and the reply form
// the add-in opened, and the message list (open another message: a pinned pane follows; tick several:
// multi-select); or a draft being written (compose mode) whose selection the add-in reads and replaces.
import { Badge, Button, Checkbox, Field, Input, Text } from '@fluentui/react-components';
import { useSyncExternalStore } from 'react';
import { openPreviewMessage, selectPreviewMessages, type MailboxState, type PreviewMail } from '../../hosts/preview/preview-mail.js';
import { useMessages } from '../shared/i18n/i18n-context.js';
import { format, formatCount } from '../shared/i18n/messages.js';
import { usePreviewStyles } from './preview-styles.js';

/** Bytes as Outlook's attachment well shows them, in the UI language's digits. */
function formatSize(bytes: number, locale: string): string {
  const [value, unit] = bytes < 1024 ? [bytes, 'byte'] : bytes < 1024 * 1024 ? [Math.round(bytes / 1024), 'kilobyte'] : [bytes / 1024 / 1024, 'megabyte'];
  return new Intl.NumberFormat(locale, { style: 'unit', unit, unitDisplay: unit === 'byte' ? 'long' : 'short', maximumFractionDigits: 1 }).format(value);
}

function MessageList({ mail, state }: { mail: PreviewMail; state: MailboxState }) {
  const styles = usePreviewStyles();
  const messages = useMessages();
  const toggle = (id: string, selected: boolean) =>
    selectPreviewMessages(mail.store, selected ? [...state.selectedIds, id] : state.selectedIds.filter((candidate) => candidate !== id));
  return (
    <section aria-label={messages.previewMessageList} data-testid="mail-list">
      <Text weight="semibold">{messages.previewInboxHint}</Text>
      <ul className={styles.list}>
        {state.inbox.map((entry) => {
          const open = entry.id === state.openMessageId;
          const categories = open ? state.appliedCategories : entry.categories;
          return (
            <li key={entry.id} data-testid={`mail-list-${entry.id}`}>
              <Checkbox
                checked={state.selectedIds.includes(entry.id)}
                onChange={(_event, data) => toggle(entry.id, data.checked === true)}
                label={`${open ? state.message.subject : entry.subject} — ${entry.from}`}
                data-testid={`mail-select-${entry.id}`}
              />
              {open ? (
                <Text className={styles.margin}> {messages.previewOpened}</Text>
              ) : (
                <Button size="small" appearance="subtle" onClick={() => openPreviewMessage(mail.store, entry.id)} data-testid={`mail-open-${entry.id}`}>
                  {messages.previewOpen}
                </Button>
              )}
              {categories.map((category) => (
                <Badge key={category} appearance="tint" color="brand" data-testid="mail-list-category">
                  {category}
                </Badge>
              ))}
            </li>
          );
        })}
      </ul>
      <Text className={styles.margin} data-testid="mail-selected-count">
        {formatCount(messages, messages.previewSelectedCount, state.selectedIds.length)}
      </Text>
    </section>
  );
}

export function MailView({ mail }: { mail: PreviewMail }) {
  const styles = usePreviewStyles();
  const messages = useMessages();
  const { store } = mail;
  const state = useSyncExternalStore(store.subscribe, store.get);
  const setMessage = (change: Partial<typeof state.message>) => store.update((current) => ({ ...current, message: { ...current.message, ...change } }));

  if (state.mode === 'compose') {
    return (
      <section className={styles.document} aria-label={messages.previewDraft}>
        <Text weight="semibold">{messages.previewDraftTitle}</Text>
        <Field label={messages.previewSubject}>
          <Input value={state.message.subject} onChange={(_event, data) => setMessage({ subject: data.value })} />
        </Field>
        <textarea
          className={styles.page}
          aria-label={messages.previewDraftBody}
          data-testid="mail-draft"
          value={state.draft}
          onChange={(event) => {
            const { value, selectionStart, selectionEnd } = event.currentTarget;
            store.update((current) => ({ ...current, draft: value, draftSelectionStart: selectionStart, draftSelectionEnd: selectionEnd }));
          }}
          onSelect={(event) => {
            const { selectionStart, selectionEnd } = event.currentTarget;
            store.update((current) => ({ ...current, draftSelectionStart: selectionStart, draftSelectionEnd: selectionEnd }));
          }}
        />
      </section>
    );
  }

  return (
    <section className={styles.document} aria-label={messages.previewMessage}>
      <Text weight="semibold">{messages.previewInboxTitle}</Text>
      <Field label={messages.previewSubject}>
        <Input value={state.message.subject} onChange={(_event, data) => setMessage({ subject: data.value })} data-testid="mail-subject" />
      </Field>
      <Field label={messages.previewFrom}>
        <Input value={state.message.from} onChange={(_event, data) => setMessage({ from: data.value })} />
      </Field>
      <div className={styles.row} data-testid="mail-categories" aria-label={messages.previewCategories}>
        {state.appliedCategories.length === 0 ? (
          <Text className={styles.margin}>{messages.previewNoCategory}</Text>
        ) : (
          state.appliedCategories.map((category) => (
            <Badge key={category} appearance="tint" color="brand">
              {category}
            </Badge>
          ))
        )}
        <Text className={styles.margin}>{format(messages.previewMasterList, { categories: state.masterCategories.join(', ') })}</Text>
      </div>
      <textarea
        className={styles.page}
        aria-label={messages.previewMessageBody}
        data-testid="mail-body"
        value={state.message.body}
        onChange={(event) => setMessage({ body: event.currentTarget.value })}
      />
      <div aria-label={messages.previewAttachments} data-testid="mail-attachments">
        {state.attachments.length === 0 ? (
          <Text className={styles.margin}>{messages.previewNoAttachments}</Text>
        ) : (
          <ul className={styles.list}>
            {state.attachments.map((attachment) => (
              <li key={attachment.id} data-testid="mail-attachment">
                📎 {attachment.name} ({attachment.contentType}, {formatSize(attachment.size, messages.locale)})
              </li>
            ))}
          </ul>
        )}
      </div>
      {state.replyForms.length > 0 && (
        <Field label={messages.previewReplyForm}>
          <textarea className={styles.page} data-testid="mail-reply-form" value={state.replyForms.at(-1)?.text ?? ''} readOnly />
        </Field>
      )}
      <MessageList mail={mail} state={state} />
    </section>
  );
}
