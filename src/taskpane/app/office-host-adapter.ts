// The real Office adapters (src/hosts/registry.ts) load only inside Office, as their own chunk, so
// the preview and the pane's first paint never carry them.
import type { OfficeHostAdapter } from '../../hosts/host-adapter.js';

export async function loadOfficeHostAdapter(): Promise<OfficeHostAdapter | undefined> {
  const { createOfficeHostAdapter } = await import(/* webpackChunkName: "office-hosts" */ '../../hosts/registry.js');
  return createOfficeHostAdapter();
}
