// Sign-in in the pane, against the real BFF checking Entra ID tokens (a loopback JWKS server with a
// test key stands in for Entra). The preview's test hook (development builds only) supplies the
// tokens a real MSAL would: the pane must send them, retry a 401 once with a fresh token, then ask
// the user to sign in, and show the BFF's reason for a 403; the document changes only on success.
import type { Page } from 'playwright-core';
import { sampleText } from '../../src/hosts/preview/sample-documents.js';
import { otherTenant, startEntraStandIn, type EntraStandIn } from './support/entra-test-tokens.js';
import { startPaneEnvironment, type PaneEnvironment } from './support/pane-environment.js';

const paragraphs = sampleText.split('\n');
const documentText = (page: Page) => page.getByTestId('word-document').inputValue();

interface TestTokens {
  initial: string | null;
  /** What a forceRefresh returns (after a 401). */
  refreshed: string | null;
  /** What every request returns once the user clicked Sign in. */
  afterSignIn: string | null;
}

interface TokenTestState {
  current: string | null;
  refreshed: string | null;
  /** forceRefresh of every getAccessToken call, in order. */
  requests: boolean[];
  signIns: number;
}

/** Installs a token provider through the preview's test hook before the pane starts. */
function withTokens(tokens: TestTokens) {
  return async (page: Page): Promise<void> => {
    await page.addInitScript((given: TestTokens) => {
      const state: TokenTestState = { current: given.initial, refreshed: given.refreshed, requests: [], signIns: 0 };
      (window as unknown as { tokenTestState: TokenTestState }).tokenTestState = state;
      window.previewTestHooks = {
        accessTokenProvider: {
          getAccessToken: async ({ forceRefresh }) => {
            state.requests.push(forceRefresh);
            return (forceRefresh ? state.refreshed : state.current) ?? undefined;
          },
          signIn: async () => {
            state.signIns += 1;
            state.current = given.afterSignIn;
            state.refreshed = given.afterSignIn;
          },
        },
      };
    }, tokens);
  };
}

const tokenState = (page: Page) => page.evaluate(() => (window as unknown as { tokenTestState: TokenTestState }).tokenTestState);

async function selectParagraph(page: Page, paragraph: number): Promise<void> {
  await page.getByTestId('paragraph-from').fill(String(paragraph));
  await page.getByTestId('paragraph-to').fill(String(paragraph));
  await page.getByTestId('select-paragraphs').click();
}

/** Authorization headers the pane sent to the translate route. */
function recordAuthorization(page: Page): (string | undefined)[] {
  const seen: (string | undefined)[] = [];
  page.on('request', (request) => {
    if (request.url().endsWith('/api/v1/translate')) seen.push(request.headers()['authorization']);
  });
  return seen;
}

describe('sign-in with Entra ID (BFF with ENTRA_* settings)', () => {
  let entra: EntraStandIn;
  let environment: PaneEnvironment;
  let page: Page | undefined;

  beforeAll(async () => {
    entra = await startEntraStandIn();
    environment = await startPaneEnvironment(entra.environment);
  }, 120_000);
  afterAll(async () => {
    await environment?.close();
    await entra?.close();
  });
  afterEach(async () => {
    await page?.close();
    page = undefined;
  });

  test('the BFF announces sign-in, with a client id and the API scope', async () => {
    const response = await fetch(`${environment.bff.url}/api/v1/client-config`);
    expect(await response.json()).toMatchObject({ auth: { mode: 'entra', scopes: [expect.stringMatching(/^api:\/\/.+\/access_as_user$/)] } });
  });

  test('a valid token: the pane sends it, the translation works and lands in the document', async () => {
    const valid = await entra.token();
    page = await environment.open('?host=word', undefined, withTokens({ initial: valid, refreshed: valid, afterSignIn: valid }));
    const sent = recordAuthorization(page);
    await selectParagraph(page, 2);
    await page.getByRole('button', { name: 'Translate', exact: true }).click();
    await page.getByTestId('run-status').getByText('1 paragraph translated.').waitFor();

    expect((await documentText(page)).split('\n').slice(0, 3)).toEqual([paragraphs[0], paragraphs[1], `[de] ${paragraphs[1]}`]);
    expect(sent).toEqual([`Bearer ${valid}`]);
    expect((await tokenState(page)).requests).toEqual([false]);
  });

  test.each<[string, () => Promise<string | null>]>([
    ['no token', async () => null],
    ['an expired token', () => entra.token({ expiresAt: Math.floor(Date.now() / 1000) - 3600 })],
  ])('%s: one retry with a fresh token, then "Sign in"; the document is unchanged', async (_case, makeToken) => {
    const token = await makeToken();
    const valid = await entra.token();
    page = await environment.open('?host=word', undefined, withTokens({ initial: token, refreshed: token, afterSignIn: valid }));
    const sent = recordAuthorization(page);
    const upstreamBefore = environment.fake.requests.length;
    await selectParagraph(page, 2);
    await page.getByRole('button', { name: 'Translate', exact: true }).click();

    const alert = page.getByRole('alert');
    await alert.getByText('Sign in with your work account to use the add-in.').waitFor();
    await expect(alert.getAttribute('data-error-kind')).resolves.toBe('sign-in');
    await page.screenshot({ path: '/tmp/taskpane-sign-in.png' });
    await expect(documentText(page)).resolves.toBe(sampleText);
    expect(environment.fake.requests.length).toBe(upstreamBefore);
    // Asked once, then once more with forceRefresh after the 401; both requests reached the BFF.
    expect((await tokenState(page)).requests).toEqual([false, true]);
    expect(sent).toHaveLength(2);

    // The Sign-in button signs in; the next run works.
    await alert.getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId('sign-in-status').getByText('Signed in. Run it again.').waitFor();
    expect((await tokenState(page)).signIns).toBe(1);
    await page.getByRole('button', { name: 'Translate', exact: true }).click();
    await page.getByTestId('run-status').getByText('1 paragraph translated.').waitFor();
    expect((await documentText(page)).split('\n')[2]).toBe(`[de] ${paragraphs[1]}`);
    expect(sent.at(-1)).toBe(`Bearer ${valid}`);
  });

  test('a stale token that a refresh replaces: the run works after one silent retry', async () => {
    const expired = await entra.token({ expiresAt: Math.floor(Date.now() / 1000) - 3600 });
    const valid = await entra.token();
    page = await environment.open('?host=word', undefined, withTokens({ initial: expired, refreshed: valid, afterSignIn: valid }));
    // An English paragraph: the German ones are already in the target language and are not sent.
    await selectParagraph(page, 4);
    await page.getByRole('button', { name: 'Translate', exact: true }).click();
    await page.getByTestId('run-status').getByText('1 paragraph translated.').waitFor();
    expect((await tokenState(page)).requests).toEqual([false, true]);
    await expect(page.getByRole('alert').count()).resolves.toBe(0);
  });

  test("a token from another tenant: the user's sentence, the BFF's 403 reason in the Details, no sign-in loop, the document unchanged", async () => {
    const stranger = await entra.token({ tenant: otherTenant });
    page = await environment.open('?host=word', undefined, withTokens({ initial: stranger, refreshed: stranger, afterSignIn: stranger }));
    await selectParagraph(page, 2);
    await page.getByRole('button', { name: 'Translate', exact: true }).click();

    const alert = page.getByRole('alert');
    // The user reads what they can do; the BFF's reason for the administrator is in the Details.
    await alert.getByText('Your account may not use the assistant.').waitFor();
    const text = (await alert.textContent()) ?? '';
    expect(text).toContain('Ask your administrator.');
    expect(text).toMatch(/FORBIDDEN[\s\S]*Your organisation is not allowed to use this add-in/);
    await expect(alert.getAttribute('data-error-kind')).resolves.toBe('forbidden');
    await expect(alert.getByRole('button', { name: 'Sign in' }).count()).resolves.toBe(0);
    expect((await tokenState(page)).requests).toEqual([false]);
    await expect(documentText(page)).resolves.toBe(sampleText);
  });

  test('a token without the access_as_user scope: the consent reason from the BFF, in the Details', async () => {
    const unconsented = await entra.token({ scope: 'User.Read' });
    page = await environment.open('?host=word', undefined, withTokens({ initial: unconsented, refreshed: unconsented, afterSignIn: unconsented }));
    await selectParagraph(page, 2);
    await page.getByRole('button', { name: 'Translate', exact: true }).click();
    const alert = page.getByRole('alert');
    await alert.getByText('Your account may not use the assistant.').waitFor();
    expect((await alert.textContent()) ?? '').toMatch(/lacks the access_as_user permission/);
    await expect(documentText(page)).resolves.toBe(sampleText);
  });

  test('without the test hook the preview loads MSAL, as its own chunk, because sign-in is on', async () => {
    const scripts: string[] = [];
    page = await environment.open('?host=word', undefined, async (newPage) => {
      newPage.on('response', (response) => {
        if (response.url().endsWith('.js')) scripts.push(new URL(response.url()).pathname);
      });
    });
    for (let waited = 0; waited < 5000 && !scripts.some((script) => script.includes('msal')); waited += 100) await page.waitForTimeout(100);
    expect(scripts.filter((script) => script.includes('msal')).length).toBeGreaterThan(0);
    // The entry script itself carries none of MSAL.
    expect(scripts.find((script) => script.endsWith('/taskpane.js'))).toBeDefined();
    const entry = (await environment.builtScripts()).find(([name]) => name === 'taskpane.js')?.[1] ?? '';
    expect(entry).not.toContain('createNestablePublicClientApplication');
  });
});
