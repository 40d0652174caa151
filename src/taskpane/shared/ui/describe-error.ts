// What the pane says about a failed run, decided by stable codes (never by message text): sign-in
// needed (401, or no token without the user's click), not allowed (403, the BFF's reason), host
// failures by HostError.code, and for an Excel run that failed midway how many rows were kept.
// No raw exception text reaches the pane: the BFF's and the adapters' messages are written for people,
// and anything else (a TypeError from minified code, Office's own error) shows one plain sentence with
// a code, while the error itself goes to the console (`logged`).
import { isHostError } from '../../../hosts/host-adapter.js';
import { WorkflowError } from '../../../workflows/index.js';
import { ApiError } from '../api/api-error.js';
import { isSignInRequiredError } from '../auth/access-token-provider.js';
import { formatCount, type Messages } from '../i18n/messages.js';

export interface ErrorDescription {
  /** 'sign-in' shows a Sign-in button; 'forbidden' is for the administrator, not the user, to fix. */
  kind: 'sign-in' | 'forbidden' | 'failure';
  title: string;
  message: string;
  /** Advice the message does not already give ('' when it does: advice is never said twice). */
  hint: string;
  /** The stable code, for support ("Error code: …"). */
  code?: string | undefined;
  /** Rows a bulk run finished before it failed, and that running again continues. */
  partial?: string | undefined;
  /** What to log to the console: the raw error behind the sentence shown. */
  logged?: unknown;
}

/** The code shown for a failure that has none of its own (a bug, or an error nobody anticipated). */
export const UNEXPECTED_ERROR_CODE = 'UNEXPECTED';

export function needsSignIn(error: unknown): boolean {
  return isSignInRequiredError(error) || (error instanceof ApiError && error.status === 401);
}

export function describeError(error: unknown, messages: Messages): ErrorDescription {
  if (error instanceof WorkflowError) {
    // Finished rows stay; failed rows are marked in the sheet and a re-run retries them: one sentence each.
    const { answered, failed } = error.partial;
    const partial = [
      formatCount(messages, messages.partialRows, answered),
      ...(failed > 0 ? [formatCount(messages, messages.partialFailedRows, failed)] : []),
    ].join(' ');
    // The workflow wraps what stopped it; the user needs that reason (sign in, Office, server).
    return { ...describeError(error.cause ?? new Error(error.message), messages), partial };
  }
  if (needsSignIn(error)) {
    return {
      kind: 'sign-in',
      title: messages.signInTitle,
      message: messages.signInMessage,
      hint: '',
      code: error instanceof ApiError ? error.code : undefined,
    };
  }
  if (error instanceof ApiError && error.status === 403) {
    return { kind: 'forbidden', title: messages.forbiddenTitle, message: error.message, hint: messages.adminHint, code: error.code };
  }
  // The BFF's message says what happened and what to do: nothing is added to it.
  if (error instanceof ApiError) return { kind: 'failure', title: messages.errorTitle, message: error.message, hint: '', code: error.code };
  if (isHostError(error)) {
    const failure = { kind: 'failure' as const, title: messages.errorTitle, code: error.code };
    switch (error.code) {
      case 'DOCUMENT_CHANGED':
        return { ...failure, message: messages.documentChanged, hint: '' };
      case 'TEXT_TOO_LONG':
        return { ...failure, title: messages.textTooLongTitle, message: error.message, hint: '' };
      case 'PAYLOAD_TOO_LARGE':
        return { ...failure, title: messages.payloadTooLargeTitle, message: error.message, hint: messages.payloadTooLargeHint };
      case 'OFFICE_CALL_FAILED':
        // Office's own words stay in the console; the adapter's sentence says what could not be done.
        return { ...failure, message: error.message, hint: messages.retryHint, logged: error.cause ?? error };
      case 'INVALID_ARGUMENT':
      case 'NOT_AVAILABLE':
        return { ...failure, message: error.message, hint: '' };
    }
  }
  // The pane's own sentences ("There is no text to work on: …") are plain Errors; any other kind is a
  // bug or a failure nobody described, and its text is not for the user.
  if (error instanceof Error && Object.getPrototypeOf(error) === Error.prototype) {
    return { kind: 'failure', title: messages.errorTitle, message: error.message, hint: '' };
  }
  return { kind: 'failure', title: messages.errorTitle, message: messages.unexpectedError, hint: '', code: UNEXPECTED_ERROR_CODE, logged: error };
}
