// chrF against sacrebleu's published value: the README of sacrebleu 2.x scores this system output
// against two reference streams as "chrF2 = 59.73" (CHRF(), its defaults: character 6-grams, beta 2).
import { chrfFromStatistics, chrfStatistics, corpusChrf, sentenceChrf } from '../../src/evaluation/chrf.js';

const references = [
  ['The dog bit the man.', 'It was not unexpected.', 'The man bit him first.'],
  ['The dog had bit the man.', 'No one was surprised.', 'The man had bitten the dog.'],
];
const system = ['The dog bit the man.', "It wasn't surprising.", 'The man had just bitten him.'];

test("reproduces sacrebleu's documented corpus score (chrF2 = 59.73)", () => {
  expect(corpusChrf(system, references).toFixed(2)).toBe('59.73');
});

test('with one reference stream the score changes (the best reference per segment matters)', () => {
  expect(corpusChrf(system, [references[0] ?? []])).not.toBeCloseTo(59.73, 1);
});

test('identical text scores 100, text with no character in common 0, an empty hypothesis 0', () => {
  expect(sentenceChrf('Die Katze sitzt auf der Matte.', ['Die Katze sitzt auf der Matte.'])).toBe(100);
  expect(sentenceChrf('xyz', ['abc'])).toBe(0);
  expect(sentenceChrf('', ['abc'])).toBe(0);
});

test('whitespace does not count; characters are code points, not UTF-16 units', () => {
  expect(sentenceChrf('Die  Katze\nsitzt', ['DieKatze sitzt'])).toBe(100);
  // Six emoji are six characters: 6+5+4+3+2+1 n-grams, not twice as many.
  const statistics = chrfStatistics('😀😁😂🤣😃😄', '😀😁😂🤣😃😄');
  expect(statistics.filter((_, index) => index % 3 === 0)).toEqual([6, 5, 4, 3, 2, 1]);
});

test('recall weighs more than precision (beta 2): dropping text costs more than adding it', () => {
  const reference = ['Der Vertrag beginnt am 1. Mai 2024 und endet am 30. April 2025.'];
  const truncated = sentenceChrf('Der Vertrag beginnt am 1. Mai 2024.', reference);
  const padded = sentenceChrf('Der Vertrag beginnt am 1. Mai 2024 und endet am 30. April 2025. Danke und bis bald!', reference);
  expect(padded).toBeGreaterThan(truncated);
  expect(chrfFromStatistics(new Array<number>(18).fill(0))).toBe(0);
});
