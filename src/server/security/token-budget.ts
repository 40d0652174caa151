// Daily token budgets per user: checked before an operation starts, charged with what it used.
// Counters live in memory on one instance, or in Redis (shared by every instance) when configured.
import { AppError } from '../errors.js';

export interface BudgetCounterStore {
  /** Adds `amount` to the counter and returns the new total; the counter expires after `ttlSeconds`. */
  add(key: string, amount: number, ttlSeconds: number): Promise<number>;
  get(key: string): Promise<number>;
}

export class MemoryBudgetCounterStore implements BudgetCounterStore {
  private readonly counters = new Map<string, { total: number; expiresAt: number }>();

  async add(key: string, amount: number, ttlSeconds: number): Promise<number> {
    const now = Date.now();
    const current = this.counters.get(key);
    const total = (current !== undefined && current.expiresAt > now ? current.total : 0) + amount;
    this.counters.set(key, { total, expiresAt: current !== undefined && current.expiresAt > now ? current.expiresAt : now + ttlSeconds * 1000 });
    // Yesterday's counters are dead weight.
    if (this.counters.size > 10_000) for (const [entry, value] of this.counters) if (value.expiresAt <= now) this.counters.delete(entry);
    return total;
  }

  async get(key: string): Promise<number> {
    const current = this.counters.get(key);
    return current !== undefined && current.expiresAt > Date.now() ? current.total : 0;
  }
}

/** The subset of an ioredis client the Redis store needs. */
export interface RedisLike {
  incrby(key: string, amount: number): Promise<number>;
  expire(key: string, seconds: number): Promise<number>;
  get(key: string): Promise<string | null>;
}

export class RedisBudgetCounterStore implements BudgetCounterStore {
  constructor(
    private readonly redis: RedisLike,
    private readonly prefix = 'office-llm:budget:',
  ) {}

  async add(key: string, amount: number, ttlSeconds: number): Promise<number> {
    const total = await this.redis.incrby(this.prefix + key, amount);
    if (total === amount) await this.redis.expire(this.prefix + key, ttlSeconds);
    return total;
  }

  async get(key: string): Promise<number> {
    return Number((await this.redis.get(this.prefix + key)) ?? 0);
  }
}

export class TokenBudget {
  constructor(
    private readonly dailyTokens: number,
    private readonly store: BudgetCounterStore,
    private readonly now: () => Date = () => new Date(),
  ) {}

  get enabled(): boolean {
    return this.dailyTokens > 0;
  }

  async check(userId: string): Promise<void> {
    if (!this.enabled) return;
    const used = await this.store.get(this.key(userId));
    if (used >= this.dailyTokens) {
      const secondsLeft = this.secondsUntilTomorrow();
      throw new AppError(
        'BUDGET_EXCEEDED',
        `You have used today's budget of ${this.dailyTokens.toLocaleString('en-US')} tokens. It renews at midnight UTC (in ${Math.ceil(secondsLeft / 3600)} hours); ask your administrator for a larger budget if you need one.`,
        { retryAfterSeconds: secondsLeft },
      );
    }
  }

  async charge(userId: string, tokens: number): Promise<void> {
    if (!this.enabled || tokens <= 0) return;
    await this.store.add(this.key(userId), tokens, this.secondsUntilTomorrow() + 60);
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
