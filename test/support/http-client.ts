// A small client for the BFF's contract as the task pane uses it: JSON, or SSE parsed with
// eventsource-parser.
import { createParser, type EventSourceMessage } from 'eventsource-parser';

export interface StreamedEvent {
  event: string;
  data: unknown;
}

export async function postJson(url: string, body: unknown, init: RequestInit = {}): Promise<{ status: number; headers: Headers; body: unknown }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
    ...init,
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text === '' ? undefined : JSON.parse(text) };
}

export async function postStream(url: string, body: unknown, init: RequestInit = {}): Promise<{ status: number; headers: Headers; events: StreamedEvent[] }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
    body: JSON.stringify(body),
    ...init,
  });
  const events: StreamedEvent[] = [];
  if (!(response.headers.get('content-type') ?? '').includes('text/event-stream')) {
    return { status: response.status, headers: response.headers, events: [{ event: 'http-error', data: await response.json() }] };
  }
  const parser = createParser({
    onEvent: (message: EventSourceMessage) => events.push({ event: message.event ?? 'message', data: JSON.parse(message.data) }),
  });
  const decoder = new TextDecoder();
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) parser.feed(decoder.decode(chunk, { stream: true }));
  return { status: response.status, headers: response.headers, events };
}
