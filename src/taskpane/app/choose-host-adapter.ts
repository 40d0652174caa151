// Picks the HostAdapter once: inside Office the real adapter for the host (from Office.onReady),
// otherwise the browser preview over a sample document chosen by ?host=word|excel|outlook.
import type { OfficeHostAdapter } from '../../hosts/host-adapter.js';
import type { PreviewHostAdapter } from '../../hosts/preview/preview-host-adapter.js';
import { loadOfficeHostAdapter } from './office-host-adapter.js';

/** What the pane runs on; `isPreview` tells the two apart, and the preview's adapter states its sample document. */
export type PaneHostAdapter = OfficeHostAdapter | PreviewHostAdapter;

/** Office.onReady never settles when office.js could not start; outside Office it answers quickly. */
const officeReadyTimeoutMilliseconds = 5000;

async function officeHost(): Promise<string | undefined> {
  if (typeof Office === 'undefined') return undefined;
  const info = await Promise.race([
    Office.onReady().catch(() => undefined),
    new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), officeReadyTimeoutMilliseconds)),
  ]);
  return info?.host == null ? undefined : String(info.host);
}

export async function chooseHostAdapter(location: Location): Promise<PaneHostAdapter> {
  if ((await officeHost()) !== undefined) {
    const adapter = await loadOfficeHostAdapter();
    if (adapter !== undefined) return adapter;
  }
  const { createPreviewHostAdapter, isHostName } = await import(/* webpackChunkName: "preview" */ '../../hosts/preview/preview-host-adapter.js');
  const parameters = new URLSearchParams(location.search);
  const host = parameters.get('host');
  return createPreviewHostAdapter(isHostName(host) ? host : 'word', {
    displayLanguage: parameters.get('lang') ?? navigator.language ?? 'en-US',
    mailMode: parameters.get('mode') === 'compose' ? 'compose' : 'read',
  });
}
