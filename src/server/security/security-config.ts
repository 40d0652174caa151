// Security settings: sign-in (Entra ID), CORS origins, per-user rate limits and daily token budgets,
// request timeouts. Validated with the rest of the configuration, one line per problem.
import { z } from 'zod';
import type { EntraSettings } from './authentication.js';

export interface SecuritySettings {
  /** undefined: no sign-in, which configuration allows only on a loopback HOST. */
  entra: EntraSettings | undefined;
  /** Origins allowed to call the API from a browser besides the pane's own (same-origin needs none). */
  allowedOrigins: string[];
  requestsPerMinutePerUser: number;
  /** Prompt + completion tokens one user may spend per UTC day; 0 means no budget. */
  dailyTokenBudgetPerUser: number;
  /** Time to receive a whole request. */
  requestTimeoutMilliseconds: number;
}

const loopbackHosts = new Set(['127.0.0.1', '::1', 'localhost', '[::1]']);

const emptyAsUndefined = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? undefined : value);
const optionalText = z.preprocess(emptyAsUndefined, z.string().optional());
const count = (maximum: number) =>
  z.preprocess(
    emptyAsUndefined,
    z.coerce
      .number({ error: `must be a whole number from 0 to ${maximum}` })
      .int(`must be a whole number from 0 to ${maximum}`)
      .min(0, `must be a whole number from 0 to ${maximum}`)
      .max(maximum, `must be a whole number from 0 to ${maximum}`)
      .optional(),
  );

const securityEnvironmentSchema = z.object({
  ENTRA_CLIENT_ID: optionalText,
  ENTRA_TENANT_IDS: optionalText,
  ENTRA_REQUIRED_SCOPE: optionalText,
  ENTRA_JWKS_URL: optionalText,
  ALLOWED_ORIGINS: optionalText,
  RATE_LIMIT_PER_MINUTE: count(1_000_000),
  DAILY_TOKEN_BUDGET: count(1_000_000_000_000),
  REQUEST_TIMEOUT_MS: count(3_600_000),
});

export function loadSecuritySettings(environment: Record<string, string | undefined>, host: string, problems: string[]): SecuritySettings {
  const parsed = securityEnvironmentSchema.safeParse(environment);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const name = String(issue.path[0]);
      problems.push(`${name} ${issue.message} (got ${JSON.stringify(environment[name])})`);
    }
    return { entra: undefined, allowedOrigins: [], requestsPerMinutePerUser: 0, dailyTokenBudgetPerUser: 0, requestTimeoutMilliseconds: 0 };
  }
  const variables = parsed.data;

  let entra: EntraSettings | undefined;
  if (variables.ENTRA_CLIENT_ID !== undefined) {
    const tenantIds = (variables.ENTRA_TENANT_IDS ?? '')
      .split(',')
      .map((tenant) => tenant.trim())
      .filter(Boolean);
    if (tenantIds.length === 0) {
      problems.push('ENTRA_TENANT_IDS is required with ENTRA_CLIENT_ID: list the tenant ids whose users may sign in, separated by commas');
    }
    const jwksUrl = variables.ENTRA_JWKS_URL ?? 'https://login.microsoftonline.com/common/discovery/v2.0/keys';
    if (!/^https?:\/\//.test(jwksUrl)) problems.push(`ENTRA_JWKS_URL must be an http(s) URL (got ${JSON.stringify(jwksUrl)})`);
    entra = { clientId: variables.ENTRA_CLIENT_ID, tenantIds, requiredScope: variables.ENTRA_REQUIRED_SCOPE ?? 'access_as_user', jwksUrl };
  } else if (!loopbackHosts.has(host)) {
    problems.push(
      `HOST is ${host}, but sign-in is off: set ENTRA_CLIENT_ID and ENTRA_TENANT_IDS to require Microsoft Entra ID sign-in (running without it is allowed only on a loopback HOST such as 127.0.0.1)`,
    );
  }

  const allowedOrigins = (variables.ALLOWED_ORIGINS ?? '')
    .split(',')
    .map((origin) => origin.trim())
    .filter(Boolean);
  for (const origin of allowedOrigins) {
    if (!/^https:\/\/[^/]+$/.test(origin) && !/^http:\/\/(localhost|127\.0\.0\.1)(:\d+)?$/.test(origin)) {
      problems.push(`ALLOWED_ORIGINS has ${JSON.stringify(origin)}: give origins such as https://addin.example.com (scheme and host, no path)`);
    }
  }

  return {
    entra,
    allowedOrigins,
    requestsPerMinutePerUser: variables.RATE_LIMIT_PER_MINUTE ?? 120,
    dailyTokenBudgetPerUser: variables.DAILY_TOKEN_BUDGET ?? 0,
    requestTimeoutMilliseconds: variables.REQUEST_TIMEOUT_MS ?? 30_000,
  };
}
