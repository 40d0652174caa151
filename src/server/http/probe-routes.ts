// Kubernetes probes, public as Kubernetes expects (no caller): GET /livez says the process is alive
// and checks nothing else, so a provider outage never gets the pod restarted; GET /readyz says
// whether this instance should get traffic: the provider can serve, Redis answers (with REDIS_URL),
// the job store answers, and shutdown has not begun. It answers 503 with the failing parts, so the
// load balancer stops sending while the other instances serve.
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { apiRoutes } from '../../contract/routes.js';
import type { LanguageModel, ProviderStatus } from '../providers/language-model.js';

/** A part readiness depends on: whether it answered, and if not, why. */
export interface ProbeCheck {
  ok: boolean;
  reason?: string;
}

export interface ReadinessBody {
  ready: boolean;
  checks: Record<string, ProbeCheck>;
}

export interface ProbeDependencies {
  model: LanguageModel;
  /** Redis is checked only when REDIS_URL is set. */
  redisUrl: string | undefined;
  /** The job store's own ping (SQLite or Redis). */
  jobStore?: { ping(): Promise<void> } | undefined;
  /** How long one check may take before it counts as failed (a probe must answer quickly). */
  checkTimeoutMilliseconds?: number;
}

export interface Probes {
  /** Called when shutdown begins: /readyz answers 503 from then on. */
  beginShutdown(): void;
  readiness(): Promise<ReadinessBody>;
}

const defaultCheckTimeoutMilliseconds = 2000;

export function registerProbeRoutes(app: FastifyInstance, dependencies: ProbeDependencies): Probes {
  const timeout = dependencies.checkTimeoutMilliseconds ?? defaultCheckTimeoutMilliseconds;
  let shuttingDown = false;
  // Its own connection, created on the first probe: no retries or offline queue, so a Redis that is down fails the probe at once.
  let redis: Redis | undefined;
  const redisClient = (url: string): Redis => {
    if (redis !== undefined) return redis;
    redis = new Redis(url, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0, connectTimeout: timeout, retryStrategy: () => 1000 });
    // A Redis that is down is the probe's answer (503 with the reason), not an unhandled error event.
    redis.on('error', () => undefined);
    return redis;
  };

  const readiness = async (): Promise<ReadinessBody> => {
    const checks: Record<string, ProbeCheck> = {};
    if (shuttingDown) checks['shutdown'] = { ok: false, reason: 'this instance is shutting down: its requests in flight finish, new ones go elsewhere' };
    const redisUrl = dependencies.redisUrl;
    const [provider, redisCheck, jobStore] = await Promise.all([
      check(() => providerReady(dependencies.model), timeout),
      redisUrl === undefined ? undefined : check(() => pingRedis(redisClient(redisUrl)), timeout),
      dependencies.jobStore === undefined ? undefined : check(() => pingStore(dependencies.jobStore), timeout),
    ]);
    checks['provider'] = provider;
    if (redisCheck !== undefined) checks['redis'] = redisCheck;
    if (jobStore !== undefined) checks['jobStore'] = jobStore;
    return { ready: Object.values(checks).every((part) => part.ok), checks };
  };

  app.get(apiRoutes.live, async (_request, reply) => reply.header('cache-control', 'no-store').send({ status: 'ok' }));
  app.get(apiRoutes.ready, async (_request, reply) => {
    const body = await readiness();
    reply.header('cache-control', 'no-store');
    if (!body.ready) reply.header('retry-after', '5');
    return reply.status(body.ready ? 200 : 503).send(body);
  });
  // Shutdown marks the instance not ready before the server stops taking connections.
  app.addHook('preClose', async () => {
    shuttingDown = true;
  });
  app.addHook('onClose', async () => {
    redis?.disconnect();
  });

  return {
    beginShutdown: () => {
      shuttingDown = true;
    },
    readiness,
  };
}

async function providerReady(model: LanguageModel): Promise<ProbeCheck> {
  const known: ProviderStatus = model.status();
  const status = !known.ready || model.checkReadiness === undefined ? known : await model.checkReadiness();
  return status.ready ? { ok: true } : { ok: false, reason: status.reason ?? `the provider is ${status.state}` };
}

async function pingRedis(client: Redis): Promise<ProbeCheck> {
  if (client.status === 'wait') await client.connect();
  await client.ping();
  return { ok: true };
}

async function pingStore(store: { ping(): Promise<void> } | undefined): Promise<ProbeCheck> {
  await store?.ping();
  return { ok: true };
}

/** A check that throws or takes too long has failed; the reason names no internals beyond the error's kind. */
async function check(run: () => Promise<ProbeCheck>, timeoutMilliseconds: number): Promise<ProbeCheck> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<ProbeCheck>((resolve) => {
    timer = setTimeout(() => resolve({ ok: false, reason: `did not answer within ${timeoutMilliseconds} ms` }), timeoutMilliseconds);
  });
  try {
    return await Promise.race([
      run().catch((error: unknown) => ({ ok: false, reason: `cannot be reached (${error instanceof Error ? error.name : 'error'})` })),
      timedOut,
    ]);
  } finally {
    clearTimeout(timer);
  }
}
