// Which AccessTokenProvider serves this pane, decided from the BFF's settings and where the pane
// runs. Kept free of MSAL and Office.js so it is cheap to load and unit-tested under jest.
import type { AuthSettings } from './client-config.js';

export type TokenProviderKind =
  /** Sign-in is off: no token is sent. */
  | 'none'
  /** Inside Office with nested app authentication: MSAL through the host's broker. */
  | 'nested-app-auth'
  /** Inside Office without NAA: Office.auth.getAccessToken. */
  | 'office-sso'
  /** Outside Office (the browser preview): MSAL with a popup. */
  | 'msal-popup'
  /** The preview of a development build, when a browser test installed a provider. */
  | 'test-hook';

export interface ProviderEnvironment {
  auth: AuthSettings;
  inOffice: boolean;
  /** Office.context.requirements.isSetSupported('NestedAppAuth', '1.1'); false outside Office. */
  nestedAppAuthSupported: boolean;
  /** True when the preview's test hook holds a provider (never inside Office). */
  testHookInstalled: boolean;
}

export function chooseTokenProviderKind(environment: ProviderEnvironment): TokenProviderKind {
  if (environment.auth.mode === 'off') return 'none';
  if (environment.inOffice) return environment.nestedAppAuthSupported ? 'nested-app-auth' : 'office-sso';
  return environment.testHookInstalled ? 'test-hook' : 'msal-popup';
}

/** Asked only inside Office: older hosts lack the requirement set, or `requirements` altogether. */
export function officeSupportsNestedAppAuth(): boolean {
  try {
    return typeof Office !== 'undefined' && Office.context?.requirements?.isSetSupported('NestedAppAuth', '1.1') === true;
  } catch {
    return false;
  }
}
