// The Outlook host: the open email offers mail access. Translating or summarising a draft goes through
// MailAccess (selected text in, text at the cursor out); a draft has no tracked changes or comments.
import type { OfficeHostAdapter } from '../host-adapter.js';
import { createOutlookMailAccess, type OutlookMailAccessOptions } from './outlook-mail-access.js';

export interface OutlookHostAdapterOptions extends OutlookMailAccessOptions {
  displayLanguage: string;
}

export function createOutlookHostAdapter(options: OutlookHostAdapterOptions): OfficeHostAdapter {
  return {
    host: 'outlook',
    isPreview: false,
    displayLanguage: options.displayLanguage,
    mail: createOutlookMailAccess(options),
  };
}
