// The glossary in the task pane (issue 14), against the real BFF with an organisation glossary file
// (TRANSLATION_GLOSSARY_PATH) and the loopback OpenAI-protocol server: the user adds a fixed translation and a
// do-not-translate term, they reach the model as rules with each translation (Outlook, Excel cells and
// =AI.TRANSLATE), they persist across a reload, and the organisation's glossary is shown read-only.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { unlabelledControls } from './support/accessibility.js';
import { usePaneEnvironment } from './support/pane-environment.js';
import { settled } from './support/settled.js';

const glossaryDirectory = mkdtempSync(path.join(os.tmpdir(), 'glossary-test-'));
const glossaryFile = path.join(glossaryDirectory, 'glossary.json');
writeFileSync(glossaryFile, JSON.stringify({ terms: { Angebot: 'quotation' }, doNotTranslate: ['Northwind'] }));
afterAll(() => rmSync(glossaryDirectory, { recursive: true, force: true }));

/** Everything the model was told in the upstream requests made since `from`. */
const upstreamText = (requests: { body: { messages: { content?: unknown }[] } }[], from: number) =>
  requests
    .slice(from)
    .flatMap((request) => request.body.messages.map((message) => String(message.content)))
    .join('\n');

/** Opens the Translate tab's glossary section (closed until asked for). */
async function openGlossary(page: Page): Promise<void> {
  await chooseTranslateTab(page);
  const toggle = page.getByRole('button', { name: /^Glossary/ });
  if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
}

async function addGlossary(page: Page): Promise<void> {
  await openGlossary(page);
  await page.getByLabel('Term', { exact: true }).fill('Schulung');
  await page.getByLabel('Fixed translation').fill('workshop');
  await page.getByLabel('Fixed translation').press('Enter');
  await page.getByTestId('glossary-terms').getByText('Schulung → workshop').waitFor();
  await page.getByLabel('Term to keep untranslated').fill('Fabrikam');
  await page.getByRole('button', { name: 'Add untranslated term' }).click();
  await page.getByTestId('glossary-keep').getByText('Fabrikam', { exact: true }).waitFor();
}

describe('Glossary', () => {
  const environment = usePaneEnvironment({ TRANSLATION_GLOSSARY_PATH: glossaryFile });

  test('terms the user adds reach the model as rules with an Outlook translation, beside the organisation glossary', async () => {
    const page = await environment.open('?host=outlook');
    await addGlossary(page);
    const before = environment.fake.requests.length;
    await page.getByRole('button', { name: 'Translate', exact: true }).click();
    await page.getByTestId('run-status').getByText('Done.').waitFor();
    const told = upstreamText(environment.fake.requests, before);
    // The user's rules, and the organisation's that the BFF adds on its own.
    expect(told).toContain('"Schulung" → "workshop"');
    expect(told).toContain('"Fabrikam"');
    expect(told).toContain('"Angebot" → "quotation"');
    expect(told).toContain('"Northwind"');
  });

  test('the glossary persists across a reload and goes with Excel cells and =AI.TRANSLATE; removing a term stops sending it', async () => {
    const page = await environment.open('?host=excel');
    await addGlossary(page);
    await page.reload();
    // Closed, it says how many terms it holds; open, it lists them.
    await chooseTranslateTab(page);
    await page.getByRole('button', { name: 'Glossary (2)' }).click();
    await page.getByTestId('glossary-terms').getByText('Schulung → workshop').waitFor();
    await page.getByTestId('glossary-keep').getByText('Fabrikam', { exact: true }).waitFor();

    // Excel cells.
    await page.getByLabel('Translate into').waitFor();
    await page.getByTestId('name-box').fill('B2:B3');
    await page.getByTestId('apply-selection').click();
    let before = environment.fake.requests.length;
    await page.getByRole('button', { name: 'Translate', exact: true }).click();
    await page.getByTestId('run-status').getByText('2 cells translated into column D.', { exact: true }).waitFor();
    let told = upstreamText(environment.fake.requests, before);
    expect(told).toContain('"Schulung" → "workshop"');
    expect(told).toContain('"Fabrikam"');

    // The formula reads the same saved glossary.
    before = environment.fake.requests.length;
    await page.locator('[data-cell="F2"]').fill('=AI.TRANSLATE(B2, "de")');
    await page.locator('[data-cell="F2"]').press('Tab');
    expect(
      await settled(
        () => page.locator('[data-cell="F2"]').inputValue(),
        (value) => value.startsWith('[de] '),
      ),
    ).toMatch(/^\[de\] /);
    told = upstreamText(environment.fake.requests, before);
    expect(told).toContain('"Schulung" → "workshop"');
    expect(told).toContain('"Fabrikam"');

    // Removed: the next translation no longer carries the rule.
    await page.getByRole('button', { name: 'Remove Schulung' }).click();
    await page.getByTestId('glossary-terms').waitFor({ state: 'detached' });
    before = environment.fake.requests.length;
    await page.locator('[data-cell="F3"]').fill('=AI.TRANSLATE(B3, "fr")');
    await page.locator('[data-cell="F3"]').press('Tab');
    await settled(
      () => page.locator('[data-cell="F3"]').inputValue(),
      (value) => value.startsWith('[fr] '),
    );
    told = upstreamText(environment.fake.requests, before);
    expect(told).not.toContain('"Schulung"');
    expect(told).toContain('"Fabrikam"');
  });

  test('the organisation glossary is shown read-only, and every control of the editor is labelled', async () => {
    const page = await environment.open('?host=word');
    // Closed, the section asks the BFF nothing; opened, it fetches the organisation glossary.
    const glossaryRequests: string[] = [];
    page.on('request', (request) => {
      if (request.url().endsWith('/api/v1/glossary')) glossaryRequests.push(request.url());
    });
    await chooseTranslateTab(page);
    await page.getByRole('button', { name: 'Glossary' }).waitFor();
    expect(glossaryRequests).toEqual([]);
    await openGlossary(page);
    const organisation = page.getByTestId('organisation-glossary');
    await organisation.getByText('Angebot → quotation').waitFor();
    await expect(organisation.textContent()).resolves.toContain('read-only');
    await expect(organisation.textContent()).resolves.toContain('Kept untranslated: Northwind');
    // Read-only: nothing in it can be edited or removed.
    await expect(organisation.locator('input, button, textarea, select').count()).resolves.toBe(0);
    await addGlossary(page);
    await expect(unlabelledControls(page)).resolves.toEqual([]);
    // By keyboard: a term typed and added with Enter.
    await page.getByLabel('Term to keep untranslated').focus();
    await page.keyboard.type('Contoso');
    await page.keyboard.press('Enter');
    await page.getByTestId('glossary-keep').getByText('Contoso', { exact: true }).waitFor();
    await page.screenshot({ path: '/tmp/taskpane-glossary.png', fullPage: true });
  });
});

/**
 * The Translate tab, chosen as a user would: the tab row is replaced by its overflow-aware version a
 * moment after the pane shows, and a click that lands during the swap is looked at again.
 */
async function chooseTranslateTab(page: Page): Promise<void> {
  const chosen = page.locator('[role="tab"][aria-selected="true"]', { hasText: 'Translate' });
  for (let attempt = 0; attempt < 3; attempt++) {
    await page.getByRole('tab', { name: 'Translate' }).click();
    if (
      await chosen.waitFor({ timeout: 3_000 }).then(
        () => true,
        () => false,
      )
    )
      return;
  }
  throw new Error('the Translate tab could not be chosen');
}
