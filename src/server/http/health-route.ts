// GET /healthz: whether the server and its provider can serve, and if not, why and what to do.
import type { FastifyInstance } from 'fastify';
import { apiRoutes } from '../../contract/routes.js';
import type { HealthResponse } from '../../contract/schemas.js';
import type { LanguageModel } from '../providers/language-model.js';

export function registerHealthRoute(app: FastifyInstance, model: LanguageModel): void {
  app.get(apiRoutes.health, async (_request, reply) => {
    const status = model.status();
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
