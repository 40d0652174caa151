// A small round-robin HTTP load balancer on loopback, for tests with several BFF instances: each
// request goes to the next instance; an instance that refuses the connection (it died or is shutting
// down) is skipped and the request goes to the next one, as a load balancer's health checks would
// arrange. Responses are piped through as they come (Server-Sent Events included); a response cut off
// by a dying instance is cut off for the client too, which then reconnects. A test double.
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RoundRobinProxy {
  url: string;
  /** Requests sent to each instance (by its URL), and how many were passed on to the next one because it refused. */
  forwarded: Map<string, number>;
  refused: number;
  close(): Promise<void>;
}

/** Refused: nothing reached the instance, so the request may go to another one. A reset is retried for reads only. */
const refusedCodes = new Set(['ECONNREFUSED']);
const resetCodes = new Set(['ECONNRESET', 'EPIPE']);

export async function startRoundRobinProxy(instanceUrls: readonly string[]): Promise<RoundRobinProxy> {
  let next = 0;
  const forwarded = new Map<string, number>();
  const state = { refused: 0 };

  const server = createServer((incoming, outgoing) => {
    void (async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of incoming) chunks.push(chunk as Buffer);
      const body = Buffer.concat(chunks);
      const start = next;
      next = (next + 1) % instanceUrls.length;
      for (let tried = 0; tried < instanceUrls.length; tried += 1) {
        const target = instanceUrls[(start + tried) % instanceUrls.length] ?? '';
        const outcome = await forward(target, incoming, body, outgoing);
        if (outcome === 'sent') {
          forwarded.set(target, (forwarded.get(target) ?? 0) + 1);
          return;
        }
        state.refused += 1;
      }
      if (!outgoing.headersSent) outgoing.writeHead(502, { 'content-type': 'application/json' });
      outgoing.end(JSON.stringify({ error: { code: 'PROVIDER_UNAVAILABLE', message: 'No instance answered.', retryable: true } }));
    })().catch(() => outgoing.destroy());
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    forwarded,
    get refused() {
      return state.refused;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** 'sent': the instance answered (its response is being piped); 'refused': try the next instance. */
function forward(target: string, incoming: IncomingMessage, body: Buffer, outgoing: ServerResponse): Promise<'sent' | 'refused'> {
  return new Promise((resolve) => {
    const url = new URL(incoming.url ?? '/', target);
    const upstream = httpRequest(
      url,
      { method: incoming.method, headers: { ...incoming.headers, host: url.host, 'content-length': String(body.length) }, agent: false },
      (response) => {
        resolve('sent');
        outgoing.writeHead(response.statusCode ?? 502, response.headers);
        response.pipe(outgoing);
        // The instance died mid-response: the client sees its connection cut, as behind a real balancer.
        response.on('aborted', () => outgoing.destroy());
        response.on('error', () => outgoing.destroy());
      },
    );
    upstream.on('error', (error: NodeJS.ErrnoException) => {
      const code = error.code ?? '';
      const retryable = refusedCodes.has(code) || (incoming.method === 'GET' && resetCodes.has(code));
      if (!outgoing.headersSent && retryable) resolve('refused');
      else {
        outgoing.destroy();
        resolve('sent');
      }
    });
    // The client went away: so does the request to the instance (its SSE stream ends there too).
    outgoing.on('close', () => upstream.destroy());
    upstream.end(body);
  });
}
