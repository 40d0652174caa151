// Everything that decides who may call and how much: security headers, CORS, Entra ID sign-in,
// per-user rate limits and daily token budgets (in Redis when several instances share them).
// Sign-in and rate limits are hooks of one encapsulated context (requireCaller): deny by default.
import fastifyCors from '@fastify/cors';
import fastifyHelmet from '@fastify/helmet';
import fastifyRateLimit from '@fastify/rate-limit';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import type { Config } from '../config.js';
import { AppError } from '../errors.js';
import { createEntraAuthenticator, developmentAuthenticator, type CallerIdentity } from './authentication.js';
import { securityHeaders } from './security-headers.js';
import { SqliteBudgetCounterStore } from './sqlite-budget-store.js';
import { MemoryBudgetCounterStore, RedisBudgetCounterStore, TokenBudget, type BudgetCounterStore } from './token-budget.js';

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
  /** Shared counters for several instances; undefined on one machine. */
  redis: Redis | undefined;
  close(): Promise<void>;
}

/** Daily token budgets, and the Redis connection that shares them (and the rate limits) between instances. */
export function createCallerLimits(config: Config, logger: FastifyBaseLogger, budgetStore: BudgetCounterStore | undefined): CallerLimits {
  const redis =
    config.redisUrl === undefined ? undefined : new Redis(config.redisUrl, { maxRetriesPerRequest: 1, connectTimeout: 2000, enableOfflineQueue: true });
  redis?.on('error', (error: Error) => logger.warn({ errorName: error.name }, 'Redis unavailable: limits fall back to this instance'));
  // Budgets need a store only when they are on: in Redis when shared, else in an SQLite file.
  let sqliteBudgets: SqliteBudgetCounterStore | undefined;
  const defaultBudgetStore = (): BudgetCounterStore => {
    if (config.security.dailyTokenBudgetPerUser <= 0) return new MemoryBudgetCounterStore();
    if (redis !== undefined) return new RedisBudgetCounterStore(redis);
    sqliteBudgets = new SqliteBudgetCounterStore(config.budgetPath);
    return sqliteBudgets;
  };
  const budget = new TokenBudget(config.security.dailyTokenBudgetPerUser, budgetStore ?? defaultBudgetStore());
  return {
    budget,
    redis,
    close: async () => {
      await redis?.quit().catch(() => undefined);
      sqliteBudgets?.close();
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
  // Per-user limits run after sign-in (preHandler), keyed by the user, not the shared proxy address.
  await api.register(fastifyRateLimit, {
    global: false,
    hook: 'preHandler',
    ...(limits.redis === undefined ? {} : { redis: limits.redis, nameSpace: 'office-llm-addin:rate:', skipOnError: true }),
    keyGenerator: (request) => request.identity?.userId ?? request.ip,
    errorResponseBuilder: (_request, context) =>
      new AppError('RATE_LIMITED', `Too many requests: at most ${context.max} a minute per user. Try again in ${Math.ceil(context.ttl / 1000)} seconds.`, {
        retryAfterSeconds: Math.ceil(context.ttl / 1000),
      }),
  });
}
