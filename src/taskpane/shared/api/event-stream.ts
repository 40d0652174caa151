// POST with `Accept: text/event-stream`, parsed by eventsource-parser. Resolves with the `done`
// event's data, rejects with an ApiError for an HTTP error, an `error` event or a cut stream, and
// with an AbortError when the caller's signal stops it.
import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { isAbortError } from '../../../contract/abort.js';
import { ApiError, errorFromEnvelope, errorFromResponse, networkError, streamEndedError } from './api-error.js';

export interface StreamHandlers {
  onEvent?: (event: string, data: unknown) => void;
  signal?: AbortSignal | undefined;
  /** Extra request headers, such as Authorization when the BFF requires sign-in. */
  headers?: Record<string, string> | undefined;
}

export async function postEventStream<Done>(path: string, body: unknown, handlers: StreamHandlers = {}): Promise<Done> {
  let response: Response;
  try {
    response = await fetch(path, {
      method: 'POST',
      headers: { ...handlers.headers, 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify(body),
      credentials: 'same-origin',
      ...(handlers.signal === undefined ? {} : { signal: handlers.signal }),
    });
  } catch (error) {
    if (isAbortError(error)) throw error;
    throw networkError();
  }
  const contentType = response.headers.get('content-type') ?? '';
  if (!response.ok || !contentType.includes('text/event-stream') || response.body === null) {
    throw await errorFromResponse(response);
  }

  let done: { data: Done } | undefined;
  let failure: ApiError | undefined;
  const parser = createParser({
    onEvent: (message: EventSourceMessage) => {
      if (done !== undefined || failure !== undefined) return;
      const data: unknown = JSON.parse(message.data);
      const event = message.event ?? 'message';
      if (event === 'done') done = { data: data as Done };
      else if (event === 'error') failure = errorFromEnvelope(data);
      else handlers.onEvent?.(event, data);
    },
  });
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  try {
    for (;;) {
      const { value, done: finished } = await reader.read();
      if (finished) break;
      parser.feed(decoder.decode(value, { stream: true }));
      if (failure !== undefined) throw failure;
      if (done !== undefined) break;
    }
  } catch (error) {
    if (error instanceof ApiError || isAbortError(error)) throw error;
    if (handlers.signal?.aborted === true) throw new DOMException('Stopped', 'AbortError');
    throw streamEndedError();
  } finally {
    reader.cancel().catch(() => undefined);
  }
  if (failure !== undefined) throw failure;
  if (done === undefined) throw streamEndedError();
  return done.data;
}
