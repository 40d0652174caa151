// What the pane says when a run fails: decided by HostError.code, HTTP status and WorkflowError's
// partial counts, never by message text; the server's and adapters' own English only under Details.
// (Every code's wording, in both languages, is walked by error-messages.test.ts.)
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
  expect(describeError(unauthenticated, english)).toMatchObject({ code: 'UNAUTHENTICATED', details: unauthenticated.message });
  expect(needsSignIn(forbidden)).toBe(false);
});

test("a 403 sends the user to the administrator, not to sign in; the BFF's reason is under Details", () => {
  expect(describeError(forbidden, english)).toEqual({
    kind: 'forbidden',
    title: 'Not allowed',
    message: 'Your account may not use the assistant. Ask your administrator.',
    code: 'FORBIDDEN',
    details: forbidden.message,
  });
  expect(describeError(forbidden, german).message).toBe('Ihr Konto darf den Assistenten nicht nutzen. Wenden Sie sich an Ihre Administration.');
});

test('host failures are told apart by code', () => {
  const changed = describeError(new HostError('DOCUMENT_CHANGED', 'whatever the adapter said'), english);
  expect(changed).toMatchObject({
    message: 'The document changed while the add-in worked, so nothing was overwritten. Run again.',
    details: 'whatever the adapter said',
  });
  expect(describeError(new HostError('DOCUMENT_CHANGED', 'x'), german).message).toBe(
    'Das Dokument wurde während der Arbeit geändert, daher wurde nichts überschrieben. Führen Sie es erneut aus.',
  );

  const adapterText = 'The text has 1,200,000 characters; an email body holds at most 1,000,000: shorten it.';
  const tooLong = describeError(new HostError('TEXT_TOO_LONG', adapterText), german);
  expect(tooLong).toMatchObject({
    kind: 'failure',
    title: german.errorTitle,
    message: 'Der Text ist für diese Stelle in Office zu lang. Kürzen Sie ihn und führen Sie es dann erneut aus.',
  });
  // The adapter's English is for support, under Details, never the sentence shown.
  expect(tooLong.details).toBe(adapterText);

  const payload = describeError(
    new HostError('PAYLOAD_TOO_LARGE', 'Excel could not read: the data is larger than Excel on the web accepts at once (5 MB).'),
    english,
  );
  expect(payload.message).toBe('That is too much data for Office at once. Select fewer rows or columns, then run again.');

  expect(describeError(new HostError('INVALID_ARGUMENT', 'Select one column.'), english)).toMatchObject({
    message: 'Office could not use what is selected. Check the selection, then run again.',
    code: 'INVALID_ARGUMENT',
    details: 'Select one column.',
  });
});

test('an Excel run that failed midway says how many rows were kept and that running again continues', () => {
  const cause = new ApiError(
    { code: 'PROVIDER_UNAVAILABLE', message: 'The language model is not available right now.', retryable: true, details: { retryAfterSeconds: 20 } },
    503,
  );
  const error = new WorkflowError('Stopped after 120 rows (kept in the sheet): …', counts({ answered: 120, skipped: 30, failed: 2 }), cause);
  const description = describeError(error, english);
  expect(description).toMatchObject({
    kind: 'failure',
    message: 'The AI service is not available right now. Try again in 20 seconds.',
    code: 'PROVIDER_UNAVAILABLE',
    details: cause.message,
  });
  expect(description.partial).toBe(
    '120 rows were finished and are kept in the sheet; running again continues with the rest. 2 rows failed and are marked in the output column; running again retries them.',
  );
  expect(describeError(new WorkflowError('x', counts({ answered: 1 }), cause), english).partial).toBe(
    '1 row was finished and is kept in the sheet; running again continues with the rest.',
  );
  // Nothing finished and nothing failed: no count sentence at all (never "0 rows were done").
  expect(describeError(new WorkflowError('x', counts({ answered: 0 }), cause), english).partial).toBeUndefined();
  expect(describeError(new WorkflowError('x', counts({ answered: 0, failed: 3 }), cause), english).partial).toBe(
    '3 rows failed and are marked in the output column; running again retries them.',
  );
  // Counts are written as the UI language writes numbers.
  expect(describeError(new WorkflowError('x', counts({ answered: 12000 }), cause), german).partial).toMatch(/^12\.000 Zeilen wurden fertig/);

  // What stopped it decides the rest: a lapsed sign-in midway still offers Sign in.
  const signedOut = describeError(new WorkflowError('Stopped after 5 rows', counts({ answered: 5 }), unauthenticated), english);
  expect(signedOut).toMatchObject({ kind: 'sign-in', partial: expect.stringMatching(/^5 rows were finished/) });
  expect(describeError(new HostError('PAYLOAD_TOO_LARGE', 'x'), english).partial).toBeUndefined();
});

test("one piece of advice: the pane's own sentence, the BFF's advice only under Details", () => {
  const limited = new ApiError({ code: 'PROVIDER_RATE_LIMITED', message: 'The language model is busy. Try again in a moment.', retryable: true }, 429);
  const description = describeError(limited, english);
  expect(description).toMatchObject({ message: 'The AI service is busy. Try again in a moment.', code: 'PROVIDER_RATE_LIMITED', details: limited.message });
  expect(description.message.match(/Try again/g)).toHaveLength(1);
});

test('Office refusing a call: the adapter’s sentence and the code are shown, Office’s own text only logged', () => {
  const office = Object.assign(new Error('n.getRange(...).expandTo is not a function'), { code: 'GeneralException' });
  const description = describeError(new HostError('OFFICE_CALL_FAILED', 'Word could not write the translations.', { cause: office }), english);
  expect(description).toMatchObject({
    message: 'Office refused the change. Try again in a moment.',
    details: 'Word could not write the translations.',
    code: 'OFFICE_CALL_FAILED',
    logged: office,
  });
  expect(JSON.stringify([description.title, description.message, description.details])).not.toMatch(/expandTo|getRange/);
});

test.each([
  ['a TypeError from minified code', new TypeError('n.getRange(...).expandTo is not a function')],
  ['an error that is not an Error', { message: 'RichApi.Error: GeneralException' }],
  ['a DOMException', new DOMException('The operation is insecure.', 'SecurityError')],
])('%s shows one plain sentence and a code; the raw text goes to the console only', (_name, raw) => {
  for (const messages of [english, german]) {
    const description = describeError(raw, messages);
    expect(description).toMatchObject({ kind: 'failure', code: UNEXPECTED_ERROR_CODE, logged: raw });
    expect(description.message).toMatch(messages === english ? /^Something went wrong inside the add-in\./ : /^Im Add-in ist etwas schiefgegangen\./);
    expect(`${description.title} ${description.message} ${description.details ?? ''}`).not.toMatch(/expandTo|RichApi|insecure/);
  }
});

test("the pane's own sentences (plain Errors) are shown as written", () => {
  expect(describeError(new Error(english.nothingToUse), english)).toEqual({
    kind: 'failure',
    title: english.errorTitle,
    message: english.nothingToUse,
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
