// What an operator exposes besides the API: /metrics (a bearer METRICS_TOKEN, or this machine only),
// the client address behind a reverse proxy (TRUST_PROXY; never a header a client can forge), and the
// icons under /assets, which Office loads from its own origin while everything else stays same-origin.
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { errorEnvelopeSchema } from '../../src/contract/schemas.js';
import { metricsAccess } from '../../src/server/security/metrics-access.js';
import { openAiCompatibleEnvironment, startBff, type RunningBff } from '../support/bff.js';
import { startFakeOpenAiServer, type FakeOpenAiServer } from '../support/fake-openai-server.js';
import { postJson } from '../support/http-client.js';

const metricsToken = 'a-random-metrics-token-of-32-chars';

let fake: FakeOpenAiServer;

beforeAll(async () => {
  fake = await startFakeOpenAiServer();
});
afterAll(async () => {
  await fake.close();
});

async function withBff(extra: Record<string, string>, run: (bff: RunningBff) => Promise<void>): Promise<void> {
  const bff = await startBff(openAiCompatibleEnvironment(fake.baseUrl, { LOG_LEVEL: 'info', ...extra }));
  try {
    await run(bff);
  } finally {
    await bff.close();
  }
}

const errorCode = async (response: Response) => errorEnvelopeSchema.parse(await response.json()).error.code;

describe('/metrics with METRICS_TOKEN', () => {
  test('401 without the token, with a wrong one (any length) or another scheme; 200 with `Authorization: Bearer <token>`', async () => {
    await withBff({ METRICS_TOKEN: metricsToken }, async (bff) => {
      const metrics = (authorization?: string) => fetch(`${bff.url}/metrics`, authorization === undefined ? {} : { headers: { authorization } });

      // The token is required from loopback too: a proxy on this machine cannot open it up.
      const missing = await metrics();
      expect(missing.status).toBe(401);
      expect(missing.headers.get('www-authenticate')).toBe('Bearer realm="metrics"');
      expect(await errorCode(missing)).toBe('UNAUTHENTICATED');
      for (const wrong of [`Bearer ${metricsToken.slice(0, -1)}x`, `Bearer ${metricsToken}x`, 'Bearer short', `Basic ${metricsToken}`, metricsToken]) {
        expect((await metrics(wrong)).status).toBe(401);
      }

      const allowed = await metrics(`Bearer ${metricsToken}`);
      expect(allowed.status).toBe(200);
      expect(allowed.headers.get('content-type')).toContain('text/plain');
      expect(await allowed.text()).toContain('http_request_duration_seconds');
      expect((await metrics(`bearer   ${metricsToken}`)).status).toBe(200);
    });
  });
});

describe('/metrics without METRICS_TOKEN: this machine only', () => {
  test('a loopback client gets the metrics; a request that came through a proxy gets 403', async () => {
    await withBff({}, async (bff) => {
      expect((await fetch(`${bff.url}/metrics`)).status).toBe(200);

      for (const header of [{ 'x-forwarded-for': '203.0.113.7' }, { forwarded: 'for=203.0.113.7' }, { 'x-real-ip': '203.0.113.7' }]) {
        const proxied = await fetch(`${bff.url}/metrics`, { headers: header });
        expect(proxied.status).toBe(403);
        expect(await errorCode(proxied)).toBe('FORBIDDEN');
      }
    });
  });

  test('another machine (a peer address that is not loopback) is refused, whatever it sends', async () => {
    // The hook itself: the test machine may have no second interface to connect from.
    const guard = metricsAccess(undefined);
    const request = (remoteAddress: string, ip = remoteAddress, headers: Record<string, string> = {}) =>
      ({ socket: { remoteAddress }, ip, headers }) as unknown as FastifyRequest;
    const reply = {} as FastifyReply;
    await expect(guard(request('192.0.2.10'), reply)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(guard(request('fd00::2'), reply)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(guard(request('192.0.2.10', '127.0.0.1'), reply)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(guard(request('127.0.0.1', '192.0.2.10'), reply)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(guard(request('127.0.0.1'), reply)).resolves.toBeUndefined();
    await expect(guard(request('::ffff:127.0.0.1'), reply)).resolves.toBeUndefined();
    await expect(guard(request('::1'), reply)).resolves.toBeUndefined();
  });

  test('behind a trusted proxy, a client on another machine is not local', async () => {
    await withBff({ TRUST_PROXY: '127.0.0.1' }, async (bff) => {
      expect((await fetch(`${bff.url}/metrics`, { headers: { 'x-forwarded-for': '203.0.113.7' } })).status).toBe(403);
      expect((await fetch(`${bff.url}/metrics`)).status).toBe(200);
    });
  });
});

describe('TRUST_PROXY: which address is the client', () => {
  const summarizeFrom = async (bff: RunningBff, forwardedFor: string) =>
    (
      await postJson(
        `${bff.url}/api/v1/summarize`,
        { text: 'Summarise me.' },
        { headers: { 'content-type': 'application/json', 'x-forwarded-for': forwardedFor } },
      )
    ).status;
  const loggedAddresses = (bff: RunningBff) =>
    new Set(
      bff.logs
        .map((line) => (JSON.parse(line) as { req?: { remoteAddress?: string } }).req?.remoteAddress)
        .filter((address): address is string => address !== undefined),
    );

  test('without it, a forged X-Forwarded-For changes nothing: one rate-limit bucket, and the socket address in the logs', async () => {
    await withBff({ RATE_LIMIT_PER_MINUTE: '2' }, async (bff) => {
      expect([await summarizeFrom(bff, '198.51.100.1'), await summarizeFrom(bff, '198.51.100.2'), await summarizeFrom(bff, '198.51.100.3')]).toEqual([
        200, 200, 429,
      ]);
      expect(loggedAddresses(bff)).toEqual(new Set(['127.0.0.1']));
    });
  });

  test('a proxy that is not on the list is not believed either', async () => {
    await withBff({ RATE_LIMIT_PER_MINUTE: '2', TRUST_PROXY: '10.0.0.0/8' }, async (bff) => {
      expect([await summarizeFrom(bff, '198.51.100.1'), await summarizeFrom(bff, '198.51.100.2'), await summarizeFrom(bff, '198.51.100.3')]).toEqual([
        200, 200, 429,
      ]);
    });
  });

  test('TRUST_PROXY=127.0.0.1: the address the proxy forwards is the client, for rate limits and logs', async () => {
    await withBff({ RATE_LIMIT_PER_MINUTE: '2', TRUST_PROXY: '127.0.0.1' }, async (bff) => {
      expect([await summarizeFrom(bff, '198.51.100.1'), await summarizeFrom(bff, '198.51.100.2'), await summarizeFrom(bff, '198.51.100.3')]).toEqual([
        200, 200, 200,
      ]);
      expect([await summarizeFrom(bff, '198.51.100.1'), await summarizeFrom(bff, '198.51.100.1')]).toEqual([200, 429]);
      // The proxy appends the address it saw: what a client wrote before it is not believed.
      expect([await summarizeFrom(bff, '10.9.9.9, 198.51.100.2'), await summarizeFrom(bff, '10.9.9.8, 198.51.100.2')]).toEqual([200, 429]);
      expect(loggedAddresses(bff)).toEqual(new Set(['198.51.100.1', '198.51.100.2', '198.51.100.3']));
    });
  });
});

describe('cross-origin icons under /assets; everything else same-origin', () => {
  let folder: string;

  beforeAll(() => {
    folder = mkdtempSync(path.join(os.tmpdir(), 'static-'));
    mkdirSync(path.join(folder, 'assets'));
    copyFileSync(path.resolve('assets/icon-32.png'), path.join(folder, 'assets', 'icon-32.png'));
    writeFileSync(path.join(folder, 'taskpane.html'), '<!doctype html><title>pane</title>');
  });
  afterAll(() => {
    rmSync(folder, { recursive: true, force: true });
  });

  test('an icon: Cross-Origin-Resource-Policy cross-origin, Access-Control-Allow-Origin *, no Cache-Control (Office would show a default icon)', async () => {
    await withBff({ STATIC_DIR: folder }, async (bff) => {
      const icon = await fetch(`${bff.url}/assets/icon-32.png`, { headers: { origin: 'https://excel.officeapps.live.com' } });
      expect(icon.status).toBe(200);
      expect(icon.headers.get('content-type')).toBe('image/png');
      expect(icon.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
      expect(icon.headers.get('access-control-allow-origin')).toBe('*');
      expect(icon.headers.get('cache-control')).toBeNull();
      expect(icon.headers.get('x-content-type-options')).toBe('nosniff');

      // Revalidation answers with the same headers (fetch adds `no-cache`, which forces a 200, unless told otherwise).
      const revalidated = await fetch(`${bff.url}/assets/icon-32.png`, {
        headers: { 'if-none-match': icon.headers.get('etag') ?? '', 'cache-control': 'max-age=0' },
      });
      expect(revalidated.status).toBe(304);
      expect(revalidated.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    });
  });

  test('the pane, the API, public routes and a missing asset stay same-origin without CORS', async () => {
    await withBff({ STATIC_DIR: folder }, async (bff) => {
      const responses = [
        await fetch(`${bff.url}/taskpane.html`),
        await fetch(`${bff.url}/healthz`),
        await fetch(`${bff.url}/api/v1/openapi.json`),
        await fetch(`${bff.url}/assets/missing.png`),
        await fetch(`${bff.url}/assets/%2e%2e/taskpane.html`),
        await fetch(`${bff.url}/api/v1/summarize`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: 'Hi.' }) }),
      ];
      expect(responses.map((response) => response.status)).toEqual([200, 200, 200, 404, expect.any(Number), 200]);
      for (const response of responses) {
        expect(response.headers.get('cross-origin-resource-policy')).toBe('same-origin');
        expect(response.headers.get('access-control-allow-origin')).toBeNull();
      }
    });
  });
});
