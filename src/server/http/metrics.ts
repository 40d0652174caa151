// Prometheus metrics: HTTP traffic and the LLM work behind it (requests, tokens, cached items).
// Labels are route templates and codes, never content.
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Usage } from '../../contract/schemas.js';

export class Metrics {
  readonly registry = new Registry();
  readonly httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.01, 0.05, 0.1, 0.5, 1, 2, 5, 10, 30, 60, 120],
    registers: [this.registry],
  });
  readonly llmRequests = new Counter({
    name: 'llm_requests_total',
    help: 'Requests made to the LLM provider',
    labelNames: ['operation'] as const,
    registers: [this.registry],
  });
  readonly llmTokens = new Counter({
    name: 'llm_tokens_total',
    help: 'Tokens used at the LLM provider',
    labelNames: ['operation', 'kind'] as const,
    registers: [this.registry],
  });
  readonly cachedItems = new Counter({
    name: 'llm_cached_items_total',
    help: 'Items answered from the cache',
    labelNames: ['operation'] as const,
    registers: [this.registry],
  });
  readonly operationErrors = new Counter({
    name: 'operation_errors_total',
    help: 'Failed operations by stable error code',
    labelNames: ['operation', 'code'] as const,
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  recordUsage(operation: string, usage: Usage): void {
    this.llmRequests.inc({ operation }, usage.requests);
    this.llmTokens.inc({ operation, kind: 'prompt' }, usage.promptTokens);
    this.llmTokens.inc({ operation, kind: 'completion' }, usage.completionTokens);
    this.cachedItems.inc({ operation }, usage.cachedItems);
  }
}
