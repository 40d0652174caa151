// Writes Server-Sent Events (text/event-stream) to a raw Node response: one `event:` name and one
// JSON `data:` line per event. JSON.stringify never emits a raw newline, so one data line suffices.
import type { ServerResponse } from 'node:http';
import type { StreamEventName } from '../../contract/schemas.js';

const heartbeatMilliseconds = 15_000;

export class EventStream {
  private readonly heartbeat: NodeJS.Timeout;
  private closed = false;

  constructor(
    private readonly response: ServerResponse,
    headers: Record<string, string | string[] | number | undefined>,
  ) {
    response.writeHead(200, {
      ...headers,
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      // Proxies such as nginx would otherwise buffer the stream.
      'x-accel-buffering': 'no',
    });
    response.flushHeaders();
    // A comment line keeps idle proxies and load balancers from closing a long-running stream.
    this.heartbeat = setInterval(() => this.writeRaw(': keep-alive\n\n'), heartbeatMilliseconds);
    this.heartbeat.unref();
    response.on('close', () => this.close());
  }

  send(event: StreamEventName, data: unknown): void {
    this.writeRaw(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  }

  end(): void {
    if (this.closed) return;
    this.close();
    this.response.end();
  }

  private writeRaw(chunk: string): void {
    if (!this.closed && !this.response.writableEnded) this.response.write(chunk);
  }

  private close(): void {
    this.closed = true;
    clearInterval(this.heartbeat);
  }
}

export function wantsEventStream(accept: string | undefined): boolean {
  return accept !== undefined && accept.toLowerCase().includes('text/event-stream');
}
