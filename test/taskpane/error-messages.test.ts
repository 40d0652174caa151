// The one table of what the end user reads for each error code: every code of the contract, of the
// host adapters and of the API client has a sentence in English and German, written for someone who
// cannot change server settings (no environment variables), with exactly one piece of advice, never the
// server's own English, and the server's numbers (limit, Retry-After) in the UI language's digits.
import { APIError, APIConnectionError } from 'openai';
import { errorCodes, type ErrorCode } from '../../src/contract/error-codes.js';
import { errorEnvelopeSchema } from '../../src/contract/schemas.js';
import { HostError, type HostErrorCode } from '../../src/hosts/host-adapter.js';
import { AppError } from '../../src/server/errors.js';
import { toAppError } from '../../src/server/http/error-handler.js';
import { buildOpenApiDocument } from '../../src/server/http/openapi.js';
import { checkItems, checkTextLength } from '../../src/server/operations/shared/input-limits.js';
import { upstreamError } from '../../src/server/providers/openai/openai-errors.js';
import { ApiError, clientErrorCodes, errorFromEnvelope, errorFromResponse } from '../../src/taskpane/shared/api/api-error.js';
import {
  allErrorEntries,
  clientErrorMessages,
  hostErrorMessages,
  serverErrorMessages,
  wordError,
  type ErrorWording,
} from '../../src/taskpane/shared/i18n/error-messages.js';
import { english, german, type Messages } from '../../src/taskpane/shared/i18n/messages.js';
import { describeError } from '../../src/taskpane/shared/ui/describe-error.js';
import { useBffWithFakeProvider } from '../support/bff.js';
import { foreignWords } from '../support/catalogue-words.js';
import { postStream } from '../support/http-client.js';

const contractCodes = Object.keys(errorCodes) as ErrorCode[];
const hostCodes: HostErrorCode[] = ['DOCUMENT_CHANGED', 'INVALID_ARGUMENT', 'NOT_AVAILABLE', 'TEXT_TOO_LONG', 'PAYLOAD_TOO_LARGE', 'OFFICE_CALL_FAILED'];
const languages: [string, Messages][] = [
  ['en', english],
  ['de', german],
];

/** A sentence that tells the user to do something, by its imperative. */
const advicePattern = {
  en: /^(Try|Select|Ask|Run|Sign in|Check|Reload|Use|Choose|Attach|Shorten)\b/,
  de: /\b(Versuchen|Markieren|Wenden|Führen|Melden|Prüfen|Laden|Verwenden|Wählen|Hängen|Kürzen) Sie\b/,
};
const sentencesOf = (text: string) => text.split(/(?<=[.!?])\s+/).filter((sentence) => sentence !== '');
const environmentVariable = /[A-Z_]{4,}=?/;

/** What the server writes for the administrator: environment variables, its own advice. */
const serverText = (code: string) => `The server's own English for ${code}: set LOCAL_MODEL=/path/to/model.gguf or OPENAI_BASE_URL. Try again in a moment.`;

function shownFor(error: unknown, messages: Messages): string {
  const description = describeError(error, messages);
  return [description.title, description.message, description.partial ?? ''].join(' ');
}

describe.each(languages)('in %s', (language, messages) => {
  const lang = language as 'en' | 'de';

  test.each(contractCodes)('%s: the user reads their own sentence with one piece of advice, the server’s English only under Details', (code) => {
    for (const retryable of [false, true]) {
      for (const details of [undefined, { limit: 1_000_000, retryAfterSeconds: 20 }]) {
        const error = new ApiError({ code, message: serverText(code), retryable, ...(details === undefined ? {} : { details }) }, errorCodes[code].status);
        const description = describeError(error, messages);
        expect(description.message.length).toBeGreaterThan(10);
        expect(description.message).not.toContain(serverText(code).slice(0, 30));
        expect(description.details).toBe(serverText(code));
        expect(description.code).toBe(code);
        const shown = shownFor(error, messages);
        expect(shown).not.toMatch(environmentVariable);
        const advice = sentencesOf(description.message).filter((sentence) => advicePattern[lang].test(sentence));
        expect(advice).toHaveLength(1);
        expect(foreignWords(shown, lang)).toEqual([]);
      }
    }
  });

  test.each(hostCodes)('host error %s: the table’s sentence, the adapter’s English under Details', (code) => {
    const adapterText = `The adapter's own English for ${code}: shorten it (at most 1,000,000).`;
    const description = describeError(new HostError(code, adapterText), messages);
    expect(description.message).not.toContain("adapter's own English");
    expect(description.details).toBe(adapterText);
    expect(sentencesOf(description.message).filter((sentence) => advicePattern[lang].test(sentence))).toHaveLength(1);
    expect(foreignWords(description.message, lang)).toEqual([]);
  });

  test.each([...clientErrorCodes])('client error %s has its own sentence', (code) => {
    const description = describeError(new ApiError({ code, message: serverText(code), retryable: true }), messages);
    expect(description.message).toBe(wordError(clientErrorMessages[code], lang, { retryable: true }));
    expect(sentencesOf(description.message).filter((sentence) => advicePattern[lang].test(sentence))).toHaveLength(1);
    expect(foreignWords(description.message, lang)).toEqual([]);
  });
});

test('every wording of the table: one sentence of what happened without advice, one sentence of advice', () => {
  const entries = allErrorEntries;
  expect(Object.keys(serverErrorMessages).sort()).toEqual([...contractCodes].sort());
  expect(Object.keys(hostErrorMessages).sort()).toEqual([...hostCodes].sort());
  expect(entries.map(([code]) => code)).toEqual(expect.arrayContaining([...contractCodes, ...hostCodes, ...clientErrorCodes, 'UNEXPECTED']));
  for (const [code, entry] of entries) {
    for (const lang of ['en', 'de'] as const) {
      const wordings: ErrorWording[] = [entry[lang], ...(entry.whileRetryable === undefined ? [] : [entry.whileRetryable[lang]])];
      for (const wording of wordings) {
        const context = `${code} (${lang})`;
        expect([context, sentencesOf(wording.what)]).toEqual([context, [wording.what]]);
        expect([context, advicePattern[lang].test(wording.what)]).toEqual([context, false]);
        for (const advice of [wording.advice, ...(wording.adviceWithNumber === undefined ? [] : [wording.adviceWithNumber])]) {
          expect([context, sentencesOf(advice)]).toEqual([context, [advice]]);
          expect([context, advicePattern[lang].test(advice)]).toEqual([context, true]);
        }
        // German wording does not borrow the English side's words, nor English the German side's.
        expect([context, foreignWords(`${wording.what} ${wording.advice} ${wording.adviceWithNumber ?? ''}`, lang)]).toEqual([context, []]);
      }
    }
  }
});

test("the server's numbers are said in the user's language: the limit, and how long to wait", () => {
  const tooLong = new ApiError({ code: 'INPUT_TOO_LARGE', message: 'x', retryable: false, details: { limit: 1_000_000 } }, 413);
  expect(describeError(tooLong, english).message).toBe('The text is too long for the assistant. Select less text: the limit is 1,000,000 characters.');
  expect(describeError(tooLong, german).message).toBe(
    'Der Text ist für den Assistenten zu lang. Markieren Sie weniger Text: Die Grenze liegt bei 1.000.000 Zeichen.',
  );

  const busy = new ApiError({ code: 'PROVIDER_RATE_LIMITED', message: 'x', retryable: true, details: { retryAfterSeconds: 20 } }, 503);
  expect(describeError(busy, english).message).toBe('The AI service is busy. Try again in 20 seconds.');
  expect(describeError(busy, german).message).toBe('Der KI-Dienst ist ausgelastet. Versuchen Sie es in 20 Sekunden noch einmal.');
  const oneSecond = new ApiError({ code: 'RATE_LIMITED', message: 'x', retryable: true, details: { retryAfterSeconds: 1 } }, 429);
  expect(describeError(oneSecond, german).message).toMatch(/in 1 Sekunde noch einmal\.$/);

  // The budget renews at midnight: hours, not 18,000 seconds.
  const budget = new ApiError({ code: 'BUDGET_EXCEEDED', message: 'x', retryable: true, details: { retryAfterSeconds: 5 * 3600 } }, 429);
  expect(describeError(budget, english).message).toBe('Your daily allowance for the assistant is used up. Run it again in 5 hours, when it renews.');

  const body = new ApiError({ code: 'PAYLOAD_TOO_LARGE', message: 'x', retryable: false, details: { limit: 16_777_216 } }, 413);
  expect(describeError(body, german).message).toBe('Es wurde zu viel auf einmal gesendet. Markieren Sie weniger: Die Grenze liegt bei 16 MB auf einmal.');

  // Not configured (not retryable) is for the administrator; starting (retryable) passes with time.
  const notSetUp = new ApiError({ code: 'PROVIDER_NOT_READY', message: 'Set LOCAL_MODEL=…', retryable: false }, 503);
  expect(describeError(notSetUp, english).message).toBe('The assistant is not set up yet. Ask your administrator.');
  const starting = new ApiError({ code: 'PROVIDER_NOT_READY', message: 'Downloading', retryable: true, details: { retryAfterSeconds: 20 } }, 503);
  expect(describeError(starting, english).message).toBe('The assistant is still starting. Try again in 20 seconds.');
  // A wait is not offered when trying again cannot help, even if a Retry-After came along.
  const refused = new ApiError({ code: 'PROVIDER_UNAVAILABLE', message: 'x', retryable: false, details: { retryAfterSeconds: 20 } }, 503);
  expect(describeError(refused, english).message).not.toMatch(/20/);
});

test('a code this pane does not know yet is said by whether trying again helps', () => {
  const retryable = describeError(new ApiError({ code: 'JOB_SOMETHING_NEW', message: 'x', retryable: true }, 500), german);
  expect(retryable).toMatchObject({ code: 'JOB_SOMETHING_NEW', message: expect.stringMatching(/Versuchen Sie es gleich noch einmal\.$/) });
  const final = describeError(new ApiError({ code: 'JOB_SOMETHING_NEW', message: 'x', retryable: false }, 400), english);
  expect(final.message).toMatch(/Ask your administrator\.$/);
});

describe("the BFF's real errors: the body carries the numbers, the pane says them, never the BFF's English", () => {
  const limits = {
    maxTextCharacters: 1_000_000,
    maxItems: 10_000,
    maxItemCharacters: 20_000,
    maxTotalCharacters: 2_000_000,
    maxLabels: 500,
    maxLabelCharacters: 200,
    bodyLimitBytes: 16_777_216,
  };
  const thrown = (run: () => void): AppError => {
    try {
      run();
    } catch (error) {
      if (error instanceof AppError) return error;
      throw error;
    }
    throw new Error('nothing was thrown');
  };
  /** The error as the pane receives it: the body through the contract's envelope, as JSON. */
  const received = (error: AppError): ApiError => {
    const envelope = errorEnvelopeSchema.parse(JSON.parse(JSON.stringify({ error: error.toBody() })));
    return errorFromEnvelope(envelope);
  };

  const cases: [string, AppError, RegExp][] = [
    [
      'a text over the limit',
      thrown(() => checkTextLength('x'.repeat(1_000_001), 'The text', 'Select less text and try again.', limits)),
      /1,000,000 characters/,
    ],
    [
      'too many rows',
      thrown(() =>
        checkItems(
          Array.from({ length: 10_001 }, () => 'x'),
          'items',
          limits,
        ),
      ),
      /limit is 10,000 in one run/,
    ],
    ['a body over the limit', toAppError({ code: 'FST_ERR_CTP_BODY_TOO_LARGE' }, 16_777_216), /16 MB/],
    [
      'a provider refusing the key',
      upstreamError(APIError.generate(401, { error: { message: 'bad key' } }, 'bad key', new Headers()), { provider: 'openai', model: 'm' }),
      /Ask your administrator/,
    ],
    [
      'a provider rate limit',
      upstreamError(APIError.generate(429, { error: { message: 'slow down' } }, 'slow down', new Headers({ 'retry-after': '20' })), {
        provider: 'openai',
        model: 'm',
      }),
      /Try again in 20 seconds\./,
    ],
    ['an unreachable provider', upstreamError(new APIConnectionError({ message: 'refused' }), { provider: 'openai', model: 'm' }), /Try again in 5 seconds\./],
  ];

  test.each(cases)('%s', (_name, appError, said) => {
    const error = received(appError);
    const description = describeError(error, english);
    expect(description.message).toMatch(said);
    expect(description.message).not.toBe(appError.message);
    // What happened is said in the pane's words (a shared "Try again in 20 seconds." is fine).
    expect(description.message).not.toContain(sentencesOf(appError.message)[0]);
    expect(description.message).not.toMatch(environmentVariable);
    expect(description.details).toBe(appError.message);
    expect(foreignWords(describeError(error, german).message, 'de')).toEqual([]);
  });
});

test('the OpenAPI document shows the additive error details (limit, actual, retryAfterSeconds) beside the unchanged fields', () => {
  const schemas = (buildOpenApiDocument('test') as { components: { schemas: Record<string, { properties?: Record<string, unknown>; required?: string[] }> } })
    .components.schemas;
  const body = schemas['ErrorBody']!;
  expect(Object.keys(body.properties ?? {})).toEqual(expect.arrayContaining(['code', 'message', 'retryable', 'details']));
  expect(body.required).toEqual(expect.arrayContaining(['code', 'message', 'retryable']));
  expect(body.required).not.toContain('details');
  expect(JSON.stringify(schemas)).toMatch(/"limit"[\s\S]*"actual"[\s\S]*"retryAfterSeconds"/);
});

describe('a real BFF with a configured limit', () => {
  const { bff } = { bff: useBffWithFakeProvider({ MAX_TEXT_CHARACTERS: '1200', MAX_ITEMS: '3' }) };

  test('states the limit in details, and the pane says it in German digits without the English message', async () => {
    const response = await fetch(`${bff.bff.url}/api/v1/summarize`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'x'.repeat(1201) }),
    });
    expect(response.status).toBe(413);
    const error = await errorFromResponse(response);
    expect(error).toMatchObject({ code: 'INPUT_TOO_LARGE', details: { limit: 1200, actual: 1201 } });
    const description = describeError(error, german);
    expect(description.message).toBe('Der Text ist für den Assistenten zu lang. Markieren Sie weniger Text: Die Grenze liegt bei 1.200 Zeichen.');
    expect(description.details).toMatch(/this server accepts at most 1,200/);
  });

  test('a streamed error event carries the same details', async () => {
    const { events } = await postStream(`${bff.bff.url}/api/v1/classify`, { items: ['a', 'b', 'c', 'd'], labels: ['x', 'y'] });
    const failure = events.find((event) => event.event === 'error');
    const envelope = errorEnvelopeSchema.parse(failure?.data ?? JSON.parse(JSON.stringify({ error: { code: 'none', message: '', retryable: false } })));
    expect(envelope.error).toMatchObject({ code: 'TOO_MANY_ITEMS', details: { limit: 3, actual: 4 } });
    expect(describeError(errorFromEnvelope(envelope), english).message).toBe(
      'Too many rows or paragraphs are selected for one run. Select fewer: the limit is 3 in one run.',
    );
  });
});
