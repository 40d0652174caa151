// The task pane in the Word preview, against the real BFF and the loopback OpenAI-protocol server:
// each operation from the UI, Stop midway, and an upstream error.
import type { Page } from 'playwright-core';
import { sampleText } from '../../src/hosts/preview/sample-documents.js';
import { unlabelledControls } from './support/accessibility.js';
import { usePaneEnvironment } from './support/pane-environment.js';
import { settled } from './support/settled.js';

const paragraphs = sampleText.split('\n');
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
    await selectParagraphs(page, 2, 3);
    await page.getByLabel('Translate into').selectOption('de');
    await page.getByLabel('Place the translation').selectOption('after');
    await page.getByRole('button', { name: 'Translate', exact: true }).click();
    await page.getByTestId('run-status').getByText('2 paragraph(s) translated.').waitFor();

    const lines = (await documentText(page)).split('\n');
    expect(lines).toEqual([paragraphs[0], paragraphs[1], `[de] ${paragraphs[1]}`, paragraphs[2], `[de] ${paragraphs[2]}`, paragraphs[3], paragraphs[4]]);
    await page.screenshot({ path: '/tmp/taskpane-word.png' });
  });

  test('puts a translation in a comment, or replaces a paragraph as a tracked change', async () => {
    await selectParagraphs(page, 1, 1);
    await page.getByLabel('Place the translation').selectOption('comment');
    await page.getByRole('button', { name: 'Translate', exact: true }).click();
    await page.getByTestId('run-status').getByText('1 paragraph(s) translated.').waitFor();
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
    await page.getByTestId('run-status').getByText('1 paragraph(s) translated.').waitFor();
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

  test('an upstream error is shown with what to do, and the document is unchanged', async () => {
    // Every upstream call fails: the BFF would otherwise retry a failed batch text by text.
    environment.fake.setResponder(() => ({ kind: 'error', status: 400, message: 'This model cannot do that' }));
    await selectParagraphs(page, 2, 2);
    await page.getByRole('button', { name: 'Translate', exact: true }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    const message = (await alert.textContent()) ?? '';
    expect(message).toContain('That did not work');
    expect(message).toMatch(/try again/i);
    await page.screenshot({ path: '/tmp/taskpane-word-error.png' });
    expect(
      await settled(
        () => documentText(page),
        (value) => value === sampleText,
      ),
    ).toBe(sampleText);
    environment.fake.setResponder(undefined);
  });

  test('a paragraph edited while its translation runs is not overwritten: the pane says to run again', async () => {
    environment.fake.enqueue({ kind: 'model', delayMilliseconds: 1500 });
    await selectParagraphs(page, 2, 2);
    await page.getByRole('button', { name: 'Translate', exact: true }).click();
    await page.getByTestId('run-status').getByText('Working…').waitFor();
    const edited = sampleText.replace(paragraphs[1] ?? '', 'Edited while the translation ran.');
    await page.getByTestId('word-document').fill(edited);
    const alert = page.getByRole('alert');
    await alert.getByText('The document changed since it was read: run again.', { exact: false }).waitFor();
    expect(
      await settled(
        () => alert.getAttribute('data-error-kind'),
        (value) => value === 'failure',
      ),
    ).toBe('failure');
    expect(
      await settled(
        () => documentText(page),
        (value) => value === edited,
      ),
    ).toBe(edited);
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
      await offPage.getByTestId('run-status').getByText('1 paragraph(s) translated.').waitFor();
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
    await page.getByTestId('run-status').getByText('1 paragraph(s) translated.').waitFor();
    expect((await documentText(page)).split('\n')[4]).toBe(`[de] ${paragraphs[3]}`);

    // The tabs follow the arrow keys.
    await page.getByRole('tab', { name: 'Translate' }).focus();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: 'Summarize', exact: true }).waitFor();
    await expect(unlabelledControls(page)).resolves.toEqual([]);
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
    await page.getByTestId('word-document').fill(`${sampleText}\n${longParagraph}`);
    await selectParagraphs(page, 1, 6);
    await page.getByRole('button', { name: 'Translate', exact: true }).click();
    await page.getByTestId('run-status').getByText('1 / 6').waitFor();
    await page.getByRole('button', { name: 'Stop' }).click();
    await page
      .getByTestId('run-status')
      .getByText(/^Stopped/)
      .waitFor();

    expect((await documentText(page)).split('\n')).toEqual([...paragraphs, longParagraph, `[de] ${longParagraph}`]);
  });
});
