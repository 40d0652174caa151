// Who may call the API: Microsoft Entra ID access tokens, as the task pane gets them through MSAL
// nested app authentication (or Office SSO). jose checks the signature against Entra's JWKS, the
// audience and expiry; we add the issuer of an allowed tenant and the required scope.
import { createRemoteJWKSet, errors as joseErrors, jwtVerify, type JWTPayload } from 'jose';
import { AppError } from '../errors.js';

export interface EntraSettings {
  /** The API's application (client) id; tokens for `api://<id>` or `<id>` are accepted. */
  clientId: string;
  /** Tenants whose users may call the API. */
  tenantIds: string[];
  /** A delegated scope the token must carry (scp), such as access_as_user. */
  requiredScope: string;
  jwksUrl: string;
}

export interface CallerIdentity {
  /** Stable per user: tenant and object id when signed in, the client address otherwise. */
  userId: string;
  tenantId: string | undefined;
  authenticated: boolean;
}

export type Authenticator = (authorization: string | undefined, clientAddress: string) => Promise<CallerIdentity>;

export function createEntraAuthenticator(settings: EntraSettings): Authenticator {
  const keys = createRemoteJWKSet(new URL(settings.jwksUrl), { cooldownDuration: 30_000, cacheMaxAge: 12 * 60 * 60 * 1000 });
  const allowedTenants = new Set(settings.tenantIds.map((tenant) => tenant.toLowerCase()));
  const audiences = [settings.clientId, `api://${settings.clientId}`];

  return async (authorization) => {
    const token = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
    if (token === undefined) {
      throw new AppError('UNAUTHENTICATED', 'Sign in to use the add-in: the request carries no access token.');
    }
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, keys, { audience: audiences, algorithms: ['RS256'], clockTolerance: 60, requiredClaims: ['exp', 'iss', 'tid'] }));
    } catch (error) {
      throw tokenFailure(error);
    }
    const tenantId = typeof payload['tid'] === 'string' ? payload['tid'].toLowerCase() : '';
    const validIssuers = [`https://login.microsoftonline.com/${tenantId}/v2.0`, `https://sts.windows.net/${tenantId}/`];
    if (!validIssuers.includes(String(payload.iss).toLowerCase())) {
      throw new AppError('UNAUTHENTICATED', 'The access token was not issued by Microsoft Entra ID for its tenant. Sign in again.');
    }
    if (!allowedTenants.has(tenantId)) {
      throw new AppError('FORBIDDEN', 'Your organisation is not allowed to use this add-in. Ask your administrator to add your tenant.');
    }
    const scopes = typeof payload['scp'] === 'string' ? payload['scp'].split(' ') : [];
    if (!scopes.includes(settings.requiredScope)) {
      throw new AppError(
        'FORBIDDEN',
        `The access token lacks the ${settings.requiredScope} permission. Sign in again and grant it, or ask your administrator for consent.`,
      );
    }
    const objectId = typeof payload['oid'] === 'string' ? payload['oid'] : payload.sub;
    if (objectId === undefined) throw new AppError('UNAUTHENTICATED', 'The access token names no user. Sign in again.');
    return { userId: `${tenantId}:${objectId}`, tenantId, authenticated: true };
  };
}

function tokenFailure(error: unknown): AppError {
  const signIn = (message: string) => new AppError('UNAUTHENTICATED', message, { cause: error });
  if (error instanceof joseErrors.JWTExpired) return signIn('Your sign-in has expired. Sign in again.');
  if (error instanceof joseErrors.JWTClaimValidationFailed) {
    return signIn(
      error.claim === 'aud'
        ? 'The access token is for another application. Sign in to this add-in again.'
        : `The access token is not valid (${error.claim}). Sign in again.`,
    );
  }
  if (error instanceof joseErrors.JWKSTimeout || !(error instanceof joseErrors.JOSEError)) {
    // Entra's signing keys could not be fetched: not the user's fault, and worth a retry.
    return new AppError('AUTH_UNAVAILABLE', 'Sign-in could not be checked right now. Try again in a moment.', { cause: error, retryAfterSeconds: 5 });
  }
  if (error instanceof joseErrors.JWSSignatureVerificationFailed || error instanceof joseErrors.JWKSNoMatchingKey) {
    return signIn('The access token signature is not valid. Sign in again.');
  }
  return signIn('The access token is not valid. Sign in again.');
}

/** No sign-in: loopback development only (configuration refuses anything else). */
export function developmentAuthenticator(): Authenticator {
  return async (_authorization, clientAddress) => ({ userId: `address:${clientAddress}`, tenantId: undefined, authenticated: false });
}
