// Which texts need no translation (skipUntranslatable): texts without words (numbers, dates, symbols),
// code, and texts already in the target language. Each decision errs towards sending: a text skipped
// wrongly stays untranslated, one sent needlessly only costs a request (the model returns it as it is).
import { francAll } from 'franc-min';
import { iso6393 } from 'iso-639-3';
import type { UntranslatableReason } from '../../../contract/common-schemas.js';

/**
 * Fewer letters than this: too short for franc to tell languages apart reliably, so the text is sent.
 * (franc-min ranks "Train two more people on billing questions." French first, English at 0.87.)
 */
const minimumLettersToDetect = 40;
/** The runner-up language's score (the best one scores 1) must stay below this for a confident detection. */
const maximumRunnerUpScore = 0.85;

const iso6393By6391 = new Map(iso6393.filter((language) => language.iso6391).map((language) => [language.iso6391 as string, language.iso6393]));

/** Why the text (plain, markers already stripped) is not worth a request, or undefined when it must be sent. */
export function untranslatableReason(text: string, targetLanguage: string): UntranslatableReason | undefined {
  if (!/\p{L}/u.test(text)) return 'no-words';
  if (looksLikeCode(text)) return 'code';
  if (isInLanguage(text, targetLanguage)) return 'already-in-target-language';
  return undefined;
}

/** True when franc is confident the text is in the language (a BCP 47 tag; only its primary subtag counts). */
export function isInLanguage(text: string, language: string): boolean {
  const letters = text.match(/\p{L}/gu)?.length ?? 0;
  if (letters < minimumLettersToDetect) return false;
  const primary = language.split('-')[0]?.toLowerCase() ?? '';
  const wanted = iso6393By6391.get(primary) ?? primary;
  const [best, runnerUp] = francAll(text, { minLength: minimumLettersToDetect });
  if (best === undefined || best[0] !== wanted) return false;
  return runnerUp === undefined || runnerUp[1] < maximumRunnerUpScore;
}

const codeSignals: RegExp[] = [
  // Statement and block endings at line ends.
  /[;{}]\s*$/mu,
  // Keywords of common languages followed by code-like syntax.
  /\b(?:function|const|let|var|return|def|class|import|from|public|private|static|void|int|#include|SELECT|INSERT|UPDATE)\b[^.!?]*[=({:;]/u,
  // Operators prose rarely has.
  /=>|==|!=|&&|\|\||::|->|\+=|<\/?[a-z][\w-]*>/u,
  // A call: name(arguments).
  /\b[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*\([^()\n]*\)/u,
  // Comment starts.
  /^\s*(?:\/\/|\/\*|#!)/mu,
];

/**
 * Code, by its signals: at least two kinds of code syntax and a share of symbols prose does not have. A
 * sentence that mentions `print()` has one signal; a line of JavaScript has several.
 */
export function looksLikeCode(text: string): boolean {
  const signals = codeSignals.filter((signal) => signal.test(text)).length;
  if (signals < 2) return false;
  const characters = text.replace(/\s/gu, '').length;
  const symbols = text.match(/[{}()[\];=<>+\-*/&|!:.,"'`$#%^~\\]/gu)?.length ?? 0;
  return characters > 0 && symbols / characters >= 0.12;
}
