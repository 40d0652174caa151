// Debian's Chromium driven by playwright-core; never a browser downloaded by a tool. Every launch
// gets a fresh profile and flags that keep it off the network.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

const candidates = ['/usr/lib/chromium/chromium', '/usr/bin/chromium'];

export function chromiumExecutable(): string | undefined {
  return candidates.find((candidate) => existsSync(candidate));
}

export interface LaunchedBrowser {
  context: BrowserContext;
  close(): Promise<void>;
}

export async function launchChromium(executablePath: string): Promise<LaunchedBrowser> {
  const userDataDirectory = mkdtempSync(path.join(os.tmpdir(), 'chromium-profile-'));
  // A Chromium that fails to start (a busy machine) leaves no profile behind either.
  const context = await chromium
    .launchPersistentContext(userDataDirectory, {
      executablePath,
      headless: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-quic',
      ],
      viewport: { width: 1280, height: 860 },
      locale: 'en-US',
    })
    .catch((error: unknown) => {
      rmSync(userDataDirectory, { recursive: true, force: true });
      throw error;
    });
  return {
    context,
    close: async () => {
      try {
        await context.close();
      } finally {
        rmSync(userDataDirectory, { recursive: true, force: true });
      }
    },
  };
}
