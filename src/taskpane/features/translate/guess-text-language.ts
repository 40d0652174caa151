// A guess of a text's language from its most frequent short words, good enough to pick a translation
// target (German text and a German user: English), small enough for the pane's bundle. The BFF detects
// the language properly (ELD, on the server) when it translates; this only chooses a default the user can change.

/** Frequent function words that rarely appear in the other languages' texts. */
const commonWords: Record<string, readonly string[]> = {
  en: ['the', 'and', 'is', 'are', 'was', 'were', 'to', 'of', 'in', 'for', 'with', 'that', 'this', 'you', 'we', 'it', 'not', 'have', 'be', 'on', 'will', 'our'],
  de: [
    'der',
    'die',
    'das',
    'und',
    'ist',
    'sind',
    'nicht',
    'mit',
    'für',
    'auf',
    'ein',
    'eine',
    'zu',
    'den',
    'dem',
    'auch',
    'wir',
    'ich',
    'sie',
    'von',
    'bitte',
    'ihr',
  ],
  fr: ['le', 'la', 'les', 'et', 'est', 'des', 'une', 'pour', 'dans', 'que', 'qui', 'pas', 'nous', 'vous', 'avec', 'sur', 'du', 'au'],
  es: ['el', 'los', 'las', 'y', 'es', 'una', 'para', 'con', 'que', 'por', 'del', 'pero', 'como', 'muy', 'hay', 'su', 'nosotros', 'está'],
  it: ['il', 'gli', 'e', 'è', 'che', 'per', 'una', 'con', 'non', 'sono', 'della', 'del', 'alla', 'anche', 'ci', 'questo', 'siamo'],
  nl: ['de', 'het', 'een', 'en', 'is', 'zijn', 'niet', 'met', 'voor', 'op', 'van', 'dat', 'wij', 'ik', 'ook', 'naar', 'maar'],
  pt: ['o', 'os', 'as', 'e', 'é', 'uma', 'para', 'com', 'que', 'não', 'do', 'da', 'em', 'por', 'mais', 'nós', 'você'],
};

const lookup = new Map<string, string[]>();
for (const [language, words] of Object.entries(commonWords)) {
  for (const word of words) lookup.set(word, [...(lookup.get(word) ?? []), language]);
}

/** Fewer hits than this: too little text to tell. */
const minimumHits = 3;

/**
 * The primary language subtag the text is most likely written in ('en', 'de', …), or undefined when the
 * text is too short or no language clearly leads (the runner-up has at least two thirds of the leader's hits).
 */
export function guessTextLanguage(text: string): string | undefined {
  const hits = new Map<string, number>();
  for (const word of text.toLowerCase().match(/\p{L}+/gu) ?? []) {
    for (const language of lookup.get(word) ?? []) hits.set(language, (hits.get(language) ?? 0) + 1);
  }
  const [best, runnerUp] = [...hits.entries()].sort((a, b) => b[1] - a[1]);
  if (best === undefined || best[1] < minimumHits) return undefined;
  if (runnerUp !== undefined && runnerUp[1] * 3 >= best[1] * 2) return undefined;
  return best[0];
}

/**
 * The target to propose when the text is already in the current target: the user's own language, or when
 * that is the text's language too, English (German for English text).
 */
export function otherLanguage(textLanguage: string, userLanguage: string): string {
  const user = userLanguage.split('-')[0]?.toLowerCase() ?? 'en';
  if (user !== textLanguage) return user;
  return textLanguage === 'en' ? 'de' : 'en';
}
