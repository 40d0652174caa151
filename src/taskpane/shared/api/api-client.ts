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
import type { TokenOptions } from '../auth/access-token-provider.js';
import { ApiError } from './api-error.js';
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
  /**
   * A bearer token for the BFF when it requires sign-in (auth/auth-session.ts); undefined sends none.
   * After a 401 it is asked once more with forceRefresh, in case the cached token was stale.
   */
  getAccessToken?: ((options: TokenOptions) => Promise<string | undefined>) | undefined;
}

const bearer = (token: string | undefined): Record<string, string> => (token === undefined ? {} : { authorization: `Bearer ${token}` });

const isUnauthenticated = (error: unknown): boolean => error instanceof ApiError && error.status === 401;

export function createApiClient(options: ApiClientOptions = {}): ApiClient {
  const { getAccessToken } = options;
  // A 401 comes before any stream event, so one retry with a fresh token repeats nothing the user saw.
  const withToken = async <Result>(call: (headers: Record<string, string>) => Promise<Result>): Promise<Result> => {
    if (getAccessToken === undefined) return call({});
    try {
      return await call(bearer(await getAccessToken({ forceRefresh: false })));
    } catch (error) {
      if (!isUnauthenticated(error)) throw error;
    }
    return call(bearer(await getAccessToken({ forceRefresh: true })));
  };
  return {
    summarize: (request, streamOptions = {}) => withToken((headers) => postEventStream<SummarizeResponse>(apiRoutes.summarize, request, dispatch(streamOptions, headers))),
    translate: (request, streamOptions = {}) => withToken((headers) => postEventStream<TranslateResponse>(apiRoutes.translate, request, dispatch(streamOptions, headers))),
    classify: (request, streamOptions = {}) => withToken((headers) => postEventStream<ClassifyResponse>(apiRoutes.classify, request, dispatch(streamOptions, headers))),
    stream: <Done>(path: string, body: unknown, handlers: StreamHandlers = {}) =>
      withToken((headers) => postEventStream<Done>(path, body, { ...handlers, headers: { ...handlers.headers, ...headers } })),
  };
}
