// What the pane says when a run fails: decided by HostError.code, HTTP status and WorkflowError's
// partial counts, never by message text.
import { HostError } from '../../src/hosts/host-adapter.js';
import { ApiError } from '../../src/taskpane/shared/api/api-error.js';
import { SignInRequiredError } from '../../src/taskpane/shared/auth/access-token-provider.js';
import { english, german } from '../../src/taskpane/shared/i18n/messages.js';
import { describeError, needsSignIn } from '../../src/taskpane/shared/ui/describe-error.js';
import { WorkflowError } from '../../src/workflows/index.js';

const unauthenticated = new ApiError({ code: 'UNAUTHENTICATED', message: 'Your sign-in has expired. Sign in again.', retryable: false }, 401);
const forbidden = new ApiError({ code: 'FORBIDDEN', message: 'Your organisation is not allowed to use this add-in.', retryable: false }, 403);

test('a 401 after the retry, or a token only a click can get, asks the user to sign in', () => {
  for (const error of [unauthenticated, new SignInRequiredError('Sign in to use the add-in.')]) {
    expect(needsSignIn(error)).toBe(true);
    expect(describeError(error, english)).toMatchObject({ kind: 'sign-in', title: 'Sign in', message: english.signInMessage });
  }
  expect(describeError(unauthenticated, english).hint).toBe('Your sign-in has expired. Sign in again.');
  expect(needsSignIn(forbidden)).toBe(false);
});

test("a 403 shows the BFF's reason and sends the user to the administrator, not to sign in", () => {
  expect(describeError(forbidden, english)).toEqual({ kind: 'forbidden', title: 'Not allowed', message: forbidden.message, hint: english.adminHint });
});

test('host failures are told apart by code', () => {
  const changed = describeError(new HostError('DOCUMENT_CHANGED', 'whatever the adapter said'), english);
  expect(changed.message).toBe('The document changed since it was read: run again. Nothing was overwritten.');
  expect(describeError(new HostError('DOCUMENT_CHANGED', 'x'), german).message).toBe(german.documentChanged);

  const tooLong = describeError(
    new HostError('TEXT_TOO_LONG', 'The text has 1,200,000 characters; an email body holds at most 1,000,000: shorten it.'),
    english,
  );
  expect(tooLong).toMatchObject({ kind: 'failure', title: english.textTooLongTitle, message: expect.stringContaining('1,000,000') });

  const payload = describeError(
    new HostError('PAYLOAD_TOO_LARGE', 'Excel could not read: the data is larger than Excel on the web accepts at once (5 MB).'),
    english,
  );
  expect(payload).toMatchObject({ title: english.payloadTooLargeTitle, hint: english.payloadTooLargeHint });

  expect(describeError(new HostError('OFFICE_CALL_FAILED', 'Office did not answer.'), english).hint).toBe(english.retryHint);
  expect(describeError(new HostError('INVALID_ARGUMENT', 'Select one column.'), english)).toMatchObject({
    message: 'Select one column.',
    hint: english.fixHint,
  });
});

test('an Excel run that failed midway says how many rows were kept and that running again continues', () => {
  const cause = new ApiError({ code: 'PROVIDER_UNAVAILABLE', message: 'The language model is not available right now.', retryable: true }, 503);
  const error = new WorkflowError('Stopped after 120 rows (kept in the sheet): …', { answered: 120, skipped: 30, failed: 2, stopped: false }, cause);
  const description = describeError(error, english);
  expect(description).toMatchObject({ kind: 'failure', message: cause.message, hint: english.retryHint });
  expect(description.partial).toBe('120 row(s) were done and are kept in the sheet (2 marked as failed). Run again to continue: finished rows are skipped.');

  // What stopped it decides the rest: a lapsed sign-in midway still offers Sign in.
  const signedOut = describeError(new WorkflowError('Stopped after 5 rows', { answered: 5, skipped: 0, failed: 0, stopped: false }, unauthenticated), english);
  expect(signedOut).toMatchObject({ kind: 'sign-in', partial: expect.stringMatching(/^5 row\(s\) were done/) });
  expect(describeError(new HostError('PAYLOAD_TOO_LARGE', 'x'), english).partial).toBeUndefined();
});
