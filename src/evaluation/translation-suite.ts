// Translation, German ⇄ English, without reference translations: each paragraph goes de→en and the
// English back en→de (both through the translate operation, with the glossary and its inverse).
// Exact checks on each leg: every number, URL, listed name and glossary term of the input must be in
// the output. The round trip is scored with chrF (the back translation against the German source):
// a reference-free signal that meaning survived, not a measure of fluency.
import type { TranslationSet } from './data-sets.js';
import { corpusChrf, sentenceChrf } from './chrf.js';
import { costOf, wilsonInterval, type Prices, type Proportion } from './metrics.js';
import { failureCode, measured, runTranslate, type EvaluationContext, type MeasuredUsage } from './run-operation.js';

export type CheckKind = 'numbers' | 'urls' | 'names' | 'glossary';
export const checkKinds: readonly CheckKind[] = ['numbers', 'urls', 'names', 'glossary'];

export interface LegResult {
  direction: 'de→en' | 'en→de';
  /** Paragraphs that came back without a translation. */
  failedParagraphs: number;
  errors: Record<string, number>;
  /** Per kind: how many of the input's items the output kept. */
  checks: Record<CheckKind, Proportion>;
}

export interface TranslationSuiteResult {
  paragraphs: number;
  legs: LegResult[];
  /** Corpus chrF of the back translation against the source (0–100). */
  roundTripChrf: number;
  /** Per paragraph, in document order. */
  paragraphChrf: number[];
  usage: MeasuredUsage;
  wallMilliseconds: number;
  cost: number | undefined;
}

const urlPattern = /https?:\/\/[^\s)>\]]+[^\s)>\].,;:!?]/gu;
// Digit runs; a number written with separators is checked by its digit runs, which any locale keeps.
const numberPattern = /\d+/gu;

/** What the input holds that the output must keep, per kind. */
export function expectedItems(input: string, names: readonly string[], glossary: Record<string, string>): Record<CheckKind, string[]> {
  const urls = input.match(urlPattern) ?? [];
  const withoutUrls = urls.reduce((text, url) => text.split(url).join(' '), input);
  return {
    numbers: withoutUrls.match(numberPattern) ?? [],
    urls,
    names: names.filter((name) => input.includes(name)),
    glossary: Object.entries(glossary)
      .filter(([term]) => input.toLocaleLowerCase('de').includes(term.toLocaleLowerCase('de')))
      .map(([, translation]) => translation),
  };
}

/** Each expected item is kept when the output contains it (numbers, URLs and names exactly; glossary terms ignoring case). */
export function keptItems(output: string, expected: Record<CheckKind, string[]>): Record<CheckKind, number> {
  const lower = output.toLocaleLowerCase('de');
  const numbersInOutput = output.match(numberPattern) ?? [];
  const remaining = [...numbersInOutput];
  let numbers = 0;
  for (const number of expected.numbers) {
    // Counted with multiplicity: "2017 … 2017" needs both.
    const at = remaining.indexOf(number);
    if (at >= 0) {
      remaining.splice(at, 1);
      numbers += 1;
    }
  }
  return {
    numbers,
    urls: expected.urls.filter((url) => output.includes(url)).length,
    names: expected.names.filter((name) => output.includes(name)).length,
    glossary: expected.glossary.filter((term) => lower.includes(term.toLocaleLowerCase('de'))).length,
  };
}

export async function runTranslationSuite(set: TranslationSet, context: EvaluationContext, prices: Prices | undefined): Promise<TranslationSuiteResult> {
  const inverseGlossary = Object.fromEntries(Object.entries(set.glossary).map(([german, english]) => [english, german]));
  const { result, usage, wallMilliseconds } = await measured(context, async (measuredContext) => {
    const forward = await translateLeg(set.paragraphs, 'de', 'en', set.glossary, set.names, measuredContext);
    const back = await translateLeg(
      forward.outputs.map((output) => output ?? ''),
      'en',
      'de',
      inverseGlossary,
      set.names,
      measuredContext,
    );
    return { forward, back };
  });
  const backTexts = result.back.outputs.map((output) => output ?? '');
  return {
    paragraphs: set.paragraphs.length,
    legs: [result.forward.leg, result.back.leg],
    roundTripChrf: corpusChrf(backTexts, [set.paragraphs]),
    paragraphChrf: backTexts.map((text, index) => sentenceChrf(text, [set.paragraphs[index] ?? ''])),
    usage,
    wallMilliseconds,
    cost: costOf(usage.promptTokens, usage.completionTokens, prices),
  };
}

async function translateLeg(
  inputs: string[],
  sourceLanguage: 'de' | 'en',
  targetLanguage: 'de' | 'en',
  glossary: Record<string, string>,
  names: readonly string[],
  context: EvaluationContext,
): Promise<{ outputs: (string | null)[]; leg: LegResult }> {
  const errors: Record<string, number> = {};
  const countError = (code: string, count = 1) => {
    errors[code] = (errors[code] ?? 0) + count;
  };
  // An input lost on the first leg has nothing to translate back: it fails here too, and counts so.
  const todo = inputs.map((input, index) => ({ input, index })).filter(({ input }) => input.trim() !== '');
  const outputs: (string | null)[] = inputs.map(() => null);
  if (todo.length < inputs.length) countError('NOTHING_TO_TRANSLATE', inputs.length - todo.length);
  if (todo.length > 0) {
    try {
      // All paragraphs in one request, as the Word pane sends a selection.
      const response = await runTranslate({ texts: todo.map(({ input }) => input), sourceLanguage, targetLanguage, glossary, perItemErrors: true }, context);
      todo.forEach(({ index }, position) => {
        const result = response.results?.[position];
        const text = result === undefined ? response.translations[position] : result.text;
        if (text == null || text === '') countError(result?.error?.code ?? 'INTERNAL_ERROR');
        else outputs[index] = text;
      });
    } catch (error) {
      countError(failureCode(error), todo.length);
    }
  }
  const expectedTotals = { numbers: 0, urls: 0, names: 0, glossary: 0 };
  const keptTotals = { numbers: 0, urls: 0, names: 0, glossary: 0 };
  inputs.forEach((input, index) => {
    const expected = expectedItems(input, names, glossary);
    const kept = keptItems(outputs[index] ?? '', expected);
    for (const kind of checkKinds) {
      expectedTotals[kind] += expected[kind].length;
      keptTotals[kind] += kept[kind];
    }
  });
  const checks = Object.fromEntries(checkKinds.map((kind) => [kind, wilsonInterval(keptTotals[kind], expectedTotals[kind])])) as Record<CheckKind, Proportion>;
  return {
    outputs,
    leg: {
      direction: sourceLanguage === 'de' ? 'de→en' : 'en→de',
      failedParagraphs: outputs.filter((output) => output === null).length,
      errors,
      checks,
    },
  };
}
