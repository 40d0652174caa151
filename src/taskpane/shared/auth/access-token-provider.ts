// How the pane gets an access token for the BFF when sign-in is on. Implementations: MSAL nested app
// authentication (inside Office), Office SSO (older Office without NAA), an MSAL popup (the browser
// preview) and, in development builds of the preview only, a provider that browser tests install.
// Tokens stay in memory and in MSAL's own cache: never logged, never stored by this code.

export interface TokenOptions {
  /** True after the BFF refused a token (401): skip any cached token and ask for a new one. */
  forceRefresh: boolean;
}

export interface AccessTokenProvider {
  /** Silently when possible, interactively when required; throws SignInRequiredError when only a click can help. */
  getAccessToken(options: TokenOptions): Promise<string | undefined>;
  /** Interactive sign-in, started from the user's click on "Sign in" (so a popup is allowed). */
  signIn(): Promise<void>;
}

/** The user has to sign in (or consent) before the pane can call the BFF. */
export class SignInRequiredError extends Error {
  override readonly name = 'SignInRequiredError';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
  }
}

export function isSignInRequiredError(error: unknown): error is SignInRequiredError {
  return error instanceof SignInRequiredError;
}
