// Route paths of the HTTP contract v1, shared by the BFF and the task pane (no zod: the pane loads this
// at run time). Operations live under one prefix, named by the operation: see operations/.
export const apiPrefix = '/api/v1';

/** An operation's route: POST /api/v1/<name>. */
export function operationPath<const Name extends string>(name: Name): `${typeof apiPrefix}/${Name}` {
  return `${apiPrefix}/${name}`;
}

export const apiRoutes = {
  openapi: `${apiPrefix}/openapi.json`,
  /** An addition to the v1 table: public settings the pane needs to sign in. */
  clientConfig: `${apiPrefix}/client-config`,
  /** An addition to the v1 table: the organisation's translation glossary (signed in, like the operations). */
  glossary: `${apiPrefix}/glossary`,
  /** An addition to the v1 table: durable jobs (contract/jobs.ts); a job's own routes are `${jobs}/{id}`, `/results` and `/events`. */
  jobs: `${apiPrefix}/jobs`,
  /** An addition to the v1 table: a dry run of classify or translate (contract/operations/estimate.ts); signed in, never calls the model. */
  estimate: `${apiPrefix}/estimate`,
  /** An addition to the v1 table: the text of one email attachment (contract/attachments.ts; signed in). */
  attachmentExtract: `${apiPrefix}/attachments/extract`,
  health: '/healthz',
  /** Kubernetes probes: the process is alive / ready to take work (provider, Redis, job store). */
  live: '/livez',
  ready: '/readyz',
  metrics: '/metrics',
} as const;
