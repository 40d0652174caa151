// GET /api/v1/client-config, asked once per pane: sign-in settings (auth/client-config.ts) and the
// administrator's run-estimate thresholds (estimate-client.ts) read the same answer. A failed request
// is not kept, so the next reader asks again.
import { apiRoutes } from '../../../contract/routes.js';
import { errorFromResponse, networkError } from './api-error.js';

let answer: Promise<unknown> | undefined;

/** The client-config body as sent (callers check the parts they read). */
export function clientConfigBody(): Promise<unknown> {
  answer ??= request().catch((error: unknown) => {
    answer = undefined;
    throw error;
  });
  return answer;
}

async function request(): Promise<unknown> {
  let response: Response;
  try {
    response = await fetch(apiRoutes.clientConfig, { headers: { accept: 'application/json' }, credentials: 'same-origin' });
  } catch {
    throw networkError();
  }
  if (!response.ok) throw await errorFromResponse(response);
  return response.json().catch(() => undefined);
}
