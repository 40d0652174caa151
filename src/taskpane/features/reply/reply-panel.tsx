// Outlook read mode: drafts a reply in a chosen language and tone, from the message with its quoted
// thread, what the user wants it to say, and the attachments they tick; streamed into the pane, then
// opens Outlook's reply form with it. The pane follows the mailbox: each message keeps its own draft, a
// run for a message the user left stops, and a reply form opens only on the message the draft is for.
import { Button, Field, Text, Textarea } from '@fluentui/react-components';
import { useState } from 'react';
import { ApiError } from '../../shared/api/api-error.js';
import type { FeatureProps } from '../../shared/feature-props.js';
import { useMessages } from '../../shared/i18n/i18n-context.js';
import type { ReplyTone } from '../../../contract/options.js';
import { useSettings } from '../../shared/settings/settings-context.js';
import { ChoiceSelect } from '../../shared/ui/choice-select.js';
import { LanguageSelect } from '../../shared/ui/language-select.js';
import { usePanelStyles } from '../../shared/ui/panel-layout.js';
import { ResultText } from '../../shared/ui/result-text.js';
import { RunButtons } from '../../shared/ui/run-buttons.js';
import { RunStatusView } from '../../shared/ui/run-status.js';
import { useOperationRun } from '../../shared/ui/use-operation-run.js';
import { format } from '../../shared/i18n/messages.js';
import { AttachmentPicker, AttachmentProblems, useAttachmentChoice } from '../../shared/mail/attachment-picker.js';
import type { AttachmentProblem } from '../../shared/mail/mail-attachments.js';
import { draftReplyToOpenMessage } from '../../shared/mail/open-message-runs.js';
import { useRunFollowingMessage, usePerMessage } from '../../shared/mail/use-mailbox.js';

interface ReplyDraft {
  reply: string;
  /** The message the draft answers: the reply form opens only on it. */
  messageId: string | undefined;
  problems: AttachmentProblem[];
  truncated: string[];
}
const noDraft: ReplyDraft = { reply: '', messageId: undefined, problems: [], truncated: [] };

export default function ReplyPanel({ adapter, api }: FeatureProps) {
  const messages = useMessages();
  const styles = usePanelStyles();
  const { settings, updateSettings } = useSettings();
  const operation = useOperationRun();
  const [instructions, setInstructions] = useState('');
  const mail = adapter.mail;
  const { current, leftMessage, clearLeftMessage } = useRunFollowingMessage(mail, operation.stop);
  const drafts = usePerMessage<ReplyDraft>(current.key, noDraft);
  const attachments = useAttachmentChoice(mail?.attachments, current.key);
  if (mail === undefined) return null;
  const { reply, problems, truncated } = drafts.value;

  const draft = () =>
    operation.run(async (signal) => {
      clearLeftMessage();
      const key = current.key;
      const update = (change: (value: ReplyDraft) => ReplyDraft) => drafts.update(key, change);
      update(() => ({ ...noDraft, messageId: current.messageId }));
      try {
        const { reply: drafted } = await draftReplyToOpenMessage({
          mail,
          api,
          signal,
          expectedMessageId: current.messageId,
          attachments: mail.mode === 'read' ? attachments.chosenAttachments : [],
          tone: settings.tone,
          language: settings.replyLanguage,
          instructions,
          onAttachments: ({ problems, truncated }) => update((value) => ({ ...value, problems, truncated })),
          onTextDelta: (text) => update((value) => ({ ...value, reply: value.reply + text })),
        });
        update((value) => ({ ...value, reply: drafted }));
        return messages.done;
      } catch (error) {
        if (error instanceof ApiError && error.code === 'NOT_FOUND') throw new Error(messages.replyUnavailable);
        throw error;
      }
    });

  const openReply = () => operation.run(async () => (await mail.displayReply(reply, { expectedMessageId: drafts.value.messageId }), messages.replyOpened));

  return (
    <div className={styles.panel}>
      <LanguageSelect
        label={messages.replyLanguage}
        value={settings.replyLanguage}
        onChange={(replyLanguage) => updateSettings({ replyLanguage })}
        uiLanguage={adapter.displayLanguage}
        testId="reply-language"
      />
      <ChoiceSelect<ReplyTone>
        label={messages.tone}
        value={settings.tone}
        onChange={(tone) => updateSettings({ tone })}
        testId="reply-tone"
        choices={[
          { value: 'friendly', label: messages.toneFriendly },
          { value: 'neutral', label: messages.toneNeutral },
          { value: 'formal', label: messages.toneFormal },
          { value: 'concise', label: messages.toneConcise },
        ]}
      />
      <Field label={messages.replyInstructions}>
        <Textarea value={instructions} onChange={(_event, data) => setInstructions(data.value)} rows={3} resize="vertical" data-testid="reply-instructions" />
      </Field>
      {mail.mode === 'read' && (
        <AttachmentPicker access={mail.attachments} choice={attachments.choice} onToggle={attachments.toggle} disabled={operation.running} />
      )}
      <RunButtons label={messages.draftReplyButton} running={operation.running} onRun={() => void draft()} onStop={operation.stop} />
      <RunStatusView status={operation.status} stoppedNote={leftMessage ? messages.messageLeftStopped : messages.stoppedShownBelow} />
      <AttachmentProblems problems={problems} task="reply" />
      {truncated.length > 0 && <Text className={styles.hint}>{format(messages.attachmentsTruncated, { names: truncated.join(', ') })}</Text>}
      <ResultText text={reply} busy={operation.running} />
      {reply !== '' && !operation.running && (
        <Button appearance="primary" onClick={() => void openReply()}>
          {messages.openReplyButton}
        </Button>
      )}
    </div>
  );
}
