// OpenAI, Azure OpenAI and any OpenAI-compatible server (Ollama, vLLM, llama.cpp server, LiteLLM)
// through the official openai SDK. The SDK's own retries are off: the one retry policy lives in
// ../../resilience, so retries are never stacked.
import OpenAI, { APIConnectionTimeoutError, APIError, AzureOpenAI } from 'openai';
import type { ChatCompletionCreateParamsBase } from 'openai/resources/chat/completions';
import type { AzureSettings, OpenAiSettings } from '../../config.js';
import type { FinishReason, GenerateOptions, GenerateResult, LanguageModel, ProviderStatus, StreamPart, TokenUsage } from '../language-model.js';
import { AppError } from '../../errors.js';
import { upstreamError } from './openai-errors.js';
import { OpenAiBatchApi } from './openai-batch.js';
import type { BatchApi } from '../batch-api.js';
import { rateLimitsFromHeaders } from './openai-rate-headers.js';
import { requestShapeFor, type RequestShape, type RequestShapeSettings } from './openai-request-shape.js';
import { contextWindowForModel, createTokenCounter, type TokenCounter } from '../../engine/tokenizer.js';
import { createUpstreamFetch } from './upstream-fetch.js';

export interface OpenAiProviderOptions {
  timeoutMilliseconds: number;
  structuredOutput: 'json_schema' | 'json_object';
  /** Overrides the context window known for the model (LLM_CONTEXT_TOKENS). */
  contextWindowTokens?: number | undefined;
  /** How long a readiness probe (GET /models) may take before the provider counts as unreachable. */
  readinessTimeoutMilliseconds?: number;
  /** How long a probe's answer is reused: health checks every few seconds must not each reach the provider. */
  readinessCacheMilliseconds?: number;
  /** LLM_TOKEN_LIMIT_PARAMETER and LLM_SAMPLING_PARAMETERS; by default guessed from the model's name. */
  requestShape?: RequestShapeSettings | undefined;
  /** LLM_BATCH_API: auto offers the batch API (overnight jobs) for OpenAI and Azure only; on also for a compatible server that has /v1/batches. */
  batchApi?: 'auto' | 'on' | 'off' | undefined;
}

const defaultReadinessTimeoutMilliseconds = 5000;
const defaultReadinessCacheMilliseconds = 30_000;
const failedReadinessCacheMilliseconds = 5000;

export class OpenAiLanguageModel implements LanguageModel {
  readonly provider: string;
  readonly modelId: string;
  readonly prefersSmallBatches = false;
  readonly contextWindowTokens: number;
  readonly batchApi: BatchApi | undefined;
  private readonly client: OpenAI;
  private readonly upstreamFetch = createUpstreamFetch();
  private readonly tokenCounter: TokenCounter;
  private readonly shape: RequestShape;
  /** Which variables an administrator fixes when the provider cannot be reached or refuses the key. */
  private readonly advice: { where: string; reach: string; key: string };
  private lastReadiness: { status: ProviderStatus; checkedAt: number } | undefined;
  private probeInFlight: Promise<ProviderStatus> | undefined;

  constructor(
    settings: OpenAiSettings | AzureSettings,
    private readonly options: OpenAiProviderOptions,
  ) {
    if (settings.kind === 'azure') {
      this.provider = 'azure';
      this.modelId = settings.deployment;
      this.advice = {
        where: 'Azure OpenAI at AZURE_OPENAI_ENDPOINT',
        reach: "check AZURE_OPENAI_ENDPOINT and this server's network access to it",
        key: 'set AZURE_OPENAI_API_KEY to a key of that resource',
      };
      this.client = new AzureOpenAI({
        endpoint: settings.endpoint,
        apiKey: settings.apiKey,
        deployment: settings.deployment,
        apiVersion: settings.apiVersion,
        maxRetries: 0,
        timeout: options.timeoutMilliseconds + 5000,
        fetch: this.upstreamFetch,
      });
    } else {
      this.provider = settings.baseUrl === undefined ? 'openai' : 'openai-compatible';
      this.modelId = settings.model;
      this.advice =
        settings.baseUrl === undefined
          ? {
              where: 'OpenAI (api.openai.com)',
              reach: "check this server's network access to api.openai.com (a proxy or firewall?)",
              key: 'set OPENAI_API_KEY to a valid key',
            }
          : {
              where: 'The LLM provider at OPENAI_BASE_URL',
              reach: 'check that it is running and that OPENAI_BASE_URL is its address as seen from this server',
              key: 'set OPENAI_API_KEY to a key that server accepts',
            };
      this.client = new OpenAI({
        // Local OpenAI-compatible servers (Ollama, llama.cpp) need no key, but the SDK requires one.
        apiKey: settings.apiKey ?? 'no-key-required',
        baseURL: settings.baseUrl ?? null,
        maxRetries: 0,
        timeout: options.timeoutMilliseconds + 5000,
        fetch: this.upstreamFetch,
      });
    }
    this.tokenCounter = createTokenCounter(settings.kind === 'azure' ? settings.deployment : settings.model);
    this.contextWindowTokens = options.contextWindowTokens ?? contextWindowForModel(this.modelId);
    this.shape = requestShapeFor(this.modelId, options.requestShape);
    const batchSetting = options.batchApi ?? 'auto';
    const offersBatches = batchSetting === 'on' || (batchSetting === 'auto' && this.provider !== 'openai-compatible');
    this.batchApi = offersBatches
      ? new OpenAiBatchApi(settings, {
          timeoutMilliseconds: options.timeoutMilliseconds,
          provider: this.provider,
          modelId: this.modelId,
          requestBody: (generateOptions) => ({ ...this.requestBody(generateOptions) }),
        })
      : undefined;
  }

  /** Configured, so operations may try: whether the provider answers is checkReadiness's to find out. */
  status(): ProviderStatus {
    return { ready: true, state: 'ok' };
  }

  /** GET /models, the cheapest authenticated call every OpenAI-compatible server has; one at a time, cached. */
  checkReadiness(): Promise<ProviderStatus> {
    const cacheMilliseconds = this.options.readinessCacheMilliseconds ?? defaultReadinessCacheMilliseconds;
    const last = this.lastReadiness;
    // A failure is asked again sooner: the administrator who fixed it wants to see it at once.
    const reuseFor = last?.status.ready === false ? Math.min(cacheMilliseconds, failedReadinessCacheMilliseconds) : cacheMilliseconds;
    if (last !== undefined && Date.now() - last.checkedAt < reuseFor) return Promise.resolve(last.status);
    this.probeInFlight ??= this.probeReadiness().then((status) => {
      this.lastReadiness = { status, checkedAt: Date.now() };
      this.probeInFlight = undefined;
      return status;
    });
    return this.probeInFlight;
  }

  countTokens(text: string): number {
    return this.tokenCounter.count(text);
  }

  async generate(options: GenerateOptions): Promise<GenerateResult> {
    try {
      // The SDK's own timeout is the deadline here: the answer is read whole inside the fetch it times
      // (upstream-fetch.ts), and its timeout error is told apart from the client's abort. A stream
      // outlives that fetch, so stream() keeps a deadline of its own.
      // withResponse: the answer's headers carry the provider's rate-limit state, which paces the next calls.
      const { data: completion, response } = await this.client.chat.completions
        .create({ ...this.requestBody(options), stream: false }, { signal: options.signal ?? null, timeout: this.options.timeoutMilliseconds })
        .withResponse();
      reportRateLimits(response.headers, options);
      const choice = completion.choices[0];
      return {
        text: choice?.message.content ?? '',
        usage: toUsage(completion.usage),
        finishReason: toFinishReason(choice?.finish_reason),
      };
    } catch (error) {
      if (error instanceof APIError) reportRateLimits(error.headers, options);
      throw this.toAppError(error, { timedOut: () => error instanceof APIConnectionTimeoutError && options.signal?.aborted !== true });
    }
  }

  async *stream(options: GenerateOptions): AsyncIterable<StreamPart> {
    let usage: TokenUsage = { promptTokens: 0, completionTokens: 0 };
    let finishReason: FinishReason | undefined;
    const deadline = this.deadline(options.signal);
    try {
      const { data: stream, response } = await this.client.chat.completions
        .create({ ...this.requestBody(options), stream: true, stream_options: { include_usage: true } }, { signal: deadline.signal })
        .withResponse();
      reportRateLimits(response.headers, options);
      for await (const chunk of stream) {
        if (chunk.usage) usage = toUsage(chunk.usage);
        const choice = chunk.choices[0];
        if (choice?.finish_reason) finishReason = toFinishReason(choice.finish_reason);
        const text = choice?.delta.content;
        if (text) yield { type: 'text-delta', text };
      }
    } catch (error) {
      if (error instanceof APIError) reportRateLimits(error.headers, options);
      throw this.toAppError(error, deadline);
    } finally {
      deadline.clear();
    }
    // Every OpenAI-compatible server ends a stream with a finish_reason: without one, it was cut off.
    if (finishReason === undefined) {
      throw new AppError('PROVIDER_ERROR', "The LLM provider's answer was cut off midway. Try again.");
    }
    yield { type: 'finish', usage, finishReason };
  }

  async close(): Promise<void> {}

  private async probeReadiness(): Promise<ProviderStatus> {
    const timeoutMilliseconds = this.options.readinessTimeoutMilliseconds ?? defaultReadinessTimeoutMilliseconds;
    const { where, reach, key } = this.advice;
    // Our own deadline, as for operations: whether it fired is known whatever the SDK reports.
    const deadline = AbortSignal.timeout(timeoutMilliseconds);
    try {
      // The first page is enough: a 2xx proves the server is up and takes the key.
      await this.client.models.list({ signal: deadline, maxRetries: 0 });
      return { ready: true, state: 'ok' };
    } catch (error) {
      if (error instanceof APIError && error.status !== undefined) {
        if (error.status === 401 || error.status === 403) {
          return unavailable(`${where} refused the key (HTTP ${error.status}): ${key}.`);
        }
        if (error.status >= 500) {
          return unavailable(`${where} answers but fails (HTTP ${error.status}): check its logs or status page.`);
        }
        // 404, 429 and the like: the server is up and did not refuse the key; it just shows no model list now.
        return { ready: true, state: 'ok' };
      }
      if (deadline.aborted || error instanceof APIConnectionTimeoutError) {
        return unavailable(`${where} did not answer within ${timeoutMilliseconds / 1000} seconds: ${reach}.`);
      }
      return unavailable(`${where} cannot be reached: ${reach}.`);
    }
  }

  /** Our own deadline, so a timeout is told apart from a client's abort whatever the SDK reports. */
  private deadline(clientSignal: AbortSignal | undefined) {
    // One controller that the deadline and the client's signal both abort: AbortSignal.any would do
    // the same, but costs several times more per call in Node 20.
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, this.options.timeoutMilliseconds);
    const forwardAbort = () => controller.abort(clientSignal?.reason);
    if (clientSignal?.aborted === true) forwardAbort();
    else clientSignal?.addEventListener('abort', forwardAbort, { once: true });
    return {
      signal: controller.signal,
      timedOut: () => timedOut && clientSignal?.aborted !== true,
      clear: () => {
        clearTimeout(timer);
        clientSignal?.removeEventListener('abort', forwardAbort);
      },
    };
  }

  private toAppError(error: unknown, deadline: { timedOut: () => boolean }): AppError {
    if (deadline.timedOut()) {
      return new AppError(
        'PROVIDER_TIMEOUT',
        `The LLM provider did not answer within ${Math.round(this.options.timeoutMilliseconds / 1000)} seconds. Try again; for long texts, try a shorter selection.`,
        { cause: error },
      );
    }
    return upstreamError(error, { provider: this.provider, model: this.modelId });
  }

  private requestBody(options: GenerateOptions): ChatCompletionCreateParamsBase {
    const body: ChatCompletionCreateParamsBase = {
      model: this.modelId,
      messages: options.messages.map((message) => ({ role: message.role, content: message.content })),
    };
    if (options.maxOutputTokens !== undefined) {
      if (this.shape.tokenLimitParameter === 'max_completion_tokens') body.max_completion_tokens = options.maxOutputTokens;
      else body.max_tokens = options.maxOutputTokens;
    }
    // Reasoning models accept only their default sampling and answer 400 to any other value.
    if (options.temperature !== undefined && this.shape.sendSamplingParameters) body.temperature = options.temperature;
    if (options.responseFormat !== undefined) {
      body.response_format =
        this.options.structuredOutput === 'json_schema'
          ? {
              type: 'json_schema',
              json_schema: { name: options.responseFormat.name, schema: options.responseFormat.schema, strict: true },
            }
          : { type: 'json_object' };
    }
    return body;
  }
}

function reportRateLimits(headers: Headers | undefined, options: GenerateOptions): void {
  if (options.onRateLimits === undefined) return;
  const limits = rateLimitsFromHeaders(headers);
  if (limits !== undefined) options.onRateLimits(limits);
}

function unavailable(reason: string): ProviderStatus {
  return { ready: false, state: 'unavailable', reason };
}

function toUsage(usage: OpenAI.CompletionUsage | null | undefined): TokenUsage {
  return { promptTokens: usage?.prompt_tokens ?? 0, completionTokens: usage?.completion_tokens ?? 0 };
}

function toFinishReason(reason: string | null | undefined): FinishReason {
  if (reason === 'stop') return 'stop';
  if (reason === 'length') return 'length';
  return 'other';
}
