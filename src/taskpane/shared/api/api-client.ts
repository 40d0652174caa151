// The pane's only way to the LLM: the BFF's contract v1 operations on the same origin, always
// streamed so results show as they arrive. `run` is typed by the contract's operation list (type-only
// imports: no zod in the bundle), so a new operation needs nothing here. No key, secret or provider
// URL is ever here.
import { withAccessToken } from './with-access-token.js';
import type { OperationName, OperationRequest, OperationResponse } from '../../../contract/operations/index.js';
import type { AttachmentExtractRequest, AttachmentExtractResponse } from '../../../contract/attachments.js';
import { isAbortError } from '../../../contract/abort.js';
import type { ItemEvent, ProgressEvent } from '../../../contract/common-schemas.js';
import { apiRoutes, operationPath } from '../../../contract/routes.js';
import type { TokenOptions } from '../auth/access-token-provider.js';
import { errorFromResponse, networkError } from './api-error.js';
import { postEventStream } from './event-stream.js';
import { postEstimate } from './estimate-client.js';
import type { EstimateRequest, EstimateResponse } from '../../../contract/operations/estimate.js';
import { normalizeGlossary, type Glossary } from './translate-glossary.js';

export interface StreamOptions {
  signal?: AbortSignal | undefined;
  onItem?: (event: ItemEvent) => void;
  onProgress?: (event: ProgressEvent) => void;
  onTextDelta?: (text: string) => void;
}

export interface ApiClient {
  /** POST /api/v1/<name> as a stream; resolves with the `done` event's response. */
  run<Name extends OperationName>(name: Name, request: OperationRequest<Name>, options?: StreamOptions): Promise<OperationResponse<Name>>;
  /** GET /api/v1/glossary: the organisation's glossary, which the BFF adds to every translation (empty when there is none). */
  organisationGlossary(options?: { signal?: AbortSignal | undefined }): Promise<Glossary>;
  /** POST /api/v1/attachments/extract: the text of one email attachment (one file per request, so no request is bigger than one file). */
  extractAttachment(request: AttachmentExtractRequest, options?: { signal?: AbortSignal | undefined }): Promise<AttachmentExtractResponse>;
  /** POST /api/v1/estimate: what a classify or translate run would cost, without running it (estimate-client.ts). Optional: a test double may leave it out. */
  estimate?(request: EstimateRequest, options?: { signal?: AbortSignal | undefined }): Promise<EstimateResponse>;
  /**
   * The sign-in this client sends, for the other clients of the BFF (jobs-client.ts, made in the
   * features' lazy chunks so its retry library stays out of the pane's first load). Optional: a test
   * double may leave it out.
   */
  getAccessToken?: ((options: TokenOptions) => Promise<string | undefined>) | undefined;
}

export interface ApiClientOptions {
  /**
   * A bearer token for the BFF when it requires sign-in (auth/auth-session.ts); undefined sends none.
   * After a 401 it is asked once more with forceRefresh, in case the cached token was stale.
   */
  getAccessToken?: ((options: TokenOptions) => Promise<string | undefined>) | undefined;
}

function dispatch(options: StreamOptions) {
  return (event: string, data: unknown) => {
    if (event === 'item') options.onItem?.(data as ItemEvent);
    else if (event === 'progress') options.onProgress?.(data as ProgressEvent);
    else if (event === 'text-delta') options.onTextDelta?.((data as { text: string }).text);
  };
}

export function createApiClient(options: ApiClientOptions = {}): ApiClient {
  const { getAccessToken } = options;
  const withToken = <Result>(call: (headers: Record<string, string>) => Promise<Result>): Promise<Result> => withAccessToken(getAccessToken, call);
  return {
    getAccessToken,
    run: (name, request, streamOptions = {}) =>
      withToken((headers) => postEventStream(operationPath(name), request, { signal: streamOptions.signal, headers, onEvent: dispatch(streamOptions) })),
    organisationGlossary: (glossaryOptions = {}) =>
      withToken(async (headers) => {
        let response: Response;
        try {
          response = await fetch(apiRoutes.glossary, {
            headers: { ...headers, accept: 'application/json' },
            credentials: 'same-origin',
            ...(glossaryOptions.signal === undefined ? {} : { signal: glossaryOptions.signal }),
          });
        } catch (error) {
          if (isAbortError(error)) throw error;
          throw networkError();
        }
        if (!response.ok) throw await errorFromResponse(response);
        return normalizeGlossary(await response.json());
      }),
    estimate: (request, estimateOptions = {}) => withToken((headers) => postEstimate(request, headers, estimateOptions.signal)),
    extractAttachment: (request, extractOptions = {}) =>
      withToken(async (headers) => {
        let response: Response;
        try {
          response = await fetch(apiRoutes.attachmentExtract, {
            method: 'POST',
            headers: { ...headers, 'content-type': 'application/json', accept: 'application/json' },
            body: JSON.stringify(request),
            credentials: 'same-origin',
            ...(extractOptions.signal === undefined ? {} : { signal: extractOptions.signal }),
          });
        } catch (error) {
          if (isAbortError(error)) throw error;
          throw networkError();
        }
        if (!response.ok) throw await errorFromResponse(response);
        return (await response.json()) as AttachmentExtractResponse;
      }),
  };
}
