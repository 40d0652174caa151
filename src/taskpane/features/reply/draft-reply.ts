// The reply route is an addition to contract v1 (POST /api/v1/reply); kept inside this feature so
// an older server without it only disables replies (NOT_FOUND is shown as "cannot draft replies yet").
import { apiRoutes } from '../../../contract/routes.js';
import type { ReplyRequest, ReplyResponse, TextDeltaEvent } from '../../../contract/schemas.js';
import type { ApiClient } from '../../shared/api/api-client.js';

export function draftReply(api: ApiClient, request: ReplyRequest, options: { signal?: AbortSignal; onTextDelta?: (text: string) => void } = {}): Promise<ReplyResponse> {
  return api.stream<ReplyResponse>(apiRoutes.reply, request, {
    signal: options.signal,
    onEvent: (event, data) => {
      if (event === 'text-delta') options.onTextDelta?.((data as TextDeltaEvent).text);
    },
  });
}
