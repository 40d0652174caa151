// Extraction is CPU work between awaits: a request whose client left stops at the next page or sheet.
import { cancelledError } from '../errors.js';

export function throwIfCancelled(signal: AbortSignal): void {
  if (signal.aborted) throw cancelledError();
}
