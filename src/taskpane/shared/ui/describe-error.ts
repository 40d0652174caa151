// What the pane says about a failed run, decided by stable codes (never by message text): sign-in
// needed (401, or no token without the user's click), not allowed (403, the BFF's reason), host
// failures by HostError.code, and for an Excel run that failed midway how many rows were kept.
import { isHostError } from '../../../hosts/host-adapter.js';
import { WorkflowError } from '../../../workflows/index.js';
import { ApiError } from '../api/api-error.js';
import { isSignInRequiredError } from '../auth/access-token-provider.js';
import { format, type Messages } from '../i18n/messages.js';

export interface ErrorDescription {
  /** 'sign-in' shows a Sign-in button; 'forbidden' is for the administrator, not the user, to fix. */
  kind: 'sign-in' | 'forbidden' | 'failure';
  title: string;
  message: string;
  hint: string;
  /** Rows a bulk run finished before it failed, and that running again continues. */
  partial?: string | undefined;
}

export function needsSignIn(error: unknown): boolean {
  return isSignInRequiredError(error) || (error instanceof ApiError && error.status === 401);
}

export function describeError(error: unknown, messages: Messages): ErrorDescription {
  if (error instanceof WorkflowError) {
    const partial = format(messages.partialRows, { answered: error.partial.answered, failed: error.partial.failed });
    // The workflow wraps what stopped it; the user needs that reason (sign in, Office, server).
    return { ...describeError(error.cause ?? new Error(error.message), messages), partial };
  }
  if (needsSignIn(error)) {
    return { kind: 'sign-in', title: messages.signInTitle, message: messages.signInMessage, hint: error instanceof ApiError ? error.message : '' };
  }
  if (error instanceof ApiError && error.status === 403)
    return { kind: 'forbidden', title: messages.forbiddenTitle, message: error.message, hint: messages.adminHint };
  if (error instanceof ApiError)
    return { kind: 'failure', title: messages.errorTitle, message: error.message, hint: error.retryable ? messages.retryHint : messages.fixHint };
  if (isHostError(error)) {
    switch (error.code) {
      case 'DOCUMENT_CHANGED':
        return { kind: 'failure', title: messages.errorTitle, message: messages.documentChanged, hint: '' };
      case 'TEXT_TOO_LONG':
        return { kind: 'failure', title: messages.textTooLongTitle, message: error.message, hint: messages.fixHint };
      case 'PAYLOAD_TOO_LARGE':
        return { kind: 'failure', title: messages.payloadTooLargeTitle, message: error.message, hint: messages.payloadTooLargeHint };
      case 'OFFICE_CALL_FAILED':
        return { kind: 'failure', title: messages.errorTitle, message: error.message, hint: messages.retryHint };
      case 'INVALID_ARGUMENT':
      case 'NOT_AVAILABLE':
        return { kind: 'failure', title: messages.errorTitle, message: error.message, hint: messages.fixHint };
    }
  }
  return { kind: 'failure', title: messages.errorTitle, message: error instanceof Error ? error.message : String(error), hint: messages.fixHint };
}
