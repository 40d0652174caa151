// Checks of a translation against the rules its request set: span markers kept (markup: 'spans'), glossary
// terms translated as fixed, do-not-translate terms unchanged. A text whose answer breaks a rule is asked
// once more with the broken rules spelled out; what still breaks them is reported on the text
// (markupDropped, glossaryMissed), never silently passed off as a faithful translation.
import type { TranslateRequest, TranslateResult } from '../../../contract/operations/translate.js';
import { parseSpanMarkup, sameMarkers, stripSpanMarkup, type SpanNode } from '../../../contract/span-markup.js';
import type { AnswerProblems } from './translate-prompt.js';

export interface AnswerRules {
  markup: boolean;
  glossary: [term: string, translation: string][];
  doNotTranslate: string[];
}

export function answerRules(request: TranslateRequest): AnswerRules {
  return { markup: request.markup === 'spans', glossary: Object.entries(request.glossary ?? {}), doNotTranslate: request.doNotTranslate ?? [] };
}

/** The source's plain text for checks and language detection. */
export function plainText(text: string, rules: AnswerRules): string {
  return rules.markup ? stripSpanMarkup(text) : text;
}

/** The rules the answer breaks; undefined when it keeps them all. */
export function answerProblems(source: string, translation: string, rules: AnswerRules): AnswerProblems | undefined {
  const problems: AnswerProblems = {};
  if (rules.markup && !sameMarkers(source, translation)) problems.lostMarkers = markerNames(source);
  const missed = missedTerms(plainText(source, rules), plainText(translation, rules), rules);
  if (missed.translations.length > 0) problems.missedTranslations = missed.translations;
  if (missed.keep.length > 0) problems.missedKeepTerms = missed.keep;
  return Object.keys(problems).length === 0 ? undefined : problems;
}

/**
 * Of two answers for the same source (the first and its re-ask), the one to deliver: the re-ask, unless it
 * lost the markers the first kept (formatting outweighs a term, which the result names anyway).
 */
export function betterAnswer(source: string, first: string, second: string, rules: AnswerRules): string {
  if (rules.markup && !sameMarkers(source, second) && sameMarkers(source, first)) return first;
  return second;
}

/**
 * The result for a source and its final answer: with markup, an answer that lost its markers becomes the
 * plain translation (markupDropped); terms still missing are named (glossaryMissed). `clean` says whether
 * the answer may be cached: a degraded one is asked again on the next run.
 */
export function finalResult(source: string, translation: string, rules: AnswerRules): { result: TranslateResult; clean: boolean } {
  let text = translation.trim();
  const result: TranslateResult = { text };
  if (rules.markup && !sameMarkers(source, text)) {
    text = stripSpanMarkup(text);
    result.text = text;
    result.markupDropped = true;
  }
  const missed = missedTerms(plainText(source, rules), result.markupDropped === true ? text : plainText(text, rules), rules);
  const glossaryMissed = [...missed.translations.map(([term]) => term), ...missed.keep];
  if (glossaryMissed.length > 0) result.glossaryMissed = glossaryMissed;
  return { result, clean: result.markupDropped !== true && glossaryMissed.length === 0 };
}

/**
 * Terms of the source the translation lacks: a glossary term found in the source (ignoring case) needs its
 * fixed translation (ignoring case); a do-not-translate term needs to appear as the source writes it.
 */
function missedTerms(plainSource: string, plainTranslation: string, rules: AnswerRules): { translations: [string, string][]; keep: string[] } {
  const sourceLower = plainSource.toLowerCase();
  const translationLower = plainTranslation.toLowerCase();
  const translations = rules.glossary.filter(([term, fixed]) => sourceLower.includes(term.toLowerCase()) && !translationLower.includes(fixed.toLowerCase()));
  const keep: string[] = [];
  for (const term of rules.doNotTranslate) {
    const at = sourceLower.indexOf(term.toLowerCase());
    if (at < 0) continue;
    const asWritten = plainSource.slice(at, at + term.length);
    if (!plainTranslation.includes(asWritten)) keep.push(asWritten);
  }
  return { translations, keep };
}

/** The source's markers as the model sees them: `<s1> </s1> <x1/>`, in reading order. */
function markerNames(source: string): string[] {
  const parsed = parseSpanMarkup(source);
  if (!parsed.ok) return [];
  const names: string[] = [];
  const walk = (nodes: readonly SpanNode[]) => {
    for (const node of nodes) {
      if (node.kind === 'item') names.push(`<x${node.id}/>`);
      if (node.kind === 'span') {
        names.push(`<s${node.id}>`);
        walk(node.children);
        names.push(`</s${node.id}>`);
      }
    }
  };
  walk(parsed.nodes);
  return names;
}
