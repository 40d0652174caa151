// A seam for browser tests of sign-in, which cannot reach Entra ID: before the pane starts, a test
// puts an access token provider on `window.previewTestHooks`. Only the preview reads it, and only
// in development builds: a production build drops this code (webpack sets NODE_ENV), and the pane
// inside Office never loads the preview chunk at all.
import type { AccessTokenProvider } from '../shared/auth/access-token-provider.js';

export interface PreviewTestHooks {
  accessTokenProvider?: AccessTokenProvider;
}

declare global {
  interface Window {
    previewTestHooks?: PreviewTestHooks;
  }
}

export function previewTestAccessTokenProvider(): AccessTokenProvider | undefined {
  if (process.env['NODE_ENV'] === 'production') return undefined;
  return window.previewTestHooks?.accessTokenProvider;
}
