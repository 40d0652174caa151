// Word: translation of the selected paragraphs or the whole document, with their formatting. Each paragraph goes
// with its span markers (`markup: 'spans'`), per-item errors and `skipUntranslatable`, plus the user's glossary; the
// BFF checks the markers and falls back to plain text for a paragraph whose markers the model could not keep.
// Paragraphs an earlier run already translated (its translation is there) are not sent again: Stop, then run
// again, resumes. Translations that arrived before Stop are written: a stopped run loses nothing finished.
import type { ErrorBody, TranslateRequest, TranslateResponse, TranslateResult } from '../../../contract/schemas.js';
import { isAbortError } from '../../../contract/abort.js';
import { escapeSpanText, stripSpanMarkup } from '../../../contract/span-markup.js';
import type { TextBlock, TextDocumentAccess, TranslationPlacement } from '../../../hosts/host-adapter.js';
import type { ApiClient } from '../../shared/api/api-client.js';
import { ApiError } from '../../shared/api/api-error.js';
import { glossaryRequestFields, type Glossary } from '../../shared/api/translate-glossary.js';
import { formatCount, type Messages } from '../../shared/i18n/messages.js';

export interface TranslateDocumentParagraphsOptions {
  text: TextDocumentAccess;
  api: ApiClient;
  scope: 'selection' | 'document';
  targetLanguage: string;
  placement: TranslationPlacement;
  glossary?: Glossary | undefined;
  signal: AbortSignal;
  messages: Messages;
  onProgress: (done: number, total: number) => void;
  onStopped: (note: string) => void;
  /** Asked with the request before it is sent (the whole document's estimate, shared/ui/run-estimate.tsx); false: nothing is sent. */
  confirm?: ((request: TranslateRequest) => Promise<boolean>) | undefined;
}

/** What a run did, in numbers: the status sentence is built from these. */
export interface ParagraphTranslationCounts {
  written: number;
  changed: number;
  failed: number;
  /** Formatted spans carried into written translations. */
  spansKept: number;
  /** Paragraphs whose markers could not be kept: written as plain text in the paragraph's style. */
  markupDropped: number;
  /** Not sent: an earlier run's translation is already there. */
  alreadyTranslated: number;
  /** Not sent by the server's choice: already in the target language, numbers only, or code. */
  skipped: number;
}

const countSpans = (markup: string | undefined): number => (markup === undefined ? 0 : (markup.match(/<s\d+>/g) ?? []).length);

export async function translateDocumentParagraphs(
  options: TranslateDocumentParagraphsOptions,
): Promise<{ status: string; counts: ParagraphTranslationCounts }> {
  const { text, api, scope, targetLanguage, placement, glossary, signal, messages, onProgress, onStopped, confirm } = options;
  const read = (await text.readParagraphs(scope)).filter((block) => block.text.trim() !== '');
  const alreadyTranslated = read.filter((block) => block.alreadyTranslated === true).length;
  const blocks = read.filter((block) => block.alreadyTranslated !== true);
  const counts: ParagraphTranslationCounts = { written: 0, changed: 0, failed: 0, spansKept: 0, markupDropped: 0, alreadyTranslated, skipped: 0 };
  if (blocks.length === 0) {
    if (alreadyTranslated > 0) return { status: formatCount(messages, messages.paragraphsAlreadyTranslated, alreadyTranslated), counts };
    throw new Error(messages.nothingToUse);
  }
  const withMarkup = blocks.some((block) => block.markup !== undefined);
  // What each written paragraph gets: markup for a block read with markup (escaped plain text when dropped).
  const received = new Map<number, string>();
  const failed = new Map<number, ErrorBody>();
  const dropped = new Set<number>();
  const accept = (index: number, result: TranslateResult) => {
    const block = blocks[index] as TextBlock;
    if (result.skipped !== undefined) {
      // Left as it is: nothing to write.
      received.delete(index);
      failed.delete(index);
      return 'skipped' as const;
    }
    if (result.text === null || result.error !== undefined) {
      received.delete(index);
      failed.set(index, result.error ?? { code: 'INVALID_MODEL_OUTPUT', message: '', retryable: true });
      return 'failed' as const;
    }
    failed.delete(index);
    if (block.markup !== undefined && result.markupDropped === true) {
      dropped.add(index);
      received.set(index, escapeSpanText(result.text));
    } else {
      dropped.delete(index);
      // A block without markers went escaped in a markup request: its translation comes back escaped.
      received.set(index, block.markup === undefined && withMarkup && result.markupDropped !== true ? stripSpanMarkup(result.text) : result.text);
    }
    return 'translated' as const;
  };
  const write = async () => {
    const done = [...received.keys()].sort((a, b) => a - b);
    if (done.length === 0) return { written: 0, changed: [] as string[] };
    return text.writeTranslations(
      done.map((index) => blocks[index] as TextBlock),
      done.map((index) => received.get(index) ?? ''),
      placement,
    );
  };
  const changedSentence = (changed: readonly string[]) => (changed.length === 0 ? [] : [formatCount(messages, messages.paragraphsChanged, changed.length)]);
  const request: TranslateRequest = {
    texts: blocks.map((block) => block.markup ?? (withMarkup ? escapeSpanText(block.text) : block.text)),
    targetLanguage,
    perItemErrors: true,
    skipUntranslatable: true,
    ...(withMarkup ? { markup: 'spans' as const } : {}),
    ...glossaryRequestFields(glossary),
  };
  if (confirm !== undefined && !(await confirm(request))) return { status: messages.estimateCancelled, counts };
  let response: TranslateResponse;
  try {
    response = await api.run('translate', request, {
      signal,
      onItem: (event) => {
        if (event.error !== undefined) failed.set(event.index, event.error);
        else if (event.text !== undefined && event.text !== null) accept(event.index, event as TranslateResult);
      },
      onProgress: (event) => onProgress(event.done, event.total),
    });
  } catch (error) {
    if (signal.aborted || isAbortError(error)) {
      const { written, changed } = await write();
      const kept = written === 0 ? messages.stoppedNothingWritten : formatCount(messages, messages.stoppedParagraphs, written, { total: blocks.length });
      onStopped([kept, ...changedSentence(changed), ...(written > 0 ? [messages.stoppedRunAgainResumes] : [])].join(' '));
    }
    throw error;
  }
  // The final answer is the reference; a server without per-item results answers translations only.
  const results: TranslateResult[] = response.results ?? response.translations.map((translation) => ({ text: translation }));
  let skipped = 0;
  results.forEach((result, index) => {
    if (accept(index, result) === 'skipped') skipped += 1;
  });
  const [firstFailure] = failed.values();
  // Nothing translated: the reason is the answer, shown as any failed request is.
  if (received.size === 0 && skipped === 0 && firstFailure !== undefined) throw new ApiError(firstFailure);
  const { written, changed } = await write();
  const changedIds = new Set(changed);
  for (const index of received.keys()) {
    const block = blocks[index] as TextBlock;
    // A comment is plain text: no span is kept there.
    if (placement !== 'comment' && !changedIds.has(block.id) && !dropped.has(index)) counts.spansKept += countSpans(block.markup);
  }
  Object.assign(counts, { written, changed: changed.length, failed: failed.size, markupDropped: dropped.size, skipped });
  const status = [
    formatCount(messages, messages.translatedParagraphs, written),
    ...(counts.spansKept === 0 ? [] : [formatCount(messages, messages.formattedSpansKept, counts.spansKept)]),
    ...(dropped.size === 0 ? [] : [formatCount(messages, messages.paragraphsMarkupDropped, dropped.size)]),
    ...(alreadyTranslated === 0 ? [] : [formatCount(messages, messages.paragraphsAlreadyTranslated, alreadyTranslated)]),
    ...(skipped === 0 ? [] : [formatCount(messages, messages.paragraphsLeftAsTheyAre, skipped)]),
    ...changedSentence(changed),
    ...(firstFailure === undefined ? [] : [formatCount(messages, messages.paragraphsFailed, failed.size, { code: firstFailure.code })]),
  ].join(' ');
  return { status, counts };
}
