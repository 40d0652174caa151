// OpenAI, Azure OpenAI and any OpenAI-compatible server (Ollama, vLLM, llama.cpp server, LiteLLM)
// through the official openai SDK. The SDK's own retries are off: the one retry policy lives in
// ../../resilience, so retries are never stacked.
import OpenAI, { AzureOpenAI } from 'openai';
import type { ChatCompletionCreateParamsBase } from 'openai/resources/chat/completions';
import type { AzureSettings, OpenAiSettings } from '../../config.js';
import type {
  FinishReason,
  GenerateOptions,
  GenerateResult,
  LanguageModel,
  ProviderStatus,
  StreamPart,
  TokenUsage,
} from '../language-model.js';
import { AppError } from '../../errors.js';
import { upstreamError } from '../upstream-errors.js';
import { contextWindowForModel, createTokenCounter, type TokenCounter } from '../../engine/tokenizer.js';

export interface OpenAiProviderOptions {
  timeoutMilliseconds: number;
  structuredOutput: 'json_schema' | 'json_object';
  /** Overrides the context window known for the model (LLM_CONTEXT_TOKENS). */
  contextWindowTokens?: number | undefined;
}

export class OpenAiLanguageModel implements LanguageModel {
  readonly provider: string;
  readonly modelId: string;
  readonly prefersSmallBatches = false;
  readonly contextWindowTokens: number;
  private readonly client: OpenAI;
  private readonly tokenCounter: TokenCounter;

  constructor(
    settings: OpenAiSettings | AzureSettings,
    private readonly options: OpenAiProviderOptions,
  ) {
    if (settings.kind === 'azure') {
      this.provider = 'azure';
      this.modelId = settings.deployment;
      this.client = new AzureOpenAI({
        endpoint: settings.endpoint,
        apiKey: settings.apiKey,
        deployment: settings.deployment,
        apiVersion: settings.apiVersion,
        maxRetries: 0,
        timeout: options.timeoutMilliseconds + 5000,
      });
    } else {
      this.provider = settings.baseUrl === undefined ? 'openai' : 'openai-compatible';
      this.modelId = settings.model;
      this.client = new OpenAI({
        // Local OpenAI-compatible servers (Ollama, llama.cpp) need no key, but the SDK requires one.
        apiKey: settings.apiKey ?? 'no-key-required',
        baseURL: settings.baseUrl ?? null,
        maxRetries: 0,
        timeout: options.timeoutMilliseconds + 5000,
      });
    }
    this.tokenCounter = createTokenCounter(settings.kind === 'azure' ? settings.deployment : settings.model);
    this.contextWindowTokens = options.contextWindowTokens ?? contextWindowForModel(this.modelId);
  }

  status(): ProviderStatus {
    return { ready: true, state: 'ok' };
  }

  countTokens(text: string): number {
    return this.tokenCounter.count(text);
  }

  async generate(options: GenerateOptions): Promise<GenerateResult> {
    const deadline = this.deadline(options.signal);
    try {
      const completion = await this.client.chat.completions.create(
        { ...this.requestBody(options), stream: false },
        { signal: deadline.signal },
      );
      const choice = completion.choices[0];
      return {
        text: choice?.message.content ?? '',
        usage: toUsage(completion.usage),
        finishReason: toFinishReason(choice?.finish_reason),
      };
    } catch (error) {
      throw this.toAppError(error, deadline);
    } finally {
      deadline.clear();
    }
  }

  async *stream(options: GenerateOptions): AsyncIterable<StreamPart> {
    let usage: TokenUsage = { promptTokens: 0, completionTokens: 0 };
    let finishReason: FinishReason | undefined;
    const deadline = this.deadline(options.signal);
    try {
      const stream = await this.client.chat.completions.create(
        { ...this.requestBody(options), stream: true, stream_options: { include_usage: true } },
        { signal: deadline.signal },
      );
      for await (const chunk of stream) {
        if (chunk.usage) usage = toUsage(chunk.usage);
        const choice = chunk.choices[0];
        if (choice?.finish_reason) finishReason = toFinishReason(choice.finish_reason);
        const text = choice?.delta.content;
        if (text) yield { type: 'text-delta', text };
      }
    } catch (error) {
      throw this.toAppError(error, deadline);
    } finally {
      deadline.clear();
    }
    // Every OpenAI-compatible server ends a stream with a finish_reason: without one, it was cut off.
    if (finishReason === undefined) {
      throw new AppError('PROVIDER_ERROR', 'The LLM provider\'s answer was cut off midway. Try again.');
    }
    yield { type: 'finish', usage, finishReason };
  }

  async close(): Promise<void> {}

  /** Our own deadline, so a timeout is told apart from a client's abort whatever the SDK reports. */
  private deadline(clientSignal: AbortSignal | undefined) {
    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(), this.options.timeoutMilliseconds);
    const signal = clientSignal === undefined ? timeout.signal : AbortSignal.any([clientSignal, timeout.signal]);
    return { signal, timedOut: () => timeout.signal.aborted && clientSignal?.aborted !== true, clear: () => clearTimeout(timer) };
  }

  private toAppError(error: unknown, deadline: { timedOut: () => boolean }): AppError {
    if (deadline.timedOut()) {
      return new AppError('PROVIDER_TIMEOUT', `The LLM provider did not answer within ${Math.round(this.options.timeoutMilliseconds / 1000)} seconds. Try again; for long texts, try a shorter selection.`, { cause: error });
    }
    return upstreamError(error, { provider: this.provider, model: this.modelId });
  }

  private requestBody(options: GenerateOptions): ChatCompletionCreateParamsBase {
    const body: ChatCompletionCreateParamsBase = {
      model: this.modelId,
      messages: options.messages.map((message) => ({ role: message.role, content: message.content })),
    };
    if (options.maxOutputTokens !== undefined) body.max_tokens = options.maxOutputTokens;
    if (options.temperature !== undefined) body.temperature = options.temperature;
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

function toUsage(usage: OpenAI.CompletionUsage | null | undefined): TokenUsage {
  return { promptTokens: usage?.prompt_tokens ?? 0, completionTokens: usage?.completion_tokens ?? 0 };
}

function toFinishReason(reason: string | null | undefined): FinishReason {
  if (reason === 'stop') return 'stop';
  if (reason === 'length') return 'length';
  return 'other';
}
