// Office SSO, for Office versions without nested app authentication: Office signs the user in and
// returns an access token for the add-in's own API (the manifest's WebApplicationInfo). Office keeps
// and refreshes it; there is no "force refresh", so a second call simply asks Office again.
import { SignInRequiredError, type AccessTokenProvider } from './access-token-provider.js';

/** Office's SSO error codes where only the user can help (sign in, consent); others are failures. */
const userActionCodes = new Set([13001, 13002, 13006]);

function officeErrorCode(error: unknown): number | undefined {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'number' ? code : undefined;
}

export function createOfficeSsoTokenProvider(): AccessTokenProvider {
  const request = async (): Promise<string> => {
    try {
      return await Office.auth.getAccessToken({ allowSignInPrompt: true, allowConsentPrompt: true, forMSGraphAccess: false });
    } catch (error) {
      const code = officeErrorCode(error);
      if (code !== undefined && userActionCodes.has(code)) throw new SignInRequiredError('Sign in to Office to use the add-in.', { cause: error });
      throw new Error(`Office could not sign you in (code ${code ?? 'unknown'}). Try again, or ask your administrator.`, { cause: error });
    }
  };
  return {
    getAccessToken: () => request(),
    signIn: async () => {
      await request();
    },
  };
}
