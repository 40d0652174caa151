// Everything a browser test of the pane needs: the built pane, the real BFF serving it and the API,
// the loopback OpenAI-protocol server behind it, and Chromium.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { openAiCompatibleEnvironment, startBff, type RunningBff } from '../../support/bff.js';
import { startFakeOpenAiServer, type FakeOpenAiServer } from '../../support/fake-openai-server.js';
import { chromiumExecutable, launchChromium, type LaunchedBrowser } from './browser.js';
import { buildPaneForTests } from './build-pane.js';

export interface PaneEnvironment {
  fake: FakeOpenAiServer;
  bff: RunningBff;
  browser: LaunchedBrowser;
  /** Name and text of every JavaScript file of the built pane. */
  builtScripts(): Promise<[string, string][]>;
  /**
   * Opens the preview of a host in a new page, with no settings remembered from an earlier test.
   * `prepare` runs on the new page before the pane loads (init scripts such as the preview's test hooks).
   */
  open(query: string, heading?: string, prepare?: (page: Page) => Promise<void>): Promise<Page>;
  close(): Promise<void>;
}

export const chromiumPath = chromiumExecutable();

/** `bffEnvironment` adds to (or overrides) the BFF's environment, such as ENTRA_* for sign-in tests. */
export async function startPaneEnvironment(bffEnvironment: Record<string, string> = {}): Promise<PaneEnvironment> {
  // test/global-setup.ts has already stopped the run with install advice when Chromium is missing.
  if (chromiumPath === undefined) throw new Error('Chromium is not installed: apt-get install chromium');
  const staticDirectory = await buildPaneForTests();
  const fake = await startFakeOpenAiServer();
  // A start that fails returns nothing the caller could close: what did start is stopped here.
  const bff = await startBff({
    ...openAiCompatibleEnvironment(fake.baseUrl),
    STATIC_DIR: staticDirectory,
    LOG_LEVEL: 'warn',
    LLM_MAX_RETRIES: '0',
    ...bffEnvironment,
  }).catch(async (error: unknown) => {
    await fake.close();
    throw error;
  });
  const browser = await launchChromium(chromiumPath).catch(async (error: unknown) => {
    await bff.close();
    await fake.close();
    throw error;
  });
  const pages: Page[] = [];
  return {
    fake,
    bff,
    browser,
    builtScripts: async () => {
      const names = (await readdir(staticDirectory, { recursive: true })).filter((name) => name.endsWith('.js') && !name.startsWith('office-js'));
      return Promise.all(names.map(async (name): Promise<[string, string]> => [name, await readFile(path.join(staticDirectory, name), 'utf8')]));
    },
    open: async (query, heading = 'LLM Assistant', prepare) => {
      const page = await browser.context.newPage();
      pages.push(page);
      await prepare?.(page);
      // Fail with the step that waited, well before jest's own test timeout.
      page.setDefaultTimeout(10_000);
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      page.on('response', (response) => {
        // The browser asks for a favicon on its own; any other failed load is the pane's.
        if (response.status() >= 400 && !response.url().endsWith('/favicon.ico')) errors.push(`${response.status()} for ${response.url()}`);
      });
      // One browser profile serves every test: start each from no remembered settings.
      await page.goto(`${bff.url}/healthz`);
      await page.evaluate(() => localStorage.clear());
      await page.goto(`${bff.url}/taskpane.html${query}`);
      try {
        await page.getByRole('heading', { name: heading }).waitFor();
      } catch (error) {
        throw new Error(`The pane did not show (${String(error)}); page errors: ${errors.join('; ') || 'none'}`);
      }
      if (errors.length > 0) throw new Error(`The page threw: ${errors.join('; ')}`);
      return page;
    },
    close: async () => {
      await browser.close();
      await bff.close();
      await fake.close();
      // The build stays: other test files of the run share it (build-pane.ts).
    },
  };
}

/**
 * Jest hooks for one pane environment per test file: started before the first test, closed after
 * the last; after each test every page opened through it is closed and the fake provider's
 * responder reset. Use the returned environment inside tests and hooks only.
 */
export function usePaneEnvironment(bffEnvironment: Record<string, string> = {}): PaneEnvironment {
  let started: PaneEnvironment | undefined;
  const opened: Page[] = [];
  const current = (): PaneEnvironment => {
    if (started === undefined) throw new Error('the pane environment starts in beforeAll');
    return started;
  };
  beforeAll(async () => {
    started = await startPaneEnvironment(bffEnvironment);
  }, 120_000);
  afterAll(async () => started?.close());
  afterEach(async () => {
    started?.fake.setResponder(undefined);
    await Promise.all(opened.splice(0).map((page) => page.close()));
  });
  return {
    get fake() {
      return current().fake;
    },
    get bff() {
      return current().bff;
    },
    get browser() {
      return current().browser;
    },
    builtScripts: () => current().builtScripts(),
    open: async (query, heading, prepare) => {
      const page = await current().open(query, heading, prepare);
      opened.push(page);
      return page;
    },
    close: () => current().close(),
  };
}
