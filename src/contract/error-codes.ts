// Stable error codes of the HTTP contract. Clients branch on these, never on messages; never rename one.
export const errorCodes = {
  INVALID_REQUEST: { status: 400, retryable: false },
  INVALID_JSON: { status: 400, retryable: false },
  UNSUPPORTED_MEDIA_TYPE: { status: 400, retryable: false },
  UNAUTHENTICATED: { status: 401, retryable: false },
  FORBIDDEN: { status: 403, retryable: false },
  NOT_FOUND: { status: 404, retryable: false },
  PAYLOAD_TOO_LARGE: { status: 413, retryable: false },
  INPUT_TOO_LARGE: { status: 413, retryable: false },
  TOO_MANY_ITEMS: { status: 413, retryable: false },
  TOO_MANY_LABELS: { status: 413, retryable: false },
  RATE_LIMITED: { status: 429, retryable: true },
  BUDGET_EXCEEDED: { status: 429, retryable: true },
  INTERNAL_ERROR: { status: 500, retryable: true },
  PROVIDER_ERROR: { status: 502, retryable: true },
  PROVIDER_AUTH_FAILED: { status: 502, retryable: false },
  PROVIDER_REJECTED_REQUEST: { status: 502, retryable: false },
  INVALID_MODEL_OUTPUT: { status: 502, retryable: true },
  PROVIDER_RATE_LIMITED: { status: 503, retryable: true },
  PROVIDER_UNAVAILABLE: { status: 503, retryable: true },
  PROVIDER_NOT_READY: { status: 503, retryable: true },
  PROVIDER_TIMEOUT: { status: 504, retryable: true },
  /** Entra's signing keys could not be fetched to check a token. */
  AUTH_UNAVAILABLE: { status: 503, retryable: true },
  /** The shared store of daily token budgets (Redis) cannot be reached: no new work starts until it is back. */
  BUDGET_UNAVAILABLE: { status: 503, retryable: true },
  /** Per-item only (classify results): an empty item has nothing to classify. */
  EMPTY_ITEM: { status: 400, retryable: false },
  /** An attachment is password-protected or encrypted: open it, save an unprotected copy and attach that. */
  ATTACHMENT_ENCRYPTED: { status: 400, retryable: false },
  /** An attachment has no text to read (empty, or image-only such as a scan). */
  ATTACHMENT_NO_TEXT: { status: 400, retryable: false },
  /** An attachment is of a kind the BFF cannot read (supported: PDF, .docx, .xlsx, text, HTML, .eml, .msg) or is damaged. */
  ATTACHMENT_UNSUPPORTED: { status: 400, retryable: false },
  /** An attachment is over the per-attachment limit (ATTACHMENT_MAX_BYTES). */
  ATTACHMENT_TOO_LARGE: { status: 413, retryable: false },
  /** The client went away; nothing is sent, but logs and metrics name it. */
  CANCELLED: { status: 499, retryable: true },
} as const satisfies Record<string, { status: number; retryable: boolean }>;

export type ErrorCode = keyof typeof errorCodes;
