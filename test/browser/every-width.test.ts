// The pane at every width Office gives it: each host's screens at 320, 420 and 1280 px, in English and
// German. A screen fails when an element of the pane sticks out of it or a text is clipped without its
// full text in a title, or when axe-core finds a serious or critical accessibility violation. A
// screenshot of each is kept in test-output/screenshots/ (printed at the end). The preview puts the
// sample document above the pane when narrow and beside it when wide.
// Also the defaults a new user meets: labels from the workbook, columns named by their header, the
// translation target that is not the text's own language, Outlook's hints.
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { english, german, type Messages } from '../../src/taskpane/shared/i18n/messages.js';
import { sampleLabels } from '../../src/hosts/preview/sample-documents.js';
import { usePaneEnvironment } from './support/pane-environment.js';
import { settled } from './support/settled.js';

const repositoryRoot = path.resolve(import.meta.dirname, '../..');
const axeSource = readFileSync(path.join(repositoryRoot, 'node_modules/axe-core/axe.min.js'), 'utf8');
export const screenshotDirectory = path.join(repositoryRoot, 'test-output/screenshots');

const widths = [320, 420, 1280] as const;
const languages = [
  { tag: 'en', query: '', messages: english },
  { tag: 'de', query: '&lang=de-DE', messages: german },
] as const;

type Screen = 'summarize' | 'translate' | 'classify' | 'reply';

const tabName = (screen: Screen, messages: Messages): string =>
  ({ summarize: messages.tabSummarize, translate: messages.tabTranslate, classify: messages.tabClassify, reply: messages.tabReply })[screen];

const hosts: { name: string; query: string; screens: Screen[] }[] = [
  { name: 'word', query: '?host=word', screens: ['summarize', 'translate'] },
  { name: 'excel', query: '?host=excel', screens: ['classify', 'translate'] },
  { name: 'outlook-read', query: '?host=outlook', screens: ['summarize', 'translate', 'classify', 'reply'] },
  { name: 'outlook-compose', query: '?host=outlook&mode=compose', screens: ['translate', 'summarize'] },
];

/** Chooses a tab, through the "more" menu when it did not fit. */
async function chooseTab(page: Page, name: string): Promise<void> {
  const chosen = page.locator('[role="tab"][aria-selected="true"]', { hasText: name });
  // The row re-measures when the panel below changes the pane's size: a tab can move in or out of the menu
  // between looking and clicking, so look again if the choice did not take.
  // The row loads as its own chunk: look once it is there.
  await page.locator('aside').getByRole('tablist').waitFor();
  for (let attempt = 0; attempt < 3; attempt++) {
    const tab = page.getByRole('tab', { name, exact: true });
    if (await tab.isVisible()) {
      await tab.click();
    } else {
      await page.getByTestId('more-tabs').click();
      const item = page.getByRole('menuitem', { name, exact: true });
      if (
        !(await item.waitFor({ timeout: 2_000 }).then(
          () => true,
          () => false,
        ))
      ) {
        // The tab came back into the row meanwhile: close the menu and look again.
        await page.keyboard.press('Escape');
        continue;
      }
      await item.click();
    }
    if (
      await chosen.waitFor({ timeout: 3_000 }).then(
        () => true,
        () => false,
      )
    )
      return;
  }
  await chosen.waitFor();
}

/** Waits until the chosen panel has loaded and read the document (no spinner, no "Loading…"). */
async function panelSettled(page: Page, messages: Messages): Promise<void> {
  await settled(
    () => page.locator('#feature-panel').evaluate((panel) => ({ text: panel.textContent ?? '', busy: panel.querySelector('.fui-Spinner') !== null })),
    (panel) => !panel.busy && panel.text !== '' && !panel.text.includes(messages.loading),
  );
}

/**
 * What sticks out of the pane or is clipped: elements and text whose box reaches past the pane's
 * edges, a pane that scrolls sideways, and text cut by `overflow: hidden` without an ellipsis and its
 * full text in a title or label.
 */
async function overflowProblems(page: Page): Promise<string[]> {
  return page.locator('aside').evaluate((pane) => {
    const problems: string[] = [];
    const paneBox = pane.getBoundingClientRect();
    const describe = (element: Element): string => {
      const testId = element.getAttribute('data-testid');
      const text = (element.textContent ?? '').trim().slice(0, 40);
      return `<${element.tagName.toLowerCase()}${testId === null ? '' : ` data-testid="${testId}"`} class="${String(element.className).slice(0, 40)}"> "${text}"`;
    };
    if (pane.scrollWidth > pane.clientWidth) problems.push(`the pane scrolls sideways: ${pane.scrollWidth} > ${pane.clientWidth} px`);
    for (const element of pane.querySelectorAll('*')) {
      if (element.hasAttribute('data-tabster-dummy')) continue;
      const box = element.getBoundingClientRect();
      if (box.width === 0 || box.height === 0) continue;
      if (box.right > paneBox.right + 0.5 || box.left < paneBox.left - 0.5) {
        problems.push(
          `${describe(element)} spans ${Math.round(box.left)}–${Math.round(box.right)} px, the pane ${Math.round(paneBox.left)}–${Math.round(paneBox.right)}`,
        );
        continue;
      }
      const style = getComputedStyle(element);
      const clips = ['hidden', 'clip'].includes(style.overflowX);
      const hasOwnText = [...element.childNodes].some((node) => node.nodeType === Node.TEXT_NODE && (node.textContent ?? '').trim() !== '');
      const explained =
        style.textOverflow === 'ellipsis' && ((element.getAttribute('title') ?? '') !== '' || (element.getAttribute('aria-label') ?? '') !== '');
      if (clips && (hasOwnText || element.tagName === 'SELECT') && element.scrollWidth > element.clientWidth + 1 && !explained) {
        problems.push(`${describe(element)} clips its text: ${element.scrollWidth} > ${element.clientWidth} px`);
      }
    }
    // Text can run out of a box that does not clip it: measure the text itself.
    const walker = document.createTreeWalker(pane, NodeFilter.SHOW_TEXT);
    const range = document.createRange();
    for (let node = walker.nextNode(); node !== null; node = walker.nextNode()) {
      if ((node.textContent ?? '').trim() === '') continue;
      range.selectNodeContents(node);
      const box = range.getBoundingClientRect();
      if (box.width === 0) continue;
      if (box.right > paneBox.right + 0.5) problems.push(`the text "${(node.textContent ?? '').trim().slice(0, 40)}" runs to ${Math.round(box.right)} px`);
    }
    return problems;
  });
}

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[] }[];
}

/** Serious and critical axe-core violations inside the pane. */
async function accessibilityProblems(page: Page): Promise<string[]> {
  // The BFF's Content-Security-Policy refuses inline scripts, so page.addScriptTag cannot add axe; a script
  // evaluated through the DevTools protocol is not subject to it.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(context: object, options: object): Promise<{ violations: AxeViolation[] }> } }).axe;
    const pane = document.querySelector('aside');
    if (pane === null) throw new Error('no pane');
    // Tabster's focus guards (Fluent's focus management) are aria-hidden on purpose and hand focus on at once.
    const result = await axe.run(
      { include: [pane], exclude: [['[data-tabster-dummy]']] },
      { resultTypes: ['violations'], runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] } },
    );
    return result.violations.map(({ id, impact, help, nodes }) => ({ id, impact, help, nodes: nodes.map((node) => ({ target: node.target })) }));
  });
  return violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => `${violation.impact} ${violation.id}: ${violation.help} at ${violation.nodes.map((node) => JSON.stringify(node.target)).join(', ')}`);
}

/** The sample document above the pane when narrow, beside it when wide, and never squeezed. */
async function layoutProblems(page: Page, width: number): Promise<string[]> {
  const measured = await page.evaluate(() => {
    const box = (element: Element | null | undefined) => {
      const rect = element?.getBoundingClientRect();
      return rect === undefined || rect.width === 0 ? undefined : { x: rect.x, y: rect.y, width: rect.width, height: rect.height };
    };
    // The sample document and the host switcher sit in the workspace beside (or above) the pane.
    const sampleDocument = document.querySelector('[data-testid="preview-workspace"]');
    return { documentBox: box(sampleDocument), paneBox: box(document.querySelector('aside')), pageWidth: document.documentElement.scrollWidth };
  });
  const { documentBox, paneBox } = measured;
  if (documentBox === undefined || paneBox === undefined) return [`the sample document or the pane is not shown: ${JSON.stringify(measured)}`];
  const problems: string[] = [];
  if (measured.pageWidth > width) problems.push(`the page scrolls sideways: ${measured.pageWidth} px`);
  if (documentBox.width < Math.min(280, width - 40)) problems.push(`the sample document is squeezed to ${Math.round(documentBox.width)} px`);
  if (width < 800 && documentBox.y + documentBox.height > paneBox.y + 0.5) problems.push('narrow: the sample document is not above the pane');
  if (width >= 800 && documentBox.x + documentBox.width > paneBox.x + 0.5) problems.push('wide: the sample document is not beside the pane');
  if (paneBox.width < Math.min(width, 320) - 0.5) problems.push(`the pane is ${Math.round(paneBox.width)} px wide`);
  return problems;
}

// One built pane, BFF and browser for every test of this file.
const environment = usePaneEnvironment();

describe('the pane at every width', () => {
  beforeAll(() => {
    rmSync(screenshotDirectory, { recursive: true, force: true });
    mkdirSync(screenshotDirectory, { recursive: true });
  });

  afterAll(() => {
    const files = readdirSync(screenshotDirectory).sort();
    process.stdout.write(`every-width: ${files.length} screenshots in ${screenshotDirectory}:\n${files.map((file) => `  ${file}`).join('\n')}\n`);
  });

  for (const host of hosts) {
    for (const language of languages) {
      test(`${host.name} in ${language.tag}: nothing overflows or is clipped at ${widths.join(', ')} px, and axe finds nothing serious`, async () => {
        const { messages } = language;
        const page = await environment.open(`${host.query}${language.query}`, messages.appTitle);
        // The preview's layout is a chunk of its own: until it loads, the pane shows alone.
        await page.getByTestId('preview-workspace').waitFor();
        const problems: string[] = [];
        for (const width of widths) {
          await page.setViewportSize({ width, height: 900 });
          problems.push(...(await layoutProblems(page, width)).map((problem) => `${width} px: ${problem}`));
          await page.screenshot({ path: path.join(screenshotDirectory, `${host.name}-layout-${width}-${language.tag}.png`) });
          for (const screenName of host.screens) {
            const tab = tabName(screenName, messages);
            await chooseTab(page, tab);
            await panelSettled(page, messages);
            const screen = `${host.name} ${tab} ${width} px ${language.tag}`;
            problems.push(...(await overflowProblems(page)).map((problem) => `${screen}: ${problem}`));
            problems.push(...(await accessibilityProblems(page)).map((problem) => `${screen}: ${problem}`));
            const file = `${host.name}-${screenName}-${width}-${language.tag}.png`;
            await page.locator('aside').screenshot({ path: path.join(screenshotDirectory, file) });
          }
        }
        expect(problems).toEqual([]);
      }, 60_000);
    }
  }

  test('at the default pane width the tabs that do not fit go into a menu, and a tab chosen there is shown', async () => {
    const page = await environment.open('?host=outlook&lang=de-DE', german.appTitle);
    await page.setViewportSize({ width: 320, height: 900 });
    const names = [german.tabSummarize, german.tabTranslate, german.tabClassify, german.tabReply];
    const featureTabs = page.locator('[role="tab"]:not([data-testid="more-tabs"])');
    const visibleTabs = async () => (await featureTabs.evaluateAll((tabs) => tabs.filter((tab) => tab.getBoundingClientRect().width > 0))).length;
    const more = page.getByTestId('more-tabs');
    await more.waitFor();
    expect(await settled(visibleTabs, (count) => count < 4)).toBeLessThan(4);
    // Every tab is reachable: each is a visible tab or an item of the menu.
    await more.click();
    await page.getByRole('menuitem').first().waitFor();
    const inMenu = await page.getByRole('menuitem').allInnerTexts();
    const shown: string[] = [];
    for (const name of names) if (await page.getByRole('tab', { name, exact: true }).isVisible()) shown.push(name);
    expect([...shown, ...inMenu].sort()).toEqual([...names].sort());
    await page.keyboard.press('Escape');
    // The tabs and the menu button sit on one row: each one's top is above every other's bottom.
    const rows = await page.locator('[role="tab"]').evaluateAll((tabs) => {
      const boxes = tabs.map((tab) => tab.getBoundingClientRect()).filter((box) => box.width > 0);
      return { lowestTop: Math.max(...boxes.map((box) => box.top)), highestBottom: Math.min(...boxes.map((box) => box.bottom)) };
    });
    expect(rows.lowestTop).toBeLessThan(rows.highestBottom);
    // A tab chosen from the menu is shown as the selected tab, with its panel.
    const hidden = names.find((name) => !shown.includes(name)) ?? '';
    await chooseTab(page, hidden);
    await page.getByRole('tab', { name: hidden, exact: true, selected: true }).waitFor();
    // Wide enough, every tab shows and the menu is gone.
    await page.setViewportSize({ width: 700, height: 900 });
    expect(await settled(visibleTabs, (count) => count === 4)).toBe(4);
    expect(await more.count()).toBe(0);
  });
});

describe('sensible defaults', () => {
  test('Excel Classify starts with the labels of the workbook\'s "Labels" sheet and says where they come from', async () => {
    const page = await environment.open('?host=excel');
    expect(
      await settled(
        () => page.getByTestId('classify-labels').inputValue(),
        (value) => value !== '',
      ),
    ).toBe(sampleLabels.join('\n'));
    await page.getByText(english.labelsFromSheet).waitFor();
  });

  test('Excel Classify names input columns by their header, also when the selection starts below it', async () => {
    const page = await environment.open('?host=excel');
    // The sample selection is B2:B21, under the header row "Ticket | Message | Channel".
    await page.getByRole('checkbox', { name: 'Column B: Message' }).waitFor();
    await page.getByTestId('name-box').fill('A1:C21');
    await page.getByTestId('apply-selection').click();
    await page.getByRole('button', { name: english.refreshSelection }).click();
    for (const name of ['Column A: Ticket', 'Column B: Message', 'Column C: Channel']) await page.getByRole('checkbox', { name }).waitFor();
    // Never named by a data cell.
    expect(await page.getByRole('checkbox', { name: /I was charged/ }).count()).toBe(0);
  });

  test("Translate targets the other language when the selected text is already in the user's language", async () => {
    // A German user with German text: English.
    const page = await environment.open('?host=outlook&lang=de-DE', german.appTitle);
    await chooseTab(page, german.tabTranslate);
    expect(
      await settled(
        () => page.getByTestId('target-language').inputValue(),
        (value) => value === 'en',
      ),
    ).toBe('en');
    await page.getByText(/Der Text scheint Deutsch zu sein/).waitFor();

    // An English user, German text selected in Word: not German (the default) but English. The pane guesses
    // again when the pointer comes back to it from the document.
    const word = await environment.open('?host=word');
    await word.getByTestId('preview-workspace').waitFor();
    await chooseTab(word, english.tabTranslate);
    expect(await word.getByTestId('target-language').inputValue()).toBe('de');
    await word.getByTestId('paragraph-from').fill('3');
    await word.getByTestId('paragraph-to').fill('3');
    await word.getByTestId('select-paragraphs').click();
    await word.locator('#feature-panel').hover();
    expect(
      await settled(
        () => word.getByTestId('target-language').inputValue(),
        (value) => value === 'en',
      ),
    ).toBe('en');
    await word.getByText('The text seems to be German, so the target is English.').waitFor();
    // The user's own choice stands, whatever the text.
    await word.getByTestId('target-language').selectOption('fr');
    await word.locator('#feature-panel').hover({ position: { x: 5, y: 5 } });
    expect(await word.getByTestId('target-language').inputValue()).toBe('fr');
    expect(await word.getByTestId('target-language-switched').count()).toBe(0);
  });

  test('Outlook hints speak of Outlook: no worksheet range in the labels hint', async () => {
    const page = await environment.open('?host=outlook');
    await chooseTab(page, english.tabClassify);
    await page.getByText(english.labelsHintMail).waitFor();
    const panelText = (await page.locator('#feature-panel').textContent()) ?? '';
    expect(panelText).not.toMatch(/Labels!|A1:A20|range/i);
  });
});
