// Builds the BFF's HTTP application from its parts. Tests build it the same way, with a provider
// pointed at the loopback OpenAI-protocol server in test/.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { apiRoutes } from '../contract/routes.js';
import type { ClientConfigResponse } from '../contract/schemas.js';
import type { Config } from './config.js';
import { AppError } from './errors.js';
import { logError, sendError, toAppError } from './http/error-handler.js';
import { Metrics } from './http/metrics.js';
import { registerHealthRoute } from './http/health-route.js';
import { registerProbeRoutes } from './http/probe-routes.js';
import { buildOpenApiDocument } from './http/openapi.js';
import { registerGlossaryRoute } from './http/glossary-route.js';
import { registerAttachmentRoute } from './attachments/attachment-route.js';
import { registerOperationRoutes } from './http/operation-routes.js';
import { registerEstimateRoute } from './http/estimate-route.js';
import type { ServerOperation } from './operations/define-operation.js';
import { serverOperations } from './operations/operation-registry.js';
import type { TranslationGlossary } from './operations/translate/organisation-glossary.js';
import { translateOperationWithGlossary } from './operations/translate/translate.js';
import { createResultCache } from './engine/create-result-cache.js';
import type { ResultCache } from './engine/result-cache.js';
import type { LanguageModel } from './providers/language-model.js';
import type { TokenBudget } from './security/token-budget.js';
import { ResilientLanguageModel } from './resilience/resilient-language-model.js';
import { createJobStore } from './jobs/create-job-store.js';
import { JobRunner, type OvernightRunner } from './jobs/job-runner.js';
import { createOvernightRunner } from './jobs/overnight/run-overnight-job.js';
import { registerJobRoutes } from './jobs/job-routes.js';
import type { JobStore } from './jobs/job-store.js';
import { metricsAccess } from './security/metrics-access.js';
import { createCallerLimits, registerBrowserSecurity, requireCaller } from './security/register-security.js';
import { allowCrossOriginAsset } from './security/security-headers.js';

export interface AppDependencies {
  config: Config;
  model: LanguageModel;
  /** Finished work; by default the one configured (SQLite file, Redis, or off), closed with the app. */
  cache?: ResultCache;
  logger: FastifyBaseLogger;
  version?: string;
  /** Durable jobs; by default the one configured (BullMQ on Redis, or the SQLite file), closed with the app. */
  jobStore?: JobStore;
  /** Runs overnight jobs through the provider's batch API (src/server/jobs/overnight); without it, mode overnight is refused. */
  overnightRunner?: OvernightRunner;
}

export async function buildApp({
  config,
  model,
  logger,
  version = '0.1.0',
  cache = createResultCache(config.cache),
  jobStore = createJobStore(config.jobs, config.redisUrl),
  // Overnight jobs where the provider has a batch API (OpenAI, Azure OpenAI, or LLM_BATCH_API=on).
  overnightRunner = model.batchApi === undefined ? undefined : createOvernightRunner({ pollMilliseconds: config.upstream.batchPollMilliseconds }),
}: AppDependencies): Promise<FastifyInstance> {
  const app = Fastify({
    ...(config.tls === undefined ? {} : { https: { cert: readFileSync(config.tls.certificateFile), key: readFileSync(config.tls.keyFile) } }),
    loggerInstance: logger,
    bodyLimit: config.limits.bodyLimitBytes,
    requestTimeout: config.security.requestTimeoutMilliseconds,
    return503OnClosing: true,
    // request.ip keys rate limits and logs: only the configured proxies' X-Forwarded-For is believed,
    // and without TRUST_PROXY none, so a client cannot pick its own address.
    trustProxy: config.trustProxy.length > 0 ? config.trustProxy : false,
  });
  const metrics = new Metrics();
  if (model instanceof ResilientLanguageModel) watchGovernor(model, metrics, logger);
  // The API speaks JSON only: a text/plain body gets a clear 400 instead of a confusing parse.
  app.removeContentTypeParser('text/plain');

  app.setErrorHandler((error, request, reply) => {
    const appError = toAppError(error, config.limits.bodyLimitBytes);
    logError(request, appError, error);
    return sendError(reply, appError);
  });
  app.setNotFoundHandler((request, reply) =>
    sendError(reply, new AppError('NOT_FOUND', `There is no ${request.method} ${request.url.split('?')[0]}. See /api/v1/openapi.json for the routes.`)),
  );
  app.addHook('onResponse', async (request, reply) => {
    metrics.httpDuration.observe(
      { method: request.method, route: request.routeOptions.url ?? 'unmatched', status: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
  });

  await registerBrowserSecurity(app, config);
  const callerLimits = await createCallerLimits(config, logger);
  app.addHook('onClose', callerLimits.close);
  const organisationGlossary = config.translationGlossary;
  // The protected API: every route registered in this context needs a caller (deny by default).
  await app.register(async (api) => {
    await requireCaller(api, config, logger, callerLimits);
    registerOperationRoutes(api, {
      model,
      limits: config.limits,
      metrics,
      budget: callerLimits.budget,
      cache,
      ...(organisationGlossary === undefined ? {} : { operations: withOrganisationGlossary(organisationGlossary) }),
    });
    registerGlossaryRoute(api, config.translationGlossary);
    registerAttachmentRoute(api, { settings: { maxBytes: config.attachmentMaxBytes, maxCharacters: config.limits.maxTextCharacters }, cache });
    registerEstimateRoute(api, { model, limits: config.limits, cache, prices: config.estimate.prices, translationGlossary: config.translationGlossary });
    registerJobs(api, { config, model, logger, metrics, cache, jobStore, overnightRunner, budget: callerLimits.budget });
  });

  registerHealthRoute(app, model);
  registerProbeRoutes(app, { model, redisUrl: config.redisUrl, jobStore });

  const entra = config.security.entra;
  const clientConfig: ClientConfigResponse = {
    auth:
      entra === undefined
        ? { mode: 'off' }
        : {
            mode: 'entra',
            clientId: entra.clientId,
            scopes: [`api://${entra.clientId}/${entra.requiredScope}`],
            authority: `https://login.microsoftonline.com/${entra.tenantIds.length === 1 ? entra.tenantIds[0] : 'organizations'}`,
          },
    estimate: {
      confirmAboveRows: config.estimate.confirmAboveRows,
      ...(config.estimate.confirmAboveCost === undefined ? {} : { confirmAboveCost: config.estimate.confirmAboveCost }),
    },
  };
  app.get(apiRoutes.clientConfig, async () => clientConfig);

  const openApiDocument = buildOpenApiDocument(version);
  app.get(apiRoutes.openapi, async () => openApiDocument);

  // Not public: a bearer METRICS_TOKEN, or without one this machine only (security/metrics-access.ts).
  app.get(apiRoutes.metrics, { onRequest: metricsAccess(config.metricsToken) }, async (_request, reply) =>
    reply.header('content-type', metrics.registry.contentType).send(await metrics.registry.metrics()),
  );
  if (config.metricsToken === undefined && config.security.entra !== undefined) {
    logger.info('METRICS_TOKEN is not set: /metrics answers this machine only. Behind a reverse proxy on this machine, set METRICS_TOKEN.');
  }

  if (existsSync(config.staticDirectory)) {
    const assetsDirectory = path.join(config.staticDirectory, 'assets');
    if (existsSync(assetsDirectory)) {
      // The manifests' icons, loaded by Office from its own origin. Office wants no Cache-Control on
      // them (it substitutes a default icon); ETag and Last-Modified still let it revalidate.
      await app.register(fastifyStatic, {
        root: assetsDirectory,
        prefix: '/assets/',
        decorateReply: false,
        cacheControl: false,
        setHeaders: allowCrossOriginAsset,
      });
    }
    await app.register(fastifyStatic, { root: config.staticDirectory, prefix: '/', index: ['taskpane.html', 'index.html'] });
  }

  app.addHook('onClose', async () => {
    await cache.close();
    await model.close();
  });
  return app;
}

/**
 * The jobs API and this instance's workers, which run batches through the same operations as the
 * routes. Workers start when the app is ready; at close they stop claiming (preClose), running
 * batches get JOB_SHUTDOWN_GRACE_MS, the rest go back to the queue, and then the store closes (this
 * context's onClose runs before the root's, which closes the model and the cache the batches use).
 */
function registerJobs(
  api: FastifyInstance,
  dependencies: Pick<AppDependencies, 'config' | 'model' | 'logger'> & {
    metrics: Metrics;
    cache: ResultCache;
    jobStore: JobStore;
    overnightRunner: OvernightRunner | undefined;
    budget: TokenBudget;
  },
): void {
  const { config, model, logger, metrics, cache, jobStore, overnightRunner, budget } = dependencies;
  const operations = config.translationGlossary === undefined ? serverOperations : withOrganisationGlossary(config.translationGlossary);
  const runner = new JobRunner({
    store: jobStore,
    model,
    limits: config.limits,
    budget,
    cache,
    operations,
    metrics: metrics.jobs,
    logger,
    ...(overnightRunner === undefined ? {} : { overnightRunner }),
    settings: {
      concurrency: config.jobs.workerConcurrency,
      leaseMilliseconds: config.jobs.leaseMilliseconds,
      shutdownGraceMilliseconds: config.jobs.shutdownGraceMilliseconds,
    },
  });
  metrics.jobs.watchQueue(jobStore);
  registerJobRoutes(api, {
    store: jobStore,
    model,
    limits: config.limits,
    budget,
    operations,
    metrics: metrics.jobs,
    batchSize: config.jobs.batchSize,
    overnightAvailable: runner.overnightAvailable,
  });
  let stopping: Promise<void> | undefined;
  api.addHook('onReady', async () => runner.start());
  api.addHook('preClose', async () => {
    stopping ??= runner.stop();
  });
  api.addHook('onClose', async () => {
    await (stopping ??= runner.stop());
    await jobStore.close();
  });
}

/** The operations with the organisation's glossary merged into every translate request, before its estimate and its work. */
function withOrganisationGlossary(glossary: TranslationGlossary): ServerOperation[] {
  return serverOperations.map((operation) => (operation.contract.name === 'translate' ? translateOperationWithGlossary(glossary) : operation));
}

/** The rate governor on /metrics, and a log line whenever the provider budget shared in Redis is lost or back. */
function watchGovernor(model: ResilientLanguageModel, metrics: Metrics, logger: FastifyBaseLogger): void {
  metrics.watchGovernor(() => model.governorSnapshot());
  model.onSharedBudgetChange((state, error) => {
    if (state === 'ok') logger.info('Redis is back: the provider budget (requests and tokens per minute) is shared by every instance again');
    else
      logger.warn(
        { errorName: error instanceof Error ? error.name : undefined },
        "Redis cannot be reached: each instance paces the provider's requests and tokens per minute alone until it is back (together they may exceed the key's limits and meet 429s)",
      );
  });
}
