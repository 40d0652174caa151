// Durable jobs (an addition to contract v1): bulk classify and translate that survive a closed pane, a
// restarted server and a lost instance. A job is created with the same body as the operation's own
// route, answers at once with an id, and its results are fetched by range or followed as events.
//   POST   /api/v1/jobs                       → 202 { job }
//   GET    /api/v1/jobs/{id}                  → { job }
//   GET    /api/v1/jobs/{id}/results?from&to  → { job, results } (finished items in [from, to))
//   GET    /api/v1/jobs/{id}/events           → Server-Sent Events: item…, progress…, then done or error
//   DELETE /api/v1/jobs/{id}                  → { job } (cancelled; finished results stay readable)
// A job belongs to the signed-in user who created it: anyone else gets 404, as if it did not exist.
import { z } from 'zod';
import { errorBodySchema, usageSchema } from './common-schemas.js';
import { classifyRequestSchema, classifyResultSchema } from './operations/classify.js';
import { translateRequestSchema, translateResultSchema } from './operations/translate.js';

export const jobOperations = ['classify', 'translate'] as const;
export type JobOperation = (typeof jobOperations)[number];

export const jobStates = ['queued', 'running', 'completed', 'failed', 'cancelled'] as const;
export type JobState = (typeof jobStates)[number];

/** `now`: batches run as soon as a worker is free. `overnight`: the provider's batch API (cheaper, answers within 24 hours). */
export const jobModes = ['now', 'overnight'] as const;
export type JobMode = (typeof jobModes)[number];

export const createJobRequestSchema = z
  .discriminatedUnion('operation', [
    z.object({ operation: z.literal('classify'), request: classifyRequestSchema, mode: z.enum(jobModes).optional() }).strict(),
    z.object({ operation: z.literal('translate'), request: translateRequestSchema, mode: z.enum(jobModes).optional() }).strict(),
  ])
  .meta({ id: 'CreateJobRequest', description: 'the operation and the same request body its own route takes; mode defaults to now' });
export type CreateJobRequest = z.infer<typeof createJobRequestSchema>;

export const jobCountsSchema = z
  .object({
    total: z.number().int().nonnegative().meta({ description: 'items in the request' }),
    done: z.number().int().nonnegative().meta({ description: 'items with a result (an answer or a per-item error)' }),
    failed: z.number().int().nonnegative().meta({ description: 'of done, items whose result is an error' }),
  })
  .meta({ id: 'JobCounts' });
export type JobCounts = z.infer<typeof jobCountsSchema>;

export const jobStatusSchema = z
  .object({
    id: z.string().meta({ description: 'opaque; keep it to reconnect (the pane keeps it in the document settings)' }),
    operation: z.enum(jobOperations),
    mode: z.enum(jobModes),
    state: z.enum(jobStates),
    createdAt: z.string().meta({ description: 'ISO 8601' }),
    updatedAt: z.string().meta({ description: 'ISO 8601' }),
    expiresAt: z.string().meta({ description: 'ISO 8601: after this the job and its results are deleted (JOB_RESULT_TTL_SECONDS after it ended)' }),
    counts: jobCountsSchema,
    checkBackAt: z.string().optional().meta({ description: 'overnight mode: when the results are expected (ISO 8601)' }),
    error: errorBodySchema.optional().meta({ description: 'state failed: why the job as a whole stopped' }),
    model: z.string().optional(),
    usage: usageSchema.optional().meta({ description: 'what the job used upstream so far' }),
  })
  .meta({ id: 'JobStatus' });
export type JobStatus = z.infer<typeof jobStatusSchema>;

export const jobEnvelopeSchema = z.object({ job: jobStatusSchema }).meta({ id: 'JobEnvelope' });
export type JobEnvelope = z.infer<typeof jobEnvelopeSchema>;

/** One finished item: its index in the request, and the operation's own per-item result. */
export const jobItemResultSchema = z
  .union([
    z.object({ index: z.number().int().nonnegative() }).extend(classifyResultSchema.shape),
    z.object({ index: z.number().int().nonnegative() }).extend(translateResultSchema.shape),
  ])
  .meta({ id: 'JobItemResult' });
export type JobItemResult = z.infer<typeof jobItemResultSchema>;

export const jobResultsQuerySchema = z
  .object({
    from: z.coerce.number().int().nonnegative().default(0),
    to: z.coerce.number().int().nonnegative().optional().meta({ description: 'exclusive; at most from + 5000' }),
  })
  .strict();
export type JobResultsQuery = z.infer<typeof jobResultsQuerySchema>;

export const jobResultsResponseSchema = z
  .object({
    job: jobStatusSchema,
    results: z.array(jobItemResultSchema).meta({ description: 'the finished items with from ≤ index < to, by index; unfinished ones are absent' }),
  })
  .meta({ id: 'JobResultsResponse' });
export type JobResultsResponse = z.infer<typeof jobResultsResponseSchema>;

/** Events of GET /api/v1/jobs/{id}/events: every finished item (those done before the connection first), progress, then done ({ job }) or error. */
export const jobStreamEvents = ['item', 'progress', 'done', 'error'] as const;
