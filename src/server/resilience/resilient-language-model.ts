// Wraps any provider with the one retry policy and the rate governor (requests and tokens per
// minute, Retry-After pauses, adaptive concurrency). Operations receive this wrapper, so they never
// retry transport failures themselves; every attempt goes through the governor, so retries count
// against the limits too.
import { setMaxListeners } from 'node:events';
import type { RetryPolicy } from 'cockatiel';
import { countMessageTokens } from '../engine/message-tokens.js';
import { RateGovernor, type CallOutcome, type GovernorSnapshot } from './rate-governor.js';
import { isAppError } from '../errors.js';
import type { GenerateOptions, GenerateResult, LanguageModel, ProviderStatus, StreamPart } from '../providers/language-model.js';
import { createRetryPolicy, withRetries, type RetrySettings } from './retry-policy.js';

export interface ResilienceSettings extends RetrySettings {
  /** Ceiling of the adaptive concurrency (LLM_MAX_CONCURRENCY). */
  maxConcurrency: number;
  requestsPerMinute?: number | undefined;
  tokensPerMinute?: number | undefined;
}

/** What a request is charged against the tokens-per-minute budget when it sets no maximum answer. */
const defaultAnswerTokens = 1024;

export class ResilientLanguageModel implements LanguageModel {
  readonly provider: string;
  readonly modelId: string;
  readonly prefersSmallBatches: boolean;
  private readonly retryPolicy: RetryPolicy;
  private readonly governor: RateGovernor;

  constructor(
    private readonly inner: LanguageModel,
    settings: ResilienceSettings,
  ) {
    this.provider = inner.provider;
    this.modelId = inner.modelId;
    this.prefersSmallBatches = inner.prefersSmallBatches;
    this.retryPolicy = createRetryPolicy(settings);
    this.governor = new RateGovernor({
      maxConcurrency: settings.maxConcurrency,
      requestsPerMinute: settings.requestsPerMinute,
      tokensPerMinute: settings.tokensPerMinute,
      maxPauseMilliseconds: settings.maxRetryAfterMilliseconds ?? 60_000,
    });
  }

  get contextWindowTokens(): number {
    return this.inner.contextWindowTokens;
  }

  countTokens(text: string): number {
    return this.inner.countTokens(text);
  }

  status(): ProviderStatus {
    return this.inner.status();
  }

  /** Bypasses the governor and retries: a health probe must neither wait behind bulk work nor spend its budget. */
  checkReadiness(): Promise<ProviderStatus> {
    return this.inner.checkReadiness?.() ?? Promise.resolve(this.inner.status());
  }

  governorSnapshot(): GovernorSnapshot {
    return this.governor.snapshot();
  }

  generate(options: GenerateOptions): Promise<GenerateResult> {
    const cost = this.requestTokens(options);
    allowManyListeners(options.signal);
    return withRetries(
      this.retryPolicy,
      async (signal) => {
        const permit = await this.governor.acquire(cost, signal);
        try {
          const result = await this.inner.generate({ ...options, signal });
          permit.release({ kind: 'success' });
          return result;
        } catch (error) {
          permit.release(outcomeOf(error));
          throw error;
        }
      },
      options.signal,
    );
  }

  /** A stream is retried only until its first part arrives: after that the client has seen text. */
  async *stream(options: GenerateOptions): AsyncIterable<StreamPart> {
    const cost = this.requestTokens(options);
    allowManyListeners(options.signal);
    const opened = await withRetries(
      this.retryPolicy,
      async (signal) => {
        const permit = await this.governor.acquire(cost, signal);
        try {
          const iterator = this.inner.stream({ ...options, signal })[Symbol.asyncIterator]();
          const first = await iterator.next();
          return { iterator, first, permit };
        } catch (error) {
          permit.release(outcomeOf(error));
          throw error;
        }
      },
      options.signal,
    );
    // The slot stays taken until the stream ends: the provider is still working on it.
    let outcome: CallOutcome = { kind: 'other' };
    try {
      if (opened.first.done === true) {
        outcome = { kind: 'success' };
        return;
      }
      yield opened.first.value;
      for (;;) {
        const next = await opened.iterator.next();
        if (next.done === true) {
          outcome = { kind: 'success' };
          return;
        }
        yield next.value;
      }
    } catch (error) {
      outcome = outcomeOf(error);
      throw error;
    } finally {
      opened.permit.release(outcome);
    }
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  /** What the provider charges against tokens per minute: the prompt plus the most the answer may take. */
  private requestTokens(options: GenerateOptions): number {
    return countMessageTokens(options.messages, (text) => this.inner.countTokens(text)) + (options.maxOutputTokens ?? defaultAnswerTokens);
  }
}

/** One bulk request's signal is shared by every batch it sends at once; that many listeners is by design. */
function allowManyListeners(signal: AbortSignal | undefined): void {
  if (signal !== undefined) setMaxListeners(0, signal);
}

function outcomeOf(error: unknown): CallOutcome {
  if (!isAppError(error)) return { kind: 'other' };
  if (error.code === 'PROVIDER_RATE_LIMITED' || error.code === 'PROVIDER_UNAVAILABLE' || error.code === 'PROVIDER_ERROR' || error.code === 'PROVIDER_TIMEOUT') {
    return { kind: 'overload', retryAfterMilliseconds: error.retryAfterSeconds === undefined ? undefined : error.retryAfterSeconds * 1000 };
  }
  return { kind: 'other' };
}

/** The wrapper as configured: LLM_MAX_RETRIES, LLM_MAX_CONCURRENCY, LLM_RPM, LLM_TPM. */
export function resilientFromConfig(
  inner: LanguageModel,
  upstream: { maxRetries: number; maxConcurrency: number; requestsPerMinute: number | undefined; tokensPerMinute: number | undefined },
  overrides: Partial<RetrySettings> = {},
): ResilientLanguageModel {
  return new ResilientLanguageModel(inner, {
    maxRetries: upstream.maxRetries,
    maxConcurrency: upstream.maxConcurrency,
    requestsPerMinute: upstream.requestsPerMinute,
    tokensPerMinute: upstream.tokensPerMinute,
    ...overrides,
  });
}
