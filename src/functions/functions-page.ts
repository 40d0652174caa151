// Entry of the functions script (webpack's `functions` entry, functions.js). Inside Excel it registers
// =AI.CLASSIFY, =AI.TRANSLATE and =AI.SUMMARIZE (the build appends the CustomFunctions.associate calls
// to ai-functions.ts) over one batcher and the pane's API client. In the shared runtime (manifest.xml's
// <Runtimes>) taskpane.html loads this script beside the pane, so both share the page: sign-in
// (the same token provider kind and MSAL's cache) and the batcher, which the pane's Stop and
// confirmation reach through formula-control.ts. Outside Excel (the browser preview, Word, Outlook)
// it does nothing.
import { createApiClient } from '../taskpane/shared/api/api-client.js';
import { createAuthSession, prefetched } from '../taskpane/shared/auth/auth-session.js';
import { officeSupportsNestedAppAuth } from '../taskpane/shared/auth/choose-token-provider.js';
import { fetchAuthSettings } from '../taskpane/shared/auth/client-config.js';
import { messagesFor } from '../taskpane/shared/i18n/messages.js';
import { useFormulaFunctions } from './ai-functions.js';
import { createFormulaBatcher } from './formula-batcher.js';
import { publishFormulaControl } from './formula-control.js';
import { createFormulaFunctions } from './formula-functions.js';

function officeDisplayLanguage(): string {
  try {
    return Office.context.displayLanguage || navigator.language || 'en-US';
  } catch {
    return navigator.language || 'en-US';
  }
}

/** A full recalculation, after the user confirmed a large run; Excel.run exists only in a shared runtime. */
async function recalculateWorkbook(): Promise<void> {
  if (typeof Excel === 'undefined') return;
  await Excel.run(async (context) => {
    context.workbook.application.calculate(Excel.CalculationType.full);
    await context.sync();
  });
}

async function start(): Promise<void> {
  // office.js defines CustomFunctions in any page; only Excel runs custom functions.
  const { host } = await Office.onReady();
  if (host !== Office.HostType.Excel) return;
  const displayLanguage = officeDisplayLanguage();
  const messages = messagesFor(displayLanguage);
  const auth = createAuthSession({
    loadSettings: prefetched(fetchAuthSettings),
    inOffice: true,
    nestedAppAuthSupported: officeSupportsNestedAppAuth,
    location: window.location,
  });
  const api = createApiClient({ getAccessToken: auth.getAccessToken });
  const batcher = createFormulaBatcher({ api, messages, recalculate: recalculateWorkbook });
  publishFormulaControl(batcher);
  useFormulaFunctions(createFormulaFunctions({ batcher, messages, displayLanguage: () => displayLanguage }));
}

if (typeof CustomFunctions !== 'undefined' && typeof Office !== 'undefined') void start();
