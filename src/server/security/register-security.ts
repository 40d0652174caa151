// Everything that decides who may call and how much: security headers, CORS, Entra ID sign-in,
// per-user rate limits and daily token budgets (in Redis when several instances share them).
import fastifyCors from '@fastify/cors';
import fastifyHelmet from '@fastify/helmet';
import fastifyRateLimit from '@fastify/rate-limit';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { apiRoutes } from '../../contract/routes.js';
import type { Config } from '../config.js';
import { AppError } from '../errors.js';
import { createEntraAuthenticator, developmentAuthenticator, type CallerIdentity } from './authentication.js';
import { securityHeaders } from './security-headers.js';
import { SqliteBudgetCounterStore } from './sqlite-budget-store.js';
import { MemoryBudgetCounterStore, RedisBudgetCounterStore, TokenBudget, type BudgetCounterStore } from './token-budget.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Who is calling: set for /api/v1 routes before any handler runs. */
    identity?: CallerIdentity;
  }
}

export async function registerSecurity(
  app: FastifyInstance,
  config: Config,
  logger: FastifyBaseLogger,
  budgetStore: BudgetCounterStore | undefined,
): Promise<{ budget: TokenBudget }> {
  await app.register(fastifyHelmet, securityHeaders());
  if (config.security.allowedOrigins.length > 0) {
    await app.register(fastifyCors, {
      origin: config.security.allowedOrigins,
      methods: ['GET', 'POST'],
      allowedHeaders: ['authorization', 'content-type', 'accept'],
      maxAge: 600,
    });
  }

  const authenticate = config.security.entra === undefined ? developmentAuthenticator() : createEntraAuthenticator(config.security.entra);
  if (config.security.entra === undefined) {
    logger.warn('Sign-in is OFF: loopback development only. Set ENTRA_CLIENT_ID and ENTRA_TENANT_IDS to require Microsoft Entra ID sign-in.');
  }
  app.addHook('onRequest', async (request) => {
    if (request.method === 'OPTIONS' || !request.url.startsWith('/api/v1/') || request.url.startsWith(apiRoutes.openapi) || request.url.startsWith(apiRoutes.clientConfig)) return;
    request.identity = await authenticate(request.headers.authorization, request.ip);
  });
  // Per-user limits run after sign-in (preHandler), keyed by the user, not the shared proxy address.
  // Several instances behind a load balancer share limits and budgets through Redis.
  const redis =
    config.redisUrl === undefined
      ? undefined
      : new Redis(config.redisUrl, { maxRetriesPerRequest: 1, connectTimeout: 2000, enableOfflineQueue: true });
  redis?.on('error', (error: Error) => logger.warn({ errorName: error.name }, 'Redis unavailable: limits fall back to this instance'));
  await app.register(fastifyRateLimit, {
    global: false,
    hook: 'preHandler',
    ...(redis === undefined ? {} : { redis, nameSpace: 'office-llm-addin:rate:', skipOnError: true }),
    keyGenerator: (request) => request.identity?.userId ?? request.ip,
    errorResponseBuilder: (_request, context) =>
      new AppError('RATE_LIMITED', `Too many requests: at most ${context.max} a minute per user. Try again in ${Math.ceil(context.ttl / 1000)} seconds.`, {
        retryAfterSeconds: Math.ceil(context.ttl / 1000),
      }),
  });
  // Budgets need a store only when they are on: in Redis when shared, else in an SQLite file.
  let sqliteBudgets: SqliteBudgetCounterStore | undefined;
  const defaultBudgetStore = (): BudgetCounterStore => {
    if (config.security.dailyTokenBudgetPerUser <= 0) return new MemoryBudgetCounterStore();
    if (redis !== undefined) return new RedisBudgetCounterStore(redis);
    sqliteBudgets = new SqliteBudgetCounterStore(config.budgetPath);
    return sqliteBudgets;
  };
  const budget = new TokenBudget(
    config.security.dailyTokenBudgetPerUser,
    budgetStore ?? defaultBudgetStore(),
  );

  app.addHook('onClose', async () => {
    await redis?.quit().catch(() => undefined);
    sqliteBudgets?.close();
  });
  return { budget };
}
