// Outlook read mode: drafts a reply in a chosen language and tone, streamed into the pane, then opens
// Outlook's reply form with it.
import { Button, Field, Textarea } from '@fluentui/react-components';
import { useState } from 'react';
import { ApiError } from '../../shared/api/api-error.js';
import type { FeatureProps } from '../../shared/feature-props.js';
import { useMessages } from '../../shared/i18n/i18n-context.js';
import { mailAsText } from '../../shared/mail-text.js';
import type { ReplyTone } from '../../../contract/options.js';
import { useSettings } from '../../shared/settings/settings-context.js';
import { ChoiceSelect } from '../../shared/ui/choice-select.js';
import { LanguageSelect } from '../../shared/ui/language-select.js';
import { usePanelStyles } from '../../shared/ui/panel-layout.js';
import { ResultText } from '../../shared/ui/result-text.js';
import { RunButtons } from '../../shared/ui/run-buttons.js';
import { RunStatusView } from '../../shared/ui/run-status.js';
import { useOperationRun } from '../../shared/ui/use-operation-run.js';

export default function ReplyPanel({ adapter, api }: FeatureProps) {
  const messages = useMessages();
  const styles = usePanelStyles();
  const { settings, updateSettings } = useSettings();
  const operation = useOperationRun();
  const [instructions, setInstructions] = useState('');
  const [reply, setReply] = useState('');
  const mail = adapter.mail;
  if (mail === undefined) return null;

  const draft = () =>
    operation.run(async (signal) => {
      setReply('');
      try {
        const response = await api.run(
          'reply',
          {
            message: mailAsText(await mail.readMessage()),
            tone: settings.tone,
            language: settings.replyLanguage,
            ...(instructions.trim() === '' ? {} : { instructions }),
          },
          { signal, onTextDelta: (text) => setReply((current) => current + text) },
        );
        setReply(response.reply);
        return messages.done;
      } catch (error) {
        if (error instanceof ApiError && error.code === 'NOT_FOUND') throw new Error(messages.replyUnavailable);
        throw error;
      }
    });

  const openReply = () => operation.run(async () => (await mail.displayReply(reply), messages.replyOpened));

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
        <Textarea value={instructions} onChange={(_event, data) => setInstructions(data.value)} rows={3} resize="vertical" />
      </Field>
      <RunButtons label={messages.draftReplyButton} running={operation.running} onRun={() => void draft()} onStop={operation.stop} />
      <RunStatusView status={operation.status} stoppedNote={messages.stoppedShownBelow} />
      <ResultText text={reply} busy={operation.running} />
      {reply !== '' && !operation.running && (
        <Button appearance="primary" onClick={() => void openReply()}>
          {messages.openReplyButton}
        </Button>
      )}
    </div>
  );
}
