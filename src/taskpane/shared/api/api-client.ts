// The pane's only way to the LLM: the BFF's contract v1 routes on the same origin, always streamed so
// results show as they arrive. Types come from the contract's zod schemas (type-only imports: no zod
// in the bundle). No key, secret or provider URL is ever here.
import { apiRoutes } from '../../../contract/routes.js';
import type {
  ClassifyRequest,
  ClassifyResponse,
  ItemEvent,
  ProgressEvent,
  SummarizeRequest,
  SummarizeResponse,
  TextDeltaEvent,
  TranslateRequest,
  TranslateResponse,
} from '../../../contract/schemas.js';
import { postEventStream } from './event-stream.js';

export interface StreamOptions {
  signal?: AbortSignal | undefined;
  onItem?: (event: ItemEvent) => void;
  onProgress?: (event: ProgressEvent) => void;
  onTextDelta?: (event: TextDeltaEvent) => void;
}

function dispatch(options: StreamOptions) {
  return {
    signal: options.signal,
    onEvent: (event: string, data: unknown) => {
      if (event === 'item') options.onItem?.(data as ItemEvent);
      else if (event === 'progress') options.onProgress?.(data as ProgressEvent);
      else if (event === 'text-delta') options.onTextDelta?.(data as TextDeltaEvent);
    },
  };
}

export interface ApiClient {
  summarize(request: SummarizeRequest, options?: StreamOptions): Promise<SummarizeResponse>;
  translate(request: TranslateRequest, options?: StreamOptions): Promise<TranslateResponse>;
  classify(request: ClassifyRequest, options?: StreamOptions): Promise<ClassifyResponse>;
}

export function createApiClient(): ApiClient {
  return {
    summarize: (request, options = {}) => postEventStream<SummarizeResponse>(apiRoutes.summarize, request, dispatch(options)),
    translate: (request, options = {}) => postEventStream<TranslateResponse>(apiRoutes.translate, request, dispatch(options)),
    classify: (request, options = {}) => postEventStream<ClassifyResponse>(apiRoutes.classify, request, dispatch(options)),
  };
}
