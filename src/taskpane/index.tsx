// Entry of the task pane: choose the host adapter and the sign-in, then render the one UI for every
// host. The BFF's sign-in settings are asked for at once, alongside Office.onReady.
import { createRoot } from 'react-dom/client';
import type { AccessTokenProvider } from './shared/auth/access-token-provider.js';
import { App } from './app/app.js';
import { chooseHostAdapter } from './app/choose-host-adapter.js';
import { completeAuthRedirect, isAuthRedirect } from './shared/auth/auth-redirect.js';
import { createAuthSession, prefetched } from './shared/auth/auth-session.js';
import { officeSupportsNestedAppAuth } from './shared/auth/choose-token-provider.js';
import { fetchAuthSettings } from './shared/auth/client-config.js';
import { createSettingsStore } from './shared/settings/settings.js';

async function previewTestProvider(): Promise<AccessTokenProvider | undefined> {
  const { previewTestAccessTokenProvider } = await import(/* webpackChunkName: "preview" */ './preview/preview-test-hooks.js');
  return previewTestAccessTokenProvider();
}

async function start(): Promise<void> {
  const container = document.getElementById('root');
  if (container === null) throw new Error('The task pane page has no #root element.');
  // This load is the sign-in popup coming back: hand the answer to the pane that opened it, nothing else.
  if (isAuthRedirect(window.location)) {
    await completeAuthRedirect();
    return;
  }
  const loadSettings = prefetched(fetchAuthSettings);
  const adapter = await chooseHostAdapter(window.location);
  const auth = createAuthSession({
    loadSettings,
    inOffice: !adapter.isPreview,
    nestedAppAuthSupported: officeSupportsNestedAppAuth,
    // Only the preview can take a test provider; inside Office this chunk is never loaded.
    testProvider: adapter.isPreview ? await previewTestProvider() : undefined,
    location: window.location,
  });
  // Load MSAL (when sign-in is on) while the user reads the pane, not on the first click.
  auth.prepare().catch(() => undefined);
  document.documentElement.lang = adapter.displayLanguage;
  createRoot(container).render(<App adapter={adapter} auth={auth} settingsStore={createSettingsStore()} />);
}

void start();
