// What the pane says when a run fails: decided by HostError.code, HTTP status and WorkflowError's
// partial counts, never by message text; no raw exception text, no advice said twice.
import { HostError } from '../../src/hosts/host-adapter.js';
import { ApiError } from '../../src/taskpane/shared/api/api-error.js';
import { SignInRequiredError } from '../../src/taskpane/shared/auth/access-token-provider.js';
import { english, german } from '../../src/taskpane/shared/i18n/messages.js';
import { createOfficeHostAdapter } from '../../src/hosts/registry.js';
import { describeMissingRequirement } from '../../src/taskpane/app/office-too-old.js';
import { UNEXPECTED_ERROR_CODE, describeError, needsSignIn } from '../../src/taskpane/shared/ui/describe-error.js';
import { WorkflowError, type CellRunResult } from '../../src/workflows/index.js';

/** A run's counts: zero except those given (the Excel workflow's counts grow; these tests read answered and failed). */
const counts = (given: Partial<CellRunResult>): CellRunResult => ({
  answered: 0,
  skipped: 0,
  empty: 0,
  failed: 0,
  changed: 0,
  moved: 0,
  stopped: false,
  ...given,
});

const unauthenticated = new ApiError({ code: 'UNAUTHENTICATED', message: 'Your sign-in has expired. Sign in again.', retryable: false }, 401);
const forbidden = new ApiError({ code: 'FORBIDDEN', message: 'Your organisation is not allowed to use this add-in.', retryable: false }, 403);

test('a 401 after the retry, or a token only a click can get, asks the user to sign in', () => {
  for (const error of [unauthenticated, new SignInRequiredError('Sign in to use the add-in.')]) {
    expect(needsSignIn(error)).toBe(true);
    expect(describeError(error, english)).toMatchObject({ kind: 'sign-in', title: 'Sign in', message: english.signInMessage });
  }
  expect(describeError(unauthenticated, english)).toMatchObject({ hint: '', code: 'UNAUTHENTICATED' });
  expect(needsSignIn(forbidden)).toBe(false);
});

test("a 403 shows the BFF's reason and sends the user to the administrator, not to sign in", () => {
  expect(describeError(forbidden, english)).toEqual({
    kind: 'forbidden',
    title: 'Not allowed',
    message: forbidden.message,
    hint: english.adminHint,
    code: 'FORBIDDEN',
  });
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

  expect(describeError(new HostError('INVALID_ARGUMENT', 'Select one column.'), english)).toMatchObject({
    message: 'Select one column.',
    hint: '',
    code: 'INVALID_ARGUMENT',
  });
});

test('an Excel run that failed midway says how many rows were kept and that running again continues', () => {
  const cause = new ApiError({ code: 'PROVIDER_UNAVAILABLE', message: 'The language model is not available right now.', retryable: true }, 503);
  const error = new WorkflowError('Stopped after 120 rows (kept in the sheet): …', counts({ answered: 120, skipped: 30, failed: 2 }), cause);
  const description = describeError(error, english);
  expect(description).toMatchObject({ kind: 'failure', message: cause.message, hint: '', code: 'PROVIDER_UNAVAILABLE' });
  expect(description.partial).toBe(
    '120 rows were finished and are kept in the sheet; running again continues with the rest. 2 rows failed and are marked in the output column; running again retries them.',
  );
  expect(describeError(new WorkflowError('x', counts({ answered: 1 }), cause), english).partial).toBe(
    '1 row was finished and is kept in the sheet; running again continues with the rest.',
  );
  // Nothing finished: the sentence says so instead of "0 rows were done".
  expect(describeError(new WorkflowError('x', counts({ answered: 0 }), cause), english).partial).toBe('No row was finished before the run stopped.');

  // What stopped it decides the rest: a lapsed sign-in midway still offers Sign in.
  const signedOut = describeError(new WorkflowError('Stopped after 5 rows', counts({ answered: 5 }), unauthenticated), english);
  expect(signedOut).toMatchObject({ kind: 'sign-in', partial: expect.stringMatching(/^5 rows were finished/) });
  expect(describeError(new HostError('PAYLOAD_TOO_LARGE', 'x'), english).partial).toBeUndefined();
});

test("the BFF's advice is not doubled: its message stands alone", () => {
  const limited = new ApiError({ code: 'PROVIDER_RATE_LIMITED', message: 'The language model is busy. Try again in a moment.', retryable: true }, 429);
  const description = describeError(limited, english);
  expect(description).toMatchObject({ message: 'The language model is busy. Try again in a moment.', hint: '', code: 'PROVIDER_RATE_LIMITED' });
});

test('Office refusing a call: the adapter’s sentence and the code are shown, Office’s own text only logged', () => {
  const office = Object.assign(new Error('n.getRange(...).expandTo is not a function'), { code: 'GeneralException' });
  const description = describeError(new HostError('OFFICE_CALL_FAILED', 'Word could not write the translations.', { cause: office }), english);
  expect(description).toMatchObject({ message: 'Word could not write the translations.', hint: english.retryHint, code: 'OFFICE_CALL_FAILED', logged: office });
  expect(JSON.stringify([description.title, description.message, description.hint])).not.toMatch(/expandTo|getRange/);
});

test.each([
  ['a TypeError from minified code', new TypeError('n.getRange(...).expandTo is not a function')],
  ['an error that is not an Error', { message: 'RichApi.Error: GeneralException' }],
  ['a DOMException', new DOMException('The operation is insecure.', 'SecurityError')],
])('%s shows one plain sentence and a code; the raw text goes to the console only', (_name, raw) => {
  for (const messages of [english, german]) {
    const description = describeError(raw, messages);
    expect(description).toMatchObject({ kind: 'failure', message: messages.unexpectedError, hint: '', code: UNEXPECTED_ERROR_CODE, logged: raw });
    expect(`${description.title} ${description.message} ${description.hint}`).not.toMatch(/expandTo|RichApi|insecure/);
  }
});

test("the pane's own sentences (plain Errors) are shown as written", () => {
  expect(describeError(new Error(english.nothingToUse), english)).toEqual({
    kind: 'failure',
    title: english.errorTitle,
    message: english.nothingToUse,
    hint: '',
  });
});

describe('an Office too old for the add-in', () => {
  const globals = globalThis as { Office?: unknown };
  afterEach(() => {
    delete globals.Office;
  });

  /** Office.js as an old host shows it: onReady names the host, isSetSupported knows only older sets. */
  function installOldOffice(host: string, supported: Record<string, number>): void {
    globals.Office = {
      onReady: async () => ({ host, platform: 'PC' }),
      context: { displayLanguage: 'de-DE', requirements: { isSetSupported: (name: string, version: string) => Number(version) <= (supported[name] ?? 0) } },
    };
  }

  test.each([
    ['Word', { WordApi: 1.2 }, 'This version of Word is too old for this add-in (it needs WordApi 1.3); update Office, or use Word on the web.'],
    ['Excel', { ExcelApi: 1.6 }, 'This version of Excel is too old for this add-in (it needs ExcelApi 1.7); update Office, or use Excel on the web.'],
    ['Outlook', { Mailbox: 1.2 }, 'This version of Outlook is too old for this add-in (it needs Mailbox 1.3); update Office, or use Outlook on the web.'],
  ])('%s: the pane says so in one sentence', async (host, supported, sentence) => {
    installOldOffice(host, supported);
    const adapter = await createOfficeHostAdapter();
    expect(adapter).toBeDefined();
    if (adapter === undefined) return;
    expect([adapter.text, adapter.sheet, adapter.mail]).toEqual([undefined, undefined, undefined]);
    expect(describeMissingRequirement(adapter, english)).toBe(sentence);
    expect(describeMissingRequirement(adapter, german)).toMatch(new RegExp(`^Diese Version von ${host} ist für dieses Add-in zu alt`));
  });

  test('a host with the minimum set gets its adapter and no sentence', async () => {
    installOldOffice('Word', { WordApi: 1.3 });
    const adapter = await createOfficeHostAdapter();
    expect(adapter?.text?.translationPlacements).toEqual(['after']);
    expect(adapter === undefined ? 'no adapter' : describeMissingRequirement(adapter, english)).toBeUndefined();
  });
});
