// GET /healthz: whether the server and its provider can serve, and if not, why and what to do.
// A remote provider is asked (cached, one probe at a time), so "ready" means it answered and took
// the key, not only that it is configured.
import type { FastifyInstance } from 'fastify';
import { apiRoutes } from '../../contract/routes.js';
import type { HealthResponse } from '../../contract/schemas.js';
import type { LanguageModel, ProviderStatus } from '../providers/language-model.js';

export function registerHealthRoute(app: FastifyInstance, model: LanguageModel): void {
  app.get(apiRoutes.health, async (_request, reply) => {
    const status = await currentStatus(model);
    const body: HealthResponse = {
      status: status.state,
      provider: model.provider,
      model: model.modelId,
      ready: status.ready,
      ...(status.reason === undefined ? {} : { reason: status.reason }),
    };
    return reply.status(status.ready ? 200 : 503).send(body);
  });
}

/** What the provider knows on its own first (a model still loading); only then ask it. */
async function currentStatus(model: LanguageModel): Promise<ProviderStatus> {
  const known = model.status();
  if (!known.ready || model.checkReadiness === undefined) return known;
  return model.checkReadiness();
}
