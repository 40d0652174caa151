// The task pane in the Excel preview, against the real BFF and the loopback OpenAI-protocol server:
// bulk classification with resume, overwrite, Stop and failed rows; a header row detected and left out;
// translation of cells into a remembered output column that a re-run continues; errors.
import type { Page } from 'playwright-core';
import { sampleLabels, sampleTickets } from '../../src/hosts/preview/sample-documents.js';
import { fakeLabel } from '../support/fake-openai-server.js';
import { unlabelledControls } from './support/accessibility.js';
import { usePaneEnvironment } from './support/pane-environment.js';
import { settled } from './support/settled.js';

const cell = (page: Page, address: string) => page.locator(`[data-cell="${address}"]`);
const column = (page: Page, letter: string) => Promise.all(sampleTickets.map((_ticket, index) => cell(page, `${letter}${index + 2}`).inputValue()));
const expectedLabels = sampleTickets.map(([, message]) => fakeLabel(message, sampleLabels));

async function select(page: Page, address: string): Promise<void> {
  await page.getByTestId('name-box').fill(address);
  await page.getByTestId('apply-selection').click();
}

describe('Excel preview', () => {
  const environment = usePaneEnvironment();
  let page: Page;

  beforeEach(async () => {
    page = await environment.open('?host=excel');
  });

  test('classifies the selected rows with labels from a range into the first empty column, in one write', async () => {
    expect(
      await settled(
        () => page.getByTestId('classify-selection').textContent(),
        (value) => value === 'B2:B21 on sheet Tickets: 20 rows.',
      ),
    ).toBe('B2:B21 on sheet Tickets: 20 rows.');
    // Rows 2–21 hold data: no header is assumed.
    await expect(page.getByTestId('classify-header').isChecked()).resolves.toBe(false);
    await page.getByTestId('classify-labels').fill('Labels!A1:A5');
    expect(
      await settled(
        () => page.getByLabel('Output column').inputValue(),
        (value) => value === '3',
      ),
    ).toBe('3');
    await page.getByRole('button', { name: 'Classify rows' }).click();
    await page.getByTestId('run-status').getByText('20 rows classified.', { exact: true }).waitFor();

    await expect(column(page, 'D')).resolves.toEqual(expectedLabels);
    expect(
      await settled(
        () => page.getByTestId('sheet-writes').textContent(),
        (value) => value === 'Writes: 1',
      ),
    ).toBe('Writes: 1');
    await page.screenshot({ path: '/tmp/taskpane-excel.png' });
  });

  test('the name box and the label range read any A1 address: whole columns, quoted sheets, $ references', async () => {
    // A whole column selects as far as the sheet holds cells, as Excel's used range does.
    await select(page, 'b:b');
    await page.getByRole('button', { name: 'Use current selection' }).click();
    expect(
      await settled(
        () => page.getByTestId('classify-selection').textContent(),
        (value) => value === 'B1:B21 on sheet Tickets: 21 rows.',
      ),
    ).toBe('B1:B21 on sheet Tickets: 21 rows.');

    await select(page, "'Tickets'!$B$2:$B$21");
    await page.getByRole('button', { name: 'Use current selection' }).click();
    expect(
      await settled(
        () => page.getByTestId('classify-selection').textContent(),
        (value) => value === 'B2:B21 on sheet Tickets: 20 rows.',
      ),
    ).toBe('B2:B21 on sheet Tickets: 20 rows.');
    await page.getByTestId('classify-labels').fill("'Labels'!$A:$A");
    await page.getByRole('button', { name: 'Classify rows' }).click();
    await page.getByTestId('run-status').getByText('20 rows classified.', { exact: true }).waitFor();
    await expect(column(page, 'D')).resolves.toEqual(expectedLabels);
  });

  test('skips filled output cells (resume) unless told to overwrite them', async () => {
    await cell(page, 'D2').fill('kept by hand');
    await cell(page, 'D3').fill('also kept');
    await select(page, 'B2:B21');
    await page.getByRole('button', { name: 'Use current selection' }).click();
    // D is no longer empty, so the default output column moved on to E: choose D, as a resume would.
    expect(
      await settled(
        () => page.getByLabel('Output column').inputValue(),
        (value) => value === '4',
      ),
    ).toBe('4');
    await page.getByLabel('Output column').selectOption('3');
    await page.getByTestId('classify-labels').fill(sampleLabels.join('\n'));
    await page.getByRole('button', { name: 'Classify rows' }).click();
    await page.getByTestId('run-status').getByText('18 rows classified. 2 rows skipped because they already had an answer.', { exact: true }).waitFor();
    await expect(column(page, 'D')).resolves.toEqual(['kept by hand', 'also kept', ...expectedLabels.slice(2)]);

    await page.getByLabel(/^Overwrite filled cells/).check();
    await page.getByRole('button', { name: 'Classify rows' }).click();
    await page.getByTestId('run-status').getByText('20 rows classified.', { exact: true }).waitFor();
    await expect(column(page, 'D')).resolves.toEqual(expectedLabels);
  });

  test('Stop ends a slow run with the sheet intact, and the next run finishes it', async () => {
    environment.fake.enqueue({ kind: 'model', delayMilliseconds: 3000 });
    await page.getByTestId('classify-labels').fill(sampleLabels.join('\n'));
    await page.getByRole('button', { name: 'Classify rows' }).click();
    await page.getByTestId('run-status').getByText('0 of 20 rows').waitFor();
    await page.getByRole('button', { name: 'Stop' }).click();
    await page.getByTestId('run-status').getByText('Stopped before any row was answered. Nothing in the sheet was changed.').waitFor();
    // Nothing had been answered: no cell is written, none half-written; the inputs are untouched.
    await expect(column(page, 'D')).resolves.toEqual(sampleTickets.map(() => ''));
    await expect(column(page, 'B')).resolves.toEqual(sampleTickets.map(([, message]) => message));

    await page.getByRole('button', { name: 'Classify rows' }).click();
    await page.getByTestId('run-status').getByText('20 rows classified.', { exact: true }).waitFor();
    await expect(column(page, 'D')).resolves.toEqual(expectedLabels);
  });

  test('rows the LLM fails on are counted, marked, and retried by the next run', async () => {
    environment.fake.setResponder(() => ({ kind: 'error', status: 502 }));
    await page.getByTestId('classify-labels').fill(sampleLabels.join('\n'));
    await page.getByRole('button', { name: 'Classify rows' }).click();
    // Every row is marked; the pane says so (a finished run in its status, a failed request in its alert).
    await page.getByText(/20 rows failed and are marked in the output column/).waitFor();
    const markers = await column(page, 'D');
    expect(markers.every((text) => text.startsWith('⚠ '))).toBe(true);

    environment.fake.setResponder(undefined);
    await page.getByRole('button', { name: 'Classify rows' }).click();
    await page.getByTestId('run-status').getByText('20 rows classified.', { exact: true }).waitFor();
    await expect(column(page, 'D')).resolves.toEqual(expectedLabels);
  });

  test('translates the selected cells into the first empty column next to them', async () => {
    await page.getByRole('tab', { name: 'Translate' }).click();
    // The Translate feature is its own chunk: wait for it before changing the selection.
    await page.getByLabel('Translate into').waitFor();
    await select(page, 'B2:B4');
    await page.getByLabel('Translate into').selectOption('de');
    await page.getByRole('button', { name: 'Translate', exact: true }).click();
    await page.getByTestId('run-status').getByText('3 cells translated into column D.', { exact: true }).waitFor();
    const translated = await Promise.all(['D2', 'D3', 'D4', 'D5'].map((address) => cell(page, address).inputValue()));
    expect(translated).toEqual([...sampleTickets.slice(0, 3).map(([, message]) => `[de] ${message}`), '']);
    await expect(column(page, 'C')).resolves.toEqual(sampleTickets.map(([, , channel]) => channel));
  });

  test('a header row is detected and left out: the output column gets its own header', async () => {
    const sentItems: string[][] = [];
    page.on('request', (request) => {
      if (request.url().endsWith('/api/v1/classify')) sentItems.push((request.postDataJSON() as { items: string[] }).items);
    });
    await select(page, 'B1:B21');
    await page.getByRole('button', { name: 'Use current selection' }).click();
    await page.getByTestId('classify-header-detected').waitFor();
    await expect(page.getByTestId('classify-header').isChecked()).resolves.toBe(true);
    // The input column is named by its header.
    await page.getByLabel('Column B: Message').waitFor();
    await page.getByTestId('classify-labels').fill(sampleLabels.join('\n'));
    await page.getByRole('button', { name: 'Classify rows' }).click();
    await page.getByTestId('run-status').getByText('20 rows classified.', { exact: true }).waitFor();
    await expect(cell(page, 'D1').inputValue()).resolves.toBe('Label');
    await expect(column(page, 'D')).resolves.toEqual(expectedLabels);
    // The header was not sent as a row: the pane asked for the 20 messages only.
    expect(sentItems).toEqual([sampleTickets.map(([, message]) => message)]);
  });

  test('translation resumes in the column a previous run used, sending only the cells not yet done', async () => {
    await page.getByRole('tab', { name: 'Translate' }).click();
    await page.getByLabel('Translate into').selectOption('de');
    // A first run on the first five messages goes to D (the first empty column).
    await select(page, 'B2:B6');
    await page.getByRole('button', { name: 'Use current selection' }).click();
    await expect(page.getByTestId('translate-output-column').inputValue()).resolves.toBe('3');
    await page.getByRole('button', { name: 'Translate', exact: true }).click();
    await page.getByTestId('run-status').getByText('5 cells translated into column D.', { exact: true }).waitFor();
    const upstreamAfterFirst = environment.fake.requests.length;

    // The whole column next: D is no longer empty, yet the remembered D is offered, not E.
    await select(page, 'B2:B21');
    await page.getByRole('button', { name: 'Use current selection' }).click();
    await page.getByTestId('translate-output-remembered').getByText('Column D was used last time').waitFor();
    await expect(page.getByTestId('translate-output-column').inputValue()).resolves.toBe('3');
    await page.getByRole('button', { name: 'Translate', exact: true }).click();
    await page
      .getByTestId('run-status')
      .getByText('15 cells translated into column D. 5 rows skipped because they already had an answer.', { exact: true })
      .waitFor();
    await expect(column(page, 'D')).resolves.toEqual(sampleTickets.map(([, message]) => `[de] ${message}`));
    await expect(column(page, 'E')).resolves.toEqual(sampleTickets.map(() => ''));
    // No message was sent twice.
    const resent = environment.fake.requests
      .slice(upstreamAfterFirst)
      .map((request) => JSON.stringify(request.body.messages))
      .join('\n');
    for (const [, message] of sampleTickets.slice(0, 5)) expect(resent).not.toContain(message);
  });

  test('an upstream error during a translation is shown; only the cells it failed are marked', async () => {
    environment.fake.setResponder(() => ({ kind: 'error', status: 400 }));
    await page.getByRole('tab', { name: 'Translate' }).click();
    await select(page, 'B2:B4');
    await page.getByRole('button', { name: 'Translate', exact: true }).click();
    // Per item: each text failed on its own and is marked (a later run retries it), or the request failed as a whole.
    await page.getByText(/3 rows failed and are marked in the output column|That did not work/).waitFor();
    const cells = await column(page, 'D');
    expect(cells.slice(0, 3).every((text) => text === '' || text.startsWith('⚠ '))).toBe(true);
    expect(cells.slice(3)).toEqual(sampleTickets.slice(3).map(() => ''));
    await expect(column(page, 'B')).resolves.toEqual(sampleTickets.map(([, message]) => message));
  });

  test('every control of the pane is labelled', async () => {
    await expect(unlabelledControls(page)).resolves.toEqual([]);
    await page.getByRole('tab', { name: 'Translate' }).click();
    await page.getByRole('button', { name: 'Translate', exact: true }).waitFor();
    await expect(unlabelledControls(page)).resolves.toEqual([]);
  });
});
