// The pane's cheap guess of a text's language, which picks the translation target's default.
import { guessTextLanguage, otherLanguage } from '../../src/taskpane/features/translate/guess-text-language.js';
import { sampleEmail } from '../../src/hosts/preview/sample-documents.js';

describe('guessTextLanguage', () => {
  test.each([
    ['en', 'Next quarter we will move the chat tool to the new platform and train two more people on billing questions.'],
    ['de', 'Die neue Wissensdatenbank ist seit Mai online. Kundinnen und Kunden finden dort Anleitungen zu Rechnungen und Lieferungen.'],
    ['de', sampleEmail.body.split('-----Original Message-----')[0] ?? ''],
    ['fr', 'Nous avons reçu la facture et nous vous remercions pour votre aide avec le paiement.'],
    ['es', 'El pedido no llegó y el seguimiento se detuvo el lunes, pero nadie me responde.'],
  ])('tells %s', (language, text) => {
    expect(guessTextLanguage(text)).toBe(language);
  });

  test('too little text, or two languages in equal measure: no guess', () => {
    expect(guessTextLanguage('Quarterly update')).toBeUndefined();
    expect(guessTextLanguage('')).toBeUndefined();
    // The Word sample mixes English and German paragraphs.
    expect(guessTextLanguage('The price is good and we want it. Der Preis ist gut und wir wollen das.')).toBeUndefined();
  });
});

describe('otherLanguage', () => {
  test('the user’s own language, or when the text is in it, English (German for English text)', () => {
    expect(otherLanguage('de', 'en-US')).toBe('en');
    expect(otherLanguage('de', 'de-DE')).toBe('en');
    expect(otherLanguage('en', 'en-GB')).toBe('de');
    expect(otherLanguage('fr', 'de-DE')).toBe('de');
  });
});
