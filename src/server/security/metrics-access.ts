// Who may read /metrics (request counts, token usage, timings: how much an organisation uses the
// add-in, not for anyone who can reach the BFF).
//
// - METRICS_TOKEN set: `Authorization: Bearer <token>` from anywhere, loopback included; anything
//   else is 401. The token is compared in constant time (both sides hashed first, so its length leaks
//   nothing either).
// - METRICS_TOKEN unset: local clients only, so development and a scraper beside the BFF (a sidecar
//   in the same pod or host) keep working without a secret. Local means the connection comes from a
//   loopback address and carries no forwarding header: a reverse proxy on the same machine connects
//   from loopback too, but on behalf of someone else, and proxies say so (X-Forwarded-For, Forwarded,
//   X-Real-IP). A client can only add such headers, which refuses it, never admits it. With
//   TRUST_PROXY, request.ip is the client behind the proxy and must be loopback as well. A proxy that
//   adds none of these headers cannot be told apart: deployments behind a proxy set METRICS_TOKEN.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../errors.js';

const forwardingHeaders = ['forwarded', 'x-forwarded-for', 'x-real-ip'];

export function isLoopbackAddress(address: string | undefined): boolean {
  if (address === undefined) return false;
  const unmapped = address.startsWith('::ffff:') ? address.slice('::ffff:'.length) : address;
  return unmapped === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(unmapped);
}

/** An onRequest hook for the /metrics route. */
export function metricsAccess(token: string | undefined): (request: FastifyRequest, reply: FastifyReply) => Promise<void> {
  const expected = token === undefined ? undefined : digest(token);
  return async (request, reply) => {
    if (expected !== undefined) {
      const presented = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
      if (presented !== undefined && timingSafeEqual(digest(presented), expected)) return;
      void reply.header('www-authenticate', 'Bearer realm="metrics"');
      throw new AppError('UNAUTHENTICATED', 'Metrics need the metrics token: send Authorization: Bearer <METRICS_TOKEN>.');
    }
    const local =
      isLoopbackAddress(request.socket.remoteAddress) &&
      isLoopbackAddress(request.ip) &&
      forwardingHeaders.every((name) => request.headers[name] === undefined);
    if (!local) {
      throw new AppError(
        'FORBIDDEN',
        'Metrics are served to this machine only. To scrape them from elsewhere, set METRICS_TOKEN on the server and send it as a bearer token.',
      );
    }
  };
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
