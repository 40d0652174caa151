// Chooses the host adapter once, at Office.onReady: Word, Excel or Outlook by Office.context.host.
// Outside Office (a plain browser, or Office.js not loaded) it answers undefined and the pane falls
// back to its preview adapter. An Office too old for what every feature of the host needs gets an
// adapter without capabilities that names the missing requirement set, so the pane says so in one
// sentence instead of failing later with a minified error. (manifest.xml cannot declare WordApi or
// ExcelApi: it serves both hosts, and a set one of them lacks would hide the add-in there.)
import type { HostName, OfficeHostAdapter, RequirementSet } from './host-adapter.js';
import { createExcelHostAdapter } from './excel/excel-host-adapter.js';
import { createOutlookHostAdapter } from './outlook/outlook-host-adapter.js';
import { createWordHostAdapter } from './word/word-host-adapter.js';
import { WORD_MINIMUM_REQUIREMENT } from './word/word-text-access.js';

/**
 * The least each host must offer: Word's expandTo, getFirst, styleBuiltIn and paragraph neighbours
 * (WordApi 1.3); Excel's getRangeByIndexes (ExcelApi 1.7); Outlook's body.getAsync (Mailbox 1.3, also
 * declared in manifest.outlook.xml). Newer sets are checked where a feature uses them.
 */
export const MINIMUM_REQUIREMENTS: Readonly<Record<HostName, RequirementSet>> = {
  word: WORD_MINIMUM_REQUIREMENT,
  excel: { name: 'ExcelApi', version: '1.7' },
  outlook: { name: 'Mailbox', version: '1.3' },
};

const officeHostNames: Readonly<Record<string, HostName>> = { Word: 'word', Excel: 'excel', Outlook: 'outlook' };

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
  const host = officeHostNames[environment.host ?? ''];
  if (host === undefined) return undefined;
  const minimum = MINIMUM_REQUIREMENTS[host];
  if (!isSetSupported(minimum.name, minimum.version)) return { host, isPreview: false, displayLanguage, missingRequirement: minimum };
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
