// The fetch the openai SDK sends chat requests with. Node 20's built-in fetch runs every request and
// answer through WHATWG streams, which costs about 1 ms of CPU per call on this class of machine —
// more than everything else the BFF does for a short request (`npm run bench`, BFF overhead). This
// one speaks HTTP through undici's `request` on its own keep-alive pool and hands the SDK a standard
// Response: a JSON answer as one buffer, a server-sent-event stream as a stream, so the SDK's parsing,
// retries (off), abort and error mapping are unchanged. Anything this does not need to handle (a
// FormData or streamed body, as file uploads use) goes to the built-in fetch.
import { Readable } from 'node:stream';
import { Agent, request, type Dispatcher } from 'undici';

type FetchFunction = typeof fetch;
type FetchInit = NonNullable<Parameters<FetchFunction>[1]>;

/** Statuses whose answers carry no body: a Response refuses one. */
const bodilessStatuses = new Set([101, 204, 205, 304]);

/**
 * The pool is never closed: undici unrefs idle connections, so they never keep the process alive, and
 * a request still running at shutdown ends with its own abort (a job's batch is aborted and handed back
 * after the provider has been closed, so closing the pool then would fail it instead).
 */
export function createUpstreamFetch(options: { keepAliveMilliseconds?: number } = {}): FetchFunction {
  const pool = new Agent({ keepAliveTimeout: options.keepAliveMilliseconds ?? 30_000 });
  const upstreamFetch = async (input: string | URL | Request, init: FetchInit = {}): Promise<Response> => {
    const body = init.body;
    if (input instanceof Request || !(body === undefined || body === null || typeof body === 'string' || body instanceof Uint8Array)) {
      return fetch(input, init);
    }
    try {
      return await send(input, init, body ?? null);
    } catch (error) {
      // The SDK tells a timeout (its own abort) from other failures by the error's name. An abort's
      // reason may come from another realm (a DOMException the SDK would not take for an Error), so
      // it gets one the SDK recognises, with the original as its cause.
      if (init.signal?.aborted === true) throw Object.assign(new Error('The request was aborted.', { cause: error }), { name: 'AbortError' });
      throw error;
    }
  };
  const send = async (input: string | URL, init: FetchInit, body: string | Uint8Array | null): Promise<Response> => {
    const answer = await request(input, {
      method: (init.method ?? 'GET') as Dispatcher.HttpMethod,
      headers: headerRecord(init.headers),
      body,
      signal: init.signal ?? null,
      dispatcher: pool,
    });
    const headers = new Headers();
    for (const [name, value] of Object.entries(answer.headers)) {
      if (Array.isArray(value)) for (const item of value) headers.append(name, item);
      else if (value !== undefined) headers.append(name, value);
    }
    if (bodilessStatuses.has(answer.statusCode)) {
      answer.body.resume();
      return new Response(null, { status: answer.statusCode, headers });
    }
    // A stream is passed on as it arrives; anything else is read whole, which spares the web-stream machinery.
    const isEventStream = (headers.get('content-type') ?? '').includes('text/event-stream');
    const content = isEventStream ? (Readable.toWeb(answer.body) as ReadableStream<Uint8Array>) : await answer.body.arrayBuffer();
    return new Response(content, { status: answer.statusCode, headers });
  };
  return upstreamFetch as FetchFunction;
}

/** The request's headers as one record (Headers joins repeated names with ", ", as HTTP allows). */
function headerRecord(headers: FetchInit['headers']): Record<string, string> {
  const record: Record<string, string> = {};
  // The SDK passes a Headers: read as it is, not copied into another (each copy validates every value again).
  for (const [name, value] of headers instanceof Headers ? headers : new Headers(headers)) record[name] = value;
  return record;
}
