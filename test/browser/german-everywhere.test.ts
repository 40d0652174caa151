// The pane and the browser preview speak one language: with lang=de every screen of every host (each
// tab, the options of every dropdown, the preview's own controls, an error from the BFF) shows no word
// that the message catalogue has only on its English side; with lang=en, no German-only word. The
// sample document's content and the collapsed "Details" (the server's English, for support) are not UI
// and are left out. The error comes from a second real BFF that has no usable provider (PROVIDER_NOT_READY).
import type { Page } from 'playwright-core';
import { sampleCategories, sampleLabelSheetName, sampleLabels, sampleSheetName, sampleTicketHeader } from '../../src/hosts/preview/sample-documents.js';
import { english, german, type Messages } from '../../src/taskpane/shared/i18n/messages.js';
import { startBff, type RunningBff } from '../support/bff.js';
import { foreignWords, wordsOf, type CatalogueLanguage } from '../support/catalogue-words.js';
import { usePaneEnvironment } from './support/pane-environment.js';

const environment = usePaneEnvironment();

// No provider: the embedded model's file does not exist, so this BFF answers PROVIDER_NOT_READY (not retryable).
let unconfigured: RunningBff | undefined;
beforeAll(async () => {
  unconfigured = await startBff({ LLM_PROVIDER: 'local', LOCAL_MODEL: '/nonexistent/model.gguf', LOG_LEVEL: 'silent' });
}, 60_000);
afterAll(async () => unconfigured?.close());

/** The pane's operation calls go to the BFF without a provider; everything else to the one serving the pane. */
async function useUnconfiguredBff(page: Page): Promise<void> {
  await page.route('**/api/v1/summarize', async (route) => {
    const url = new URL(route.request().url());
    const response = await route.fetch({ url: `${unconfigured?.url ?? ''}${url.pathname}` });
    await route.fulfill({ response });
  });
}

/** Names from the sample workbook and mailbox that the pane shows as names (column headers, labels, categories): content, not UI. */
const contentWords = new Set([sampleSheetName, sampleLabelSheetName, ...sampleTicketHeader, ...sampleLabels, ...sampleCategories].flatMap(wordsOf));

/** The sample document's content and the server's own words under Details. */
const notUserInterface = [
  '[data-testid="word-rendered"]',
  '[data-testid="word-tracked-changes"] ul',
  '[data-testid="word-comments"] ul',
  '[data-testid="sheet-grid"] tbody',
  '[data-testid="mail-list"] li label',
  '[data-testid="mail-list-category"]',
  '[data-testid="mail-attachment"]',
  '[data-testid="run-error-details"] > :not(summary)',
].join(', ');

/** What the user can see or hear: innerText, the labels screen readers say, and every option of every dropdown. */
async function userInterfaceText(page: Page): Promise<string> {
  return page.evaluate((excluded) => {
    const hidden = [...document.querySelectorAll<HTMLElement>(excluded)].map((element) => [element, element.style.display] as const);
    for (const [element] of hidden) element.style.display = 'none';
    const texts = [document.body.innerText];
    for (const element of document.querySelectorAll('[aria-label], [placeholder], [title], option')) {
      if (element.closest(excluded) !== null) continue;
      for (const name of ['aria-label', 'placeholder', 'title']) texts.push(element.getAttribute(name) ?? '');
      if (element.tagName === 'OPTION') texts.push(element.textContent ?? '');
    }
    for (const [element, display] of hidden) element.style.display = display;
    return texts.join('\n');
  }, notUserInterface);
}

async function expectOneLanguage(page: Page, language: CatalogueLanguage, screen: string): Promise<void> {
  const text = await userInterfaceText(page);
  const foreign = foreignWords(text, language).filter((word) => !contentWords.has(word));
  expect([screen, foreign]).toEqual([screen, []]);
}

/** Opens a feature's tab, from the tab row or, at narrow widths, from the overflow menu. */
async function openTab(page: Page, messages: Messages, name: string): Promise<void> {
  // The row loads as its own chunk: look once it is there.
  await page.locator('aside').getByRole('tablist').waitFor();
  const tab = page.getByRole('tab', { name, exact: true });
  if (await tab.isVisible()) await tab.click();
  else {
    await page.getByTestId('more-tabs').click();
    await page.getByRole('menuitem', { name, exact: true }).click();
  }
  // The chosen tab is always shown in the row, selected; its panel has the run buttons.
  await page.getByRole('tab', { name, exact: true, selected: true }).waitFor();
  await page.locator('aside').getByRole('button', { name: messages.stop, exact: true }).waitFor();
}

/** Opens every dropdown that is not a native select (whose options are read directly) and reads its list. */
async function openDropdowns(page: Page, language: CatalogueLanguage, screen: string): Promise<void> {
  const dropdowns = page.locator('aside [role="combobox"]:not(select)');
  for (let index = 0; index < (await dropdowns.count()); index += 1) {
    const dropdown = dropdowns.nth(index);
    if (!(await dropdown.isEnabled())) continue;
    await dropdown.click();
    await expectOneLanguage(page, language, `${screen}, dropdown ${index + 1} open`);
    await page.keyboard.press('Escape');
  }
}

const screens: { name: string; query: string; tabs: (messages: Messages) => string[] }[] = [
  { name: 'Word', query: '?host=word', tabs: (messages) => [messages.tabSummarize, messages.tabTranslate] },
  { name: 'Excel', query: '?host=excel', tabs: (messages) => [messages.tabClassify, messages.tabTranslate] },
  {
    name: 'Outlook (read)',
    query: '?host=outlook',
    tabs: (messages) => [messages.tabSummarize, messages.tabTranslate, messages.tabClassify, messages.tabReply],
  },
  { name: 'Outlook (compose)', query: '?host=outlook&mode=compose', tabs: (messages) => [messages.tabTranslate, messages.tabSummarize] },
];

describe.each([
  ['de', german],
  ['en', english],
] as const)('lang=%s', (language, messages) => {
  test.each(screens)('$name: every tab and dropdown in one language', async ({ name, query, tabs }) => {
    const page = await environment.open(`${query}&lang=${language}`, messages.appTitle);
    await expectOneLanguage(page, language, `${name}, first screen`);
    for (const tab of tabs(messages)) {
      await openTab(page, messages, tab);
      await expectOneLanguage(page, language, `${name}, ${tab}`);
      await openDropdowns(page, language, `${name}, ${tab}`);
    }
  });

  test('an error from the BFF is said in the language of the pane, with the server’s English only under a collapsed Details', async () => {
    const page = await environment.open(`?host=word&lang=${language}`, messages.appTitle, useUnconfiguredBff);
    await openTab(page, messages, messages.tabSummarize);
    await page.locator('aside').getByRole('button', { name: messages.summarizeButton, exact: true }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    const expected =
      language === 'de'
        ? 'Der Assistent ist noch nicht eingerichtet. Wenden Sie sich an Ihre Administration.'
        : 'The assistant is not set up yet. Ask your administrator.';
    await page.getByTestId('run-error-message').getByText(expected, { exact: true }).waitFor();
    const shown = await alert.innerText();
    expect(shown).toContain(messages.errorTitle);
    // The administrator's detail (which names LOCAL_MODEL) is not what the user reads…
    expect(shown).not.toMatch(/LOCAL_MODEL|gguf/);
    await expectOneLanguage(page, language, 'Word, error');
    // …but it is there, with the code, for whoever supports them.
    const details = page.getByTestId('run-error-details');
    await details.locator('summary').click();
    await expect(details.innerText()).resolves.toMatch(/PROVIDER_NOT_READY[\s\S]*LOCAL_MODEL/);
  });
});
