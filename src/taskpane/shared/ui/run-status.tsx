// The outcome of a run: progress and notes in a polite live region, errors as an alert that says
// what happened and what to do.
import { MessageBar, MessageBarBody, MessageBarTitle, ProgressBar, makeStyles, tokens } from '@fluentui/react-components';
import { ApiError } from '../api/api-error.js';
import { useMessages } from '../i18n/i18n-context.js';
import type { Messages } from '../i18n/messages.js';
import type { RunStatus } from './use-operation-run.js';

const useStyles = makeStyles({
  status: { display: 'flex', flexDirection: 'column', rowGap: tokens.spacingVerticalS, minHeight: '1.5em' },
});

export function describeError(error: unknown, messages: Messages): { message: string; hint: string } {
  if (error instanceof ApiError) return { message: error.message, hint: error.retryable ? messages.retryHint : messages.fixHint };
  return { message: error instanceof Error ? error.message : String(error), hint: messages.fixHint };
}

export interface RunStatusViewProps {
  status: RunStatus;
  /** Progress as done of total, when the operation reports it. */
  progress?: { done: number; total: number; text: string } | undefined;
}

export function RunStatusView({ status, progress }: RunStatusViewProps) {
  const messages = useMessages();
  const styles = useStyles();
  const note =
    status.state === 'running'
      ? (progress?.text ?? messages.working)
      : status.state === 'stopped'
        ? messages.stopped
        : status.state === 'done'
          ? (status.note ?? messages.done)
          : '';
  return (
    <div className={styles.status}>
      {status.state === 'running' && (
        <ProgressBar
          aria-label={progress?.text ?? messages.working}
          {...(progress === undefined || progress.total === 0 ? {} : { value: progress.done / progress.total })}
        />
      )}
      <div role="status" aria-live="polite" data-testid="run-status">
        {note}
      </div>
      {status.state === 'error' && <ErrorMessage error={status.error} />}
    </div>
  );
}

export function ErrorMessage({ error }: { error: unknown }) {
  const messages = useMessages();
  const { message, hint } = describeError(error, messages);
  return (
    <MessageBar intent="error" role="alert" data-testid="run-error">
      <MessageBarBody>
        <MessageBarTitle>{messages.errorTitle}</MessageBarTitle>
        {message} {hint}
      </MessageBarBody>
    </MessageBar>
  );
}
