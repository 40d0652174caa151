// The task pane in the Word preview, against the real BFF and the loopback OpenAI-protocol server:
// each operation from the UI, Stop midway (and what it kept), edits made while a translation runs, and
// an upstream error.
import type { Page } from 'playwright-core';
import { sampleText } from '../../src/hosts/preview/sample-documents.js';
import { fakeModelAnswer } from '../support/fake-openai-server.js';
import { unlabelledControls } from './support/accessibility.js';
import { usePaneEnvironment } from './support/pane-environment.js';
import { settled } from './support/settled.js';

const paragraphs = sampleText.split('\n');
// The sample's first five paragraphs are plain text; formatting, a table and a list follow them.
const plainParagraphs = paragraphs.slice(0, 5);
const formattedPart = paragraphs.slice(5);
const documentText = (page: Page) => page.getByTestId('word-document').inputValue();

async function selectParagraphs(page: Page, from: number, to: number): Promise<void> {
  await page.getByTestId('paragraph-from').fill(String(from));
  await page.getByTestId('paragraph-to').fill(String(to));
  await page.getByTestId('select-paragraphs').click();
}

describe('Word preview', () => {
  const environment = usePaneEnvironment();
  let page: Page;

  beforeEach(async () => {
    page = await environment.open('?host=word');
  });

  test('translates the selected paragraphs into German, each after its original', async () => {
    await selectParagraphs(page, 1, 2);
    await page.getByLabel('Translate into').selectOption('de');
    await page.getByLabel('Place the translation').selectOption('after');
    await page.getByRole('button', { name: 'Translate', exact: true }).click();
    await page.getByTestId('run-status').getByText('2 paragraphs translated.').waitFor();

    const lines = (await documentText(page)).split('\n');
    expect(lines).toEqual([
      paragraphs[0],
      `[de] ${paragraphs[0]}`,
      paragraphs[1],
      `[de] ${paragraphs[1]}`,
      paragraphs[2],
      paragraphs[3],
      paragraphs[4],
      ...formattedPart,
    ]);
    await page.screenshot({ path: '/tmp/taskpane-word.png' });
  });

  test('the sample document shows its formatting, table and numbered list as Word would', async () => {
    const rendered = page.getByTestId('word-rendered');
    await rendered.locator('table').waitFor();
    await expect(rendered.locator('strong').allTextContents()).resolves.toEqual(['Contoso Help Center', 'Emergencies only', 'two more people']);
    await expect(rendered.locator('em').allTextContents()).resolves.toEqual(['most']);
    await expect(rendered.locator('a').getAttribute('href')).resolves.toBe('https://example.com/help');
    await expect(rendered.locator('table tr').count()).resolves.toBe(3);
    await expect(rendered.locator('table td').count()).resolves.toBe(9);
    await expect(rendered.locator('ol > li').allTextContents()).resolves.toEqual([
      'Move the chat tool to the new platform.',
      'Train two more people on billing questions.',
      'Review the help articles every month.',
    ]);
    await expect(rendered.getByRole('heading', { name: 'Help Center' }).count()).resolves.toBe(1);
  });

  test('translated after each paragraph, bold stays bold, the table is translated in its cells and list items stay list items', async () => {
    await selectParagraphs(page, 6, paragraphs.length);
    await page.getByLabel('Translate into').selectOption('de');
    await page.getByLabel('Place the translation').selectOption('after');
    const before = environment.fake.requests.length;
    await page.getByRole('button', { name: 'Translate', exact: true }).click();
    await page
      .getByTestId('run-status')
      .getByText(/^15 paragraphs translated\./)
      .waitFor();
    // The model was sent the formatted spans as markers.
    const told = environment.fake.requests
      .slice(before)
      .flatMap((request) => request.body.messages.map((message) => String(message.content)))
      .join('\n');
    expect(told).toContain('The <s1>Contoso Help Center</s1> now answers <s2>most</s2> billing questions');

    const rendered = page.getByTestId('word-rendered');
    // The translated paragraph carries the same bold, italic and link around the translated words.
    const translatedParagraph = rendered.locator('p', { hasText: '[de] The Contoso Help Center' });
    await translatedParagraph.locator('strong').waitFor();
    await expect(translatedParagraph.locator('strong').allTextContents()).resolves.toEqual(['Contoso Help Center']);
    await expect(translatedParagraph.locator('em').allTextContents()).resolves.toEqual(['most']);
    await expect(translatedParagraph.locator('a').getAttribute('href')).resolves.toBe('https://example.com/help');
    // The heading's translation is a heading of the same level.
    await expect(rendered.locator('h4').allTextContents()).resolves.toEqual(['Help Center', '[de] Help Center']);
    // The table keeps its 3 × 3 cells; each holds its text and, below it, its translation, formatting kept.
    await expect(rendered.locator('table tr').count()).resolves.toBe(3);
    const cells = await rendered
      .locator('table td')
      .evaluateAll((elements) => elements.map((element) => [...element.querySelectorAll('p')].map((p) => p.textContent)));
    expect(cells).toEqual(
      ['Region', 'Weekdays', 'Weekend', 'Europe', 'Mornings and afternoons', 'Emergencies only', 'Americas', 'All day', 'Mornings'].map((text) => [
        text,
        `[de] ${text}`,
      ]),
    );
    await expect(rendered.locator('td strong').allTextContents()).resolves.toEqual(['Emergencies only', 'Emergencies only']);
    // Still three numbered items, each with its translation inside it (numbering intact), bold kept.
    const items = await rendered
      .locator('ol > li')
      .evaluateAll((elements) => elements.map((element) => [...element.querySelectorAll('p')].map((p) => p.textContent)));
    expect(items).toEqual(
      ['Move the chat tool to the new platform.', 'Train two more people on billing questions.', 'Review the help articles every month.'].map((text) => [
        text,
        `[de] ${text}`,
      ]),
    );
    await expect(rendered.locator('ol > li').nth(1).locator('strong').allTextContents()).resolves.toEqual(['two more people', 'two more people']);
    // The field stays a field in the translation.
    await expect(rendered.locator('p', { hasText: '[de] Next steps' }).locator('[title="Field"]').textContent()).resolves.toBe('DATE');
    await page.screenshot({ path: '/tmp/taskpane-word-formatting.png', fullPage: true });

    // Run again over the whole document: what the first run translated is not sent again.
    await page.getByLabel('Text to use').selectOption('document');
    const beforeResume = environment.fake.requests.length;
    await page.getByRole('button', { name: 'Translate', exact: true }).click();
    await page
      .getByTestId('run-status')
      .getByText(/^\d paragraphs? translated\./)
      .waitFor();
    const resumed = environment.fake.requests
      .slice(beforeResume)
      .flatMap((request) => request.body.messages.map((message) => String(message.content)))
      .join('\n');
    expect(resumed).not.toContain('Contoso Help Center');
    expect(resumed).toContain(plainParagraphs[1]);
  });

  test('replaced as tracked changes, table cells and list items are translated in place with their formatting', async () => {
    await selectParagraphs(page, 8, paragraphs.length);
    await page.getByLabel('Translate into').selectOption('de');
    await page.getByLabel('Place the translation').selectOption('replace-tracked');
    await page.getByRole('button', { name: 'Translate', exact: true }).click();
    await page
      .getByTestId('run-status')
      .getByText(/^13 paragraphs translated\./)
      .waitFor();
    expect((await documentText(page)).split('\n').slice(7)).toEqual([
      '| [de] Region | [de] Weekdays | [de] Weekend |',
      '| [de] Europe | [de] Mornings and afternoons | [de] **Emergencies only** |',
      '| [de] Americas | [de] All day | [de] Mornings |',
      '[de] Next steps, as agreed on {{DATE}}:',
      '1. [de] Move the chat tool to the new platform.',
      '2. [de] Train **two more people** on billing questions.',
      '3. [de] Review the help articles every month.',
    ]);
    await expect(page.getByTestId('word-rendered').locator('ol > li').count()).resolves.toBe(3);
    await expect(page.getByTestId('word-tracked-changes').locator('li').count()).resolves.toBe(13);
  });

  test('a model that drops the markers: the paragraph is written as plain text, and the status says so', async () => {
    // Every answer loses its markers (the BFF re-asks once, then translates the plain text).
    environment.fake.setResponder((request) => ({ kind: 'content', content: fakeModelAnswer(request.body).replace(/<\/?s\d+>|<x\d+\/>/g, '') }));
    try {
      await selectParagraphs(page, 7, 7);
      await page.getByRole('button', { name: 'Translate', exact: true }).click();
      await page
        .getByTestId('run-status')
        .getByText(/^1 paragraph translated\. 1 paragraph lost its inline formatting/)
        .waitFor();
      const lines = (await documentText(page)).split('\n');
      expect(lines[7]).toBe('[de] The Contoso Help Center now answers most billing questions; see the help pages before you write to us.');
      // The original keeps its formatting; the translation is one plain paragraph.
      expect(lines[6]).toBe(paragraphs[6]);
      const status = (await page.getByTestId('run-status').textContent()) ?? '';
      expect(status).not.toContain('formatted span');
    } finally {
      environment.fake.setResponder(undefined);
    }
  });

  test('puts a translation in a comment, or replaces a paragraph as a tracked change', async () => {
    await selectParagraphs(page, 1, 1);
    await page.getByLabel('Place the translation').selectOption('comment');
    await page.getByRole('button', { name: 'Translate', exact: true }).click();
    await page.getByTestId('run-status').getByText('1 paragraph translated.').waitFor();
    expect(
      await settled(
        () => documentText(page),
        (value) => value === sampleText,
      ),
    ).toBe(sampleText);
    expect(
      await settled(
        () => page.getByTestId('word-comments').textContent(),
        (value) => (value ?? '').includes(`[de] ${paragraphs[0]}`),
      ),
    ).toContain(`[de] ${paragraphs[0]}`);

    await selectParagraphs(page, 5, 5);
    await page.getByLabel('Place the translation').selectOption('replace-tracked');
    await page.getByLabel('Translate into').selectOption('fr');
    await page.getByRole('button', { name: 'Translate', exact: true }).click();
    await page.getByTestId('run-status').getByText('1 paragraph translated.').waitFor();
    expect((await documentText(page)).split('\n')[4]).toBe(`[fr] ${paragraphs[4]}`);
    expect(
      await settled(
        () => page.getByTestId('word-tracked-changes').textContent(),
        (value) => (value ?? '').includes(paragraphs[4] ?? ''),
      ),
    ).toContain(paragraphs[4]);
  });

  test('summarises the whole document and inserts the summary at the top', async () => {
    await page.getByRole('tab', { name: 'Summarize' }).click();
    await page.getByLabel('Text to use').selectOption('document');
    await page.getByLabel('Put the summary').selectOption('start');
    await page.getByRole('button', { name: 'Summarize', exact: true }).click();
    await page.getByTestId('run-status').getByText('Summary inserted into the document.').waitFor();

    const lines = (await documentText(page)).split('\n');
    expect(lines[0]).toMatch(/^Summary \(\d+ words\): Quarterly update/);
    expect(lines.slice(1).join('\n')).toBe(sampleText);
    expect(
      await settled(
        () => page.getByTestId('result-text').textContent(),
        (value) => value === lines[0],
      ),
    ).toBe(lines[0]);
  });

  test('Stop keeps the streamed part of a summary in the pane and leaves the document as it was', async () => {
    environment.fake.enqueue({ kind: 'model', chunkDelayMilliseconds: 150 });
    await page.getByRole('tab', { name: 'Summarize' }).click();
    await page.getByLabel('Text to use').selectOption('document');
    await page.getByLabel('Put the summary').selectOption('end');
    await page.getByRole('button', { name: 'Summarize', exact: true }).click();
    await page.getByTestId('result-text').getByText('Summary').waitFor();
    await page.getByRole('button', { name: 'Stop' }).click();
    await page
      .getByTestId('run-status')
      .getByText(/^Stopped/)
      .waitFor();

    const partial = (await page.getByTestId('result-text').textContent()) ?? '';
    expect(partial.startsWith('Summary')).toBe(true);
    // The fake model's full answer is much longer than what streamed before Stop.
    expect(partial.length).toBeLessThan(60);
    expect(
      await settled(
        () => documentText(page),
        (value) => value === sampleText,
      ),
    ).toBe(sampleText);
    // The stop reached the LLM call: the upstream request was closed by the BFF.
    await expect(environment.fake.waitForClientClose()).resolves.toMatchObject({ closedByClient: true });
  });

  test('Stop during a translation leaves every paragraph whole', async () => {
    // Translation batches are JSON answers upstream, so a slow answer (not a slow stream) makes it stoppable.
    environment.fake.enqueue({ kind: 'model', delayMilliseconds: 3000 });
    await selectParagraphs(page, 1, 5);
    await page.getByRole('button', { name: 'Translate', exact: true }).click();
    await page.getByTestId('run-status').getByText('Working…').waitFor();
    await page.getByRole('button', { name: 'Stop' }).click();
    await page
      .getByTestId('run-status')
      .getByText(/^Stopped/)
      .waitFor();

    // Each line is an original paragraph or a complete translation right after its original.
    const lines = (await documentText(page)).split('\n');
    expect(lines.filter((line) => !line.startsWith('[de] '))).toEqual(paragraphs);
    for (const [index, line] of lines.entries()) {
      if (line.startsWith('[de] ')) expect(line).toBe(`[de] ${lines[index - 1]}`);
    }
  });

  test("an upstream refusal is shown in the user's words, the BFF's under Details with its code, and the document is unchanged", async () => {
    // Every upstream call fails: the BFF would otherwise retry a failed batch text by text.
    environment.fake.setResponder(() => ({ kind: 'error', status: 400, message: 'This model cannot do that' }));
    await selectParagraphs(page, 2, 2);
    await page.getByRole('button', { name: 'Translate', exact: true }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    const message = (await alert.textContent()) ?? '';
    expect(message).toContain('That did not work');
    // A refusal is not fixed by trying again: the user is sent to the administrator, who finds what to check
    // (the BFF's words) and the code under Details.
    await expect(page.getByTestId('run-error-message').textContent()).resolves.toBe('The AI service refused this request. Ask your administrator.');
    expect(message).not.toMatch(/try again/i);
    expect(message).toMatch(/Error code: PROVIDER_REJECTED_REQUEST\./);
    expect(message).toMatch(/administrator should check/);
    await page.screenshot({ path: '/tmp/taskpane-word-error.png' });
    expect(
      await settled(
        () => documentText(page),
        (value) => value === sampleText,
      ),
    ).toBe(sampleText);
    environment.fake.setResponder(undefined);
  });

  test('a paragraph the model refuses stays as it was and is reported; the others are translated', async () => {
    // The provider refuses any request holding the last paragraph: the BFF narrows the refusal down to it.
    const refused = paragraphs[4] ?? '';
    environment.fake.setResponder((request) =>
      request.body.messages.some((message) => String(message.content).includes(refused))
        ? { kind: 'error', status: 400, message: 'Content refused' }
        : { kind: 'model' },
    );
    try {
      // Into French: into German, the German paragraph would be left as it is, not sent.
      await selectParagraphs(page, 1, 5);
      await page.getByLabel('Translate into').selectOption('fr');
      await page.getByRole('button', { name: 'Translate', exact: true }).click();
      await page
        .getByTestId('run-status')
        .getByText(/^4 paragraphs translated\. 1 paragraph could not be translated \([A-Z_]+\) and stays as it was; run again to retry it\.$/)
        .waitFor();
      expect((await documentText(page)).split('\n')).toEqual([
        ...paragraphs.slice(0, 4).flatMap((paragraph) => [paragraph, `[fr] ${paragraph}`]),
        refused,
        ...formattedPart,
      ]);
    } finally {
      environment.fake.setResponder(undefined);
    }
  });

  test('a paragraph edited while its translation runs is not overwritten: the pane says so and to run again', async () => {
    environment.fake.enqueue({ kind: 'model', delayMilliseconds: 1500 });
    await selectParagraphs(page, 2, 2);
    await page.getByRole('button', { name: 'Translate', exact: true }).click();
    await page.getByTestId('run-status').getByText('Working…').waitFor();
    const edited = sampleText.replace(paragraphs[1] ?? '', 'Edited while the translation ran.');
    await page.getByTestId('word-document').fill(edited);
    await page
      .getByTestId('run-status')
      .getByText('No paragraph was translated. 1 paragraph changed while the translation ran and was left alone; run again to translate it.')
      .waitFor();
    expect(
      await settled(
        () => documentText(page),
        (value) => value === edited,
      ),
    ).toBe(edited);
  });

  test('Enter pressed above the selection while the translation runs: every translation still follows its own paragraph', async () => {
    environment.fake.enqueue({ kind: 'model', delayMilliseconds: 1500 });
    await selectParagraphs(page, 2, 3);
    // Into French, so the German paragraph is sent too (into German it would be left as it is).
    await page.getByLabel('Translate into').selectOption('fr');
    await page.getByRole('button', { name: 'Translate', exact: true }).click();
    await page.getByTestId('run-status').getByText('Working…').waitFor();
    await page.getByTestId('word-document').fill(`New first line\n\n${sampleText}`);
    await page.getByTestId('run-status').getByText('2 paragraphs translated.').waitFor();
    expect((await documentText(page)).split('\n')).toEqual([
      'New first line',
      '',
      paragraphs[0],
      paragraphs[1],
      `[fr] ${paragraphs[1]}`,
      paragraphs[2],
      `[fr] ${paragraphs[2]}`,
      paragraphs[3],
      paragraphs[4],
      ...formattedPart,
    ]);
  });

  test('with sign-in off the pane sends no Authorization header and never loads MSAL', async () => {
    const scripts: string[] = [];
    const authorizations: (string | undefined)[] = [];
    const offPage = await environment.open('?host=word', undefined, async (newPage) => {
      newPage.on('request', (request) => {
        if (request.url().endsWith('.js')) scripts.push(new URL(request.url()).pathname);
        if (request.url().includes('/api/v1/')) authorizations.push(`${new URL(request.url()).pathname} ${request.headers()['authorization'] ?? 'none'}`);
      });
    });
    try {
      await selectParagraphs(offPage, 1, 1);
      await offPage.getByRole('button', { name: 'Translate', exact: true }).click();
      await offPage.getByTestId('run-status').getByText('1 paragraph translated.').waitFor();
      expect(authorizations).toEqual(['/api/v1/client-config none', '/api/v1/translate none']);
      expect(scripts.filter((script) => script.includes('msal'))).toEqual([]);
    } finally {
      await offPage.close();
    }
  });

  test('works by keyboard alone, with a visible focus and every control labelled', async () => {
    await page.getByTestId('paragraph-from').focus();
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type('4');
    await page.keyboard.press('Tab');
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type('4');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await page.getByTestId('word-selection').getByText('Selected paragraph 4', { exact: true }).waitFor({ timeout: 5000 });

    // Tab on into the pane until the Translate button has the focus.
    let focused = '';
    for (let presses = 0; presses < 20 && focused !== 'Translate'; presses += 1) {
      await page.keyboard.press('Tab');
      focused = await page.evaluate(() => {
        const element = document.activeElement;
        return element?.tagName === 'BUTTON' && element.getAttribute('role') !== 'tab' ? (element.textContent ?? '') : '';
      });
    }
    expect(focused).toBe('Translate');
    // Fluent marks keyboard focus so its focus ring shows.
    expect(
      await settled(
        () => page.evaluate(() => document.activeElement?.hasAttribute('data-fui-focus-visible')),
        (value) => value === true,
      ),
    ).toBe(true);
    await page.keyboard.press('Enter');
    await page.getByTestId('run-status').getByText('1 paragraph translated.').waitFor();
    expect((await documentText(page)).split('\n')[4]).toBe(`[de] ${paragraphs[3]}`);

    // The tabs follow the arrow keys.
    await page.getByRole('tab', { name: 'Translate' }).focus();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: 'Summarize', exact: true }).waitFor();
    await expect(unlabelledControls(page)).resolves.toEqual([]);
  });

  test('inside a Word too old for the add-in, the pane says so in one sentence and offers nothing that would fail', async () => {
    // Office.js as Word 2013 answers it: the host is Word, but WordApi 1.3 is not supported.
    const oldWord = `window.Office = {
      onReady: () => Promise.resolve({ host: 'Word', platform: 'PC' }),
      context: { displayLanguage: 'en-US', requirements: { isSetSupported: (name, version) => name === 'WordApi' && Number(version) <= 1.2 } },
    };`;
    const oldPage = await environment.open('', undefined, async (newPage) => {
      await newPage.route('**/office-js/office.js', (route) => route.fulfill({ contentType: 'application/javascript', body: oldWord }));
    });
    try {
      await oldPage
        .getByTestId('office-too-old')
        .getByText('This version of Word is too old for this add-in (it needs WordApi 1.3); update Office, or use Word on the web.', { exact: true })
        .waitFor();
      expect(await oldPage.getByRole('tab').count()).toBe(0);
      expect(await oldPage.getByTestId('word-document').count()).toBe(0);
    } finally {
      await oldPage.close();
    }
  });

  test('the built pane holds no key, secret or provider address', async () => {
    for (const [name, text] of await environment.builtScripts()) {
      for (const secret of ['test-key', environment.fake.baseUrl, 'api.openai.com', 'OPENAI_API_KEY', 'AZURE_OPENAI']) {
        if (text.includes(secret)) throw new Error(`${name} contains ${secret}`);
      }
    }
  });

  test('model output is shown and inserted as text, never as HTML', async () => {
    const markup = '<img src="x" onerror="document.title=\'owned\'"><b>bold</b>';
    environment.fake.enqueue({ kind: 'content', content: markup });
    await page.getByRole('tab', { name: 'Summarize' }).click();
    await page.getByLabel('Put the summary').selectOption('copy');
    await page.getByRole('button', { name: 'Summarize', exact: true }).click();
    await page.getByTestId('run-status').getByText('Done.').waitFor();
    expect(
      await settled(
        () => page.getByTestId('result-text').textContent(),
        (value) => value === markup,
      ),
    ).toBe(markup);
    expect(
      await settled(
        () => page.getByTestId('result-text').locator('img, b').count(),
        (value) => value === 0,
      ),
    ).toBe(0);
    await expect(page.title()).resolves.not.toBe('owned');
    expect(
      await settled(
        () => documentText(page),
        (value) => value === sampleText,
      ),
    ).toBe(sampleText);
  });

  test('Stop writes the translations that had arrived, each whole, and nothing else', async () => {
    // A long paragraph is translated on its own (the BFF batches only short texts) and answers at once;
    // the short ones share a batch that is slow.
    const longParagraph = `${'The new onboarding guide explains every step of the first week in detail. '.repeat(40)}End.`;
    environment.fake.setResponder((request) =>
      request.body.response_format?.json_schema !== undefined ? { kind: 'model', delayMilliseconds: 5000 } : { kind: 'model' },
    );
    await page.getByTestId('word-document').fill(`${plainParagraphs.join('\n')}\n${longParagraph}`);
    await selectParagraphs(page, 1, 6);
    // Into French, so the German paragraphs are sent too (into German they would be left as they are).
    await page.getByLabel('Translate into').selectOption('fr');
    await page.getByRole('button', { name: 'Translate', exact: true }).click();
    await page.getByTestId('run-status').getByText('1 / 6').waitFor();
    await page.getByRole('button', { name: 'Stop' }).click();
    // What Stop kept, counted against what was asked.
    await page.getByTestId('run-status').getByText('Stopped. 1 of 6 paragraphs was translated and kept in the document.').waitFor();

    expect((await documentText(page)).split('\n')).toEqual([...plainParagraphs, longParagraph, `[fr] ${longParagraph}`]);
  });
});
