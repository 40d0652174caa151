// Packs items into requests by tokens, in order: each batch stays within an input budget (the items'
// own tokens as sent) and an answer budget (what the model must write back for them), and within a
// count cap that keeps ids short and a failed batch cheap to redo.
export interface BatchBudget {
  maxItems: number;
  maxInputTokens: number;
  maxOutputTokens: number;
}

export interface TokenCosts {
  input: number;
  output: number;
}

export function planBatches<T>(items: readonly T[], costs: (item: T) => TokenCosts, budget: BatchBudget): T[][] {
  const batches: T[][] = [];
  let current: T[] = [];
  let input = 0;
  let output = 0;
  for (const item of items) {
    const cost = costs(item);
    const full = current.length >= budget.maxItems || input + cost.input > budget.maxInputTokens || output + cost.output > budget.maxOutputTokens;
    if (current.length > 0 && full) {
      batches.push(current);
      current = [];
      input = 0;
      output = 0;
    }
    current.push(item);
    input += cost.input;
    output += cost.output;
  }
  if (current.length > 0) batches.push(current);
  return balance(batches, costs, budget);
}

/**
 * Greedy packing leaves a small last batch; batches of similar size finish together, so the
 * slowest one (the wall time of a parallel run) is as short as it can be. Re-deals the items over
 * the same number of batches, each taking its share of the input tokens.
 */
function balance<T>(batches: T[][], costs: (item: T) => TokenCosts, budget: BatchBudget): T[][] {
  if (batches.length < 2) return batches;
  const items = batches.flat();
  const total = items.reduce((sum, item) => sum + costs(item).input, 0);
  const share = total / batches.length;
  const balanced: T[][] = [];
  let current: T[] = [];
  let spent = 0;
  for (const item of items) {
    const cost = costs(item).input;
    const target = share * (balanced.length + 1);
    if (current.length > 0 && spent + cost / 2 > target && balanced.length < batches.length - 1) {
      balanced.push(current);
      current = [];
    }
    current.push(item);
    spent += cost;
  }
  if (current.length > 0) balanced.push(current);
  // Re-dealing must never break a budget: keep the greedy plan when it would.
  const fits = (batch: T[]) => {
    const sum = batch.reduce((total, item) => ({ input: total.input + costs(item).input, output: total.output + costs(item).output }), { input: 0, output: 0 });
    return batch.length <= budget.maxItems && sum.input <= budget.maxInputTokens && sum.output <= budget.maxOutputTokens;
  };
  return balanced.every(fits) ? balanced : batches;
}
