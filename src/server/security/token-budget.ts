// Daily token budgets per user. A request reserves its estimate (the prompts it will send and the
// answer budgets it will ask for) in one atomic increment before any work starts, and settles to what
// it really used when it ends, however it ends. Concurrent requests therefore cannot all pass a check
// and then spend together: each sees the reservations of the others. The counter is
// rate-limiter-flexible's (SQLite on one machine, Redis when instances share it): one counter per user
// and UTC day, whose points are tokens.
import { RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { AppError } from '../errors.js';

export interface BudgetReservation {
  /** Tokens held for this request until it settles. */
  readonly reservedTokens: number;
  /** Replaces the reservation with what the request really used; once, and never throws. */
  settle(usedTokens: number): Promise<void>;
}

export interface BudgetSettlementProblem {
  userDay: string;
  reservedTokens: number;
  usedTokens: number;
  error: unknown;
}

const noReservation: BudgetReservation = { reservedTokens: 0, settle: async () => undefined };

export class TokenBudget {
  /**
   * `counter`: points = the daily budget; undefined when budgets are off. A counter that fails (its
   * store unreachable) refuses new work with 503 BUDGET_UNAVAILABLE: see createCallerLimits for why.
   */
  constructor(
    private readonly dailyTokens: number,
    private readonly counter: RateLimiterAbstract | undefined,
    private readonly onSettlementProblem: (problem: BudgetSettlementProblem) => void = () => undefined,
    private readonly now: () => Date = () => new Date(),
  ) {}

  get enabled(): boolean {
    return this.dailyTokens > 0 && this.counter !== undefined;
  }

  /** Holds `estimate()` tokens of the user's day, or refuses the request before any work starts. */
  async reserve(userId: string, estimate: () => number): Promise<BudgetReservation> {
    const counter = this.counter;
    if (!this.enabled || counter === undefined) return noReservation;
    // At least one token: a day that is used up refuses even the smallest request.
    const tokens = Math.max(1, Math.ceil(estimate()));
    const userDay = this.key(userId);
    const options = { customDuration: this.secondsUntilTomorrow() + 60 };
    try {
      await counter.consume(userDay, tokens, options);
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) throw unavailable(rejection);
      // consume() counted the points it refused: give them back, so the refusal costs nothing.
      await counter
        .reward(userDay, tokens, options)
        .catch((error: unknown) => this.onSettlementProblem({ userDay, reservedTokens: tokens, usedTokens: 0, error }));
      throw this.exceeded(tokens, Math.max(0, this.dailyTokens - (rejection.consumedPoints - tokens)));
    }
    let settled = false;
    return {
      reservedTokens: tokens,
      settle: async (usedTokens) => {
        if (settled) return;
        settled = true;
        const difference = Math.max(0, Math.round(usedTokens)) - tokens;
        try {
          if (difference < 0) await counter.reward(userDay, -difference, options);
          else if (difference > 0) await counter.penalty(userDay, difference, options);
        } catch (error) {
          // The store is gone: the reservation stands as the charge (too much when less was used).
          this.onSettlementProblem({ userDay, reservedTokens: tokens, usedTokens, error });
        }
      },
    };
  }

  private exceeded(needed: number, left: number): AppError {
    const secondsLeft = this.secondsUntilTomorrow();
    const count = (value: number) => value.toLocaleString('en-US');
    const renews = `It renews at midnight UTC (in ${formatWait(secondsLeft)}).`;
    const remaining = `You have ${count(left)} of today's ${count(this.dailyTokens)} tokens left`;
    if (needed > this.dailyTokens) {
      return new AppError(
        'BUDGET_EXCEEDED',
        `This request needs up to ${count(needed)} tokens, more than your whole daily budget. ${remaining}. Send less at once (fewer rows or a shorter text), or ask your administrator for a larger budget. ${renews}`,
        { retryAfterSeconds: secondsLeft, retryable: false },
      );
    }
    return new AppError(
      'BUDGET_EXCEEDED',
      `This request needs up to ${count(needed)} tokens. ${remaining} (requests of yours still running hold theirs until they finish). Send less at once, or wait. ${renews}`,
      { retryAfterSeconds: secondsLeft },
    );
  }

  private key(userId: string): string {
    return `${this.now().toISOString().slice(0, 10)}:${userId}`;
  }

  private secondsUntilTomorrow(): number {
    const now = this.now();
    const midnight = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1);
    return Math.max(1, Math.ceil((midnight - now.getTime()) / 1000));
  }
}

function unavailable(cause: unknown): AppError {
  return new AppError('BUDGET_UNAVAILABLE', 'Your token budget cannot be checked right now, so no new work starts. Try again in a few seconds.', {
    cause,
    retryAfterSeconds: 5,
  });
}

function formatWait(seconds: number): string {
  if (seconds < 3600) return `${Math.max(1, Math.ceil(seconds / 60))} minutes`;
  return `${Math.ceil(seconds / 3600)} hours`;
}
