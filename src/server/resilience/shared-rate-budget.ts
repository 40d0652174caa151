// The provider's requests and tokens per minute as one budget for every instance: token buckets in
// Redis (REDIS_URL), so N instances behind a load balancer together stay inside one key's limits
// instead of each being given 1/N by hand.
//
// A bucket is one Redis hash (level, time) changed by one Lua script, atomically, on Redis's clock:
// it refills at the rate, caps at the capacity, and takes the amount at once, even into debt; the
// caller then waits until its debt is refilled. So every instance queues in one order without polling
// Redis, and a request never waits longer than the budget requires. Why not a library: the Redis
// limiters of rate-limiter-flexible (already used for per-user limits and budgets) count in fixed
// windows of whole seconds, which let twice the rate through at a window's edge, and a request larger
// than a window's points could never pass; no maintained npm package offers a weighted token bucket
// on ioredis 5 (redis-gcra pins ioredis < 5, bottleneck is unmaintained). The script is the same
// bucket as `limiter`'s TokenBucket, which paces the single-instance case.
//
// Redis unreachable: each bucket counts in this instance instead (its local twin, the single-instance
// governor), which the logs and the governor's snapshot say, and goes back to Redis once it answers.
import { Redis } from 'ioredis';
import { abortable } from './abortable.js';
import { LocalRateBudget, type RateBudget, type RateBudgetSource, type RateDimension } from './rate-governor.js';

const takeScript = `
local now = redis.call('TIME')
local nowMs = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
local perMs = tonumber(ARGV[1])
local capacity = tonumber(ARGV[2])
local amount = tonumber(ARGV[3])
local state = redis.call('HMGET', KEYS[1], 'level', 'at')
local level = tonumber(state[1])
local at = tonumber(state[2])
if level == nil or at == nil then
  level = capacity
  at = nowMs
end
level = math.min(capacity, level + math.max(0, nowMs - at) * perMs) - amount
redis.call('HSET', KEYS[1], 'level', tostring(level), 'at', tostring(nowMs))
redis.call('PEXPIRE', KEYS[1], math.ceil((capacity - level) / perMs) + 60000)
if level >= 0 then return 0 end
return math.ceil(-level / perMs)
`;

interface BudgetCommands {
  takeProviderBudget(key: string, perMillisecond: string, capacity: string, amount: string): Promise<number>;
}

export type SharedBudgetState = 'ok' | 'degraded';

export interface SharedRateBudgetOptions {
  redisUrl: string;
  /** Whose budget: instances that call the same provider and model share it. */
  scope: string;
  /** Told when Redis goes away (the buckets count per instance) and when it is back. */
  onStateChange?: (state: SharedBudgetState, error?: unknown) => void;
}

export class SharedRateBudgets implements RateBudgetSource {
  readonly kind = 'shared';
  private readonly redis: Redis & BudgetCommands;
  private current: SharedBudgetState = 'ok';
  /** Settles when the first connection is made or has failed: calls at start wait for it rather than count alone. */
  private readonly firstConnection: Promise<void>;

  constructor(private readonly options: SharedRateBudgetOptions) {
    // Never wait on a dead connection: a command fails at once while Redis is down, within a second when it hangs.
    this.redis = new Redis(options.redisUrl, {
      maxRetriesPerRequest: 1,
      connectTimeout: 2000,
      commandTimeout: 1000,
      enableOfflineQueue: false,
      disconnectTimeout: 500,
      lazyConnect: false,
    }) as Redis & BudgetCommands;
    this.redis.defineCommand('takeProviderBudget', { numberOfKeys: 1, lua: takeScript });
    // ioredis reports every failed reconnection: the state change is logged once, by setState.
    this.redis.on('error', (error: unknown) => this.setState('degraded', error));
    this.firstConnection = new Promise<void>((resolve) => {
      const settle = () => {
        clearTimeout(timer);
        this.redis.off('ready', settle);
        this.redis.off('error', settle);
        resolve();
      };
      const timer = setTimeout(settle, 2000);
      this.redis.once('ready', settle);
      this.redis.once('error', settle);
    });
  }

  state(): SharedBudgetState {
    return this.current;
  }

  create(dimension: RateDimension, perMinute: number, capacity: number, initialContent: number): RateBudget {
    const key = `office-llm-addin:provider-budget:${this.options.scope}:${dimension}`;
    const local = new LocalRateBudget(perMinute, capacity, initialContent);
    const perMillisecond = String(perMinute / 60_000);
    return {
      take: async (amount, signal) => {
        await this.firstConnection;
        if (this.redis.status !== 'ready') {
          this.setState('degraded');
          return local.take(amount, signal);
        }
        let wait: number;
        try {
          wait = await this.redis.takeProviderBudget(key, perMillisecond, String(capacity), String(Math.min(amount, capacity)));
        } catch (error) {
          this.setState('degraded', error);
          return local.take(amount, signal);
        }
        this.setState('ok');
        if (wait > 0) await abortable(new Promise((resolve) => setTimeout(resolve, wait)), signal);
      },
    };
  }

  async close(): Promise<void> {
    if (this.redis.status === 'ready') await this.redis.quit().catch(() => this.redis.disconnect());
    else this.redis.disconnect();
  }

  private setState(state: SharedBudgetState, error?: unknown): void {
    if (state === this.current) return;
    this.current = state;
    this.options.onStateChange?.(state, error);
  }
}
