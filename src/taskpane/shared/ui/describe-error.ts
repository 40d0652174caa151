// What the pane says about a failed run, decided by stable codes (never by message text) through the
// one table of shared/i18n/error-messages.ts: what happened and one piece of advice, in the user's
// language. The BFF's and the adapters' own English (`message`) is for whoever supports the user: it
// goes under "Details" with the code. For an Excel run that failed midway, how many rows were kept.
// Anything unforeseen (a TypeError from minified code, Office's own error) shows one plain sentence with
// a code, while the error itself goes to the console (`logged`).
import { isHostError } from '../../../hosts/host-adapter.js';
import { WorkflowError } from '../../../workflows/index.js';
import { ApiError } from '../api/api-error.js';
import { isSignInRequiredError } from '../auth/access-token-provider.js';
import { UNEXPECTED_ERROR_CODE, clientErrorMessages, hostErrorEntry, serverErrorEntry, wordError, type ErrorLanguage } from '../i18n/error-messages.js';
import { formatCount, type Messages } from '../i18n/messages.js';

export { UNEXPECTED_ERROR_CODE } from '../i18n/error-messages.js';

export interface ErrorDescription {
  /** 'sign-in' shows a Sign-in button; 'forbidden' is for the administrator, not the user, to fix. */
  kind: 'sign-in' | 'forbidden' | 'failure';
  title: string;
  /** What happened and the one thing the user can do, in the UI language. */
  message: string;
  /** The stable code, for support ("Error code: …"). */
  code?: string | undefined;
  /** The server's or the adapter's own text, shown collapsed under "Details" (English, for support). */
  details?: string | undefined;
  /** Rows a bulk run finished before it failed, and that running again continues. */
  partial?: string | undefined;
  /** What to log to the console: the raw error behind the sentence shown. */
  logged?: unknown;
}

export function needsSignIn(error: unknown): boolean {
  return isSignInRequiredError(error) || (error instanceof ApiError && error.status === 401);
}

const languageOf = (messages: Messages): ErrorLanguage => (messages.locale === 'de' ? 'de' : 'en');

export function describeError(error: unknown, messages: Messages): ErrorDescription {
  const language = languageOf(messages);
  if (error instanceof WorkflowError) {
    // Finished rows stay; failed rows are marked in the sheet and a re-run retries them: one sentence
    // each, and none about rows when no row was finished or failed.
    const { answered, failed } = error.partial;
    const sentences = [
      ...(answered > 0 ? [formatCount(messages, messages.partialRows, answered)] : []),
      ...(failed > 0 ? [formatCount(messages, messages.partialFailedRows, failed)] : []),
    ];
    // The workflow wraps what stopped it; the user needs that reason (sign in, Office, server).
    const described = describeError(error.cause ?? new Error(error.message), messages);
    return sentences.length === 0 ? described : { ...described, partial: sentences.join(' ') };
  }
  if (needsSignIn(error)) {
    return {
      kind: 'sign-in',
      title: messages.signInTitle,
      message: messages.signInMessage,
      code: error instanceof ApiError ? error.code : undefined,
      details: error instanceof ApiError ? error.message : undefined,
    };
  }
  if (error instanceof ApiError) {
    // Any 403 is "not allowed", whatever its code says in detail.
    const entry = error.status === 403 ? serverErrorEntry('FORBIDDEN', false) : serverErrorEntry(error.code, error.retryable);
    const kind = entry.kind ?? 'failure';
    const facts = { retryable: error.retryable, limit: error.details?.limit, retryAfterSeconds: error.details?.retryAfterSeconds };
    return {
      kind,
      title: kind === 'forbidden' ? messages.forbiddenTitle : kind === 'sign-in' ? messages.signInTitle : messages.errorTitle,
      message: wordError(entry, language, facts),
      code: error.code,
      details: error.message,
    };
  }
  if (isHostError(error)) {
    return {
      kind: 'failure',
      title: messages.errorTitle,
      message: wordError(hostErrorEntry(error.code), language),
      code: error.code,
      details: error.message,
      // Office's own words stay in the console.
      ...(error.code === 'OFFICE_CALL_FAILED' ? { logged: error.cause ?? error } : {}),
    };
  }
  // The pane's own sentences ("There is no text to work on: …", from the catalogue) are plain Errors;
  // any other kind is a bug or a failure nobody described, and its text is not for the user.
  if (error instanceof Error && Object.getPrototypeOf(error) === Error.prototype) {
    return { kind: 'failure', title: messages.errorTitle, message: error.message };
  }
  return {
    kind: 'failure',
    title: messages.errorTitle,
    message: wordError(clientErrorMessages[UNEXPECTED_ERROR_CODE], language),
    code: UNEXPECTED_ERROR_CODE,
    logged: error,
  };
}
