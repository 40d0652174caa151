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
import { postEventStream, type StreamHandlers } from './event-stream.js';

export interface StreamOptions {
  signal?: AbortSignal | undefined;
  onItem?: (event: ItemEvent) => void;
  onProgress?: (event: ProgressEvent) => void;
  onTextDelta?: (event: TextDeltaEvent) => void;
}

function dispatch(options: StreamOptions, headers: Record<string, string>) {
  return {
    signal: options.signal,
    headers,
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
  /** Any other streamed route of the BFF (a feature's own), with the same headers and error handling. */
  stream<Done>(path: string, body: unknown, handlers?: StreamHandlers): Promise<Done>;
}

export interface ApiClientOptions {
  /** A bearer token for the BFF when it requires sign-in (Office SSO); undefined sends none. */
  getAccessToken?: (() => Promise<string | undefined>) | undefined;
}

export function createApiClient(options: ApiClientOptions = {}): ApiClient {
  const headers = async (): Promise<Record<string, string>> => {
    const token = await options.getAccessToken?.();
    return token === undefined ? {} : { authorization: `Bearer ${token}` };
  };
  return {
    summarize: async (request, streamOptions = {}) => postEventStream<SummarizeResponse>(apiRoutes.summarize, request, dispatch(streamOptions, await headers())),
    translate: async (request, streamOptions = {}) => postEventStream<TranslateResponse>(apiRoutes.translate, request, dispatch(streamOptions, await headers())),
    classify: async (request, streamOptions = {}) => postEventStream<ClassifyResponse>(apiRoutes.classify, request, dispatch(streamOptions, await headers())),
    stream: async <Done>(path: string, body: unknown, handlers: StreamHandlers = {}) =>
      postEventStream<Done>(path, body, { ...handlers, headers: { ...handlers.headers, ...(await headers()) } }),
  };
}
