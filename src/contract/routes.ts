// Route paths of the HTTP contract v1, shared by the BFF and the task pane's API client.
export const apiRoutes = {
  summarize: '/api/v1/summarize',
  translate: '/api/v1/translate',
  classify: '/api/v1/classify',
  /** An addition to the v1 table: drafts a reply to an email (Outlook). */
  reply: '/api/v1/reply',
  openapi: '/api/v1/openapi.json',
  /** An addition to the v1 table: public settings the pane needs to sign in. */
  clientConfig: '/api/v1/client-config',
  health: '/healthz',
  metrics: '/metrics',
} as const;
