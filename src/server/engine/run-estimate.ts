// A run's cost and time before it runs: an operation plans its requests with the same planner and
// prompt builders that run it (classify.ts, translate.ts: planClassifyRun, planTranslateRun), and this
// turns that plan into tokens, money and seconds at the provider's current pace. Nothing here calls
// the model: a dry run is free and is not charged to any budget.
import type { RunEstimate } from '../../contract/operations/estimate.js';

/** One upstream request of the plan. */
export interface PlannedRequest {
  /** The prompt as it will be sent, counted in the model's tokenizer (chat framing included). */
  promptTokens: number;
  /** The answer budget asked for (max_tokens): what the provider charges against tokens per minute. */
  maxOutputTokens: number;
  /** The answer expected back. */
  completionTokens: number;
}

export interface RunPlan {
  items: number;
  distinctItems: number;
  cachedItems: number;
  itemsToSend: number;
  /** In the order the run sends them; requests that run in parallel are adjacent. */
  requests: PlannedRequest[];
}

export interface ProviderPace {
  /** Requests in flight at once (the governor's learnt concurrency limit). */
  concurrency: number;
  requestsPerMinute?: number | undefined;
  tokensPerMinute?: number | undefined;
  source: RunEstimate['pace']['source'];
  /** Mean latency measured so far; absent before the first answer. */
  secondsPerRequest?: number | undefined;
  /** Expected latency of one request with this answer size. */
  requestSeconds(completionTokens: number): number;
}

export interface TokenPrice {
  /** Per million tokens. */
  input: number;
  output: number;
  currency: string;
}

/** Before any answer was measured: a time to first token and a decoding speed typical of hosted small models. */
export const defaultRequestSeconds = (completionTokens: number): number => 0.8 + completionTokens / 60;
/** Share of the per-minute limits the governor spends (rate-governor.ts), and the burst it allows at once. */
const governorHeadroom = 0.97;
const burstSeconds = 1;

export function estimateRun(plan: RunPlan, pace: ProviderPace, model: string, price?: TokenPrice): RunEstimate {
  const promptTokens = plan.requests.reduce((sum, request) => sum + request.promptTokens, 0);
  const completionTokens = plan.requests.reduce((sum, request) => sum + request.completionTokens, 0);
  const cost =
    price === undefined
      ? undefined
      : { amount: roundMoney((promptTokens * price.input + completionTokens * price.output) / 1_000_000), currency: price.currency, model };
  return {
    items: plan.items,
    distinctItems: plan.distinctItems,
    cachedItems: plan.cachedItems,
    itemsToSend: plan.itemsToSend,
    requests: plan.requests.length,
    promptTokens,
    completionTokens,
    seconds: Math.round(scheduleSeconds(plan.requests, pace) * 10) / 10,
    ...(cost === undefined ? {} : { cost }),
    pace: {
      ...(pace.requestsPerMinute === undefined ? {} : { requestsPerMinute: pace.requestsPerMinute }),
      ...(pace.tokensPerMinute === undefined ? {} : { tokensPerMinute: pace.tokensPerMinute }),
      concurrency: Math.max(1, Math.floor(pace.concurrency)),
      ...(pace.secondsPerRequest === undefined ? {} : { secondsPerRequest: Math.round(pace.secondsPerRequest * 1000) / 1000 }),
      source: pace.source,
    },
  };
}

/**
 * The run's wall time, replayed as the governor schedules it: requests start in order, each when a
 * concurrency slot is free and the requests and tokens buckets (a second's burst, then refilled at
 * the per-minute rate) hold its share (the prompt plus its answer budget, as providers charge).
 */
export function scheduleSeconds(requests: readonly PlannedRequest[], pace: ProviderPace): number {
  if (requests.length === 0) return 0;
  const slots: number[] = new Array<number>(Math.max(1, Math.floor(pace.concurrency))).fill(0);
  const bucket = (perMinute: number | undefined) => {
    if (perMinute === undefined) return undefined;
    const rate = (perMinute * governorHeadroom) / 60;
    return { rate, capacity: Math.max(1, rate * burstSeconds), content: Math.max(1, rate * burstSeconds), at: 0 };
  };
  const requestBucket = bucket(pace.requestsPerMinute);
  const tokenBucket = bucket(pace.tokensPerMinute);
  /** The time from `earliest` on when `bucket` holds `amount` (at most its capacity), spending it. */
  const admit = (state: ReturnType<typeof bucket>, amount: number, earliest: number): number => {
    if (state === undefined) return earliest;
    const wanted = Math.min(amount, state.capacity);
    let time = Math.max(earliest, state.at);
    let content = Math.min(state.capacity, state.content + (time - state.at) * state.rate);
    if (content < wanted) {
      time += (wanted - content) / state.rate;
      content = wanted;
    }
    state.content = content - wanted;
    state.at = time;
    return time;
  };
  let end = 0;
  for (const request of requests) {
    const slot = slots.indexOf(Math.min(...slots));
    let start = slots[slot] ?? 0;
    start = admit(requestBucket, 1, start);
    start = admit(tokenBucket, request.promptTokens + request.maxOutputTokens, start);
    const finish = start + pace.requestSeconds(request.completionTokens);
    slots[slot] = finish;
    end = Math.max(end, finish);
  }
  return end;
}

/** Money to a hundredth of the smallest unit: estimates of a few hundred rows cost fractions of a cent. */
function roundMoney(amount: number): number {
  return Math.round(amount * 10_000) / 10_000;
}
