// The real Office adapters come from src/hosts/registry.ts (another engineer's module), loaded only
// inside Office so the preview and the first paint never carry them.
import type { HostAdapter } from '../../hosts/host-adapter.js';

export async function loadOfficeHostAdapter(): Promise<HostAdapter | undefined> {
  // Until src/hosts/registry.ts exists, Office hosts fall back to the preview.
  return undefined;
}
