// Entra ID stand-ins for sign-in tests, as test/server/security.test.ts does it: a loopback JWKS
// server with a test key, and access tokens signed with it (jose) in the shape Entra issues.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';

export const testClientId = '11111111-2222-3333-4444-555555555555';
export const allowedTenant = 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee';
export const otherTenant = 'ffffffff-0000-0000-0000-000000000000';

export interface TestTokenOptions {
  tenant?: string;
  /** Seconds since the epoch, or a jose duration such as '1h'. */
  expiresAt?: number | string;
  scope?: string;
}

export interface EntraStandIn {
  jwksUrl: string;
  /** The BFF's environment for sign-in against this stand-in. */
  environment: Record<string, string>;
  token(options?: TestTokenOptions): Promise<string>;
  close(): Promise<void>;
}

export async function startEntraStandIn(): Promise<EntraStandIn> {
  const pair = await generateKeyPair('RS256', { extractable: true });
  const signingKey: CryptoKey = pair.privateKey;
  const publicJwk: JWK = { ...(await exportJWK(pair.publicKey)), kid: 'test-key-1', alg: 'RS256', use: 'sig' };
  const server: Server = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [publicJwk] }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/discovery/v2.0/keys`;
  return {
    jwksUrl,
    environment: { ENTRA_CLIENT_ID: testClientId, ENTRA_TENANT_IDS: allowedTenant, ENTRA_JWKS_URL: jwksUrl },
    token: (options = {}) => {
      const tenant = options.tenant ?? allowedTenant;
      return new SignJWT({ tid: tenant, oid: 'user-object-id-1', scp: options.scope ?? 'access_as_user' })
        .setProtectedHeader({ alg: 'RS256', kid: 'test-key-1', typ: 'JWT' })
        .setIssuer(`https://login.microsoftonline.com/${tenant}/v2.0`)
        .setAudience(`api://${testClientId}`)
        .setSubject('subject-1')
        .setIssuedAt(Math.floor(Date.now() / 1000) - 7200)
        .setExpirationTime(options.expiresAt ?? '1h')
        .sign(signingKey);
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
