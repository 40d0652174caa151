// Keeps upstream calls inside the provider's limits: requests per minute and tokens per minute
// (token buckets from the `limiter` package, weighted by each request's tokens), a pause for
// everyone after a 429's Retry-After, and an adaptive concurrency limit (AIMD: halve on 429/5xx,
// grow by one per success, never above the configured maximum).
//
// Why `limiter`: a maintained, dependency-free token bucket whose removeTokens(count) takes a weight
// and queues callers in order, which is exactly a TPM budget. rate-limiter-flexible counts in fixed
// windows (a burst at a window's edge doubles the rate), and bottleneck is no longer maintained.
// The buckets run at 97% of the configured limits: the provider counts a request when it arrives,
// a few milliseconds after we do, and a full bucket on its side loses that refill.
import { TokenBucket } from 'limiter';
import { cancelledError } from '../errors.js';
import { abortable } from './abortable.js';

export interface RateGovernorSettings {
  /** Upper bound of the adaptive concurrency. */
  maxConcurrency: number;
  requestsPerMinute?: number | undefined;
  tokensPerMinute?: number | undefined;
  /** Seconds of budget that may be spent at once. Providers enforce per-minute limits over short windows; one second matches OpenAI's. */
  burstSeconds?: number;
  /** A longer Retry-After is the client's to wait out (it is told), not a reason to hold every call here. */
  maxPauseMilliseconds?: number;
  /** Share of the configured limits spent: the provider counts a request when it arrives, a little after we do. */
  headroom?: number;
}

export type CallOutcome =
  | { kind: 'success' }
  /** 429 or 5xx: the provider is saturated. */
  | { kind: 'overload'; retryAfterMilliseconds?: number | undefined }
  /** Anything else (a bad request, a cancellation): says nothing about the provider's load. */
  | { kind: 'other' };

export interface Permit {
  release(outcome: CallOutcome): void;
}

export interface GovernorSnapshot {
  concurrencyLimit: number;
  active: number;
  waiting: number;
}

export class RateGovernor {
  private limit: number;
  private active = 0;
  private readonly waiters: { resolve: () => void; reject: (error: unknown) => void; signal: AbortSignal | undefined }[] = [];
  private readonly requestBucket: TokenBucket | undefined;
  private readonly tokenBucket: TokenBucket | undefined;
  private pausedUntil = 0;
  private acquisitions = 0;
  private lastDecreaseSequence = 0;

  constructor(private readonly settings: RateGovernorSettings) {
    this.limit = settings.maxConcurrency;
    const burstSeconds = settings.burstSeconds ?? 1;
    const headroom = settings.headroom ?? 0.97;
    const scaled = (limit: number | undefined) => (limit === undefined ? undefined : limit * headroom);
    this.requestBucket = bucket(scaled(settings.requestsPerMinute), burstSeconds);
    this.tokenBucket = bucket(scaled(settings.tokensPerMinute), burstSeconds);
  }

  snapshot(): GovernorSnapshot {
    return { concurrencyLimit: Math.floor(this.limit), active: this.active, waiting: this.waiters.length };
  }

  /** Waits for a concurrency slot, the end of any Retry-After pause, and budget for one request of `tokens`. */
  async acquire(tokens: number, signal?: AbortSignal): Promise<Permit> {
    await this.takeSlot(signal);
    // A sequence, not a clock: calls begun before a cut are its echo, even within one millisecond.
    this.acquisitions += 1;
    const sequence = this.acquisitions;
    try {
      await this.waitOutPause(signal);
      if (this.requestBucket !== undefined) await abortable(this.requestBucket.removeTokens(1), signal);
      if (this.tokenBucket !== undefined) {
        // A request larger than the burst waits for a full bucket, as the provider's own bucket would.
        await abortable(this.tokenBucket.removeTokens(Math.max(1, Math.min(Math.ceil(tokens), this.tokenBucket.bucketSize))), signal);
      }
    } catch (error) {
      this.freeSlot();
      throw error;
    }
    let released = false;
    return {
      release: (outcome) => {
        if (released) return;
        released = true;
        this.record(outcome, sequence);
        this.freeSlot();
      },
    };
  }

  private record(outcome: CallOutcome, sequence: number): void {
    const max = this.settings.maxConcurrency;
    if (outcome.kind === 'success') {
      // Grow by one per success: a single 429 must not cost a bulk run half its speed for long.
      this.limit = Math.min(max, this.limit + 1);
    } else if (outcome.kind === 'overload') {
      const pause = outcome.retryAfterMilliseconds;
      if (pause !== undefined && pause <= (this.settings.maxPauseMilliseconds ?? 60_000)) this.pausedUntil = Math.max(this.pausedUntil, Date.now() + pause);
      // One congestion event halves once: failures of calls started before the last cut are its echo.
      if (sequence > this.lastDecreaseSequence) {
        this.limit = Math.max(1, Math.floor(this.limit / 2));
        this.lastDecreaseSequence = this.acquisitions;
      }
    }
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

function bucket(perMinute: number | undefined, burstSeconds: number): TokenBucket | undefined {
  if (perMinute === undefined) return undefined;
  const bucketSize = Math.max(1, Math.floor((perMinute / 60) * burstSeconds));
  const created = new TokenBucket({ bucketSize, tokensPerInterval: perMinute, interval: 'minute' });
  // Starts full, as the provider's does: the first second's budget is there at once.
  created.content = bucketSize;
  return created;
}
