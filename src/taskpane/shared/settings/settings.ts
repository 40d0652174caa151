// What the pane remembers per user, and where: a small store interface with a localStorage
// implementation and, inside Office, one over Office's roaming settings.
import type { ReplyTone, SummaryFormat, SummaryLength } from '../../../contract/options.js';
import type { InsertLocation, TranslationPlacement } from '../../../hosts/host-adapter.js';
import { normalizeGlossary, settingsStorageKey, type Glossary } from '../api/translate-glossary.js';

/** Where Word translations go; the pane remembers the user's choice of the host's placements. */
export type Placement = TranslationPlacement;
/** Where a summary goes: a place in the document, or only the pane (to copy). */
export type SummaryDestination = InsertLocation | 'copy';

export interface Settings {
  targetLanguage: string;
  /** Labels as the user typed them, one per line, or a range address such as Labels!A1:A20. */
  labels: string;
  summaryLength: SummaryLength;
  summaryFormat: SummaryFormat;
  tone: ReplyTone;
  placement: Placement;
  summaryDestination: SummaryDestination;
  replyLanguage: string;
  /** The user's own glossary, sent with every translation (Word, Excel cells, Outlook, =AI.TRANSLATE). */
  glossary: Glossary;
  /** Show the estimate and ask before bulk runs of more rows than this; unset: the administrator's default (shared/ui/run-estimate.tsx). */
  askBeforeRowsOver?: number;
  /** …or costing more than this (in the currency of the server's prices); unset: the administrator's default, if any. */
  askBeforeCostOver?: number;
}

export function defaultSettings(displayLanguage: string): Settings {
  const userLanguage = displayLanguage.split('-')[0]?.toLowerCase() || 'en';
  return {
    targetLanguage: userLanguage === 'en' ? 'de' : 'en',
    labels: '',
    summaryLength: 'medium',
    summaryFormat: 'paragraph',
    tone: 'friendly',
    placement: 'after',
    summaryDestination: 'cursor',
    replyLanguage: userLanguage,
    glossary: { terms: {}, doNotTranslate: [] },
  };
}

export interface SettingsStore {
  load(): Partial<Settings>;
  save(settings: Settings): void;
}

// One key for the settings; the formulas read the glossary from it too (shared/api/translate-glossary.ts).
const storageKey = settingsStorageKey;

function parseSettings(text: string | null | undefined): Partial<Settings> {
  if (text == null) return {};
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== 'object' || value === null) return {};
    const settings = value as Partial<Settings>;
    // Stored by an older pane or edited by hand: a glossary reaches requests only in its checked shape.
    return 'glossary' in settings ? { ...settings, glossary: normalizeGlossary(settings.glossary) } : settings;
  } catch {
    return {};
  }
}

export function createLocalStorageSettingsStore(storage: Storage | undefined = globalThis.localStorage): SettingsStore {
  return {
    load: () => {
      try {
        return parseSettings(storage?.getItem(storageKey));
      } catch {
        return {};
      }
    },
    save: (settings) => {
      try {
        storage?.setItem(storageKey, JSON.stringify(settings));
      } catch {
        // Storage can be full or blocked (private mode); the settings then last for this session only.
      }
    },
  };
}

/** Outlook's roaming settings follow the user across devices; other hosts keep them in the browser. */
export function createSettingsStore(): SettingsStore {
  const local = createLocalStorageSettingsStore();
  let roaming: Office.RoamingSettings | undefined;
  try {
    roaming = typeof Office === 'undefined' ? undefined : (Office.context?.roamingSettings ?? undefined);
  } catch {
    // Outside Office, office.js has no context.
    roaming = undefined;
  }
  if (roaming === undefined) return local;
  // Typing labels saves on every key: send the roaming copy to the mailbox once the user pauses.
  let pending: ReturnType<typeof setTimeout> | undefined;
  return {
    load: () => ({ ...local.load(), ...parseSettings(roaming.get(storageKey) as string | undefined) }),
    save: (settings) => {
      local.save(settings);
      roaming.set(storageKey, JSON.stringify(settings));
      clearTimeout(pending);
      pending = setTimeout(() => roaming.saveAsync(), 1000);
    },
  };
}
