// Wraps any provider with the one retry policy and a cap on concurrent upstream calls. Operations
// receive this wrapper, so they never retry transport failures themselves.
import { bulkhead, type BulkheadPolicy, type RetryPolicy } from 'cockatiel';
import type { GenerateOptions, GenerateResult, LanguageModel, ProviderStatus, StreamPart } from '../providers/language-model.js';
import { createRetryPolicy, withRetries, type RetrySettings } from './retry-policy.js';

export interface ResilienceSettings extends RetrySettings {
  maxConcurrency: number;
}

export class ResilientLanguageModel implements LanguageModel {
  readonly provider: string;
  readonly modelId: string;
  readonly prefersSmallBatches: boolean;
  private readonly retryPolicy: RetryPolicy;
  private readonly concurrency: BulkheadPolicy;

  constructor(
    private readonly inner: LanguageModel,
    settings: ResilienceSettings,
  ) {
    this.provider = inner.provider;
    this.modelId = inner.modelId;
    this.prefersSmallBatches = inner.prefersSmallBatches;
    this.retryPolicy = createRetryPolicy(settings);
    this.concurrency = bulkhead(settings.maxConcurrency, Number.MAX_SAFE_INTEGER);
  }

  get inputCharacterBudget(): number {
    return this.inner.inputCharacterBudget;
  }

  status(): ProviderStatus {
    return this.inner.status();
  }

  generate(options: GenerateOptions): Promise<GenerateResult> {
    return withRetries(
      this.retryPolicy,
      (signal) => this.concurrency.execute(() => this.inner.generate({ ...options, signal }), signal),
      options.signal,
    );
  }

  /** A stream is retried only until its first part arrives: after that the client has seen text. */
  async *stream(options: GenerateOptions): AsyncIterable<StreamPart> {
    const opened = await withRetries(
      this.retryPolicy,
      async (signal) => {
        const iterator = this.inner.stream({ ...options, signal })[Symbol.asyncIterator]();
        const first = await iterator.next();
        return { iterator, first };
      },
      options.signal,
    );
    if (opened.first.done === true) return;
    yield opened.first.value;
    for (;;) {
      const next = await opened.iterator.next();
      if (next.done === true) return;
      yield next.value;
    }
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
