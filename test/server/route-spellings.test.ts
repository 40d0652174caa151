// Sign-in is decided on the route the router matched, deny by default: every operation of the registry,
// under every spelling a client can send on the wire (raw, not normalised by a URL parser), without a
// token, is refused or unknown, and the provider sees nothing. The public routes stay public.
import { request as httpRequest } from 'node:http';
import { operationContracts } from '../../src/contract/schemas.js';
import { openAiCompatibleEnvironment, startBff, type RunningBff } from '../support/bff.js';
import { startFakeOpenAiServer, type FakeOpenAiServer } from '../support/fake-openai-server.js';

let fake: FakeOpenAiServer;
let bff: RunningBff;

beforeAll(async () => {
  fake = await startFakeOpenAiServer();
  // No token is ever sent, so the signing keys are never fetched: any JWKS address will do.
  bff = await startBff(
    openAiCompatibleEnvironment(fake.baseUrl, {
      ENTRA_CLIENT_ID: '11111111-1111-1111-1111-111111111111',
      ENTRA_TENANT_IDS: '22222222-2222-2222-2222-222222222222',
      ENTRA_JWKS_URL: 'http://127.0.0.1:9/keys',
      RATE_LIMIT_PER_MINUTE: '0',
    }),
  );
});

afterAll(async () => {
  await bff.close();
  await fake.close();
});

const percentEncode = (character: string) => `%${character.charCodeAt(0).toString(16).padStart(2, '0')}`;

/** Ways to write POST /api/v1/<name> that a router, a proxy or a URL parser may read as the same route. */
function pathSpellings(name: string): string[] {
  const [first = '', ...rest] = name;
  const restText = rest.join('');
  return [
    `/api/v1/${name}`,
    // percent-encoded letters and digits
    `/%61pi/v1/${name}`,
    `/a%70i/v1/${name}`,
    `/api/%761/${name}`,
    `/api/v%31/${name}`,
    `/api/v1/${percentEncode(first)}${restText}`,
    `/api/v1/${[...name].map(percentEncode).join('')}`,
    `/api/v1/${percentEncode(first).toUpperCase()}${restText}`,
    // double-encoded
    `/%2561pi/v1/${name}`,
    `/api/v1/%25${first.charCodeAt(0).toString(16)}${restText}`,
    `/api%252Fv1%252F${name}`,
    // upper case
    `/API/v1/${name}`,
    `/api/V1/${name}`,
    `/api/v1/${name.toUpperCase()}`,
    // doubled and trailing slashes
    `//api/v1/${name}`,
    `/api//v1/${name}`,
    `/api/v1//${name}`,
    `/api/v1/${name}/`,
    `/api/v1/${name}//`,
    `/api%2Fv1%2F${name}`,
    // dot segments
    `/api/v1/./${name}`,
    `/./api/v1/${name}`,
    `/x/../api/v1/${name}`,
    `/api/v1/x/../${name}`,
    `/healthz/../api/v1/${name}`,
    `/api/v1/${name}/.`,
    `/%2e/api/v1/${name}`,
    `/api/v1/%2e%2e/v1/${name}`,
    `/healthz%2F..%2Fapi%2Fv1%2F${name}`,
    // encoded ? and ; and parameters
    `/api/v1/${name}%3F`,
    `/api/v1/${name}%3Fx=/healthz`,
    `/api/v1/${name};x=1`,
    `/api/v1/${name}%3Bx=1`,
    `/api/v1;/${name}`,
    `/api/v1/${name}?x=/healthz`,
    `/api/v1/${name}#/healthz`,
    // other separators
    `/api\\v1\\${name}`,
    `/api/v1/${name}%00`,
    `/api/v1/${name}%20`,
  ];
}

/** POST exactly this path, as the bytes on the wire (fetch would normalise dot segments first). */
function postRaw(path: string, body: unknown): Promise<number> {
  const url = new URL(bff.url);
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(
      { host: url.hostname, port: url.port, method: 'POST', path, headers: { 'content-type': 'application/json', accept: 'application/json' } },
      (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
      },
    );
    outgoing.on('error', reject);
    outgoing.end(JSON.stringify(body));
  });
}

test.each(Object.values(operationContracts).map((contract) => [contract.name, contract] as const))(
  '%s: no spelling of its path is served without a token, and the provider sees nothing',
  async (_name, contract) => {
    fake.requests.length = 0;
    const answers: Record<string, number> = {};
    for (const path of pathSpellings(contract.name)) answers[path] = await postRaw(path, contract.example);
    const served = Object.entries(answers).filter(([, status]) => status < 400 || status >= 500);
    expect(served).toEqual([]);
    // The plain spelling is the protected route itself: refused for the missing token, not unknown.
    expect(answers[`/api/v1/${contract.name}`]).toBe(401);
    expect(fake.requests).toHaveLength(0);
  },
);

test('spellings the router decodes to an operation are refused by sign-in (401), not by luck (404)', async () => {
  for (const path of ['/%61pi/v1/summarize', '/api/%761/summarize', '/api/v1/%73ummarize', '/api/v1/%73%75%6d%6d%61%72%69%7a%65']) {
    expect({ path, status: await postRaw(path, operationContracts.summarize.example) }).toEqual({ path, status: 401 });
  }
  expect(fake.requests).toHaveLength(0);
});

test('the public routes stay public with sign-in on', async () => {
  for (const path of ['/healthz', '/api/v1/openapi.json', '/api/v1/client-config']) {
    expect({ path, status: (await fetch(`${bff.url}${path}`)).status }).toEqual({ path, status: 200 });
  }
});
