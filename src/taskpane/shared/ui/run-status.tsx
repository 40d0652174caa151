// The outcome of a run: progress and notes in a polite live region, errors as an alert that says
// what happened and what to do (describe-error.ts), with a Sign-in button when signing in would help
// and a collapsed "Details" with the code and the server's own words.
import { Button, MessageBar, MessageBarActions, MessageBarBody, MessageBarTitle, ProgressBar, makeStyles, tokens } from '@fluentui/react-components';
import { useEffect, useState } from 'react';
import { useAuth } from '../auth/auth-context.js';
import { useMessages } from '../i18n/i18n-context.js';
import { format } from '../i18n/messages.js';
import { describeError } from './describe-error.js';
import type { RunStatus } from './use-operation-run.js';

const useStyles = makeStyles({
  status: { display: 'flex', flexDirection: 'column', rowGap: tokens.spacingVerticalS, minHeight: '1.5em' },
  details: { marginTop: tokens.spacingVerticalXS, color: tokens.colorNeutralForeground3, overflowWrap: 'anywhere' },
  summary: { cursor: 'pointer' },
});

export interface RunStatusViewProps {
  status: RunStatus;
  /** Progress as done of total, when the operation reports it. */
  progress?: { done: number; total: number; text: string } | undefined;
  /** What a stopped run kept, when the feature can say it better than the general sentence. */
  stoppedNote?: string | undefined;
}

export function RunStatusView({ status, progress, stoppedNote }: RunStatusViewProps) {
  const messages = useMessages();
  const styles = useStyles();
  const note =
    status.state === 'running'
      ? (progress?.text ?? messages.working)
      : status.state === 'stopped'
        ? (stoppedNote ?? messages.stopped)
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
  const styles = useStyles();
  const description = describeError(error, messages);
  const { logged } = description;
  // The raw error is for whoever supports the user: the console has it, the pane shows its code.
  useEffect(() => {
    if (logged !== undefined) console.error('The run failed:', logged);
  }, [logged]);
  return (
    <MessageBar intent={description.kind === 'sign-in' ? 'warning' : 'error'} role="alert" data-testid="run-error" data-error-kind={description.kind}>
      <MessageBarBody>
        <MessageBarTitle>{description.title}</MessageBarTitle>
        <span data-testid="run-error-message">{description.message}</span>
        {description.partial !== undefined && <div data-testid="run-partial">{description.partial}</div>}
        {/* For whoever supports the user: the code and the server's (English) words, collapsed. */}
        {description.code !== undefined && (
          <details className={styles.details} data-testid="run-error-details">
            <summary className={styles.summary}>{messages.errorDetails}</summary>
            <div data-testid="run-error-code">{format(messages.errorCode, { code: description.code })}</div>
            {description.details !== undefined && <div lang="en">{description.details}</div>}
          </details>
        )}
      </MessageBarBody>
      {description.kind === 'sign-in' && (
        <MessageBarActions>
          <SignInButton />
        </MessageBarActions>
      )}
    </MessageBar>
  );
}

/** Interactive sign-in from the user's click (a popup needs one); then the user runs the task again. */
function SignInButton() {
  const messages = useMessages();
  const auth = useAuth();
  const [state, setState] = useState<{ phase: 'idle' | 'busy' | 'done' } | { phase: 'failed'; reason: string }>({ phase: 'idle' });
  if (auth === undefined) return null;
  const signIn = () => {
    setState({ phase: 'busy' });
    auth.signIn().then(
      () => setState({ phase: 'done' }),
      (error: unknown) => {
        // MSAL's text is for the console; the pane shows its stable code.
        console.error('Sign-in failed:', error);
        const { errorCode, name } = (typeof error === 'object' && error !== null ? error : {}) as { errorCode?: unknown; name?: unknown };
        setState({ phase: 'failed', reason: typeof errorCode === 'string' && errorCode !== '' ? errorCode : typeof name === 'string' ? name : 'unknown' });
      },
    );
  };
  return (
    <>
      <Button appearance="primary" size="small" onClick={signIn} disabled={state.phase === 'busy'}>
        {messages.signInButton}
      </Button>
      <span role="status" data-testid="sign-in-status">
        {state.phase === 'busy'
          ? messages.signingIn
          : state.phase === 'done'
            ? messages.signedIn
            : state.phase === 'failed'
              ? format(messages.signInFailed, { reason: state.reason })
              : ''}
      </span>
    </>
  );
}
