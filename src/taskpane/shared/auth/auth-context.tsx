// Hands the sign-in action to the error message's Sign-in button, wherever a feature shows it.
import { createContext, useContext, type ReactNode } from 'react';
import type { AccessTokenProvider } from './access-token-provider.js';

const AuthContext = createContext<Pick<AccessTokenProvider, 'signIn'> | undefined>(undefined);

export function AuthProvider({ auth, children }: { auth: Pick<AccessTokenProvider, 'signIn'>; children: ReactNode }) {
  return <AuthContext.Provider value={auth}>{children}</AuthContext.Provider>;
}

/** Undefined outside an AuthProvider: then the pane offers no Sign-in button. */
export function useAuth(): Pick<AccessTokenProvider, 'signIn'> | undefined {
  return useContext(AuthContext);
}
