// The task pane in the Outlook preview (read and compose mode), against the real BFF and the loopback
// OpenAI-protocol server: summary, translation, category, reply draft, Stop, errors, settings, German UI.
import type { Page } from 'playwright-core';
import { sampleCategories, sampleEmail } from '../../src/hosts/preview/sample-documents.js';
import { mailAsText } from '../../src/taskpane/shared/mail-text.js';
import { fakeLabel } from '../support/fake-openai-server.js';
import { unlabelledControls } from './support/accessibility.js';
import { usePaneEnvironment } from './support/pane-environment.js';
import { settled } from './support/settled.js';

const messageBody = (page: Page) => page.getByTestId('mail-body').inputValue();
const resultText = async (page: Page) => (await page.getByTestId('result-text').textContent()) ?? '';

describe('Outlook preview', () => {
  const environment = usePaneEnvironment();
  let page: Page;

  describe('read mode', () => {
    beforeEach(async () => {
      page = await environment.open('?host=outlook');
    });

    test('summarises the message with its quoted thread', async () => {
      // Only the message: the sample attachments are unticked for this one.
      await page.getByTestId('attachment-option').nth(1).waitFor();
      for (const option of await page.getByTestId('attachment-option').all()) await option.uncheck();
      await page.getByRole('button', { name: 'Summarize', exact: true }).click();
      await page.getByTestId('run-status').getByText('Done: the message alone.').waitFor();
      expect(await resultText(page)).toMatch(/^Summary \(\d+ words\): Subject: RE: Angebot für die Schulung/);
      const upstream = environment.fake.requests.at(-1)?.body.messages.at(-1)?.content ?? '';
      expect(upstream).toContain('> The price includes the course material');
      expect(
        await settled(
          () => messageBody(page),
          (value) => value === sampleEmail.body,
        ),
      ).toBe(sampleEmail.body);
      await page.screenshot({ path: '/tmp/taskpane-outlook.png' });
    });

    test("translates the message into the user's language, paragraph by paragraph", async () => {
      await page.getByRole('tab', { name: 'Translate' }).click();
      expect(
        await settled(
          () => page.getByLabel('Translate into').inputValue(),
          (value) => value === 'en',
        ),
      ).toBe('en');
      await page.getByRole('button', { name: 'Translate', exact: true }).click();
      await page.getByTestId('run-status').getByText('Done.').waitFor();
      const result = await resultText(page);
      expect(result).toContain('[en] Hallo Alex,');
      expect(result).toContain('[en] danke für das Angebot.');
      expect(
        await settled(
          () => messageBody(page),
          (value) => value === sampleEmail.body,
        ),
      ).toBe(sampleEmail.body);
    });

    test("classifies the message against the mailbox's categories and applies the matching one", async () => {
      const expected = fakeLabel(mailAsText(sampleEmail), sampleCategories);
      await page.getByRole('tab', { name: 'Classify' }).click();
      // The labels start as the mailbox's categories, read once the panel opens.
      await page.waitForFunction(
        (labels) => document.querySelector<HTMLTextAreaElement>('[data-testid="classify-labels"]')?.value === labels,
        sampleCategories.join('\n'),
      );
      await page.getByRole('button', { name: 'Classify message' }).click();
      await page.getByTestId('run-status').getByText(`Category "${expected}" applied.`).waitFor();
      expect(
        await settled(
          () => page.getByTestId('mail-categories').textContent(),
          (value) => (value ?? '').includes(expected),
        ),
      ).toContain(expected);
    });

    test('drafts a reply in the chosen language and tone, opens it as a reply, and remembers the choices', async () => {
      await page.getByRole('tab', { name: 'Reply' }).click();
      await page.getByLabel('Reply in').selectOption('de');
      await page.getByLabel('Tone').selectOption('formal');
      await page.getByRole('button', { name: 'Draft reply' }).click();
      await page.getByTestId('run-status').getByText('Done.').waitFor();
      const draft = await resultText(page);
      expect(draft.length).toBeGreaterThan(10);
      const system = environment.fake.requests.at(-1)?.body.messages[0]?.content ?? '';
      expect(system).toContain('formal, courteous business tone');
      expect(system).toMatch(/German/);

      await page.getByRole('button', { name: 'Open as reply' }).click();
      expect(
        await settled(
          () => page.getByTestId('mail-reply-form').inputValue(),
          (value) => value === draft,
        ),
      ).toBe(draft);

      await page.reload();
      await page.getByRole('tab', { name: 'Reply' }).click();
      expect(
        await settled(
          () => page.getByLabel('Tone').inputValue(),
          (value) => value === 'formal',
        ),
      ).toBe('formal');
      expect(
        await settled(
          () => page.getByLabel('Reply in').inputValue(),
          (value) => value === 'de',
        ),
      ).toBe('de');
    });

    test('Stop keeps the streamed part of a reply in the pane and opens nothing', async () => {
      environment.fake.enqueue({ kind: 'model', chunkDelayMilliseconds: 150 });
      await page.getByRole('tab', { name: 'Reply' }).click();
      await page.getByRole('button', { name: 'Draft reply' }).click();
      await page.getByTestId('result-text').getByText('Echo').waitFor();
      await page.getByRole('button', { name: 'Stop' }).click();
      await page
        .getByTestId('run-status')
        .getByText(/^Stopped/)
        .waitFor();
      expect((await resultText(page)).startsWith('Echo')).toBe(true);
      expect(
        await settled(
          () => page.getByTestId('mail-reply-form').count(),
          (value) => value === 0,
        ),
      ).toBe(0);
    });

    test('every control of every feature is labelled', async () => {
      for (const tab of ['Summarize', 'Translate', 'Classify', 'Reply']) {
        await page.getByRole('tab', { name: tab }).click();
        await page.locator('aside').getByRole('button', { name: 'Stop' }).waitFor();
        await expect(unlabelledControls(page)).resolves.toEqual([]);
      }
    });

    test('an upstream error is shown with what to do, and the message is unchanged', async () => {
      environment.fake.setResponder(() => ({ kind: 'error', status: 502 }));
      await page.getByRole('button', { name: 'Summarize', exact: true }).click();
      await page.getByRole('alert').waitFor();
      expect(
        await settled(
          () => page.getByRole('alert').textContent(),
          (value) => /That did not work.+Try again/.test(value ?? ''),
        ),
      ).toMatch(/That did not work.+Try again/);
      // One piece of advice in the pane's words; the code (and the BFF's English) under Details for support.
      const said = (await page.getByTestId('run-error-message').textContent()) ?? '';
      expect(said).toMatch(/^The AI service [^.]+\. Try again/);
      expect(said).not.toMatch(/Try again[\s\S]*Try again/);
      const alert = (await page.getByRole('alert').textContent()) ?? '';
      expect(alert).toMatch(/Error code: PROVIDER_[A-Z_]+\./);
      expect(
        await settled(
          () => messageBody(page),
          (value) => value === sampleEmail.body,
        ),
      ).toBe(sampleEmail.body);
      expect(
        await settled(
          () => page.getByTestId('mail-categories').textContent(),
          (value) => (value ?? '').includes('No category'),
        ),
      ).toContain('No category');
    });
  });

  describe('read mode: attachments, several selected messages, a pane that follows the mailbox', () => {
    beforeEach(async () => {
      page = await environment.open('?host=outlook');
    });

    test('the email shows its attachments; the pane lists them with type and size, and the summary uses both, named', async () => {
      // The preview's mail view loads after the pane: wait for it before reading the list.
      await page.getByTestId('mail-attachment').nth(1).waitFor();
      const shown = await page.getByTestId('mail-attachment').allTextContents();
      expect(shown).toEqual([
        expect.stringMatching(/offer-2024-117\.pdf \(application\/pdf, \d+ bytes\)/),
        expect.stringMatching(/agenda\.txt \(text\/plain, \d+ bytes\)/),
      ]);
      await page.getByTestId('attachment-option').nth(1).waitFor();
      expect(await page.getByTestId('attachment-picker').locator('label').allTextContents()).toEqual([
        expect.stringMatching(/^offer-2024-117\.pdf \(PDF, \d+ B\)$/),
        expect.stringMatching(/^agenda\.txt \(TXT, \d+ B\)$/),
      ]);
      await page.getByRole('button', { name: 'Summarize', exact: true }).click();
      await page.getByTestId('run-status').getByText('Done: the message and 2 attachments.').waitFor();
      const upstream = environment.fake.requests.map((request) => request.body.messages.map((entry) => String(entry.content)).join('\n')).join('\n');
      expect(upstream).toContain('offer-2024-117.pdf');
      expect(upstream).toContain('Price: 4,800.00 EUR including course material');
      expect(upstream).toContain('agenda.txt');
      expect(upstream).toContain('A recording of both sessions is available on request.');
    });

    test('several messages ticked in the list show in the pane; classifying them applies each its own category', async () => {
      for (const id of ['preview-message-2', 'preview-message-3', 'preview-message-4']) await page.getByTestId(`mail-select-${id}`).check();
      await page.getByTestId('mail-selected-count').getByText('3 selected').waitFor();
      await page.getByRole('tab', { name: 'Classify' }).click();
      await page.waitForFunction(() => (document.querySelector<HTMLTextAreaElement>('[data-testid="classify-labels"]')?.value ?? '') !== '');
      await page.getByLabel('Use').selectOption('selected');
      await page.getByTestId('selected-messages').getByText('3 messages selected').waitFor();
      const requestsBefore = environment.fake.requests.length;
      await page.getByRole('button', { name: 'Classify selected messages' }).click();
      await page.getByTestId('run-status').getByText('3 messages classified. Categories applied to 3 messages.').waitFor();
      expect(environment.fake.requests.length - requestsBefore).toBe(1);
      const badges = async (id: string) => page.getByTestId(`mail-list-${id}`).getByTestId('mail-list-category').allTextContents();
      expect(await badges('preview-message-2')).toEqual(['Billing invoice']);
      expect(await badges('preview-message-4')).toEqual(['Urgent']);
      expect(await badges('preview-message-3')).toEqual(['Training']);
      // The open message was not selected and keeps no category.
      expect(await page.getByTestId('mail-categories').textContent()).toContain('No category');
      expect(await page.getByTestId('selected-label').allTextContents()).toEqual([
        'Invoice 42 charged twice: Billing invoice',
        'Team lunch on Thursday: Training',
        'Urgent: server certificate expires tomorrow: Urgent',
      ]);
    });

    test('a digest of the selected messages puts what needs an answer first', async () => {
      for (const id of ['preview-message-2', 'preview-message-3']) await page.getByTestId(`mail-select-${id}`).check();
      await page.getByLabel('Use').selectOption('selected');
      await page.getByRole('button', { name: 'Summarise selected messages' }).click();
      await page.getByTestId('run-status').getByText('Done.').waitFor();
      expect(await page.getByTestId('digest-line').count()).toBe(2);
    });

    test('moving to another message mid-run stops the run and writes nothing to either message', async () => {
      environment.fake.setResponder(() => ({ kind: 'hang' }));
      await page.getByRole('tab', { name: 'Classify' }).click();
      await page.waitForFunction(() => (document.querySelector<HTMLTextAreaElement>('[data-testid="classify-labels"]')?.value ?? '') !== '');
      await page.getByRole('button', { name: 'Classify message' }).click();
      await settled(
        async () => environment.fake.requests.length,
        (count) => count > 0,
      );
      await page.getByTestId('mail-open-preview-message-2').click();
      await page
        .getByTestId('run-status')
        .getByText('You moved to another email: the run for the previous one was stopped, and nothing was written to this one.')
        .waitFor();
      expect((await environment.fake.waitForClientClose()).closedByClient).toBe(true);
      expect(await page.getByTestId('mail-subject').inputValue()).toBe('Invoice 42 charged twice');
      expect(await page.getByTestId('mail-categories').textContent()).toContain('No category');
      expect(await page.getByTestId('mail-list-preview-message-1').getByTestId('mail-list-category').count()).toBe(0);
    });

    test('each message keeps its own summary: the one left shows again on return, the new one starts empty', async () => {
      await page.getByRole('button', { name: 'Summarize', exact: true }).click();
      await page.getByTestId('run-status').getByText(/^Done/).waitFor();
      const first = await resultText(page);
      expect(first).toMatch(/^Summary/);
      await page.getByTestId('mail-open-preview-message-2').click();
      expect(
        await settled(
          () => page.getByTestId('mail-subject').inputValue(),
          (value) => value === 'Invoice 42 charged twice',
        ),
      ).toBe('Invoice 42 charged twice');
      expect(
        await settled(
          () => page.getByTestId('result-text').count(),
          (count) => count === 0,
        ),
      ).toBe(0);
      await page.getByTestId('mail-open-preview-message-1').click();
      expect(
        await settled(
          () => resultText(page),
          (value) => value === first,
        ),
      ).toBe(first);
    });
  });

  test('compose mode: translates the selected draft text and puts the translation in its place', async () => {
    page = await environment.open('?host=outlook&mode=compose');
    const draft = page.getByTestId('mail-draft');
    await draft.fill('Hello team, the meeting moves to Friday.');
    await draft.focus();
    await page.keyboard.press('ControlOrMeta+A');
    await page.getByLabel('Translate into').selectOption('de');
    await page.getByRole('button', { name: 'Translate', exact: true }).click();
    await page.getByTestId('run-status').getByText('The translation replaced the selected text in your message.').waitFor();
    expect(
      await settled(
        () => draft.inputValue(),
        (value) => value === '[de] Hello team, the meeting moves to Friday.',
      ),
    ).toBe('[de] Hello team, the meeting moves to Friday.');
  });

  test('compose mode, nothing selected: the translation goes in as a paragraph of its own, never glued to the draft', async () => {
    page = await environment.open('?host=outlook&mode=compose');
    const draft = page.getByTestId('mail-draft');
    // The cursor stands right after the last word, as after typing.
    await draft.fill('Hallo Jana, die neue Das');
    await page.getByLabel('Translate into').selectOption('en');
    await page.getByRole('button', { name: 'Translate', exact: true }).click();
    await page.getByTestId('run-status').getByText('Translation inserted into your message as a paragraph of its own.').waitFor();
    expect(
      await settled(
        () => draft.inputValue(),
        (value) => value.includes('[en]'),
      ),
    ).toBe('Hallo Jana, die neue Das\n[en] Hallo Jana, die neue Das');
  });

  test('compose mode: a summary of the draft goes in on its own line and the status speaks of the message', async () => {
    page = await environment.open('?host=outlook&mode=compose');
    const draft = page.getByTestId('mail-draft');
    await draft.fill('Hi team,\nthe launch moves to May because the supplier is late.');
    await page.getByRole('tab', { name: 'Summarize' }).click();
    await page.getByRole('button', { name: 'Summarize', exact: true }).click();
    await page.getByTestId('run-status').getByText('Summary inserted into your message as a paragraph of its own.').waitFor();
    const lines = (await draft.inputValue()).split('\n');
    expect(lines.slice(0, 2)).toEqual(['Hi team,', 'the launch moves to May because the supplier is late.']);
    expect(lines[2]).toMatch(/^Summary \(\d+ words\)/);
  });

  test('the UI speaks German when Office does', async () => {
    page = await environment.open('?host=outlook&lang=de-DE', 'LLM-Assistent');
    const names = ['Zusammenfassen', 'Übersetzen', 'Klassifizieren', 'Antworten'];
    await page.getByRole('tab', { name: 'Zusammenfassen', exact: true }).waitFor();
    await page.getByRole('button', { name: 'Zusammenfassen', exact: true }).waitFor();
    // The German names are longer than the pane is wide: those that do not fit are in the "more" menu.
    // Every task is there, each once: a tab of the row or an item of the menu.
    const shown: string[] = [];
    for (const name of names) if (await page.getByRole('tab', { name, exact: true }).isVisible()) shown.push(name);
    const inMenu: string[] = [];
    if (shown.length < names.length) {
      await page.getByTestId('more-tabs').click();
      await page.getByRole('menuitem').first().waitFor();
      inMenu.push(...(await page.getByRole('menuitem').allInnerTexts()).map((text) => text.trim()));
      await page.keyboard.press('Escape');
    }
    expect([...shown, ...inMenu].sort()).toEqual([...names].sort());
    await page.screenshot({ path: '/tmp/taskpane-outlook-de.png' });
  });
});
