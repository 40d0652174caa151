// The contract as OpenAPI 3.1, generated from the same zod schemas that validate requests, so the
// document cannot drift from the code.
import { z } from 'zod';
import { errorCodes } from '../../contract/error-codes.js';
import { apiRoutes } from '../../contract/routes.js';
import * as schemas from '../../contract/schemas.js';
import { operationContracts, type OperationContract, type OperationStreamEvent } from '../../contract/schemas.js';

const reference = (id: string) => ({ $ref: `#/components/schemas/${id}` });

function componentSchemas(): Record<string, unknown> {
  // Every schema with a .meta({ id }) is registered globally; importing the module registers them.
  void schemas;
  const { schemas: generated } = z.toJSONSchema(z.globalRegistry, {
    target: 'draft-2020-12',
    uri: (id) => `#/components/schemas/${id}`,
    unrepresentable: 'any',
  });
  return Object.fromEntries(
    Object.entries(generated).map(([id, schema]) => {
      const { $schema: _schema, $id: _id, ...rest } = schema as Record<string, unknown>;
      return [id, rest];
    }),
  );
}

const errorResponses = Object.fromEntries(
  [...new Set(Object.values(errorCodes).map((entry) => entry.status))]
    .filter((status) => status >= 400 && status < 600 && status !== 499)
    .map((status) => [
      String(status),
      {
        description: `Error (${Object.entries(errorCodes)
          .filter(([, entry]) => entry.status === status)
          .map(([code]) => code)
          .join(', ')})`,
        content: { 'application/json': { schema: reference('ErrorEnvelope') } },
      },
    ]),
);

const streamEventShapes: Record<OperationStreamEvent, string> = {
  'text-delta': 'text-delta {text}',
  item: 'item {index, …}',
  progress: 'progress {done, total}',
};

function operationPath(contract: OperationContract) {
  const events = [...contract.streamEvents.map((event) => streamEventShapes[event]), 'done {the JSON response}'].join(', ');
  const requestId = componentId(contract.request, `${contract.name} request`);
  const responseId = componentId(contract.response, `${contract.name} response`);
  return {
    post: {
      operationId: contract.name,
      summary: contract.summary,
      requestBody: { required: true, content: { 'application/json': { schema: reference(requestId), example: contract.example } } },
      responses: {
        '200': {
          description: 'The result as JSON, or as Server-Sent Events when the request says Accept: text/event-stream.',
          content: {
            'application/json': { schema: reference(responseId) },
            'text/event-stream': { schema: { type: 'string', description: `events: ${events}; or error {error} instead of done` } },
          },
        },
        ...errorResponses,
      },
    },
  };
}

/** The id under components/schemas: every operation schema carries one (.meta({ id })). */
function componentId(schema: z.ZodType, what: string): string {
  const id = z.globalRegistry.get(schema)?.id;
  if (id === undefined) throw new Error(`The ${what} schema has no .meta({ id }): give it one so the OpenAPI document can name it.`);
  return id;
}

export function buildOpenApiDocument(version: string): Record<string, unknown> {
  const contracts: OperationContract[] = Object.values(operationContracts);
  return {
    openapi: '3.1.0',
    info: {
      title: 'Office LLM add-in BFF',
      version,
      description: `HTTP contract v1: ${contracts.map((contract) => contract.name).join(', ')} with the organisation's LLM provider.`,
    },
    paths: {
      ...Object.fromEntries(contracts.map((contract) => [contract.path, operationPath(contract)])),
      [apiRoutes.health]: {
        get: {
          summary: 'Whether the server and its provider are ready',
          responses: {
            '200': { description: 'Ready', content: { 'application/json': { schema: reference('HealthResponse') } } },
            '503': { description: 'Not ready: reason says why and what to do', content: { 'application/json': { schema: reference('HealthResponse') } } },
          },
        },
      },
      [apiRoutes.clientConfig]: {
        get: {
          summary: 'Public settings the task pane needs to sign in (an addition to the v1 table)',
          responses: {
            '200': {
              description: 'Sign-in mode and, with Entra ID, the client id, scopes and authority',
              content: { 'application/json': { schema: reference('ClientConfigResponse') } },
            },
          },
        },
      },
      [apiRoutes.glossary]: {
        get: {
          summary: "The organisation's translation glossary, merged into every translate request (an addition to the v1 table; signed in)",
          responses: {
            '200': {
              description: 'Fixed translations and do-not-translate terms; both empty when the organisation has none',
              content: { 'application/json': { schema: reference('GlossaryResponse') } },
            },
            ...errorResponses,
          },
        },
      },
      [apiRoutes.metrics]: {
        get: {
          summary: 'Prometheus metrics',
          responses: { '200': { description: 'Prometheus text format', content: { 'text/plain': { schema: { type: 'string' } } } } },
        },
      },
    },
    components: { schemas: componentSchemas() },
  };
}
