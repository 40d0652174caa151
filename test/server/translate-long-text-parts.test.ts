// Splitting a text too long for one request: paragraphs first, then lines, sentences, words, and
// characters only for a word longer than a part; every part fits, and the parts joined with the kept
// separators are exactly the text again. Measured with the real o200k_base tokenizer.
import { joinParts, splitIntoParts } from '../../src/server/operations/translate/long-text-parts.js';
import { createTokenCounter } from '../../src/server/engine/tokenizer.js';

const count = (text: string) => createTokenCounter('gpt-4o-mini').count(text);

function expectExactParts(text: string, maxTokens: number, locale?: string) {
  const { parts, separators } = splitIntoParts(text, maxTokens, count, locale);
  expect(separators).toHaveLength(parts.length - 1);
  for (const part of parts) {
    expect(part.length).toBeGreaterThan(0);
    expect(part).toBe(part.trim());
    expect(count(part)).toBeLessThanOrEqual(maxTokens);
  }
  expect(joinParts(parts, separators)).toBe(text);
  return { parts, separators };
}

test('a text that fits stays one part', () => {
  expect(splitIntoParts('Ein kurzer Satz.', 100, count)).toEqual({ parts: ['Ein kurzer Satz.'], separators: [] });
});

test('paragraphs are the first boundary, and their separators (blank lines, indentation) are kept exactly', () => {
  const paragraph = (n: number) => `Absatz ${n}: ${'Die Lieferung kommt am Montag an. '.repeat(6).trim()}`;
  const text = [paragraph(1), paragraph(2), paragraph(3), paragraph(4)].join('\n\n  \n');
  const { parts, separators } = expectExactParts(text, count(paragraph(1)) + 5);
  expect(parts).toEqual([paragraph(1), paragraph(2), paragraph(3), paragraph(4)]);
  expect(separators).toEqual(['\n\n  \n', '\n\n  \n', '\n\n  \n']);
});

test('neighbouring paragraphs share a part while they fit', () => {
  const text = ['Eins.', 'Zwei.', 'Drei.', 'Vier.'].join('\n\n');
  const { parts } = expectExactParts(text, count('Eins.\n\nZwei.') + 1);
  expect(parts).toEqual(['Eins.\n\nZwei.', 'Drei.\n\nVier.']);
});

test('a paragraph longer than a part is split at sentences (Intl.Segmenter), keeping the spaces between them', () => {
  const sentences = Array.from({ length: 12 }, (_, n) => `Satz Nummer ${n + 1} erklärt, dass Dr. Weber am Montag kommt?`);
  const text = sentences.join('  ');
  const { parts, separators } = expectExactParts(text, count(sentences[0]!) * 3, 'de');
  expect(parts.length).toBeGreaterThanOrEqual(4);
  // Every part ends at a sentence end, never inside "Dr. Weber".
  for (const part of parts) expect(part).toMatch(/Montag kommt\?$/u);
  expect(new Set(separators)).toEqual(new Set(['  ']));
});

test('a sentence longer than a part is split at words; a word longer than a part is cut by characters', () => {
  const longSentence = Array.from({ length: 400 }, (_, n) => `wort${n}`).join(' ');
  const longWord = 'x'.repeat(3_000);
  const text = `${longSentence}\n${longWord}`;
  const { parts } = expectExactParts(text, 50);
  expect(parts.length).toBeGreaterThan(10);
  // Word parts end at a word; the long word comes in several pieces of its own, joined back without a space.
  expect(parts.filter((part) => /^wort/u.test(part)).every((part) => /^(wort\d+ )*wort\d+$/u.test(part))).toBe(true);
  expect(parts.filter((part) => /^x+$/u.test(part)).length).toBeGreaterThanOrEqual(2);
});
