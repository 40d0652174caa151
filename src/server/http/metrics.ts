// Prometheus metrics: HTTP traffic and the LLM work behind it (requests, tokens, cached items).
// Labels are route templates and codes, never content.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Usage } from '../../contract/schemas.js';
import { JobMetrics } from '../jobs/job-metrics.js';

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

  /** Jobs by state, batches by outcome (retried ones too), the queue depth (src/server/jobs). */
  readonly jobs = new JobMetrics(this.registry);

  constructor() {
    // Event-loop lag sampled every 100 ms, not prom-client's 10: the 10 ms timer woke an idle server 100
    // times a second (12 ms of CPU a second here; 5 ms with 100 ms), and a lag worth an alert
    // lasts far longer than 100 ms anyway.
    collectDefaultMetrics({ register: this.registry, eventLoopMonitoringPrecision: 100 });
  }

  /** The rate governor's state, read at each scrape: the concurrency it found, the limits it paces at, where budgets count. */
  watchGovernor(snapshot: () => GovernorGaugeSource): void {
    const gauge = (name: string, help: string, read: (state: GovernorGaugeSource) => number | undefined) =>
      new Gauge({
        name,
        help,
        registers: [this.registry],
        collect() {
          const value = read(snapshot());
          if (value !== undefined) this.set(value);
        },
      });
    gauge('llm_governor_concurrency_limit', 'Upstream calls the rate governor allows at once (adaptive)', (state) => state.concurrencyLimit);
    gauge('llm_governor_active_calls', 'Upstream calls in flight', (state) => state.active);
    gauge('llm_governor_waiting_calls', 'Calls waiting for a slot', (state) => state.waiting);
    gauge('llm_governor_requests_per_minute', "Requests per minute paced at (the provider's stated limit or LLM_RPM)", (state) => state.requestsPerMinute);
    gauge('llm_governor_tokens_per_minute', "Tokens per minute paced at (the provider's stated limit or LLM_TPM)", (state) => state.tokensPerMinute);
    gauge('llm_governor_shared_budget', '1: the provider budget is shared in Redis; 0: counted in this instance (no Redis, or Redis unreachable)', (state) =>
      state.budgets === 'shared' ? 1 : 0,
    );
  }

  recordUsage(operation: string, usage: Usage): void {
    this.llmRequests.inc({ operation }, usage.requests);
    this.llmTokens.inc({ operation, kind: 'prompt' }, usage.promptTokens);
    this.llmTokens.inc({ operation, kind: 'completion' }, usage.completionTokens);
    this.cachedItems.inc({ operation }, usage.cachedItems);
  }
}

/** What the governor gauges read (the rate governor's snapshot). */
export interface GovernorGaugeSource {
  concurrencyLimit: number;
  active: number;
  waiting: number;
  requestsPerMinute: number | undefined;
  tokensPerMinute: number | undefined;
  budgets: 'local' | 'shared' | 'shared-unreachable';
}
