// What every operation receives: the (resilient) model, the configured limits, the client's abort
// signal, and optional listeners for stream events. JSON and SSE responses share one code path:
// a JSON request simply passes no listeners.
import type { ItemEvent, ProgressEvent, Usage } from '../../../contract/schemas.js';
import type { Limits } from '../../config.js';
import { cancelledError, isAppError } from '../../errors.js';
import { countMessageTokens } from '../../engine/message-tokens.js';
import type { ResultCache } from '../../engine/result-cache.js';
import {
  LanguageModelWrapper,
  type GenerateOptions,
  type GenerateResult,
  type LanguageModel,
  type StreamPart,
  type TokenUsage,
} from '../../providers/language-model.js';

export interface OperationEvents {
  onTextDelta?: (text: string) => void;
  onItem?: (event: ItemEvent) => void;
  onProgress?: (event: ProgressEvent) => void;
}

export interface OperationContext {
  model: LanguageModel;
  limits: Limits;
  signal: AbortSignal;
  events?: OperationEvents;
  /** Finished work by content hash; absent or CACHE=off: everything goes to the provider. */
  cache?: ResultCache;
}

export class UsageMeter {
  private promptTokens = 0;
  private completionTokens = 0;
  private requests = 0;
  private cachedItems = 0;

  addRequest(usage: TokenUsage): void {
    this.requests += 1;
    this.promptTokens += usage.promptTokens;
    this.completionTokens += usage.completionTokens;
  }

  addCachedItems(count: number): void {
    this.cachedItems += count;
  }

  toUsage(): Usage {
    return {
      promptTokens: this.promptTokens,
      completionTokens: this.completionTokens,
      requests: this.requests,
      cachedItems: this.cachedItems,
    };
  }

  get totalTokens(): number {
    return this.promptTokens + this.completionTokens;
  }
}

/**
 * The model as one request's operation sees it, counting every upstream call into a meter the route
 * owns: what a request spent is known whatever the operation did (answered, failed, was cancelled),
 * because the operation's own meter is lost with it when it throws. A call that ended without the
 * provider's usage is counted as the provider bills it: a refusal (4xx) or a call that never got an
 * answer costs nothing; a stream cut off or cancelled midway costs its prompt and the text received;
 * a call that timed out costs its prompt.
 */
export class MeteredLanguageModel extends LanguageModelWrapper {
  readonly meter = new UsageMeter();
  private inFlight = 0;
  private readonly idleWaiters: (() => void)[] = [];

  async generate(options: GenerateOptions): Promise<GenerateResult> {
    this.inFlight += 1;
    try {
      const result = await this.inner.generate(options);
      this.meter.addRequest(result.usage);
      return result;
    } catch (error) {
      this.meter.addRequest(this.unansweredUsage(options, error, ''));
      throw error;
    } finally {
      this.done();
    }
  }

  async *stream(options: GenerateOptions): AsyncIterable<StreamPart> {
    this.inFlight += 1;
    let received = '';
    let receivedAny = false;
    let usage: TokenUsage | undefined;
    let failure: unknown;
    try {
      for await (const part of this.inner.stream(options)) {
        receivedAny = true;
        if (part.type === 'finish') usage = part.usage;
        else received += part.text;
        yield part;
      }
    } catch (error) {
      failure = error;
      throw error;
    } finally {
      // Also when the consumer stops early: the provider still billed what it sent.
      this.meter.addRequest(usage ?? this.unansweredUsage(options, failure, received, receivedAny));
      this.done();
    }
  }

  /** Whether a call of this request is still running. */
  get busy(): boolean {
    return this.inFlight > 0;
  }

  /** The model outlives the request: closing it is the app's business, not an operation's. */
  override close(): Promise<void> {
    return Promise.resolve();
  }

  /**
   * Resolves when no call of this request is running any more (only then is its usage final), or
   * after `limitMilliseconds` all the same: a call its operation abandoned must not hold the request.
   */
  idle(limitMilliseconds: number): Promise<void> {
    if (this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, limitMilliseconds);
      this.idleWaiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  private done(): void {
    this.inFlight -= 1;
    if (this.inFlight === 0) for (const resolve of this.idleWaiters.splice(0)) resolve();
  }

  private unansweredUsage(options: GenerateOptions, error: unknown, received: string, receivedAny = false): TokenUsage {
    const promptTokens = () => countMessageTokens(options.messages, (text) => this.inner.countTokens(text));
    // Text arrived: the provider read the prompt and wrote at least this much.
    if (receivedAny) return { promptTokens: promptTokens(), completionTokens: this.inner.countTokens(received) };
    // Our deadline fired while the provider worked on it; anything else (a refusal, no connection, a
    // call cancelled while it waited its turn) never reached the provider's billing.
    if (isAppError(error) && error.code === 'PROVIDER_TIMEOUT') return { promptTokens: promptTokens(), completionTokens: 0 };
    return { promptTokens: 0, completionTokens: 0 };
  }
}

export function throwIfCancelled(signal: AbortSignal): void {
  if (signal.aborted) throw cancelledError();
}
