// Everything that decides who may call and how much: security headers, CORS, Entra ID sign-in,
// per-user rate limits and daily token budgets (in Redis when several instances share them).
// Sign-in and rate limits are hooks of one encapsulated context (requireCaller): deny by default.
import fastifyCors from '@fastify/cors';
import fastifyHelmet from '@fastify/helmet';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Config } from '../config.js';
import { AppError } from '../errors.js';
import { createEntraAuthenticator, developmentAuthenticator, type CallerIdentity } from './authentication.js';
import { securityHeaders } from './security-headers.js';
import { openSqliteBudgetCounter, type SqliteBudgetCounter } from './sqlite-budget-store.js';
import { TokenBudget, type BudgetSettlementProblem } from './token-budget.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Who is calling: set before any handler of a protected route runs; null on public routes. */
    identity: CallerIdentity | null;
  }
}

/** Headers and CORS: every response, the static pane and public routes included. */
export async function registerBrowserSecurity(app: FastifyInstance, config: Config): Promise<void> {
  app.decorateRequest('identity', null);
  await app.register(fastifyHelmet, securityHeaders());
  if (config.security.allowedOrigins.length > 0) {
    await app.register(fastifyCors, {
      origin: config.security.allowedOrigins,
      methods: ['GET', 'POST'],
      allowedHeaders: ['authorization', 'content-type', 'accept'],
      maxAge: 600,
    });
  }
}

export interface CallerLimits {
  budget: TokenBudget;
  /** Requests per minute per user; undefined when RATE_LIMIT_PER_MINUTE is 0. */
  rateLimiter: RateLimiterAbstract | undefined;
  close(): Promise<void>;
}

/** How long a start waits for Redis before serving with what a Redis outage leaves (see below). */
const redisStartWaitMilliseconds = 3000;

/**
 * Per-user rate limits and daily token budgets, and the Redis connection that shares them between
 * instances. When Redis cannot be reached the two behave differently, on purpose:
 * - Rate limits fall back to a counter in this instance (rate-limiter-flexible's insuranceLimiter):
 *   they protect the service from floods, a per-instance limit still does that (with N instances a
 *   user gets at most N times the rate), and a minute's window forgets quickly.
 * - Budgets refuse new work with 503 BUDGET_UNAVAILABLE (retryable) until Redis is back. A budget is
 *   the organisation's promise about money over a whole day: a per-instance fallback would forget what
 *   every user spent today and hand out a fresh budget on each instance, N times over, without anyone
 *   noticing. An outage that is visible and alerts beats spending that is silently unbounded.
 * Redis calls never wait on a dead connection: a command fails at once while it is down and within a
 * second when it hangs, so each request falls back (or is refused) without delay.
 */
export async function createCallerLimits(config: Config, logger: FastifyBaseLogger): Promise<CallerLimits> {
  const perMinute = config.security.requestsPerMinutePerUser;
  const dailyTokens = config.security.dailyTokenBudgetPerUser;
  const needsRedis = config.redisUrl !== undefined && (perMinute > 0 || dailyTokens > 0);
  const redis = needsRedis
    ? new Redis(config.redisUrl ?? '', {
        maxRetriesPerRequest: 1,
        connectTimeout: 2000,
        commandTimeout: 1000,
        enableOfflineQueue: false,
        // A closing connection that Redis no longer answers is dropped quickly: shutdown does not wait on it.
        disconnectTimeout: 500,
      })
    : undefined;
  const onSettlementProblem = ({ reservedTokens, usedTokens, error }: BudgetSettlementProblem) =>
    logger.warn(
      { reservedTokens, usedTokens, errorName: error instanceof Error ? error.name : typeof error },
      'A token budget could not be settled: the budget store is unreachable, so the reservation stands as the charge',
    );

  // Budgets need a store only when they are on: Redis when shared, else an SQLite file that survives restarts.
  let budgetCounter: RateLimiterAbstract | undefined;
  let sqliteBudgets: SqliteBudgetCounter | undefined;
  if (dailyTokens > 0 && redis !== undefined) {
    // No insuranceLimiter, on purpose (see above): an unreachable Redis refuses with BUDGET_UNAVAILABLE.
    // Keys are office-llm:budget:<UTC day>:<user>, as the budgets kept before rate-limiter-flexible.
    budgetCounter = new RateLimiterRedis({
      storeClient: redis,
      keyPrefix: 'office-llm:budget',
      points: dailyTokens,
      duration: 86_400,
      rejectIfRedisNotReady: true,
    });
  } else if (dailyTokens > 0) {
    sqliteBudgets = await openSqliteBudgetCounter(config.budgetPath, dailyTokens);
    budgetCounter = sqliteBudgets.counter;
  }

  let rateLimiter: RateLimiterAbstract | undefined;
  if (perMinute > 0) {
    const local = new RateLimiterMemory({ keyPrefix: 'rate', points: perMinute, duration: 60 });
    rateLimiter =
      redis === undefined
        ? local
        : new RateLimiterRedis({
            storeClient: redis,
            keyPrefix: 'office-llm-addin:rate',
            points: perMinute,
            duration: 60,
            rejectIfRedisNotReady: true,
            insuranceLimiter: local,
          });
  }

  const watcher = redis === undefined ? undefined : watchRedis(redis, logger, { perMinute, budgets: dailyTokens > 0 });
  await watcher?.started;
  return {
    budget: new TokenBudget(dailyTokens, budgetCounter, onSettlementProblem),
    rateLimiter,
    close: async () => {
      watcher?.stop();
      // QUIT only on a live connection: on a dead one it would fail anyway, after arming a command timer.
      if (redis?.status === 'ready') await redis.quit().catch(() => redis.disconnect());
      else redis?.disconnect();
      sqliteBudgets?.close();
    },
  };
}

/**
 * Logs what really happens when Redis comes and goes, once per change (ioredis reports every failed
 * reconnection), and waits a little at start so the first requests count in Redis, not locally.
 */
function watchRedis(redis: Redis, logger: FastifyBaseLogger, limits: { perMinute: number; budgets: boolean }): { started: Promise<void>; stop(): void } {
  const consequences = [
    limits.perMinute > 0 ? `per-user rate limits count on this instance only (each instance allows ${limits.perMinute} requests a minute per user)` : undefined,
    limits.budgets ? 'daily token budgets cannot be checked, so new work is refused with 503 BUDGET_UNAVAILABLE' : undefined,
  ]
    .filter(Boolean)
    .join('; ');
  let reachable: boolean | undefined;
  let stopped = false;
  const lost = (error?: Error) => {
    if (stopped || reachable === false) return;
    reachable = false;
    logger.error({ errorName: error?.name }, `Redis (REDIS_URL) is unreachable: ${consequences} until it is back`);
  };
  redis.on('error', (error: Error) => lost(error));
  redis.on('close', () => lost());
  redis.on('ready', () => {
    if (reachable === false) logger.warn('Redis (REDIS_URL) is reachable again: rate limits and budgets are shared by every instance again');
    reachable = true;
  });
  const started = new Promise<void>((resolve) => {
    if (redis.status === 'ready') return resolve();
    const timer = setTimeout(() => {
      lost();
      resolve();
    }, redisStartWaitMilliseconds);
    redis.once('ready', () => {
      clearTimeout(timer);
      resolve();
    });
  });
  return {
    started,
    stop: () => {
      stopped = true;
    },
  };
}

/**
 * Makes every route of this (encapsulated) context require a caller: sign-in, then the per-user rate
 * limit. The hooks belong to the routes the router matched, so no spelling of a path can skip them;
 * routes outside the context (health, client-config, openapi, metrics, the static pane) are public.
 */
export async function requireCaller(api: FastifyInstance, config: Config, logger: FastifyBaseLogger, limits: CallerLimits): Promise<void> {
  const authenticate = config.security.entra === undefined ? developmentAuthenticator() : createEntraAuthenticator(config.security.entra);
  if (config.security.entra === undefined) {
    logger.warn('Sign-in is OFF: loopback development only. Set ENTRA_CLIENT_ID and ENTRA_TENANT_IDS to require Microsoft Entra ID sign-in.');
  }
  api.addHook('onRequest', async (request) => {
    request.identity = await authenticate(request.headers.authorization, request.ip);
  });
  const rateLimiter = limits.rateLimiter;
  if (rateLimiter === undefined) return;
  // Per-user limits run after sign-in (preHandler), keyed by the user, not the shared proxy address.
  api.addHook('preHandler', async (request) => {
    try {
      await rateLimiter.consume(request.identity?.userId ?? request.ip);
    } catch (rejection) {
      // With Redis down the insurance limiter answers, so a failure here is this instance's own counter failing.
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      const seconds = Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
      throw new AppError('RATE_LIMITED', `Too many requests: at most ${rateLimiter.points} a minute per user. Try again in ${seconds} seconds.`, {
        retryAfterSeconds: seconds,
      });
    }
  });
}
