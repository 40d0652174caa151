// Wraps any provider with the one retry policy, the circuit breaker and the rate governor (requests
// and tokens per minute, Retry-After pauses, adaptive concurrency). Operations receive this wrapper,
// so they never retry transport failures themselves; every attempt passes the breaker (one per
// instance: an outage opens it for every request) and then the governor, so retries count against
// the limits too. The governor paces by the provider's rate-limit headers, which the provider reports
// through onRateLimits on every answer; with REDIS_URL its budgets are shared by every instance.
import { setMaxListeners } from 'node:events';
import type { RetryPolicy } from 'cockatiel';
import { PromptTokenCounter } from '../engine/message-tokens.js';
import { localRateBudgets, RateGovernor, type CallOutcome, type GovernorSnapshot, type Permit, type RateBudgetSource } from './rate-governor.js';
import { SharedRateBudgets, type SharedBudgetState } from './shared-rate-budget.js';
import { UpstreamPace, type LatencySnapshot } from './upstream-pace.js';
import { isAppError } from '../errors.js';
import {
  LanguageModelWrapper,
  type GenerateOptions,
  type GenerateResult,
  type LanguageModel,
  type ProviderStatus,
  type StreamPart,
} from '../providers/language-model.js';
import { createRetryPolicy, withRetries, type RetrySettings } from './retry-policy.js';
import { defaultCircuitBreakerSettings, isCircuitOpenError, ProviderCircuitBreaker, type CircuitBreakerSettings } from './circuit-breaker.js';

export interface ResilienceSettings extends RetrySettings {
  /** Ceiling of the adaptive concurrency (LLM_MAX_CONCURRENCY). */
  maxConcurrency: number;
  /** Where the adaptive concurrency starts (default 16, at most maxConcurrency). */
  initialConcurrency?: number | undefined;
  /** LLM_RPM and LLM_TPM: ceilings below what the provider's headers state. */
  requestsPerMinute?: number | undefined;
  tokensPerMinute?: number | undefined;
  /** Redis holding the provider's budget for every instance (REDIS_URL); undefined: this instance counts alone. */
  sharedBudgetRedisUrl?: string | undefined;
  /** LLM_BREAKER_FAILURES and LLM_BREAKER_COOLDOWN_MS; defaults: 5 failures in a row, 30 seconds. */
  circuitBreaker?: Partial<CircuitBreakerSettings> | undefined;
}

/** What a request is charged against the tokens-per-minute budget when it sets no maximum answer. */
const defaultAnswerTokens = 1024;

/** What the app is told about the governor's shared budget: logged once per change. */
export type SharedBudgetListener = (state: SharedBudgetState, error?: unknown) => void;

export class ResilientLanguageModel extends LanguageModelWrapper {
  private readonly retryPolicy: RetryPolicy;
  private readonly governor: RateGovernor;
  private readonly breaker: ProviderCircuitBreaker;
  private readonly budgets: RateBudgetSource;
  private sharedBudgetListener: SharedBudgetListener | undefined;
  /** Latency per answer, for run estimates (upstream-pace.ts). */
  readonly pace = new UpstreamPace();
  /** Tokens per request for the governor's pacing: counted on every call, so the cheaper count. */
  private readonly promptTokens = new PromptTokenCounter((text) => this.inner.countTokens(text));
  private readonly configuredLimits: { requestsPerMinute: number | undefined; tokensPerMinute: number | undefined };

  constructor(inner: LanguageModel, settings: ResilienceSettings) {
    super(inner);
    this.configuredLimits = { requestsPerMinute: settings.requestsPerMinute, tokensPerMinute: settings.tokensPerMinute };
    this.retryPolicy = createRetryPolicy(settings);
    this.breaker = new ProviderCircuitBreaker({
      failureThreshold: settings.circuitBreaker?.failureThreshold ?? defaultCircuitBreakerSettings.failureThreshold,
      cooldownMilliseconds: settings.circuitBreaker?.cooldownMilliseconds ?? defaultCircuitBreakerSettings.cooldownMilliseconds,
    });
    this.budgets =
      settings.sharedBudgetRedisUrl === undefined
        ? localRateBudgets
        : new SharedRateBudgets({
            redisUrl: settings.sharedBudgetRedisUrl,
            // The provider counts per key and model: instances serving the same model share its budget.
            scope: `${inner.provider}:${inner.modelId}`,
            onStateChange: (state, error) => this.sharedBudgetListener?.(state, error),
          });
    this.governor = new RateGovernor({
      maxConcurrency: settings.maxConcurrency,
      ...(settings.initialConcurrency === undefined ? {} : { initialConcurrency: settings.initialConcurrency }),
      budgets: this.budgets,
      requestsPerMinute: settings.requestsPerMinute,
      tokensPerMinute: settings.tokensPerMinute,
      maxPauseMilliseconds: settings.maxRetryAfterMilliseconds ?? 60_000,
    });
  }

  /** Bypasses the governor and retries: a health probe must neither wait behind bulk work nor spend its budget. */
  checkReadiness(): Promise<ProviderStatus> {
    return this.inner.checkReadiness?.() ?? Promise.resolve(this.inner.status());
  }

  governorSnapshot(): GovernorSnapshot {
    return this.governor.snapshot();
  }

  /**
   * The provider's current pace for a run estimate: the governor's learnt concurrency and per-minute
   * limits, whether those came from the provider's headers or only from LLM_RPM/LLM_TPM, and the latency measured.
   */
  paceSnapshot(): { governor: GovernorSnapshot; limitsFrom: 'provider-headers' | 'configured' | 'none'; latency: LatencySnapshot } {
    const governor = this.governor.snapshot();
    const configured = this.configuredLimits;
    const known = governor.requestsPerMinute !== undefined || governor.tokensPerMinute !== undefined;
    const fromHeaders =
      (governor.requestsPerMinute !== undefined && governor.requestsPerMinute !== configured.requestsPerMinute) ||
      (governor.tokensPerMinute !== undefined && governor.tokensPerMinute !== configured.tokensPerMinute);
    return { governor, limitsFrom: !known ? 'none' : fromHeaders ? 'provider-headers' : 'configured', latency: this.pace.snapshot() };
  }

  /** The app logs when the shared budget's Redis goes away (each instance then counts alone) and comes back. */
  onSharedBudgetChange(listener: SharedBudgetListener): void {
    this.sharedBudgetListener = listener;
  }

  override async close(): Promise<void> {
    await this.budgets.close();
    await this.inner.close();
  }

  generate(options: GenerateOptions): Promise<GenerateResult> {
    const cost = this.requestTokens(options);
    allowManyListeners(options.signal);
    return withRetries(
      this.retryPolicy,
      (signal) =>
        this.attempt(cost, signal, async (permit) => {
          const started = performance.now();
          const result = await this.inner.generate({ ...options, signal, onRateLimits: (limits) => permit.observe(limits) });
          this.pace.observe((performance.now() - started) / 1000, result.usage.completionTokens);
          permit.release({ kind: 'success' });
          return result;
        }),
      options.signal,
    );
  }

  /**
   * A stream is retried only until its first part arrives: after that the client has seen text. For
   * the breaker too a stream counts until its first part: a failure later is not the provider's outage.
   */
  async *stream(options: GenerateOptions): AsyncIterable<StreamPart> {
    const cost = this.requestTokens(options);
    allowManyListeners(options.signal);
    const opened = await withRetries(
      this.retryPolicy,
      (signal) =>
        this.attempt(cost, signal, async (permit) => {
          const iterator = this.inner.stream({ ...options, signal, onRateLimits: (limits) => permit.observe(limits) })[Symbol.asyncIterator]();
          const first = await iterator.next();
          return { iterator, first, permit };
        }),
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

  /**
   * One attempt: through the breaker, then a governor slot, then the breaker again (it may have opened
   * while the call waited for its slot), then the call. A failure gives the slot back with what it says
   * about the provider's load; on success `call` decides when the slot is released.
   */
  private attempt<Result>(cost: number, signal: AbortSignal, call: (permit: Permit) => Promise<Result>): Promise<Result> {
    return this.breaker.execute(async () => {
      const permit = await this.governor.acquire(cost, signal);
      try {
        this.breaker.throwIfOpen();
        return await call(permit);
      } catch (error) {
        permit.release(outcomeOf(error));
        throw error;
      }
    });
  }

  /** What the provider charges against tokens per minute: the prompt plus the most the answer may take. */
  private requestTokens(options: GenerateOptions): number {
    return this.promptTokens.count(options.messages) + (options.maxOutputTokens ?? defaultAnswerTokens);
  }
}

/** One bulk request's signal is shared by every batch it sends at once; that many listeners is by design. */
function allowManyListeners(signal: AbortSignal | undefined): void {
  if (signal !== undefined) setMaxListeners(0, signal);
}

function outcomeOf(error: unknown): CallOutcome {
  // The breaker's own refusal never reached the provider: it says nothing about its load.
  if (!isAppError(error) || isCircuitOpenError(error)) return { kind: 'other' };
  if (error.code === 'PROVIDER_RATE_LIMITED' || error.code === 'PROVIDER_UNAVAILABLE' || error.code === 'PROVIDER_ERROR' || error.code === 'PROVIDER_TIMEOUT') {
    return {
      kind: 'overload',
      retryAfterMilliseconds: error.retryAfterSeconds === undefined ? undefined : error.retryAfterSeconds * 1000,
      rateLimited: error.code === 'PROVIDER_RATE_LIMITED',
    };
  }
  return { kind: 'other' };
}

/** The wrapper as configured: LLM_MAX_RETRIES, LLM_MAX_CONCURRENCY, LLM_RPM, LLM_TPM, LLM_BREAKER_FAILURES, LLM_BREAKER_COOLDOWN_MS, REDIS_URL. */
export function resilientFromConfig(
  inner: LanguageModel,
  upstream: {
    maxRetries: number;
    maxConcurrency: number;
    requestsPerMinute: number | undefined;
    tokensPerMinute: number | undefined;
    circuitBreaker?: Partial<CircuitBreakerSettings> | undefined;
    sharedBudgetRedisUrl?: string | undefined;
  },
  overrides: Partial<RetrySettings> = {},
): ResilientLanguageModel {
  return new ResilientLanguageModel(inner, {
    maxRetries: upstream.maxRetries,
    maxConcurrency: upstream.maxConcurrency,
    requestsPerMinute: upstream.requestsPerMinute,
    tokensPerMinute: upstream.tokensPerMinute,
    circuitBreaker: upstream.circuitBreaker,
    sharedBudgetRedisUrl: upstream.sharedBudgetRedisUrl,
    ...overrides,
  });
}
