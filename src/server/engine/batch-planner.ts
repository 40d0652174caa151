// Packs items into requests by tokens, in order: each batch stays within an input budget (the items'
// own tokens as sent) and an answer budget (what the model must write back for them), and within a
// count cap that keeps ids short and a failed batch cheap to redo. With the provider's parallel
// requests known, the number of batches is a multiple of them, so the last wave fills every slot.
export interface BatchBudget {
  maxItems: number;
  maxInputTokens: number;
  maxOutputTokens: number;
}

export interface TokenCosts {
  input: number;
  output: number;
}

export interface ParallelPlan {
  /** Requests the provider serves at once. */
  slots: number;
  /** Fewer items than this per batch cost more in per-request overhead than a fuller slot saves. */
  minItemsPerBatch: number;
}

export function planBatches<T>(items: readonly T[], costs: (item: T) => TokenCosts, budget: BatchBudget, parallel?: ParallelPlan): T[][] {
  const greedy = packGreedy(items, costs, budget);
  const target = parallel === undefined ? greedy.length : batchCount(items.length, greedy.length, parallel);
  return balance(greedy, target, costs, budget);
}

/**
 * How many batches: at least what the budgets need; when that is more than one wave, rounded up to
 * whole waves (rows / (slots × k)); when less, as many as the slots allow with batches not too small.
 */
export function batchCount(itemCount: number, needed: number, { slots, minItemsPerBatch }: ParallelPlan): number {
  if (itemCount === 0) return 0;
  const perSlot = Math.max(1, Math.floor(slots));
  if (needed >= perSlot) return Math.min(itemCount, Math.ceil(needed / perSlot) * perSlot);
  const bySize = Math.floor(itemCount / Math.max(1, minItemsPerBatch));
  return Math.min(itemCount, Math.max(needed, Math.min(perSlot, bySize), 1));
}

function packGreedy<T>(items: readonly T[], costs: (item: T) => TokenCosts, budget: BatchBudget): T[][] {
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
  return batches;
}

/**
 * Batches of similar size finish together, so the slowest one (the wall time of a parallel run) is as
 * short as it can be. Re-deals the items, in order, over `target` batches, each taking its share of
 * the answer and input tokens (the answer dominates a request's time).
 */
function balance<T>(greedy: T[][], target: number, costs: (item: T) => TokenCosts, budget: BatchBudget): T[][] {
  if (target < 2 || (target === greedy.length && greedy.length < 2)) return greedy;
  const items = greedy.flat();
  const weight = (item: T) => {
    const cost = costs(item);
    return cost.output + cost.input / 16;
  };
  const total = items.reduce((sum, item) => sum + weight(item), 0);
  const share = total / target;
  const balanced: T[][] = [];
  let current: T[] = [];
  let spent = 0;
  items.forEach((item, position) => {
    const cost = weight(item);
    const left = items.length - position;
    const batchesLeft = target - balanced.length;
    // Close the batch at its share, or when every later batch needs one of the remaining items.
    const atShare = spent + cost / 2 > share * (balanced.length + 1);
    if (current.length > 0 && balanced.length < target - 1 && (atShare || left < batchesLeft)) {
      balanced.push(current);
      current = [];
    }
    current.push(item);
    spent += cost;
  });
  if (current.length > 0) balanced.push(current);
  // Re-dealing must never break a budget: keep the greedy plan when it would.
  const fits = (batch: T[]) => {
    const sum = batch.reduce((sums, item) => ({ input: sums.input + costs(item).input, output: sums.output + costs(item).output }), { input: 0, output: 0 });
    return batch.length <= budget.maxItems && sum.input <= budget.maxInputTokens && sum.output <= budget.maxOutputTokens;
  };
  return balanced.every(fits) ? balanced : greedy;
}
