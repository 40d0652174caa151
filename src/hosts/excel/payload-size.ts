// Excel on the web rejects a request or response over 5 MB (RequestPayloadSizeLimitExceeded /
// ResponsePayloadSizeLimitExceeded) and a read over 5,000,000 cells. Values travel as JSON, so the
// JSON size of the values is what we budget.

export const EXCEL_WEB_PAYLOAD_LIMIT_BYTES = 5_000_000;
export const EXCEL_MAX_CELLS_PER_READ = 5_000_000;

/** Approximate JSON size in UTF-8 bytes of one cell value, with its separator. */
export function cellJsonBytes(value: unknown): number {
  if (typeof value === 'string') {
    let bytes = 3; // two quotes and a comma
    for (let index = 0; index < value.length; index++) {
      const code = value.charCodeAt(index);
      if (code < 0x20 || code === 0x22 || code === 0x5c) bytes += code < 0x20 ? 6 : 2;
      else if (code < 0x80) bytes += 1;
      else if (code < 0x800) bytes += 2;
      else bytes += 3;
    }
    return bytes;
  }
  if (value === null || value === undefined) return 5;
  return String(value).length + 1;
}

/** Approximate JSON size of a 2-D values array. */
export function valuesJsonBytes(values: readonly (readonly unknown[])[]): number {
  let bytes = 2;
  for (const row of values) {
    bytes += 3;
    for (const cell of row) bytes += cellJsonBytes(cell);
  }
  return bytes;
}

/** True for Excel's payload-size errors (the web's 5 MB limit, or too many cells in one read). */
export function isPayloadTooLargeError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const code = (error as { code?: unknown }).code;
  const message = (error as { message?: unknown }).message;
  return (
    (typeof code === 'string' && /PayloadSizeLimitExceeded|ResponsePayloadSizeLimitExceeded|RequestPayloadSizeLimitExceeded/.test(code)) ||
    (typeof message === 'string' && /PayloadSizeLimitExceeded/.test(message))
  );
}
