// Excel formulas in the browser preview, against the real BFF and the loopback OpenAI-protocol server:
// the real webpack build emits functions.json and functions.js (loaded by the pane's page, the shared
// runtime), and a preview cell starting with `=AI.` is evaluated through the same function code and
// batching as Excel's custom functions, so a column fills by formula.
import type { Page } from 'playwright-core';
import { sampleLabels, sampleTickets } from '../../src/hosts/preview/sample-documents.js';
import { fakeLabel } from '../support/fake-openai-server.js';
import { usePaneEnvironment } from './support/pane-environment.js';
import { settled } from './support/settled.js';

const cell = (page: Page, address: string) => page.locator(`[data-cell="${address}"]`);
const column = (page: Page, letter: string) => Promise.all(sampleTickets.map((_ticket, index) => cell(page, `${letter}${index + 2}`).inputValue()));
const expectedLabels = sampleTickets.map(([, message]) => fakeLabel(message, sampleLabels));

/** Types a formula into a cell and leaves it (Tab), which commits it as Excel's Enter does. */
async function enterFormula(page: Page, address: string, formula: string): Promise<void> {
  await cell(page, address).fill(formula);
  await cell(page, address).press('Tab');
}

describe('Excel formulas', () => {
  const environment = usePaneEnvironment();

  test('the build emits functions.json with the three formulas, and the pane page loads functions.js', async () => {
    const metadata = (await (await fetch(`${environment.bff.url}/functions.json`)).json()) as { functions: { id: string; parameters: { name: string }[] }[] };
    expect(metadata.functions.map(({ id, parameters }) => [id, parameters.map(({ name }) => name)])).toEqual([
      ['CLASSIFY', ['text', 'labels', 'instructions']],
      ['TRANSLATE', ['text', 'to', 'from']],
      ['SUMMARIZE', ['text_or_range', 'length']],
    ]);
    const script = await (await fetch(`${environment.bff.url}/functions.js`)).text();
    expect(script).toContain('CustomFunctions.associate("CLASSIFY", classify)');
    const page = await (await fetch(`${environment.bff.url}/taskpane.html`)).text();
    expect(page).toMatch(/<script[^>]+src="?functions\.js/);
  });

  test('a column fills by formula: =AI.CLASSIFY(B2:B21, Labels!A1:A5) spills 20 labels from one request', async () => {
    const page = await environment.open('?host=excel');
    const upstreamBefore = environment.fake.requests.length;
    await enterFormula(page, 'D2', '=AI.CLASSIFY(B2:B21, Labels!$A$1:$A$5)');
    expect(
      await settled(
        () => cell(page, 'D21').inputValue(),
        (value) => value === expectedLabels.at(-1),
      ),
    ).toBe(expectedLabels.at(-1));
    await expect(column(page, 'D')).resolves.toEqual(expectedLabels);
    await expect(cell(page, 'D2').getAttribute('data-formula')).resolves.toBe('=AI.CLASSIFY(B2:B21, Labels!$A$1:$A$5)');
    // The formula's cells are computed, not written: the workbook's cells keep only the formula.
    await expect(page.getByTestId('sheet-writes').textContent()).resolves.toBe('Writes: 0');
    expect(environment.fake.requests.length - upstreamBefore).toBe(1);

    // Editing the cell shows the formula, as Excel's cell editor does.
    await cell(page, 'D2').focus();
    await expect(cell(page, 'D2').inputValue()).resolves.toBe('=AI.CLASSIFY(B2:B21, Labels!$A$1:$A$5)');
    await page.screenshot({ path: '/tmp/taskpane-excel-formulas.png' });
  });

  test('=AI.TRANSLATE with a target language; an input error shows as #VALUE! with its message', async () => {
    const page = await environment.open('?host=excel');
    await enterFormula(page, 'E2', '=AI.TRANSLATE(B2, "de")');
    await enterFormula(page, 'F2', '=AI.CLASSIFY(B2, {"",""})');
    const translated = `[de] ${sampleTickets[0]?.[1]}`;
    expect(
      await settled(
        () => cell(page, 'E2').inputValue(),
        (value) => value === translated,
      ),
    ).toBe(translated);
    await expect(cell(page, 'F2').inputValue()).resolves.toBe('#VALUE!');
    await expect(cell(page, 'F2').getAttribute('title')).resolves.toMatch(/^Give at least one label/);
  });

  test('Stop cancels pending formula work: the cell turns #N/A "Stopped", and the upstream call is closed', async () => {
    environment.fake.setResponder(() => ({ kind: 'hang' }));
    const page = await environment.open('?host=excel');
    await enterFormula(page, 'E2', '=AI.SUMMARIZE(B2:B4, "short")');
    await expect(cell(page, 'E2').inputValue()).resolves.toBe('#BUSY!');
    await page.getByTestId('formula-status').getByText('1 formula cell waits for an answer.').waitFor();
    await page.getByRole('button', { name: 'Stop formulas' }).click();
    expect(
      await settled(
        () => cell(page, 'E2').inputValue(),
        (value) => value === '#N/A',
      ),
    ).toBe('#N/A');
    await expect(cell(page, 'E2').getAttribute('title')).resolves.toBe('Stopped in the AI pane. Recalculate to run again.');
    await expect(environment.fake.waitForClientClose()).resolves.toMatchObject({ closedByClient: true });
  });
});
