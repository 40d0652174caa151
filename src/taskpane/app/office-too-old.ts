// The one sentence an Office too old for the add-in gets. Kept apart from describe-error.ts, which pulls
// in the workflows: the shell loads this before any feature chunk.
import type { HostName, RequirementSet } from '../../hosts/host-adapter.js';
import { format, type Messages } from '../shared/i18n/messages.js';

/** Product names, the same in every language. */
const officeProductNames: Record<HostName, string> = { word: 'Word', excel: 'Excel', outlook: 'Outlook' };

/** The sentence for an adapter that names a missing minimum requirement set, or undefined when nothing is missing. */
export function describeMissingRequirement(
  adapter: { host: HostName; missingRequirement?: RequirementSet | undefined },
  messages: Messages,
): string | undefined {
  const missing = adapter.missingRequirement;
  if (missing === undefined) return undefined;
  return format(messages.officeTooOld, { host: officeProductNames[adapter.host], set: missing.name, version: missing.version });
}
