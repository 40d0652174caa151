import type { HostAdapter } from '../../hosts/host-adapter.js';
import type { ApiClient } from './api/api-client.js';

/** What the app shell hands every feature: the host (never Office.js itself) and the BFF client. */
export interface FeatureProps {
  adapter: HostAdapter;
  api: ApiClient;
}
