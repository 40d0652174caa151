// Keeps upstream calls inside the provider's limits without being told them:
// - Requests and tokens per minute: token buckets weighted by each request's tokens, at the limits
//   the provider states in its x-ratelimit-* headers (OpenAI, Azure OpenAI), or at LLM_RPM/LLM_TPM
//   when set (a ceiling: the lower of the two wins). When an answer says a window is spent, every
//   call waits until the provider has refilled it, so the 429 never happens.
// - A pause for everyone after a 429's Retry-After.
// - Adaptive concurrency (AIMD) for what headers do not tell, such as a self-hosted server's slots:
//   it starts at 16, grows while calls queue and succeed (by one per success until the first
//   overload, then by one per round of calls), and cuts on overload: a 5xx halves it; a 429 the
//   headers do not explain (a concurrency limit) cuts it to the calls the provider was serving, at
//   most by half, and holds it there for a minute so it does not probe into the same 429 again.
//
// Why `limiter` for the buckets: a maintained, dependency-free token bucket whose removeTokens(count)
// takes a weight and queues callers in order, which is exactly a TPM budget. rate-limiter-flexible
// counts in fixed windows (a burst at a window's edge doubles the rate), and bottleneck is no longer
// maintained. With REDIS_URL the buckets live in Redis instead (shared-rate-budget.ts), one for every
// instance. The buckets run at 97% of the limits: the provider counts a request when it arrives, a few
// milliseconds after we do, and a full bucket on its side loses that refill.
import { TokenBucket } from 'limiter';
import { cancelledError } from '../errors.js';
import type { ProviderRateLimits, RateLimitWindow } from '../providers/language-model.js';
import { abortable } from './abortable.js';

export type RateDimension = 'requests' | 'tokens';

/** One per-minute budget: `take` resolves when `amount` may be spent, and spends it. */
export interface RateBudget {
  take(amount: number, signal: AbortSignal | undefined): Promise<void>;
  /** Lowers what is left to at most `amount` (the provider said it has less); absent where the store is shared. */
  limitContent?(amount: number): void;
}

/** Where the buckets live: in this process, or in Redis for every instance (shared-rate-budget.ts). */
export interface RateBudgetSource {
  readonly kind: 'local' | 'shared';
  /** A bucket refilled at `perMinute`, holding at most `capacity`, with `initialContent` in it (a new shared bucket starts full). */
  create(dimension: RateDimension, perMinute: number, capacity: number, initialContent: number): RateBudget;
  /** 'degraded' while a shared store cannot be reached and the buckets count in this instance. */
  state(): 'ok' | 'degraded';
  close(): Promise<void>;
}

export interface RateGovernorSettings {
  /** Upper bound of the adaptive concurrency (LLM_MAX_CONCURRENCY). */
  maxConcurrency: number;
  /** Where the adaptive concurrency starts; default 16 (at most maxConcurrency). */
  initialConcurrency?: number;
  /** LLM_RPM and LLM_TPM: ceilings; the provider's headers may set lower ones. */
  requestsPerMinute?: number | undefined;
  tokensPerMinute?: number | undefined;
  /** Seconds of budget that may be spent at once. Providers enforce per-minute limits over short windows; one second matches OpenAI's. */
  burstSeconds?: number;
  /** A longer Retry-After is the client's to wait out (it is told), not a reason to hold every call here. */
  maxPauseMilliseconds?: number;
  /** Share of the limits spent: the provider counts a request when it arrives, a little after we do. */
  headroom?: number;
  /** How long a concurrency cut by an unexplained 429 holds before the limit may grow past it again. */
  holdMilliseconds?: number;
  budgets?: RateBudgetSource;
}

export type CallOutcome =
  | { kind: 'success' }
  /** 429 (rateLimited) or 5xx: the provider is saturated. */
  | { kind: 'overload'; retryAfterMilliseconds?: number | undefined; rateLimited?: boolean }
  /** Anything else (a bad request, a cancellation): says nothing about the provider's load. */
  | { kind: 'other' };

export interface Permit {
  /** The provider's rate-limit headers on this call's answer. */
  observe(limits: ProviderRateLimits): void;
  release(outcome: CallOutcome): void;
}

export interface GovernorSnapshot {
  concurrencyLimit: number;
  active: number;
  waiting: number;
  /** The per-minute limits paced at (the provider's stated ones or LLM_RPM/LLM_TPM); undefined: not known. */
  requestsPerMinute: number | undefined;
  tokensPerMinute: number | undefined;
  /** Where the budgets count: this instance, Redis for every instance, or this instance while Redis is unreachable. */
  budgets: 'local' | 'shared' | 'shared-unreachable';
}

const defaultInitialConcurrency = 16;

interface PacedBudget {
  perMinute: number;
  capacity: number;
  budget: RateBudget;
  /** Whether the provider's remaining count has been matched once (see observe). */
  synchronized: boolean;
}

export class RateGovernor {
  private limit: number;
  /** Calls holding a slot, waiting for budget or at the provider. */
  private active = 0;
  /** Calls sent to the provider and not yet answered: what its concurrency limit counts. */
  private inFlight = 0;
  private readonly waiters: { resolve: () => void; reject: (error: unknown) => void; signal: AbortSignal | undefined }[] = [];
  private readonly paced: Partial<Record<RateDimension, PacedBudget>> = {};
  private readonly budgets: RateBudgetSource;
  /** Retry-After, or a window the headers say is spent: no call starts before this. */
  private pausedUntil = 0;
  private acquisitions = 0;
  private lastDecreaseSequence = 0;
  /** Until the first overload the limit grows fast (one per success), as TCP's slow start. */
  private slowStart = true;
  private hold: { ceiling: number; until: number } | undefined;
  private readonly burstSeconds: number;
  private readonly headroom: number;
  /** Requests and tokens sent so far: what was sent after a call is what its headers cannot know of. */
  private readonly sent = { requests: 0, tokens: 0 };

  constructor(private readonly settings: RateGovernorSettings) {
    this.limit = Math.min(settings.maxConcurrency, settings.initialConcurrency ?? defaultInitialConcurrency);
    this.burstSeconds = settings.burstSeconds ?? 1;
    this.headroom = settings.headroom ?? 0.97;
    this.budgets = settings.budgets ?? localRateBudgets;
    if (settings.requestsPerMinute !== undefined) this.pace('requests', settings.requestsPerMinute, undefined);
    if (settings.tokensPerMinute !== undefined) this.pace('tokens', settings.tokensPerMinute, undefined);
  }

  snapshot(): GovernorSnapshot {
    return {
      concurrencyLimit: Math.floor(this.limit),
      active: this.active,
      waiting: this.waiters.length,
      requestsPerMinute: this.paced.requests?.perMinute,
      tokensPerMinute: this.paced.tokens?.perMinute,
      budgets: this.budgets.kind === 'local' ? 'local' : this.budgets.state() === 'ok' ? 'shared' : 'shared-unreachable',
    };
  }

  /** Waits for a concurrency slot, the end of any pause, and budget for one request of `tokens`. */
  async acquire(tokens: number, signal?: AbortSignal): Promise<Permit> {
    await this.takeSlot(signal);
    // A sequence, not a clock: calls begun before a cut are its echo, even within one millisecond.
    this.acquisitions += 1;
    const sequence = this.acquisitions;
    const cost = Math.max(1, Math.ceil(tokens));
    try {
      await this.waitOutPause(signal);
      const requests = this.paced.requests;
      if (requests !== undefined) await requests.budget.take(1, signal);
      const tokenBudget = this.paced.tokens;
      // A request larger than the burst waits for a full bucket, as the provider's own bucket would.
      if (tokenBudget !== undefined) await tokenBudget.budget.take(Math.min(cost, tokenBudget.capacity), signal);
    } catch (error) {
      this.freeSlot();
      throw error;
    }
    const sentAt = Date.now();
    this.inFlight += 1;
    this.sent.requests += 1;
    this.sent.tokens += cost;
    const sentBefore = { ...this.sent };
    let released = false;
    let windowSpent = false;
    return {
      observe: (limits) => {
        windowSpent =
          this.observe(limits, sentAt, cost, { requests: this.sent.requests - sentBefore.requests, tokens: this.sent.tokens - sentBefore.tokens }) ||
          windowSpent;
      },
      release: (outcome) => {
        if (released) return;
        released = true;
        this.record(outcome, sequence, windowSpent);
        this.inFlight -= 1;
        this.freeSlot();
      },
    };
  }

  /**
   * Takes in what the provider said about its limits when it admitted a call sent at `sentAt`:
   * learns the per-minute limits, and when a window is spent, pauses every call until enough of it is
   * back. Answers whether this call found a window spent (then its 429 is a rate, not a concurrency, limit).
   */
  private observe(limits: ProviderRateLimits, sentAt: number, cost: number, sentSince: Record<RateDimension, number>): boolean {
    let spent = false;
    for (const [dimension, window, need] of [
      ['requests', limits.requests, 1],
      ['tokens', limits.tokens, cost],
    ] as const) {
      if (window === undefined) continue;
      if (window.limit !== undefined && window.limit > 0) this.learn(dimension, window.limit, window.remaining);
      const paced = this.paced[dimension];
      if (paced !== undefined && !paced.synchronized && window.remaining !== undefined) {
        // Once per bucket, the first answer aligns it with the provider's: the first calls of a process
        // reach the provider later than the later ones (new connections), so a bucket that started with
        // them would run ahead. What was sent since counts as spent, the refill meanwhile does not: this
        // errs on the slow side, once.
        paced.synchronized = true;
        paced.budget.limitContent?.(window.remaining - sentSince[dimension]);
      }
      const wait = refillWait(window, need);
      if (wait === undefined) continue;
      spent = true;
      // The headers describe the moment the provider admitted the call: about when we sent it.
      if (wait <= (this.settings.maxPauseMilliseconds ?? 60_000)) this.pausedUntil = Math.max(this.pausedUntil, sentAt + wait);
    }
    return spent;
  }

  /** The provider's stated limit, unless LLM_RPM/LLM_TPM sets a lower one; a bucket is replaced only when the limit changes. */
  private learn(dimension: RateDimension, stated: number, remaining: number | undefined): void {
    const configured = dimension === 'requests' ? this.settings.requestsPerMinute : this.settings.tokensPerMinute;
    const perMinute = configured === undefined ? stated : Math.min(configured, stated);
    const current = this.paced[dimension];
    if (current !== undefined && Math.abs(current.perMinute - perMinute) <= perMinute * 0.01) return;
    this.pace(dimension, perMinute, remaining);
  }

  private pace(dimension: RateDimension, perMinute: number, remaining: number | undefined): void {
    const rate = perMinute * this.headroom;
    const capacity = Math.max(1, Math.floor((rate / 60) * this.burstSeconds));
    // Starts full, as the provider's does, unless the provider just said how much is left.
    const initialContent = Math.min(capacity, remaining ?? capacity);
    this.paced[dimension] = {
      perMinute,
      capacity,
      budget: this.budgets.create(dimension, rate, capacity, initialContent),
      synchronized: remaining !== undefined,
    };
  }

  private record(outcome: CallOutcome, sequence: number, windowSpent: boolean): void {
    const ceiling = this.ceiling();
    if (outcome.kind === 'success') {
      // Grow only while the limit is what holds calls back: not while idle (an idle hour must not drift
      // it to the ceiling), nor while calls wait for rate budget rather than for a slot.
      if (this.inFlight >= Math.floor(this.limit)) {
        this.limit = Math.min(ceiling, this.limit + (this.slowStart ? 1 : 1 / Math.max(1, this.limit)));
      }
      return;
    }
    if (outcome.kind !== 'overload') return;
    const pause = outcome.retryAfterMilliseconds;
    if (pause !== undefined && pause <= (this.settings.maxPauseMilliseconds ?? 60_000)) this.pausedUntil = Math.max(this.pausedUntil, Date.now() + pause);
    // A 429 for a spent requests or tokens window is paced by the buckets and the pause: concurrency is not the cause.
    if (outcome.rateLimited === true && windowSpent) return;
    // One congestion event cuts once: failures of calls started before the last cut are its echo.
    if (sequence <= this.lastDecreaseSequence) return;
    this.slowStart = false;
    this.lastDecreaseSequence = this.acquisitions;
    const halved = Math.max(1, Math.floor(this.limit / 2));
    if (outcome.rateLimited === true) {
      // The calls still in flight are what the provider was serving when it refused this one.
      const serving = this.inFlight - 1;
      this.limit = Math.max(halved, Math.min(Math.floor(this.limit) - 1, serving));
      this.hold = { ceiling: Math.floor(this.limit), until: Date.now() + (this.settings.holdMilliseconds ?? 60_000) };
    } else {
      this.limit = halved;
    }
  }

  private ceiling(): number {
    if (this.hold !== undefined && Date.now() >= this.hold.until) this.hold = undefined;
    return Math.min(this.settings.maxConcurrency, this.hold?.ceiling ?? Number.POSITIVE_INFINITY);
  }

  private takeSlot(signal: AbortSignal | undefined): Promise<void> {
    if (signal?.aborted === true) return Promise.reject(cancelledError());
    if (this.active < Math.floor(this.limit) && this.waiters.length === 0) {
      this.active += 1;
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const waiter = { resolve, reject, signal };
      this.waiters.push(waiter);
      signal?.addEventListener(
        'abort',
        () => {
          const index = this.waiters.indexOf(waiter);
          if (index >= 0) {
            this.waiters.splice(index, 1);
            reject(cancelledError());
          }
        },
        { once: true },
      );
    });
  }

  private freeSlot(): void {
    this.active -= 1;
    while (this.active < Math.floor(this.limit)) {
      const next = this.waiters.shift();
      if (next === undefined) return;
      this.active += 1;
      next.resolve();
    }
  }

  private async waitOutPause(signal: AbortSignal | undefined): Promise<void> {
    for (let wait = this.pausedUntil - Date.now(); wait > 0; wait = this.pausedUntil - Date.now()) {
      await abortable(new Promise((resolve) => setTimeout(resolve, wait)), signal);
    }
  }
}

/**
 * How long until `need` fits again, when the answer says it does not fit now; undefined when it does
 * (or the headers do not say). With the limit known, the refill rate is limit per minute; without it
 * (some Azure answers), the whole reset is waited.
 */
function refillWait(window: RateLimitWindow, need: number): number | undefined {
  if (window.remaining === undefined || window.remaining >= need) return undefined;
  if (window.limit !== undefined && window.limit > 0) {
    const perMillisecond = window.limit / 60_000;
    const wait = Math.ceil((need - window.remaining) / perMillisecond);
    return window.resetMilliseconds === undefined ? wait : Math.min(wait, Math.ceil(window.resetMilliseconds));
  }
  return window.resetMilliseconds === undefined ? undefined : Math.ceil(window.resetMilliseconds);
}

/** Buckets in this process: one instance's view of the budget. */
export const localRateBudgets: RateBudgetSource = {
  kind: 'local',
  create: (_dimension, perMinute, capacity, initialContent) => new LocalRateBudget(perMinute, capacity, initialContent),
  state: () => 'ok',
  close: () => Promise.resolve(),
};

export class LocalRateBudget implements RateBudget {
  private readonly bucket: TokenBucket;

  constructor(perMinute: number, capacity: number, initialContent: number) {
    this.bucket = new TokenBucket({ bucketSize: capacity, tokensPerInterval: perMinute, interval: 'minute' });
    this.bucket.content = Math.max(0, Math.min(capacity, initialContent));
  }

  async take(amount: number, signal: AbortSignal | undefined): Promise<void> {
    await abortable(this.bucket.removeTokens(Math.min(amount, this.bucket.bucketSize)), signal);
  }

  limitContent(amount: number): void {
    this.bucket.drip();
    this.bucket.content = Math.max(0, Math.min(this.bucket.content, amount));
  }
}
