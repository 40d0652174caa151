// Which texts need no translation (skipUntranslatable): texts without words (numbers, dates, symbols),
// code, and texts already in the target language. Each decision errs towards sending: a text skipped
// wrongly stays untranslated, one sent needlessly only costs a request (the model returns it as it is).
import { rankLanguages } from '../shared/language-detection.js';
import type { UntranslatableReason } from '../../../contract/common-schemas.js';

/** Fewer letters than this: too short to tell languages apart with confidence, so the text is sent. */
const minimumLettersToDetect = 40;
/** The runner-up language's score, as a share of the best one's, must stay below this for a confident detection. */
const maximumRunnerUpShare = 0.85;

/** Why the text (plain, markers already stripped) is not worth a request, or undefined when it must be sent. */
export function untranslatableReason(text: string, targetLanguage: string): UntranslatableReason | undefined {
  if (!/\p{L}/u.test(text)) return 'no-words';
  if (looksLikeCode(text)) return 'code';
  if (isInLanguage(text, targetLanguage)) return 'already-in-target-language';
  return undefined;
}

/** True when the detector is confident the text is in the language (a BCP 47 tag; only its primary subtag counts). */
export function isInLanguage(text: string, language: string): boolean {
  const letters = text.match(/\p{L}/gu)?.length ?? 0;
  if (letters < minimumLettersToDetect) return false;
  const wanted = language.split('-')[0]?.toLowerCase() ?? '';
  const [best, runnerUp] = rankLanguages(text);
  if (best === undefined || best.language !== wanted) return false;
  return runnerUp === undefined || runnerUp.score < best.score * maximumRunnerUpShare;
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
