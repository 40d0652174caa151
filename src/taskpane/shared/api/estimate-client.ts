// Asks the BFF what a bulk run would cost before it starts (POST /api/v1/estimate: a dry run that never
// calls the model), and the administrator's default for when the pane asks first (client-config's
// `estimate.confirmAboveRows`). Type-only contract imports: no zod in the bundle.
import { isAbortError } from '../../../contract/abort.js';
import type { EstimateRequest, EstimateResponse } from '../../../contract/operations/estimate.js';
import { apiRoutes } from '../../../contract/routes.js';
import { clientConfigBody } from './client-config-request.js';
import { errorFromResponse, networkError } from './api-error.js';

/** Without an administrator's setting: the pane asks before runs of more rows than this. */
export const defaultConfirmAboveRows = 500;

/** One estimate; `headers` carries the bearer token when sign-in is on (api-client.ts adds it). */
export async function postEstimate(request: EstimateRequest, headers: Record<string, string>, signal?: AbortSignal): Promise<EstimateResponse> {
  let response: Response;
  try {
    response = await fetch(apiRoutes.estimate, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(request),
      credentials: 'same-origin',
      ...(signal === undefined ? {} : { signal }),
    });
  } catch (error) {
    if (isAbortError(error)) throw error;
    throw networkError();
  }
  if (!response.ok) throw await errorFromResponse(response);
  return (await response.json()) as EstimateResponse;
}

export interface ConfirmThresholds {
  rows: number;
  /** In the currency of the server's prices; undefined: cost alone never asks. */
  cost?: number | undefined;
}

let adminThresholds: Promise<ConfirmThresholds> | undefined;

/** The administrator's "ask before runs over N rows / costing over X" (ESTIMATE_CONFIRM_ROWS, ESTIMATE_CONFIRM_COST), asked once per pane. */
export function adminConfirmThresholds(): Promise<ConfirmThresholds> {
  adminThresholds ??= clientConfigBody()
    .then((answer) => {
      const body = (answer ?? {}) as { estimate?: { confirmAboveRows?: unknown; confirmAboveCost?: unknown } };
      const rows = body.estimate?.confirmAboveRows;
      const cost = body.estimate?.confirmAboveCost;
      return {
        rows: typeof rows === 'number' && Number.isInteger(rows) && rows >= 0 ? rows : defaultConfirmAboveRows,
        cost: typeof cost === 'number' && cost >= 0 ? cost : undefined,
      };
    })
    .catch(() => ({ rows: defaultConfirmAboveRows }));
  return adminThresholds;
}
