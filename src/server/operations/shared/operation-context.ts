// What every operation receives: the (resilient) model, the configured limits, the client's abort
// signal, and optional listeners for stream events. JSON and SSE responses share one code path:
// a JSON request simply passes no listeners.
import type { ItemEvent, ProgressEvent, Usage } from '../../../contract/schemas.js';
import type { Limits } from '../../config.js';
import { cancelledError } from '../../errors.js';
import type { ResultCache } from '../../engine/result-cache.js';
import type { LanguageModel, TokenUsage } from '../../providers/language-model.js';

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
}

export function throwIfCancelled(signal: AbortSignal): void {
  if (signal.aborted) throw cancelledError();
}
