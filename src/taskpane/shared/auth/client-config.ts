// The BFF's public sign-in settings (GET /api/v1/client-config): whether sign-in is on and, with
// Entra ID, the client id, scopes and authority MSAL needs. Asked once when the pane starts.
import type { ClientConfigResponse } from '../../../contract/schemas.js';
import { clientConfigBody } from '../api/client-config-request.js';

export type AuthSettings = ClientConfigResponse['auth'];
export type EntraSettings = Extract<AuthSettings, { mode: 'entra' }>;

function isAuthSettings(value: unknown): value is AuthSettings {
  if (typeof value !== 'object' || value === null) return false;
  const auth = value as Record<string, unknown>;
  if (auth['mode'] === 'off') return true;
  return (
    auth['mode'] === 'entra' &&
    typeof auth['clientId'] === 'string' &&
    typeof auth['authority'] === 'string' &&
    Array.isArray(auth['scopes']) &&
    auth['scopes'].every((scope) => typeof scope === 'string')
  );
}

export async function fetchAuthSettings(): Promise<AuthSettings> {
  const body = await clientConfigBody();
  const auth = typeof body === 'object' && body !== null ? (body as { auth?: unknown }).auth : undefined;
  // A shape this pane does not know is a server newer than the pane: better to say so than guess.
  if (!isAuthSettings(auth)) throw new Error("The add-in's server sent sign-in settings this version of the add-in does not understand. Reload the add-in.");
  return auth;
}
