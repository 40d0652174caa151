// MSAL for the pane, loaded as its own chunk only when the BFF requires sign-in. Inside Office it is
// nested app authentication (the host signs the user in and brokers tokens); in the browser preview
// it is the standard flow with a popup. Silent first, a popup when that fails, and a Sign-in button
// (SignInRequiredError) when the popup cannot open without the user's click.
import {
  createNestablePublicClientApplication,
  createStandardPublicClientApplication,
  type AccountInfo,
  type Configuration,
  type IPublicClientApplication,
} from '@azure/msal-browser';
import { SignInRequiredError, type AccessTokenProvider } from './access-token-provider.js';
import type { EntraSettings } from './client-config.js';

export type MsalFlow = 'nested-app-auth' | 'popup';

/** The page the popup returns to: the pane itself, which hands the answer back (see auth-redirect.ts). */
export function popupRedirectUri(location: Location): string {
  return `${location.origin}${location.pathname}`;
}

export async function createMsalTokenProvider(settings: EntraSettings, flow: MsalFlow, location: Location): Promise<AccessTokenProvider> {
  const configuration: Configuration = {
    auth: {
      clientId: settings.clientId,
      authority: settings.authority,
      ...(flow === 'popup' ? { redirectUri: popupRedirectUri(location) } : {}),
    },
    // Session-scoped: MSAL's cache is the only place a token is kept, and it goes with the pane.
    cache: { cacheLocation: 'sessionStorage' },
  };
  const application: IPublicClientApplication =
    flow === 'nested-app-auth' ? await createNestablePublicClientApplication(configuration) : await createStandardPublicClientApplication(configuration);
  const scopes = settings.scopes;
  const currentAccount = (): AccountInfo | undefined => application.getActiveAccount() ?? application.getAllAccounts()[0];

  const interactive = async (): Promise<string> => {
    const result = await application.acquireTokenPopup({ scopes });
    application.setActiveAccount(result.account);
    return result.accessToken;
  };

  return {
    async getAccessToken({ forceRefresh }) {
      const account = currentAccount();
      // With NAA the host knows the account even before MSAL does; the popup flow needs one first.
      if (account !== undefined || flow === 'nested-app-auth') {
        try {
          const result = await application.acquireTokenSilent({ scopes, forceRefresh, ...(account === undefined ? {} : { account }) });
          return result.accessToken;
        } catch {
          // Consent, an expired session or MFA: only an interactive request can go on.
        }
      }
      try {
        return await interactive();
      } catch (error) {
        throw new SignInRequiredError('Sign in to use the add-in.', { cause: error });
      }
    },
    async signIn() {
      await interactive();
    },
  };
}
