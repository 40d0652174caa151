// Know before you run, in the Excel preview against the real BFF: above the threshold (the
// administrator's ESTIMATE_CONFIRM_ROWS, here 5) the pane shows the BFF's estimate and waits; Cancel
// sends nothing upstream and writes nothing; Start runs. Under the user's own higher threshold the run
// starts at once and the estimate stays in view; a cost threshold asks on its own. The model is priced
// (LLM_PRICES) so the cost shows, in the UI language's currency format. German: plurals and numbers by locale.
import type { Page } from 'playwright-core';
import { sampleTickets } from '../../src/hosts/preview/sample-documents.js';
import { usePaneEnvironment } from './support/pane-environment.js';

const cell = (page: Page, address: string) => page.locator(`[data-cell="${address}"]`);
const column = (page: Page, letter: string) => Promise.all(sampleTickets.map((_ticket, index) => cell(page, `${letter}${index + 2}`).inputValue()));

describe('run estimate in the pane', () => {
  const environment = usePaneEnvironment({ ESTIMATE_CONFIRM_ROWS: '5', LLM_PRICES: JSON.stringify({ 'fake-model': { input: 150, output: 600 } }) });

  test('above the threshold the estimate asks first; Cancel sends nothing, Start runs', async () => {
    const page = await environment.open('?host=excel');
    await page.getByTestId('classify-selection').getByText('B2:B21 on sheet Tickets: 20 rows.').waitFor();
    await page.getByTestId('classify-labels').fill('Labels!A1:A5');
    const before = environment.fake.requests.length;

    await page.getByRole('button', { name: 'Classify rows' }).click();
    const confirm = page.getByTestId('run-estimate-confirm');
    await confirm.waitFor();
    const estimate = (await confirm.getByTestId('run-estimate').textContent()) ?? '';
    expect(estimate).toMatch(/^20 of 20 rows to send · 1 request · [\d,]+ tokens · about \d+ seconds? · about \$0\.\d+$/u);
    expect(environment.fake.requests.length).toBe(before);

    await confirm.getByRole('button', { name: 'Cancel' }).click();
    await page.getByTestId('run-status').getByText('Not started: nothing was sent.', { exact: true }).waitFor();
    expect(environment.fake.requests.length).toBe(before);
    await expect(column(page, 'D')).resolves.toEqual(sampleTickets.map(() => ''));

    await page.getByRole('button', { name: 'Classify rows' }).click();
    await page.getByTestId('run-estimate-confirm').getByRole('button', { name: 'Start' }).click();
    await page.getByTestId('run-status').getByText('20 rows classified.', { exact: true }).waitFor();
    expect(environment.fake.requests.length).toBeGreaterThan(before);
  });

  test("under the user's own threshold the run starts at once and shows the estimate (German)", async () => {
    const page = await environment.open('?host=excel&lang=de', 'LLM-Assistent');
    await page.getByTestId('classify-labels').fill('Labels!A1:A5');
    await page.getByTestId('estimate-threshold').fill('1000');
    await page.getByRole('button', { name: 'Zeilen klassifizieren' }).click();
    await page.getByTestId('run-status').getByText('20 Zeilen klassifiziert.', { exact: true }).waitFor();
    await expect(page.getByTestId('run-estimate-confirm').count()).resolves.toBe(0);
    const shown = (await page.getByTestId('run-estimate').textContent()) ?? '';
    expect(shown).toMatch(/^Schätzung: 20 von 20 Zeilen zu senden · 1 Anfrage · [\d.]+ Tokens · etwa \d+ Sekunden? · etwa 0,\d+\s\$$/u);
  });

  test('a run over the cost threshold asks even under the row threshold', async () => {
    const page = await environment.open('?host=excel');
    await page.getByTestId('classify-labels').fill('Labels!A1:A5');
    await page.getByTestId('estimate-threshold').fill('1000');
    await page.getByTestId('estimate-cost-threshold').fill('0.001');
    await page.getByRole('button', { name: 'Classify rows' }).click();
    const confirm = page.getByTestId('run-estimate-confirm');
    await confirm.waitFor();
    await confirm.getByRole('button', { name: 'Start' }).click();
    await page.getByTestId('run-status').getByText('20 rows classified.', { exact: true }).waitFor();
  });
});
