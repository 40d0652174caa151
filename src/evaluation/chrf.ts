// chrF (Popović 2015), computed the way sacrebleu 2.x does by default (`CHRF()`: character n-grams of
// order 1–6, whitespace removed, no word n-grams, beta 2, precision and recall averaged over the orders
// that occur before the F-score is taken). No kept Node library implements it, so this small one is
// tested against sacrebleu's published values (test/evaluation/chrf.test.ts).

/** Per order: n-grams of the hypothesis, of the reference, and how many of them match (clipped counts). */
export type ChrfStatistics = number[];

const characterOrder = 6;
const beta = 2;

function characterNgrams(text: string, order: number): Map<string, number> {
  // Whitespace carries no meaning for chrF; code points, not UTF-16 units, are the characters.
  const characters = Array.from(text.split(/\s+/u).join(''));
  const counts = new Map<string, number>();
  for (let start = 0; start + order <= characters.length; start += 1) {
    const gram = characters.slice(start, start + order).join('');
    counts.set(gram, (counts.get(gram) ?? 0) + 1);
  }
  return counts;
}

function total(counts: Map<string, number>): number {
  let sum = 0;
  for (const count of counts.values()) sum += count;
  return sum;
}

/** The statistics of one hypothesis against one reference. */
export function chrfStatistics(hypothesis: string, reference: string): ChrfStatistics {
  const statistics: number[] = [];
  for (let order = 1; order <= characterOrder; order += 1) {
    const hypothesisGrams = characterNgrams(hypothesis, order);
    const referenceGrams = characterNgrams(reference, order);
    let matches = 0;
    for (const [gram, count] of hypothesisGrams) matches += Math.min(count, referenceGrams.get(gram) ?? 0);
    statistics.push(total(hypothesisGrams), total(referenceGrams), matches);
  }
  return statistics;
}

/** chrF in 0–100 from (summed) statistics. */
export function chrfFromStatistics(statistics: ChrfStatistics): number {
  const factor = beta ** 2;
  let precision = 0;
  let recall = 0;
  let effectiveOrder = 0;
  for (let order = 0; order < characterOrder; order += 1) {
    const hypothesisCount = statistics[order * 3] ?? 0;
    const referenceCount = statistics[order * 3 + 1] ?? 0;
    const matches = statistics[order * 3 + 2] ?? 0;
    if (hypothesisCount > 0 && referenceCount > 0) {
      precision += matches / hypothesisCount;
      recall += matches / referenceCount;
      effectiveOrder += 1;
    }
  }
  if (effectiveOrder === 0) return 0;
  precision /= effectiveOrder;
  recall /= effectiveOrder;
  if (precision + recall === 0) return 0;
  return (100 * (1 + factor) * precision * recall) / (factor * precision + recall);
}

/** Sentence-level chrF: with several references, the best-scoring one counts (as in sacrebleu). */
export function sentenceChrf(hypothesis: string, references: readonly string[]): number {
  return chrfFromStatistics(bestStatistics(hypothesis, references));
}

/**
 * Corpus-level chrF: statistics summed over the segments, then one score. `references[k][i]` is the
 * k-th reference of segment i (sacrebleu's layout: one list per reference stream).
 */
export function corpusChrf(hypotheses: readonly string[], references: readonly (readonly string[])[]): number {
  const sum = new Array<number>(characterOrder * 3).fill(0);
  hypotheses.forEach((hypothesis, index) => {
    const candidates = references.map((stream) => stream[index]).filter((reference): reference is string => reference !== undefined);
    bestStatistics(hypothesis, candidates).forEach((value, position) => {
      sum[position] = (sum[position] ?? 0) + value;
    });
  });
  return chrfFromStatistics(sum);
}

function bestStatistics(hypothesis: string, references: readonly string[]): ChrfStatistics {
  let best: ChrfStatistics | undefined;
  let bestScore = -1;
  for (const reference of references) {
    const statistics = chrfStatistics(hypothesis, reference);
    const score = chrfFromStatistics(statistics);
    if (score > bestScore) {
      best = statistics;
      bestScore = score;
    }
  }
  return best ?? new Array<number>(characterOrder * 3).fill(0);
}
