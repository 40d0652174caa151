// What the end user reads for each error code, in English and German: what happened, and exactly one
// piece of advice they can follow themselves (never "set LOCAL_MODEL", never two hints). The BFF's
// `message` is written for the administrator: the pane shows it only under "Details". Numbers come
// from the error's `details` (the server's limit, Retry-After) and are formatted for the UI language.
// The compiler fails when a code of the contract, of the host adapters or of the API client has no entry.
import type { ErrorCode } from '../../../contract/error-codes.js';
import type { HostErrorCode } from '../../../hosts/host-adapter.js';
import type { ClientErrorCode } from '../api/api-error.js';

/** One language's wording of one code. */
export interface ErrorWording {
  /** What happened, in one sentence, without advice. */
  what: string;
  /** The one thing the user can do, in one sentence. */
  advice: string;
  /** The same advice naming the server's number, used when the error carries it: `{limit}` or `{wait}`. */
  adviceWithNumber?: string;
}

export interface ErrorEntry {
  /** 'sign-in' offers a Sign-in button; 'forbidden' is for the administrator to fix. */
  kind?: 'sign-in' | 'forbidden';
  /** What `{limit}` counts: characters and items print as numbers, bytes as megabytes. */
  unit?: 'bytes';
  en: ErrorWording;
  de: ErrorWording;
  /** A different wording when the error is retryable (the same code can mean "not set up" or "starting"). */
  whileRetryable?: { en: ErrorWording; de: ErrorWording };
}

export type ErrorLanguage = 'en' | 'de';

const tryAgainLater = {
  en: { advice: 'Try again in a moment.', adviceWithNumber: 'Try again in {wait}.' },
  de: { advice: 'Versuchen Sie es gleich noch einmal.', adviceWithNumber: 'Versuchen Sie es in {wait} noch einmal.' },
};
const askAdministrator = { en: 'Ask your administrator.', de: 'Wenden Sie sich an Ihre Administration.' };
const unreadableRequest: ErrorEntry = {
  en: { what: "The service could not read the add-in's request.", advice: 'Reload the add-in, then run again.' },
  de: { what: 'Der Dienst konnte die Anfrage des Add-ins nicht lesen.', advice: 'Laden Sie das Add-in neu und führen Sie es dann erneut aus.' },
};

/** The codes of the BFF's contract (src/contract/error-codes.ts). */
export const serverErrorMessages = {
  INVALID_REQUEST: unreadableRequest,
  INVALID_JSON: unreadableRequest,
  UNSUPPORTED_MEDIA_TYPE: unreadableRequest,
  UNAUTHENTICATED: {
    kind: 'sign-in',
    en: { what: 'Your sign-in is missing or has expired; nothing was changed.', advice: 'Sign in with your work account.' },
    de: { what: 'Ihre Anmeldung fehlt oder ist abgelaufen; nichts wurde geändert.', advice: 'Melden Sie sich mit Ihrem Geschäftskonto an.' },
  },
  FORBIDDEN: {
    kind: 'forbidden',
    en: { what: 'Your account may not use the assistant.', advice: askAdministrator.en },
    de: { what: 'Ihr Konto darf den Assistenten nicht nutzen.', advice: askAdministrator.de },
  },
  NOT_FOUND: {
    en: { what: 'The service does not offer this task yet.', advice: askAdministrator.en },
    de: { what: 'Der Dienst bietet diese Aufgabe noch nicht an.', advice: askAdministrator.de },
  },
  PAYLOAD_TOO_LARGE: {
    unit: 'bytes',
    en: { what: 'Too much was sent at once.', advice: 'Select less, then run again.', adviceWithNumber: 'Select less: the limit is {limit} at once.' },
    de: {
      what: 'Es wurde zu viel auf einmal gesendet.',
      advice: 'Markieren Sie weniger und führen Sie es dann erneut aus.',
      adviceWithNumber: 'Markieren Sie weniger: Die Grenze liegt bei {limit} auf einmal.',
    },
  },
  INPUT_TOO_LARGE: {
    en: {
      what: 'The text is too long for the assistant.',
      advice: 'Select less text, then run again.',
      adviceWithNumber: 'Select less text: the limit is {limit} characters.',
    },
    de: {
      what: 'Der Text ist für den Assistenten zu lang.',
      advice: 'Markieren Sie weniger Text und führen Sie es dann erneut aus.',
      adviceWithNumber: 'Markieren Sie weniger Text: Die Grenze liegt bei {limit} Zeichen.',
    },
  },
  TOO_MANY_ITEMS: {
    en: {
      what: 'Too many rows or paragraphs are selected for one run.',
      advice: 'Select fewer, then run again.',
      adviceWithNumber: 'Select fewer: the limit is {limit} in one run.',
    },
    de: {
      what: 'Für einen Lauf sind zu viele Zeilen oder Absätze markiert.',
      advice: 'Markieren Sie weniger und führen Sie es dann erneut aus.',
      adviceWithNumber: 'Markieren Sie weniger: Die Grenze liegt bei {limit} pro Lauf.',
    },
  },
  TOO_MANY_LABELS: {
    en: { what: 'There are too many labels.', advice: 'Use fewer, broader labels.', adviceWithNumber: 'Use fewer, broader labels: the limit is {limit}.' },
    de: {
      what: 'Es sind zu viele Kategorien.',
      advice: 'Verwenden Sie weniger, allgemeinere Kategorien.',
      adviceWithNumber: 'Verwenden Sie weniger, allgemeinere Kategorien: Die Grenze liegt bei {limit}.',
    },
  },
  RATE_LIMITED: {
    en: { what: 'You sent many requests in a short time.', ...tryAgainLater.en },
    de: { what: 'Sie haben in kurzer Zeit viele Anfragen gesendet.', ...tryAgainLater.de },
  },
  BUDGET_EXCEEDED: {
    en: { what: 'This needs more than your whole daily allowance for the assistant.', advice: 'Select less text or fewer rows.' },
    de: { what: 'Das braucht mehr als Ihr ganzes Tageskontingent für den Assistenten.', advice: 'Markieren Sie weniger Text oder weniger Zeilen.' },
    whileRetryable: {
      en: {
        what: 'Your daily allowance for the assistant is used up.',
        advice: 'Run it again tomorrow.',
        adviceWithNumber: 'Run it again in {wait}, when it renews.',
      },
      de: {
        what: 'Ihr Tageskontingent für den Assistenten ist aufgebraucht.',
        advice: 'Führen Sie es morgen erneut aus.',
        adviceWithNumber: 'Führen Sie es in {wait} erneut aus, dann ist es erneuert.',
      },
    },
  },
  INTERNAL_ERROR: {
    en: { what: 'Something went wrong in the service.', ...tryAgainLater.en },
    de: { what: 'Im Dienst ist etwas schiefgegangen.', ...tryAgainLater.de },
  },
  PROVIDER_ERROR: {
    en: { what: 'The AI service failed to answer.', ...tryAgainLater.en },
    de: { what: 'Der KI-Dienst konnte nicht antworten.', ...tryAgainLater.de },
  },
  PROVIDER_AUTH_FAILED: {
    en: { what: "The assistant's access to its AI service is not set up correctly.", advice: askAdministrator.en },
    de: { what: 'Der Zugang des Assistenten zu seinem KI-Dienst ist nicht richtig eingerichtet.', advice: askAdministrator.de },
  },
  PROVIDER_REJECTED_REQUEST: {
    en: { what: 'The AI service refused this request.', advice: askAdministrator.en },
    de: { what: 'Der KI-Dienst hat diese Anfrage abgelehnt.', advice: askAdministrator.de },
  },
  INVALID_MODEL_OUTPUT: {
    en: { what: 'The AI service gave an answer that could not be used.', advice: 'Run again.' },
    de: { what: 'Der KI-Dienst hat eine unbrauchbare Antwort gegeben.', advice: 'Führen Sie es erneut aus.' },
  },
  PROVIDER_RATE_LIMITED: {
    en: { what: 'The AI service is busy.', ...tryAgainLater.en },
    de: { what: 'Der KI-Dienst ist ausgelastet.', ...tryAgainLater.de },
  },
  PROVIDER_UNAVAILABLE: {
    en: { what: 'The AI service is not available right now.', ...tryAgainLater.en },
    de: { what: 'Der KI-Dienst ist gerade nicht erreichbar.', ...tryAgainLater.de },
  },
  PROVIDER_NOT_READY: {
    en: { what: 'The assistant is not set up yet.', advice: askAdministrator.en },
    de: { what: 'Der Assistent ist noch nicht eingerichtet.', advice: askAdministrator.de },
    whileRetryable: {
      en: { what: 'The assistant is still starting.', ...tryAgainLater.en },
      de: { what: 'Der Assistent startet noch.', ...tryAgainLater.de },
    },
  },
  PROVIDER_TIMEOUT: {
    en: { what: 'The AI service took too long to answer.', advice: 'Select less text, or try again in a moment.' },
    de: { what: 'Der KI-Dienst hat zu lange für die Antwort gebraucht.', advice: 'Markieren Sie weniger Text oder versuchen Sie es gleich noch einmal.' },
  },
  AUTH_UNAVAILABLE: {
    en: { what: 'Your sign-in cannot be checked right now.', ...tryAgainLater.en },
    de: { what: 'Ihre Anmeldung kann gerade nicht geprüft werden.', ...tryAgainLater.de },
  },
  BUDGET_UNAVAILABLE: {
    en: { what: 'Your daily allowance cannot be checked right now, so no new work starts.', ...tryAgainLater.en },
    de: { what: 'Ihr Tageskontingent kann gerade nicht geprüft werden, daher beginnt keine neue Arbeit.', ...tryAgainLater.de },
  },
  EMPTY_ITEM: {
    en: { what: 'There was no text to work on.', advice: 'Select some text, then run again.' },
    de: { what: 'Es gab keinen Text zum Bearbeiten.', advice: 'Markieren Sie Text und führen Sie es dann erneut aus.' },
  },
  ATTACHMENT_ENCRYPTED: {
    en: { what: 'The attachment is password-protected, so its text cannot be read.', advice: 'Attach a copy without a password.' },
    de: { what: 'Der Anhang ist kennwortgeschützt, daher kann sein Text nicht gelesen werden.', advice: 'Hängen Sie eine Kopie ohne Kennwort an.' },
  },
  ATTACHMENT_NO_TEXT: {
    en: { what: 'The attachment has no text to read; it may be a scan or only images.', advice: 'Attach a version that contains text.' },
    de: {
      what: 'Der Anhang enthält keinen lesbaren Text; vielleicht ist er ein Scan oder besteht nur aus Bildern.',
      advice: 'Hängen Sie eine Fassung mit Text an.',
    },
  },
  ATTACHMENT_UNSUPPORTED: {
    en: { what: 'The attachment is of a kind the assistant cannot read, or it is damaged.', advice: 'Attach it as PDF, Word, Excel or plain text.' },
    de: {
      what: 'Der Anhang hat ein Format, das der Assistent nicht lesen kann, oder er ist beschädigt.',
      advice: 'Hängen Sie ihn als PDF-, Word-, Excel- oder Textdatei an.',
    },
  },
  ATTACHMENT_TOO_LARGE: {
    unit: 'bytes',
    en: { what: 'The attachment is too large to read.', advice: 'Use a smaller file.', adviceWithNumber: 'Use a smaller file: the limit is {limit}.' },
    de: {
      what: 'Der Anhang ist zu groß zum Lesen.',
      advice: 'Verwenden Sie eine kleinere Datei.',
      adviceWithNumber: 'Verwenden Sie eine kleinere Datei: Die Grenze liegt bei {limit}.',
    },
  },
  CANCELLED: {
    en: { what: 'The run was stopped.', advice: 'Run again to continue.' },
    de: { what: 'Der Lauf wurde gestoppt.', advice: 'Führen Sie es erneut aus, um weiterzumachen.' },
  },
} as const satisfies Record<ErrorCode, ErrorEntry>;

/** The codes of the host adapters' HostError (src/hosts/host-adapter.ts). */
export const hostErrorMessages = {
  DOCUMENT_CHANGED: {
    en: { what: 'The document changed while the add-in worked, so nothing was overwritten.', advice: 'Run again.' },
    de: { what: 'Das Dokument wurde während der Arbeit geändert, daher wurde nichts überschrieben.', advice: 'Führen Sie es erneut aus.' },
  },
  INVALID_ARGUMENT: {
    en: { what: 'Office could not use what is selected.', advice: 'Check the selection, then run again.' },
    de: { what: 'Office konnte die Markierung nicht verwenden.', advice: 'Prüfen Sie die Markierung und führen Sie es dann erneut aus.' },
  },
  NOT_AVAILABLE: {
    en: { what: 'This cannot be done here, with what is open in Office.', advice: 'Choose another option, or open another item.' },
    de: {
      what: 'Das ist hier mit dem, was in Office geöffnet ist, nicht möglich.',
      advice: 'Wählen Sie eine andere Option oder öffnen Sie ein anderes Element.',
    },
  },
  TEXT_TOO_LONG: {
    en: { what: 'The text is too long for this place in Office.', advice: 'Shorten it, then run again.' },
    de: { what: 'Der Text ist für diese Stelle in Office zu lang.', advice: 'Kürzen Sie ihn und führen Sie es dann erneut aus.' },
  },
  PAYLOAD_TOO_LARGE: {
    en: { what: 'That is too much data for Office at once.', advice: 'Select fewer rows or columns, then run again.' },
    de: { what: 'Das sind zu viele Daten für Office auf einmal.', advice: 'Markieren Sie weniger Zeilen oder Spalten und führen Sie es dann erneut aus.' },
  },
  OFFICE_CALL_FAILED: {
    en: { what: 'Office refused the change.', ...tryAgainLater.en },
    de: { what: 'Office hat die Änderung abgelehnt.', ...tryAgainLater.de },
  },
} as const satisfies Record<HostErrorCode, ErrorEntry>;

/** The code shown for a failure that has none of its own (a bug, or an error nobody anticipated). */
export const UNEXPECTED_ERROR_CODE = 'UNEXPECTED';

/** The pane's own codes: failures that never got the BFF's envelope, and anything unforeseen. */
export const clientErrorMessages = {
  NETWORK_ERROR: {
    en: { what: 'The add-in cannot reach its service.', advice: 'Check your network connection, then run again.' },
    de: { what: 'Das Add-in erreicht seinen Dienst nicht.', advice: 'Prüfen Sie Ihre Netzwerkverbindung und führen Sie es dann erneut aus.' },
  },
  STREAM_ENDED: {
    en: { what: 'The connection ended before the answer was complete.', advice: 'Run again.' },
    de: { what: 'Die Verbindung brach ab, bevor die Antwort vollständig war.', advice: 'Führen Sie es erneut aus.' },
  },
  STREAM_ERROR: {
    en: { what: 'The service reported an error without describing it.', ...tryAgainLater.en },
    de: { what: 'Der Dienst hat einen Fehler gemeldet, ohne ihn zu beschreiben.', ...tryAgainLater.de },
  },
  HTTP_ERROR: {
    en: { what: 'The service answered with an error.', ...tryAgainLater.en },
    de: { what: 'Der Dienst hat mit einem Fehler geantwortet.', ...tryAgainLater.de },
  },
  [UNEXPECTED_ERROR_CODE]: {
    en: { what: 'Something went wrong inside the add-in.', advice: 'Reload the add-in, then run again.' },
    de: { what: 'Im Add-in ist etwas schiefgegangen.', advice: 'Laden Sie das Add-in neu und führen Sie es dann erneut aus.' },
  },
} as const satisfies Record<ClientErrorCode | typeof UNEXPECTED_ERROR_CODE, ErrorEntry>;

/** A code this pane does not know yet (a newer server): said by whether trying again can help. */
const unknownServerError = { retryable: serverErrorMessages.INTERNAL_ERROR, final: serverErrorMessages.PROVIDER_REJECTED_REQUEST };

export interface ErrorFacts {
  retryable?: boolean | undefined;
  limit?: number | undefined;
  retryAfterSeconds?: number | undefined;
}

function lookUp(table: Record<string, ErrorEntry>, code: string): ErrorEntry | undefined {
  return Object.hasOwn(table, code) ? table[code] : undefined;
}

export function serverErrorEntry(code: string, retryable: boolean): ErrorEntry {
  return lookUp(serverErrorMessages, code) ?? lookUp(clientErrorMessages, code) ?? (retryable ? unknownServerError.retryable : unknownServerError.final);
}

export function hostErrorEntry(code: HostErrorCode): ErrorEntry {
  return hostErrorMessages[code];
}

/** "20 seconds", "3 minutes", "5 hours" in the UI language, with its plural rules (Intl). */
export function formatWait(seconds: number, locale: string): string {
  const [value, unit] =
    seconds < 90 ? [Math.max(1, Math.ceil(seconds)), 'second'] : seconds < 90 * 60 ? [Math.ceil(seconds / 60), 'minute'] : [Math.ceil(seconds / 3600), 'hour'];
  return new Intl.NumberFormat(locale, { style: 'unit', unit, unitDisplay: 'long' }).format(value);
}

function formatLimit(limit: number, entry: ErrorEntry, locale: string): string {
  if (entry.unit === 'bytes') {
    return new Intl.NumberFormat(locale, { style: 'unit', unit: 'megabyte', maximumFractionDigits: 1 }).format(limit / (1024 * 1024));
  }
  return new Intl.NumberFormat(locale).format(limit);
}

/** The user's sentence for an entry: what happened and one piece of advice, with the server's number when it has one. */
export function wordError(entry: ErrorEntry, language: ErrorLanguage, facts: ErrorFacts = {}): string {
  const wording = facts.retryable === true && entry.whileRetryable !== undefined ? entry.whileRetryable[language] : entry[language];
  const { adviceWithNumber } = wording;
  let advice = wording.advice;
  if (adviceWithNumber !== undefined) {
    if (adviceWithNumber.includes('{limit}') && facts.limit !== undefined) {
      advice = adviceWithNumber.replace('{limit}', formatLimit(facts.limit, entry, language));
    } else if (adviceWithNumber.includes('{wait}') && facts.retryable !== false && facts.retryAfterSeconds !== undefined) {
      advice = adviceWithNumber.replace('{wait}', formatWait(facts.retryAfterSeconds, language));
    }
  }
  return `${wording.what} ${advice}`;
}

/** Every entry of the table, for tests and for the catalogue's word lists. */
export const allErrorEntries: ReadonlyArray<[string, ErrorEntry]> = [
  ...Object.entries(serverErrorMessages),
  ...Object.entries(hostErrorMessages),
  ...Object.entries(clientErrorMessages),
];
