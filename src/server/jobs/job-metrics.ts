// Prometheus metrics of jobs: jobs created and ended by state, batches by outcome (a retried batch is
// one claimed again after a failure or after its instance died), and the queue depth read from the
// store at each scrape (so every instance reports the shared queue when the store is Redis).
import { Counter, Gauge, type Registry } from 'prom-client';
import type { JobStore } from './job-store.js';

export class JobMetrics {
  readonly jobsCreated: Counter<'operation' | 'mode'>;
  readonly jobsEnded: Counter<'operation' | 'state'>;
  readonly batches: Counter<'outcome'>;
  readonly batchesRetried: Counter;

  constructor(private readonly registry: Registry) {
    this.jobsCreated = new Counter({
      name: 'jobs_created_total',
      help: 'Jobs created on this instance',
      labelNames: ['operation', 'mode'] as const,
      registers: [registry],
    });
    this.jobsEnded = new Counter({
      name: 'jobs_ended_total',
      help: 'Jobs that ended on this instance, by final state (completed, failed, cancelled)',
      labelNames: ['operation', 'state'] as const,
      registers: [registry],
    });
    this.batches = new Counter({
      name: 'job_batches_total',
      help: 'Job batches this instance finished, by outcome (completed, duplicate, failed, handed-back, cancelled)',
      labelNames: ['outcome'] as const,
      registers: [registry],
    });
    this.batchesRetried = new Counter({
      name: 'job_batches_retried_total',
      help: 'Batches this instance claimed again after a failure or after the instance that held them died',
      registers: [registry],
    });
  }

  /** The queue depth (batches waiting, batches being worked on), read from the store at each scrape. */
  watchQueue(store: JobStore): void {
    new Gauge({
      name: 'job_queue_batches',
      help: 'Job batches in the queue, by state (waiting, active); shared by every instance with Redis',
      labelNames: ['state'] as const,
      registers: [this.registry],
      async collect() {
        try {
          const depth = await store.queueDepth();
          this.set({ state: 'waiting' }, depth.waiting);
          this.set({ state: 'active' }, depth.active);
        } catch {
          // The store is unreachable: the gauge keeps its last values and /readyz says why.
        }
      },
    });
  }
}
