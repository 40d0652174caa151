import { accuracy, costOf, macroF1, wilsonInterval } from '../../src/evaluation/metrics.js';

describe('Wilson interval (95%)', () => {
  test('0 of n and n of n: the closed forms n/(n+z²) and z²/(n+z²)', () => {
    const z2 = 1.959963984540054 ** 2;
    expect(wilsonInterval(0, 10)).toMatchObject({ value: 0, low: 0 });
    expect(wilsonInterval(0, 10).high).toBeCloseTo(z2 / (10 + z2), 12);
    expect(wilsonInterval(10, 10)).toMatchObject({ value: 1, high: 1 });
    expect(wilsonInterval(10, 10).low).toBeCloseTo(10 / (10 + z2), 12);
  });

  test('a published value: 81 of 263 → 0.2553–0.3662 (Newcombe 1998, method 3)', () => {
    const interval = wilsonInterval(81, 263);
    expect(interval.low).toBeCloseTo(0.2553, 4);
    expect(interval.high).toBeCloseTo(0.3662, 4);
  });

  test('symmetric, narrower with more rows, and 0–1 for no rows', () => {
    const low = wilsonInterval(3, 20);
    const high = wilsonInterval(17, 20);
    expect(low.low).toBeCloseTo(1 - high.high, 12);
    expect(wilsonInterval(170, 200).high - wilsonInterval(170, 200).low).toBeLessThan(high.high - high.low);
    expect(wilsonInterval(0, 0)).toEqual({ value: 0, successes: 0, total: 0, low: 0, high: 1 });
  });
});

test('accuracy counts a row without a label as wrong', () => {
  expect(
    accuracy([
      { gold: 'a', predicted: 'a' },
      { gold: 'b', predicted: null },
    ]),
  ).toMatchObject({ value: 0.5, successes: 1, total: 2 });
});

test("macro-F1 matches scikit-learn's documented example (0.2666…)", () => {
  // sklearn.metrics.f1_score(y_true=[0, 1, 2, 0, 1, 2], y_pred=[0, 2, 1, 0, 0, 1], average='macro') == 0.26666666666666666
  const gold = ['0', '1', '2', '0', '1', '2'];
  const predicted = ['0', '2', '1', '0', '0', '1'];
  expect(macroF1(gold.map((label, index) => ({ gold: label, predicted: predicted[index] ?? null })))).toBeCloseTo(0.26666666666666666, 12);
});

test('macro-F1 weighs a rare label as much as a frequent one', () => {
  const predictions = [...Array.from({ length: 9 }, () => ({ gold: 'common', predicted: 'common' })), { gold: 'rare', predicted: 'common' }];
  expect(accuracy(predictions).value).toBe(0.9);
  // common: F1 = 18/19; rare: 0.
  expect(macroF1(predictions)).toBeCloseTo(18 / 19 / 2, 12);
});

test('cost: tokens times the price per million; none without prices', () => {
  expect(costOf(2_000_000, 500_000, { inputPerMillionTokens: 0.15, outputPerMillionTokens: 0.6 })).toBeCloseTo(0.6, 12);
  expect(costOf(1, 1, undefined)).toBeUndefined();
});
