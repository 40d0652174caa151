// The Outlook preview: the open message (read mode) with its categories and the reply form the add-in
// opened, or a draft being written (compose mode) whose selection the add-in reads and replaces.
import { Badge, Field, Input, Text } from '@fluentui/react-components';
import { useSyncExternalStore } from 'react';
import type { PreviewMail } from '../../hosts/preview/preview-mail.js';
import { usePreviewStyles } from './preview-styles.js';

export function MailView({ mail }: { mail: PreviewMail }) {
  const styles = usePreviewStyles();
  const { store } = mail;
  const state = useSyncExternalStore(store.subscribe, store.get);
  const setMessage = (change: Partial<typeof state.message>) => store.update((current) => ({ ...current, message: { ...current.message, ...change } }));

  if (state.mode === 'compose') {
    return (
      <section className={styles.document} aria-label="Sample Outlook draft">
        <Text weight="semibold">New message – Outlook (preview)</Text>
        <Field label="Subject">
          <Input value={state.message.subject} onChange={(_event, data) => setMessage({ subject: data.value })} />
        </Field>
        <textarea
          className={styles.page}
          aria-label="Draft body"
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
    <section className={styles.document} aria-label="Sample Outlook message">
      <Text weight="semibold">Inbox – Outlook (preview)</Text>
      <Field label="Subject">
        <Input value={state.message.subject} onChange={(_event, data) => setMessage({ subject: data.value })} data-testid="mail-subject" />
      </Field>
      <Field label="From">
        <Input value={state.message.from} onChange={(_event, data) => setMessage({ from: data.value })} />
      </Field>
      <div className={styles.row} data-testid="mail-categories" aria-label="Categories of this message">
        {state.appliedCategories.length === 0 ? (
          <Text className={styles.margin}>No category</Text>
        ) : (
          state.appliedCategories.map((category) => (
            <Badge key={category} appearance="tint" color="brand">
              {category}
            </Badge>
          ))
        )}
        <Text className={styles.margin}>Master list: {state.masterCategories.join(', ')}</Text>
      </div>
      <textarea
        className={styles.page}
        aria-label="Message body with the quoted thread"
        data-testid="mail-body"
        value={state.message.body}
        onChange={(event) => setMessage({ body: event.currentTarget.value })}
      />
      {state.replyForms.length > 0 && (
        <Field label="Reply form (opened by the add-in)">
          <textarea className={styles.page} data-testid="mail-reply-form" value={state.replyForms.at(-1)?.text ?? ''} readOnly />
        </Field>
      )}
    </section>
  );
}
