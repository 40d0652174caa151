// Which texts skipUntranslatable leaves unsent. A wrong skip leaves the user's text untranslated, so
// every doubt goes towards sending: short texts and close calls between languages are sent.
import { untranslatableReason } from '../../src/server/operations/translate/untranslatable.js';

test('a text clearly in the target language, a numbers-only text and code are not sent', () => {
  expect(untranslatableReason('Die Lieferung kommt am Montag und die Rechnung folgt eine Woche später.', 'de')).toBe('already-in-target-language');
  expect(untranslatableReason('The delivery arrives on Monday and the invoice follows a week later.', 'en-GB')).toBe('already-in-target-language');
  expect(untranslatableReason('12.03.2026 — 4,500.00 €', 'de')).toBe('no-words');
  expect(untranslatableReason('const total = items.reduce((sum, item) => sum + item.price, 0);', 'de')).toBe('code');
});

test('close calls and short texts are sent', () => {
  expect(untranslatableReason('Train two more people on billing questions.', 'fr')).toBeUndefined();
  expect(untranslatableReason('Please confirm the meeting for next week.', 'en')).toBeUndefined();
  expect(untranslatableReason('The delivery arrives on Monday and the invoice follows a week later.', 'fr')).toBeUndefined();
  // A sentence mentioning a call is prose, not code.
  expect(untranslatableReason('Run print() once to see the value, then close the window.', 'de')).toBeUndefined();
});
