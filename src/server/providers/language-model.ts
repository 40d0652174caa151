// The one interface every LLM provider implements (after vercel/ai): operations import only this file.
// Each provider lives in its own folder beside it and is chosen once, from configuration.
import type { BatchApi } from './batch-api.js';

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/** A JSON Schema the answer must follow: json_schema on the openai path, a grammar on the local path. */
export interface JsonResponseFormat {
  type: 'json';
  name: string;
  schema: Record<string, unknown>;
}

export interface GenerateOptions {
  messages: ChatMessage[];
  maxOutputTokens?: number;
  temperature?: number;
  responseFormat?: JsonResponseFormat;
  /** Aborts the upstream call: the client's disconnect reaches the provider through this. */
  signal?: AbortSignal;
  /** Told the provider's rate-limit state whenever an answer (a 429 too) carries it: the rate governor paces by it. */
  onRateLimits?: (limits: ProviderRateLimits) => void;
}

/** One limit as the provider reports it (OpenAI's and Azure's x-ratelimit-* headers); a part it did not send is undefined. */
export interface RateLimitWindow {
  /** The limit per minute. */
  limit: number | undefined;
  /** What may still be spent when the provider admitted the request. */
  remaining: number | undefined;
  /** Until the limit is whole again, from when the provider admitted the request. */
  resetMilliseconds: number | undefined;
}

export interface ProviderRateLimits {
  requests: RateLimitWindow | undefined;
  tokens: RateLimitWindow | undefined;
}

export interface TokenUsage {
  promptTokens: number;
  completionTokens: number;
}

export type FinishReason = 'stop' | 'length' | 'other';

export interface GenerateResult {
  text: string;
  usage: TokenUsage;
  finishReason: FinishReason;
}

export type StreamPart = { type: 'text-delta'; text: string } | { type: 'finish'; usage: TokenUsage; finishReason: FinishReason };

export interface ProviderStatus {
  ready: boolean;
  /** 'starting' while a local model downloads or loads; 'unavailable' when it cannot serve. */
  state: 'ok' | 'starting' | 'unavailable';
  reason?: string;
  /** Set while starting takes long (a download): requests are refused with this Retry-After instead of waiting. */
  retryAfterSeconds?: number;
}

export interface LanguageModel {
  /** openai, azure, openai-compatible or local. */
  readonly provider: string;
  readonly modelId: string;
  /** Whether several items may share one request (small local models answer better one at a time). */
  readonly prefersSmallBatches: boolean;
  /** The model's context window in tokens (prompt and answer together). */
  readonly contextWindowTokens: number;
  /** Tokens of `text` in the model's own tokenizer: batches and chunks are sized with it. */
  countTokens(text: string): number;
  /** What the provider knows without asking anyone: cheap, called before every operation. */
  status(): ProviderStatus;
  /**
   * A remote provider's status after asking it (reachable, key accepted), for /healthz. Cached and
   * never run twice at once, so health checks cost the provider little; absent where status() is
   * already the whole truth (the local model).
   */
  checkReadiness?(): Promise<ProviderStatus>;
  generate(options: GenerateOptions): Promise<GenerateResult>;
  stream(options: GenerateOptions): AsyncIterable<StreamPart>;
  close(): Promise<void>;
  /** The provider's batch API (OpenAI, Azure OpenAI), for overnight jobs; absent where there is none (the local model). */
  readonly batchApi?: BatchApi | undefined;
}

/** A model around another one: all but generate and stream (and what a subclass overrides) is the inner model's. */
export abstract class LanguageModelWrapper implements LanguageModel {
  constructor(protected readonly inner: LanguageModel) {}

  get provider(): string {
    return this.inner.provider;
  }

  get modelId(): string {
    return this.inner.modelId;
  }

  get prefersSmallBatches(): boolean {
    return this.inner.prefersSmallBatches;
  }

  get contextWindowTokens(): number {
    return this.inner.contextWindowTokens;
  }

  countTokens(text: string): number {
    return this.inner.countTokens(text);
  }

  get batchApi(): BatchApi | undefined {
    return this.inner.batchApi;
  }

  status(): ProviderStatus {
    return this.inner.status();
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  abstract generate(options: GenerateOptions): Promise<GenerateResult>;
  abstract stream(options: GenerateOptions): AsyncIterable<StreamPart>;
}
