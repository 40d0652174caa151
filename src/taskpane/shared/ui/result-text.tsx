// Generated text, shown as text (never as HTML) while it streams in, with a Copy button.
import { Button, Field, makeStyles, tokens } from '@fluentui/react-components';
import { useState } from 'react';
import { useMessages } from '../i18n/i18n-context.js';

const useStyles = makeStyles({
  text: {
    whiteSpace: 'pre-wrap',
    overflowWrap: 'anywhere',
    padding: tokens.spacingVerticalS,
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke1}`,
    borderRadius: tokens.borderRadiusMedium,
    backgroundColor: tokens.colorNeutralBackground2,
    minHeight: '3em',
    maxHeight: '40vh',
    overflowY: 'auto',
  },
  actions: { marginTop: tokens.spacingVerticalXS },
});

export function ResultText({ text, busy }: { text: string; busy: boolean }) {
  const messages = useMessages();
  const styles = useStyles();
  const [copied, setCopied] = useState(false);
  if (text === '' && !busy) return null;
  const copy = () => {
    void navigator.clipboard
      ?.writeText(text)
      .then(() => setCopied(true))
      .catch(() => setCopied(false));
  };
  return (
    <Field label={messages.result}>
      <div className={styles.text} data-testid="result-text" role="region" aria-label={messages.result} aria-live="polite" aria-busy={busy} tabIndex={0}>
        {text}
      </div>
      <div className={styles.actions}>
        <Button size="small" onClick={copy} disabled={text === ''}>
          {messages.copy}
        </Button>
        <span role="status">{copied ? ` ${messages.copied}` : ''}</span>
      </div>
    </Field>
  );
}
