// Excel calls a custom function once per cell (or once per range argument); the batcher turns the
// calls that arrive together (until a quiet window of tens of milliseconds) into one request to the BFF's v1 operation, grouped by what
// must be equal within a request (classify: labels and instructions; translate: target and source
// language; summarize: the length, one text per request as the operation takes one). DataLoader does
// the collecting: a quiet window, at most `maxBatchItems` texts a request, each distinct text
// asked once while it is pending. Answers are remembered for the workbook's session, so a recalculation
// asks nothing; a reopened workbook asks the BFF, whose result cache answers without the model.
//
// Safety: more than `confirmationThreshold` distinct texts sent in a session wait for the user's
// confirmation in the pane (their cells show #N/A "Confirm in the AI pane…"); a failure no cell can
// overcome (sign-in, outage, limits) is held for a while and answers later windows without a request;
// `stop()` aborts the requests in flight and fails every waiting cell.
import DataLoader from 'dataloader';
import type { SummaryLength } from '../contract/options.js';
import type { ApiClient } from '../taskpane/shared/api/api-client.js';
import { glossaryRequestFields, readStoredGlossary, type Glossary } from '../taskpane/shared/api/translate-glossary.js';
import { format, formatCount, type Messages } from '../taskpane/shared/i18n/messages.js';
import { FormulaError, formulaErrorFrom, itemError } from './cell-errors.js';

export interface FormulaBatcherOptions {
  api: Pick<ApiClient, 'run'>;
  messages: Messages;
  /** A request goes out once no new call came for this long (Excel delivers a recalculation's calls in bursts)… */
  windowMilliseconds?: number;
  /** …or once its first call has waited this long. */
  maxWaitMilliseconds?: number;
  /** Most texts in one classify or translate request (the BFF splits it further into model calls). */
  maxBatchItems?: number;
  /** Distinct texts a session may send before the pane must confirm more. */
  confirmationThreshold?: number;
  /** How long a service-wide failure answers new cells without asking again. */
  serviceFailureHoldMilliseconds?: number;
  /** Asks Excel (or the preview) to calculate again, after a confirmation. */
  recalculate?: () => void | Promise<void>;
  /** Most answers remembered for the session (the oldest go first). */
  maxRememberedAnswers?: number;
  /**
   * The user's glossary for =AI.TRANSLATE, read at each call so an edit in the pane applies to the next
   * calculation; by default the copy the pane saved (same page and storage in Excel's shared runtime).
   */
  glossary?: () => Glossary;
  now?: () => number;
}

export interface FormulaActivity {
  /** Cell calls waiting for an answer. */
  waitingCells: number;
  requestsInFlight: number;
  /** Requests sent to the BFF in this session. */
  requestsSent: number;
  /** Distinct texts refused until the user confirms in the pane. */
  awaitingConfirmation: number;
}

export interface FormulaBatcher {
  classify(text: string, labels: readonly string[], instructions: string | undefined): Promise<string>;
  translate(text: string, targetLanguage: string, sourceLanguage: string | undefined): Promise<string>;
  summarize(text: string, length: SummaryLength | undefined): Promise<string>;
  activity(): FormulaActivity;
  subscribe(listener: () => void): () => void;
  /** The user allows the refused texts: they run on the recalculation this starts. */
  confirm(): void;
  /** Aborts the requests in flight; every waiting cell gets #N/A "Stopped". */
  stop(): void;
}

type SendBatch = (texts: readonly string[], signal: AbortSignal) => Promise<(string | FormulaError)[]>;

interface Generation {
  controller: AbortController;
  loaders: Map<string, DataLoader<string, string>>;
}

export const defaultFormulaSettings = {
  windowMilliseconds: 25,
  maxWaitMilliseconds: 250,
  maxBatchItems: 1_000,
  confirmationThreshold: 2_000,
  serviceFailureHoldMilliseconds: 10_000,
  maxRememberedAnswers: 50_000,
};

export function createFormulaBatcher(options: FormulaBatcherOptions): FormulaBatcher {
  const settings = { ...defaultFormulaSettings, ...definedOnly(options) };
  const { api, messages } = options;
  const now = options.now ?? Date.now;
  const listeners = new Set<() => void>();
  const answers = new Map<string, string>();
  const activity: FormulaActivity = { waitingCells: 0, requestsInFlight: 0, requestsSent: 0, awaitingConfirmation: 0 };
  let approvedItems: number = settings.confirmationThreshold;
  let sentItems = 0;
  let held: { error: FormulaError; until: number } | undefined;
  let generation: Generation = { controller: new AbortController(), loaders: new Map() };
  let lastCallAt = now();

  /** DataLoader's schedule: dispatch after a quiet window, or at the latest after maxWaitMilliseconds. */
  const scheduleBatch = (dispatch: () => void) => {
    const openedAt = now();
    const check = () => {
      const quiet = now() - lastCallAt;
      const waited = now() - openedAt;
      if (quiet >= settings.windowMilliseconds || waited >= settings.maxWaitMilliseconds) dispatch();
      else setTimeout(check, Math.min(settings.windowMilliseconds - quiet, settings.maxWaitMilliseconds - waited));
    };
    setTimeout(check, settings.windowMilliseconds);
  };

  const notify = () => {
    for (const listener of listeners) listener();
  };
  const stoppedError = () => new FormulaError('STOPPED', messages.formulaStopped, 'not-available', 'service');

  const remember = (key: string, answer: string) => {
    answers.set(key, answer);
    if (answers.size > settings.maxRememberedAnswers) answers.delete(answers.keys().next().value as string);
  };

  function batchFunction(owner: Generation, send: SendBatch) {
    return async (texts: readonly string[]): Promise<(string | Error)[]> => {
      if (owner !== generation) return texts.map(stoppedError);
      if (held !== undefined && held.until > now()) return texts.map(() => held?.error ?? stoppedError());
      held = undefined;
      if (sentItems + texts.length > approvedItems) {
        activity.awaitingConfirmation += texts.length;
        notify();
        const refused = new FormulaError(
          'CONFIRMATION_REQUIRED',
          formatCount(messages, messages.formulaConfirm, activity.awaitingConfirmation),
          'not-available',
        );
        return texts.map(() => refused);
      }
      sentItems += texts.length;
      activity.requestsInFlight += 1;
      activity.requestsSent += 1;
      notify();
      try {
        const answered = await send(texts, owner.controller.signal);
        return texts.map(
          (_text, index) => answered[index] ?? new FormulaError('NO_ANSWER', format(messages.formulaItemFailed, { code: 'NO_ANSWER' }), 'not-available'),
        );
      } catch (error) {
        const failure = owner.controller.signal.aborted ? stoppedError() : formulaErrorFrom(error, messages);
        // One outage or missing sign-in is one error for every cell, not a request per window.
        if (failure.scope === 'service' && failure.code !== 'STOPPED') held = { error: failure, until: now() + settings.serviceFailureHoldMilliseconds };
        return texts.map(() => failure);
      } finally {
        activity.requestsInFlight -= 1;
        notify();
      }
    };
  }

  async function load(group: string, maxBatchItems: number, send: SendBatch, text: string): Promise<string> {
    const answerKey = `${group}\u0000${text}`;
    const known = answers.get(answerKey);
    if (known !== undefined) return known;
    const owner = generation;
    let loader = owner.loaders.get(group);
    if (loader === undefined) {
      loader = new DataLoader<string, string>(batchFunction(owner, send), {
        batchScheduleFn: scheduleBatch,
        maxBatchSize: maxBatchItems,
      });
      owner.loaders.set(group, loader);
    }
    activity.waitingCells += 1;
    lastCallAt = now();
    notify();
    try {
      const answer = await loader.load(text);
      remember(answerKey, answer);
      return answer;
    } catch (error) {
      // A failure is not remembered: the next calculation asks again.
      loader.clear(text);
      throw error;
    } finally {
      activity.waitingCells -= 1;
      notify();
    }
  }

  const noAnswer = () => new FormulaError('NO_ANSWER', format(messages.formulaItemFailed, { code: 'NO_ANSWER' }), 'not-available');

  return {
    classify: (text, labels, instructions) =>
      load(
        JSON.stringify(['classify', labels, instructions ?? null]),
        settings.maxBatchItems,
        async (texts, signal) => {
          const response = await api.run(
            'classify',
            { items: [...texts], labels: [...labels], ...(instructions === undefined ? {} : { instructions }) },
            { signal },
          );
          return response.results.map((result) => result.label ?? itemError(result.error, messages));
        },
        text,
      ),
    translate: (text, targetLanguage, sourceLanguage) => {
      const glossaryFields = glossaryRequestFields((options.glossary ?? readStoredGlossary)());
      // The glossary is part of the group (and so of the remembered answers): a changed glossary asks again.
      return load(
        JSON.stringify(['translate', targetLanguage, sourceLanguage ?? null, glossaryFields]),
        settings.maxBatchItems,
        async (texts, signal) => {
          const response = await api.run(
            'translate',
            { texts: [...texts], targetLanguage, ...(sourceLanguage === undefined ? {} : { sourceLanguage }), perItemErrors: true, ...glossaryFields },
            { signal },
          );
          // With perItemErrors a failed text has its own error; a BFF without it fails the whole request instead.
          if (response.results !== undefined) return response.results.map((result) => result.text ?? itemError(result.error, messages));
          return response.translations.map((translation) => (translation === '' ? noAnswer() : translation));
        },
        text,
      );
    },
    summarize: (text, length) =>
      load(
        JSON.stringify(['summarize', length ?? null]),
        1,
        async (texts, signal) => {
          const [only = ''] = texts;
          const response = await api.run('summarize', { text: only, kind: 'text', ...(length === undefined ? {} : { length }) }, { signal });
          return [response.summary];
        },
        text,
      ),
    activity: () => ({ ...activity }),
    subscribe: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    confirm: () => {
      approvedItems = Math.max(approvedItems, sentItems) + activity.awaitingConfirmation;
      activity.awaitingConfirmation = 0;
      held = undefined;
      notify();
      void Promise.resolve(options.recalculate?.()).catch(() => undefined);
    },
    stop: () => {
      const stopped = generation;
      generation = { controller: new AbortController(), loaders: new Map() };
      stopped.controller.abort();
      activity.awaitingConfirmation = 0;
      held = undefined;
      notify();
    },
  };
}

function definedOnly(options: FormulaBatcherOptions): Partial<typeof defaultFormulaSettings> {
  const chosen: Partial<Record<keyof typeof defaultFormulaSettings, number>> = {};
  for (const key of Object.keys(defaultFormulaSettings) as (keyof typeof defaultFormulaSettings)[]) {
    const value = options[key];
    if (value !== undefined) chosen[key] = value;
  }
  return chosen as Partial<typeof defaultFormulaSettings>;
}
