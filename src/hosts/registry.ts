// Chooses the host adapter once, at Office.onReady: Word, Excel or Outlook by Office.context.host.
// Outside Office (a plain browser, or Office.js not loaded) it answers undefined and the pane falls
// back to its preview adapter.
import type { OfficeHostAdapter } from './host-adapter.js';
import { createExcelHostAdapter } from './excel/excel-host-adapter.js';
import { createOutlookHostAdapter } from './outlook/outlook-host-adapter.js';
import { createWordHostAdapter } from './word/word-host-adapter.js';

/** What Office.onReady and Office.context tell; injectable for tests. */
export interface OfficeEnvironment {
  /** Office.onReady's host: "Word", "Excel", "Outlook", … or null outside Office. */
  host: string | null | undefined;
  displayLanguage: string;
  isSetSupported(name: string, version: string): boolean;
}

/** The adapter for the Office host the pane runs in, or undefined outside Office. */
export async function createOfficeHostAdapter(): Promise<OfficeHostAdapter | undefined> {
  const environment = await readOfficeEnvironment();
  return environment === undefined ? undefined : createHostAdapterFor(environment);
}

/** The adapter for a known environment; undefined for a host this add-in does not serve. */
export function createHostAdapterFor(environment: OfficeEnvironment): OfficeHostAdapter | undefined {
  const { displayLanguage, isSetSupported } = environment;
  switch (environment.host) {
    case 'Word':
      return createWordHostAdapter({ displayLanguage, isSetSupported });
    case 'Excel':
      return createExcelHostAdapter({ displayLanguage, isSetSupported });
    case 'Outlook':
      return createOutlookHostAdapter({ displayLanguage });
    default:
      return undefined;
  }
}

/** Office.onReady resolves with host null in a plain browser; without Office.js there is no Office. */
async function readOfficeEnvironment(): Promise<OfficeEnvironment | undefined> {
  if (typeof Office === 'undefined' || typeof Office.onReady !== 'function') return undefined;
  const info = await Office.onReady();
  if (info.host === null || info.host === undefined) return undefined;
  return {
    host: String(info.host),
    displayLanguage: Office.context.displayLanguage || 'en-US',
    isSetSupported: (name, version) => Office.context.requirements?.isSetSupported(name, version) ?? false,
  };
}
