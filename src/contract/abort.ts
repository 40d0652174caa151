// One meaning of "this call was cancelled", for every layer: an AbortSignal fired (a DOMException or
// Error named AbortError, the openai SDK's APIUserAbortError) or an error that carries the contract's
// CANCELLED code (the BFF's AppError, the pane's ApiError).
export function isAbortError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { name, code } = error as { name?: unknown; code?: unknown };
  // The openai SDK's APIUserAbortError keeps the name "Error": its class name tells it apart.
  const className = (error as { constructor?: { name?: unknown } }).constructor?.name;
  return name === 'AbortError' || name === 'APIUserAbortError' || className === 'APIUserAbortError' || code === 'CANCELLED';
}
