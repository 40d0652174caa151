// Which token provider the pane uses (NAA inside Office when the host supports it, Office SSO when it
// does not, an MSAL popup in the browser preview, none when sign-in is off), and the session that
// loads it lazily: no MSAL, no Office.js and no browser needed here.
import { jest } from '@jest/globals';
import { SignInRequiredError, type AccessTokenProvider } from '../../src/taskpane/shared/auth/access-token-provider.js';
import { createAuthSession, type AuthSessionOptions } from '../../src/taskpane/shared/auth/auth-session.js';
import { chooseTokenProviderKind, officeSupportsNestedAppAuth } from '../../src/taskpane/shared/auth/choose-token-provider.js';
import type { AuthSettings } from '../../src/taskpane/shared/auth/client-config.js';

const entra: AuthSettings = {
  mode: 'entra',
  clientId: '11111111-2222-3333-4444-555555555555',
  scopes: ['api://11111111-2222-3333-4444-555555555555/access_as_user'],
  authority: 'https://login.microsoftonline.com/aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee',
};
const off: AuthSettings = { mode: 'off' };

describe('chooseTokenProviderKind', () => {
  test.each([
    ['sign-in off, inside Office', 'none', { auth: off, inOffice: true, nestedAppAuthSupported: true, testHookInstalled: false }],
    ['sign-in off, preview with a test hook', 'none', { auth: off, inOffice: false, nestedAppAuthSupported: false, testHookInstalled: true }],
    ['inside Office, NAA supported', 'nested-app-auth', { auth: entra, inOffice: true, nestedAppAuthSupported: true, testHookInstalled: false }],
    ['inside Office, NAA not supported', 'office-sso', { auth: entra, inOffice: true, nestedAppAuthSupported: false, testHookInstalled: false }],
    ['inside Office, a test hook is ignored', 'office-sso', { auth: entra, inOffice: true, nestedAppAuthSupported: false, testHookInstalled: true }],
    ['outside Office', 'msal-popup', { auth: entra, inOffice: false, nestedAppAuthSupported: false, testHookInstalled: false }],
    ['outside Office with a test hook', 'test-hook', { auth: entra, inOffice: false, nestedAppAuthSupported: false, testHookInstalled: true }],
  ] as const)('%s → %s', (_case, kind, environment) => {
    expect(chooseTokenProviderKind(environment)).toBe(kind);
  });
});

describe('officeSupportsNestedAppAuth', () => {
  const global = globalThis as unknown as { Office?: unknown };
  afterEach(() => {
    delete global.Office;
  });

  test('asks Office for the NestedAppAuth 1.1 requirement set', () => {
    const isSetSupported = jest.fn((name: string, version?: string) => name === 'NestedAppAuth' && version === '1.1');
    global.Office = { context: { requirements: { isSetSupported } } };
    expect(officeSupportsNestedAppAuth()).toBe(true);
    expect(isSetSupported).toHaveBeenCalledWith('NestedAppAuth', '1.1');
  });

  test('false when the host lacks it, has no requirements API, throws, or Office is absent', () => {
    global.Office = { context: { requirements: { isSetSupported: () => false } } };
    expect(officeSupportsNestedAppAuth()).toBe(false);
    global.Office = { context: {} };
    expect(officeSupportsNestedAppAuth()).toBe(false);
    global.Office = {
      context: {
        requirements: {
          isSetSupported: () => {
            throw new Error('not ready');
          },
        },
      },
    };
    expect(officeSupportsNestedAppAuth()).toBe(false);
    delete global.Office;
    expect(officeSupportsNestedAppAuth()).toBe(false);
  });
});

describe('createAuthSession', () => {
  const location = { origin: 'https://localhost:3000', pathname: '/taskpane.html' } as Location;
  const session = (overrides: Partial<AuthSessionOptions>) =>
    createAuthSession({ loadSettings: async () => off, inOffice: false, nestedAppAuthSupported: () => false, location, ...overrides });

  test('sign-in off: no token, whatever else is there', async () => {
    const testProvider: AccessTokenProvider = { getAccessToken: async () => 'should-not-be-used', signIn: async () => undefined };
    const auth = session({ testProvider });
    await expect(auth.kind()).resolves.toBe('none');
    await expect(auth.getAccessToken({ forceRefresh: false })).resolves.toBeUndefined();
  });

  test('the preview with a test provider hands its tokens on, forceRefresh included', async () => {
    const getAccessToken = jest.fn(async ({ forceRefresh }: { forceRefresh: boolean }) => (forceRefresh ? 'fresh' : 'cached'));
    const signIn = jest.fn(async () => undefined);
    const auth = session({ loadSettings: async () => entra, testProvider: { getAccessToken, signIn } });
    await expect(auth.kind()).resolves.toBe('test-hook');
    await expect(auth.getAccessToken({ forceRefresh: false })).resolves.toBe('cached');
    await expect(auth.getAccessToken({ forceRefresh: true })).resolves.toBe('fresh');
    await auth.signIn();
    expect(signIn).toHaveBeenCalledTimes(1);
  });

  test('inside Office, NAA supported or not, decides between MSAL and Office SSO; each session asks for the settings once', async () => {
    const loadSettings = jest.fn(async () => entra);
    const nestedAppAuthSupported = jest.fn(() => true);
    await expect(session({ loadSettings, inOffice: true, nestedAppAuthSupported }).kind()).resolves.toBe('nested-app-auth');
    await expect(session({ inOffice: true, loadSettings, nestedAppAuthSupported: () => false }).kind()).resolves.toBe('office-sso');
    const auth = session({ loadSettings });
    await auth.kind();
    await auth.kind();
    expect(loadSettings).toHaveBeenCalledTimes(3);
  });

  test('outside Office nothing asks Office whether it supports NAA', async () => {
    const nestedAppAuthSupported = jest.fn(() => true);
    await expect(session({ loadSettings: async () => entra, nestedAppAuthSupported }).kind()).resolves.toBe('msal-popup');
    expect(nestedAppAuthSupported).not.toHaveBeenCalled();
  });

  describe('Office SSO (NAA not supported)', () => {
    const global = globalThis as unknown as { Office?: unknown };
    afterEach(() => {
      delete global.Office;
    });

    test('gets the token from Office.auth.getAccessToken, with prompts allowed', async () => {
      const getAccessToken = jest.fn(async (_options: unknown) => 'office-sso-token');
      global.Office = { auth: { getAccessToken } };
      const auth = session({ loadSettings: async () => entra, inOffice: true });
      await expect(auth.getAccessToken({ forceRefresh: false })).resolves.toBe('office-sso-token');
      expect(getAccessToken).toHaveBeenCalledWith(expect.objectContaining({ allowSignInPrompt: true, allowConsentPrompt: true }));
    });

    test('a user who is not signed in (13001) becomes SignInRequiredError; other codes do not', async () => {
      global.Office = { auth: { getAccessToken: async () => Promise.reject(Object.assign(new Error('no user'), { code: 13001 })) } };
      const auth = session({ loadSettings: async () => entra, inOffice: true });
      await expect(auth.getAccessToken({ forceRefresh: false })).rejects.toBeInstanceOf(SignInRequiredError);
      global.Office = { auth: { getAccessToken: async () => Promise.reject(Object.assign(new Error('unsupported'), { code: 13012 })) } };
      const failure = await auth.getAccessToken({ forceRefresh: true }).catch((error: unknown) => error);
      expect(failure).not.toBeInstanceOf(SignInRequiredError);
      expect(String(failure)).toMatch(/13012/);
    });
  });

  test('settings that could not be loaded are asked for again on the next call', async () => {
    const loadSettings = jest.fn<() => Promise<AuthSettings>>().mockRejectedValueOnce(new Error('offline')).mockResolvedValue(off);
    const auth = session({ loadSettings });
    await expect(auth.getAccessToken({ forceRefresh: false })).rejects.toThrow('offline');
    await expect(auth.getAccessToken({ forceRefresh: false })).resolves.toBeUndefined();
    expect(loadSettings).toHaveBeenCalledTimes(2);
  });
});
