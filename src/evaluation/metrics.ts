// Scores for a classification run and the uncertainty that a sample of n rows leaves. Accuracy is
// reported with a Wilson score interval (95%): unlike the normal approximation it stays inside 0–1
// and is honest at 0% and 100%, where small samples land most often.

export interface Proportion {
  /** successes / total, 0 when total is 0. */
  value: number;
  successes: number;
  total: number;
  /** 95% Wilson score interval. */
  low: number;
  high: number;
}

const z95 = 1.959963984540054;

export function wilsonInterval(successes: number, total: number, z = z95): Proportion {
  if (total === 0) return { value: 0, successes: 0, total: 0, low: 0, high: 1 };
  const p = successes / total;
  const z2 = z * z;
  const denominator = 1 + z2 / total;
  const centre = (p + z2 / (2 * total)) / denominator;
  const margin = (z * Math.sqrt((p * (1 - p)) / total + z2 / (4 * total * total))) / denominator;
  // Exact at the edges: floating point would otherwise leave 0.9999999 or 1e-17.
  return { value: p, successes, total, low: successes === 0 ? 0 : Math.max(0, centre - margin), high: successes === total ? 1 : Math.min(1, centre + margin) };
}

/** One row's outcome: the gold label and what came back (null: the row got no label). */
export interface LabelledPrediction {
  gold: string;
  predicted: string | null;
}

export function accuracy(predictions: readonly LabelledPrediction[]): Proportion {
  const correct = predictions.filter((prediction) => prediction.predicted === prediction.gold).length;
  return wilsonInterval(correct, predictions.length);
}

/**
 * Macro-F1 over the gold labels of the sample (scikit-learn's `f1_score(average='macro')` with the
 * labels that occur in gold or prediction): each label's F1 counts the same, so a model that ignores
 * rare intents is not hidden by frequent ones. A row without a label is a miss for its gold label.
 */
export function macroF1(predictions: readonly LabelledPrediction[]): number {
  const labels = new Set<string>();
  for (const { gold, predicted } of predictions) {
    labels.add(gold);
    if (predicted !== null) labels.add(predicted);
  }
  if (labels.size === 0) return 0;
  let sum = 0;
  for (const label of labels) {
    let truePositives = 0;
    let falsePositives = 0;
    let falseNegatives = 0;
    for (const { gold, predicted } of predictions) {
      if (predicted === label && gold === label) truePositives += 1;
      else if (predicted === label) falsePositives += 1;
      else if (gold === label) falseNegatives += 1;
    }
    const denominator = 2 * truePositives + falsePositives + falseNegatives;
    sum += denominator === 0 ? 0 : (2 * truePositives) / denominator;
  }
  return sum / labels.size;
}

/** Price per million tokens, as providers publish them. */
export interface Prices {
  inputPerMillionTokens: number;
  outputPerMillionTokens: number;
}

export function costOf(promptTokens: number, completionTokens: number, prices: Prices | undefined): number | undefined {
  if (prices === undefined) return undefined;
  return (promptTokens * prices.inputPerMillionTokens + completionTokens * prices.outputPerMillionTokens) / 1_000_000;
}
