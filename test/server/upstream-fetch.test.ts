// The fetch under the openai SDK (src/server/providers/openai/upstream-fetch.ts) must answer as a
// standard fetch does for everything the SDK reads: status, every header, a JSON body, a stream that
// arrives as it is sent, no body where HTTP has none, and an abort the SDK recognises.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createUpstreamFetch } from '../../src/server/providers/openai/upstream-fetch.js';

let server: http.Server;
let baseUrl: string;
let releaseStream: () => void = () => undefined;
const received: { method: string; url: string; headers: http.IncomingHttpHeaders; body: string }[] = [];

beforeAll(async () => {
  server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({ method: request.method ?? '', url: request.url ?? '', headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
      if (request.url === '/json') {
        response.writeHead(200, [
          ['content-type', 'application/json'],
          ['x-ratelimit-remaining-requests', '41'],
          ['set-cookie', 'a=1'],
          ['set-cookie', 'b=2'],
        ]);
        response.end(JSON.stringify({ answer: 'grün' }));
      } else if (request.url === '/empty') {
        response.writeHead(204);
        response.end();
      } else if (request.url === '/stream') {
        response.writeHead(200, { 'content-type': 'text/event-stream' });
        response.write('data: first\n\n');
        releaseStream = () => response.end('data: last\n\n');
      } else if (request.url === '/hang') {
        // never answers
      } else {
        response.writeHead(404);
        response.end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const upstreamFetch = createUpstreamFetch();

test('a JSON answer: status, every header (repeated ones too) and the body; the request as sent', async () => {
  const response = await upstreamFetch(`${baseUrl}/json`, {
    method: 'POST',
    headers: new Headers({ 'content-type': 'application/json', authorization: 'Bearer key' }),
    body: '{"question":"ä"}',
  });
  expect(response.status).toBe(200);
  expect(response.ok).toBe(true);
  expect(response.headers.get('x-ratelimit-remaining-requests')).toBe('41');
  expect(response.headers.getSetCookie()).toEqual(['a=1', 'b=2']);
  expect(await response.json()).toEqual({ answer: 'grün' });
  expect(received.at(-1)).toMatchObject({ method: 'POST', url: '/json', body: '{"question":"ä"}', headers: { authorization: 'Bearer key' } });
});

test('no body where HTTP has none, and a 404 passed on as it is', async () => {
  const empty = await upstreamFetch(`${baseUrl}/empty`);
  expect(empty.status).toBe(204);
  expect(empty.body).toBeNull();
  expect((await upstreamFetch(`${baseUrl}/missing`)).status).toBe(404);
});

test('an event stream arrives as it is sent, not when it ends', async () => {
  const response = await upstreamFetch(`${baseUrl}/stream`, { method: 'POST', body: '{}' });
  const reader = response.body!.getReader();
  const first = await reader.read();
  expect(new TextDecoder().decode(first.value)).toBe('data: first\n\n');
  releaseStream();
  let rest = '';
  for (let part = await reader.read(); !part.done; part = await reader.read()) rest += new TextDecoder().decode(part.value);
  expect(rest).toBe('data: last\n\n');
});

test('an abort ends the request with an AbortError, as the SDK expects of fetch', async () => {
  const controller = new AbortController();
  const pending = upstreamFetch(`${baseUrl}/hang`, { method: 'POST', body: '{}', signal: controller.signal });
  setTimeout(() => controller.abort(), 50);
  await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
});

test('a body it does not send itself (a form, as file uploads use) goes through the built-in fetch', async () => {
  const form = new FormData();
  form.append('purpose', 'batch');
  const response = await upstreamFetch(`${baseUrl}/json`, { method: 'POST', body: form });
  expect(response.status).toBe(200);
  expect(received.at(-1)?.headers['content-type']).toMatch(/^multipart\/form-data/u);
  expect(received.at(-1)?.body).toContain('name="purpose"');
});
