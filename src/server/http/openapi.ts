// The contract as OpenAPI 3.1, generated from the same zod schemas that validate requests, so the
// document cannot drift from the code.
import { z } from 'zod';
import { errorCodes } from '../../contract/error-codes.js';
import { apiRoutes } from '../../contract/routes.js';
import * as schemas from '../../contract/schemas.js';
import { estimateExample, operationContracts, type OperationContract, type OperationStreamEvent } from '../../contract/schemas.js';

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

/** The jobs API (contract/jobs.ts): an addition to the v1 table; every route signed in, a job visible to its creator only. */
function jobPaths(): Record<string, unknown> {
  const jobId = { name: 'id', in: 'path', required: true, schema: { type: 'string' }, description: 'the id POST answered' };
  const jobEnvelope = (description: string) => ({ description, content: { 'application/json': { schema: reference('JobEnvelope') } } });
  const notFound = 'a job that does not exist, has expired (JOB_RESULT_TTL_SECONDS after it ended) or belongs to someone else is 404 NOT_FOUND';
  return {
    [apiRoutes.jobs]: {
      post: {
        operationId: 'createJob',
        summary: 'Start a bulk classify or translate as a job that survives a closed pane and a lost server instance; answers at once',
        requestBody: { required: true, content: { 'application/json': { schema: reference('CreateJobRequest') } } },
        responses: { '202': jobEnvelope('The queued job: keep its id to read its state and results'), ...errorResponses },
      },
    },
    [`${apiRoutes.jobs}/{id}`]: {
      get: {
        operationId: 'getJob',
        summary: `The job's state and counts; ${notFound}`,
        parameters: [jobId],
        responses: { '200': jobEnvelope('The job'), ...errorResponses },
      },
      delete: {
        operationId: 'cancelJob',
        summary: 'Cancel the job: running batches are aborted upstream, no more start; finished results stay readable until it expires',
        parameters: [jobId],
        responses: { '200': jobEnvelope('The job, cancelled (or as it ended, when it had ended before)'), ...errorResponses },
      },
    },
    [`${apiRoutes.jobs}/{id}/results`]: {
      get: {
        operationId: 'getJobResults',
        summary: 'The finished items with from ≤ index < to (at most 5,000 at once), by index',
        parameters: [
          jobId,
          { name: 'from', in: 'query', required: false, schema: { type: 'integer', minimum: 0, default: 0 } },
          { name: 'to', in: 'query', required: false, schema: { type: 'integer', minimum: 0 }, description: 'exclusive; at most from + 5000' },
        ],
        responses: {
          '200': { description: 'The job and its results in the range', content: { 'application/json': { schema: reference('JobResultsResponse') } } },
          ...errorResponses,
        },
      },
    },
    [`${apiRoutes.jobs}/{id}/events`]: {
      get: {
        operationId: 'followJob',
        summary: "The job's results as Server-Sent Events, from any instance; a new connection is sent every finished item again",
        parameters: [jobId],
        responses: {
          '200': {
            description: 'The event stream',
            content: {
              'text/event-stream': {
                schema: {
                  type: 'string',
                  description: 'events: item {index, …} for every finished item, progress {done, total}, then done {job} or error {error}',
                },
              },
            },
          },
          ...errorResponses,
        },
      },
    },
  };
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
      ...probePaths(),
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
      [apiRoutes.attachmentExtract]: {
        post: {
          operationId: 'extractAttachment',
          summary:
            'The text of one email attachment: PDF, Word (.docx), Excel (.xlsx), text, HTML, .eml, .msg; cached by the file’s SHA-256 (an addition to the v1 table; signed in; never calls the model)',
          requestBody: { required: true, content: { 'application/json': { schema: reference('AttachmentExtractRequest') } } },
          responses: {
            '200': { description: 'The extracted text', content: { 'application/json': { schema: reference('AttachmentExtractResponse') } } },
            ...errorResponses,
          },
        },
      },
      [apiRoutes.estimate]: {
        post: {
          operationId: 'estimate',
          summary:
            'A dry run of classify or translate: rows to send after duplicates and cached rows, requests, tokens, seconds at the current pace and cost (an addition to the v1 table; signed in; never calls the model nor charges the daily budget)',
          requestBody: { required: true, content: { 'application/json': { schema: reference('EstimateRequest'), example: estimateExample } } },
          responses: {
            '200': {
              description: 'The estimate, from the planner that runs the work',
              content: { 'application/json': { schema: reference('EstimateResponse') } },
            },
            ...errorResponses,
          },
        },
      },
      ...jobPaths(),
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

/** Kubernetes probes (http/probe-routes.ts): public, like /healthz; an addition to the v1 table. */
function probePaths(): Record<string, unknown> {
  const check = { type: 'object', properties: { ok: { type: 'boolean' }, reason: { type: 'string' } }, required: ['ok'] };
  const readiness = {
    type: 'object',
    properties: {
      ready: { type: 'boolean' },
      checks: {
        type: 'object',
        description: 'provider; redis (with REDIS_URL); jobStore; shutdown (only once it began)',
        additionalProperties: check,
      },
    },
    required: ['ready', 'checks'],
  };
  return {
    [apiRoutes.live]: {
      get: {
        operationId: 'liveness',
        summary: 'The process is alive (checks nothing else: a provider outage must not restart the pod)',
        responses: {
          '200': {
            description: 'Alive',
            content: { 'application/json': { schema: { type: 'object', properties: { status: { const: 'ok' } }, required: ['status'] } } },
          },
        },
      },
    },
    [apiRoutes.ready]: {
      get: {
        operationId: 'readiness',
        summary: 'Whether this instance should get traffic: the provider can serve, Redis and the job store answer, and shutdown has not begun',
        responses: {
          '200': { description: 'Ready', content: { 'application/json': { schema: readiness } } },
          '503': { description: 'Not ready: the failing checks carry a reason (Retry-After: 5)', content: { 'application/json': { schema: readiness } } },
        },
      },
    },
  };
}
