// The HTTP contract, version 1, in one module: every request, response and stream event. The BFF
// validates with these at its edge, the task pane infers its types from them (type-only imports), and
// /api/v1/openapi.json is generated from them.
export * from './common-schemas.js';
export * from './labels.js';
export * from './operations/classify.js';
export * from './operations/define-operation-contract.js';
export * from './operations/index.js';
export * from './operations/reply.js';
export * from './operations/summarize.js';
export * from './operations/translate.js';
export * from './options.js';
export * from './jobs.js';
export * from './operations/estimate.js';
export * from './attachment-formats.js';
export * from './attachments.js';
export * from './mail-parts.js';
