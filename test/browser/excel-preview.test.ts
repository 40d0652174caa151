// The task pane in the Excel preview, against the real BFF and the loopback OpenAI-protocol server:
// bulk classification with resume, overwrite, Stop and failed rows; translation of cells; errors.
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
        (value) => value === 'B2:B21 on Tickets: 20 row(s)',
      ),
    ).toBe('B2:B21 on Tickets: 20 row(s)');
    await page.getByTestId('classify-labels').fill('Labels!A1:A5');
    expect(
      await settled(
        () => page.getByLabel('Output column').inputValue(),
        (value) => value === '3',
      ),
    ).toBe('3');
    await page.getByRole('button', { name: 'Classify rows' }).click();
    await page.getByTestId('run-status').getByText('20 of 20 rows done').waitFor();

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
        (value) => value === 'B1:B21 on Tickets: 21 row(s)',
      ),
    ).toBe('B1:B21 on Tickets: 21 row(s)');

    await select(page, "'Tickets'!$B$2:$B$21");
    await page.getByRole('button', { name: 'Use current selection' }).click();
    expect(
      await settled(
        () => page.getByTestId('classify-selection').textContent(),
        (value) => value === 'B2:B21 on Tickets: 20 row(s)',
      ),
    ).toBe('B2:B21 on Tickets: 20 row(s)');
    await page.getByTestId('classify-labels').fill("'Labels'!$A:$A");
    await page.getByRole('button', { name: 'Classify rows' }).click();
    await page.getByTestId('run-status').getByText('20 of 20 rows done').waitFor();
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
    await page.getByTestId('run-status').getByText('2 filled row(s) skipped.').waitFor();
    await expect(column(page, 'D')).resolves.toEqual(['kept by hand', 'also kept', ...expectedLabels.slice(2)]);

    await page.getByLabel(/^Overwrite filled cells/).check();
    await page.getByRole('button', { name: 'Classify rows' }).click();
    await page.getByTestId('run-status').getByText('20 of 20 rows done').waitFor();
    await expect(column(page, 'D')).resolves.toEqual(expectedLabels);
  });

  test('Stop ends a slow run with the sheet intact, and the next run finishes it', async () => {
    environment.fake.enqueue({ kind: 'model', delayMilliseconds: 3000 });
    await page.getByTestId('classify-labels').fill(sampleLabels.join('\n'));
    await page.getByRole('button', { name: 'Classify rows' }).click();
    await page.getByTestId('run-status').getByText('0 of 20 rows done').waitFor();
    await page.getByRole('button', { name: 'Stop' }).click();
    await page
      .getByTestId('run-status')
      .getByText(/^Stopped/)
      .waitFor();
    // Nothing had been answered: no cell is written, none half-written; the inputs are untouched.
    await expect(column(page, 'D')).resolves.toEqual(sampleTickets.map(() => ''));
    await expect(column(page, 'B')).resolves.toEqual(sampleTickets.map(([, message]) => message));

    await page.getByRole('button', { name: 'Classify rows' }).click();
    await page.getByTestId('run-status').getByText('20 of 20 rows done').waitFor();
    await expect(column(page, 'D')).resolves.toEqual(expectedLabels);
  });

  test('rows the LLM fails on are counted, marked, and retried by the next run', async () => {
    environment.fake.setResponder(() => ({ kind: 'error', status: 502 }));
    await page.getByTestId('classify-labels').fill(sampleLabels.join('\n'));
    await page.getByRole('button', { name: 'Classify rows' }).click();
    await page.getByTestId('classify-failed').getByText('20 row(s) failed and are marked in the output column.').waitFor();
    const markers = await column(page, 'D');
    expect(markers.every((text) => text.startsWith('⚠ '))).toBe(true);

    environment.fake.setResponder(undefined);
    await page.getByRole('button', { name: 'Classify rows' }).click();
    await page.getByTestId('run-status').getByText('20 of 20 rows done').waitFor();
    await expect(column(page, 'D')).resolves.toEqual(expectedLabels);
  });

  test('translates the selected cells into the first empty column next to them', async () => {
    await page.getByRole('tab', { name: 'Translate' }).click();
    await select(page, 'B2:B4');
    await page.getByLabel('Translate into').selectOption('de');
    await page.getByRole('button', { name: 'Translate', exact: true }).click();
    await page.getByTestId('run-status').getByText('3 cell(s) translated into column D.').waitFor();
    const translated = await Promise.all(['D2', 'D3', 'D4', 'D5'].map((address) => cell(page, address).inputValue()));
    expect(translated).toEqual([...sampleTickets.slice(0, 3).map(([, message]) => `[de] ${message}`), '']);
    await expect(column(page, 'C')).resolves.toEqual(sampleTickets.map(([, , channel]) => channel));
  });

  test('an upstream error during a translation is shown, and the sheet is unchanged', async () => {
    environment.fake.setResponder(() => ({ kind: 'error', status: 400 }));
    await page.getByRole('tab', { name: 'Translate' }).click();
    await select(page, 'B2:B4');
    await page.getByRole('button', { name: 'Translate', exact: true }).click();
    await page.getByRole('alert').waitFor();
    expect(
      await settled(
        () => page.getByRole('alert').textContent(),
        (value) => /That did not work.+\S/.test(value ?? ''),
      ),
    ).toMatch(/That did not work.+\S/);
    await expect(column(page, 'D')).resolves.toEqual(sampleTickets.map(() => ''));
  });

  test('every control of the pane is labelled', async () => {
    await expect(unlabelledControls(page)).resolves.toEqual([]);
    await page.getByRole('tab', { name: 'Translate' }).click();
    await page.getByRole('button', { name: 'Translate', exact: true }).waitFor();
    await expect(unlabelledControls(page)).resolves.toEqual([]);
  });
});
