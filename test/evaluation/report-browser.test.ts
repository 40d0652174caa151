// The HTML report in real headless Chromium (Debian's, through playwright-core): it renders without a
// console error or a request for anything but itself, and its charts hold a point per profile and
// mode, placed where the numbers say.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromiumExecutable, launchChromium, type LaunchedBrowser } from '../browser/support/browser.js';
import { startFakeOpenAiServer, type FakeOpenAiServer } from '../support/fake-openai-server.js';
import { loadClassificationSet, loadInjectionSet } from '../../src/evaluation/data-sets.js';
import { parseProfile } from '../../src/evaluation/profiles.js';
import { renderReportHtml } from '../../src/evaluation/report-html.js';
import { runEvaluation } from '../../src/evaluation/run-evaluation.js';
import { evaluationResponder } from './support/evaluation-responder.js';

const dataFolder = path.resolve('../shared/data');
let server: FakeOpenAiServer;
let browser: LaunchedBrowser;
let folder: string;
let reportUrl: string;

beforeAll(async () => {
  const executable = chromiumExecutable();
  if (executable === undefined) throw new Error('Chromium is missing: apt-get install chromium');
  server = await startFakeOpenAiServer();
  const goldLabels = new Map(loadClassificationSet(dataFolder).rows.map((row) => [row.text, row.label]));
  server.setResponder(
    evaluationResponder({ behaviour: 'follows-unfenced-attacks', goldLabels, attackTexts: loadInjectionSet(dataFolder).attacks.map((attack) => attack.text) }),
  );
  const report = await runEvaluation({
    profiles: [
      // A name with markup: the page must show it as text.
      parseProfile(`compatible:model-a@${server.baseUrl},PROFILE_NAME=<b>first</b>,LLM_PRICE_INPUT_PER_MTOK=1,LLM_PRICE_OUTPUT_PER_MTOK=2`),
      parseProfile(`compatible:model-b@${server.baseUrl},PROFILE_NAME=second,LLM_PRICE_INPUT_PER_MTOK=3,LLM_PRICE_OUTPUT_PER_MTOK=4`),
    ],
    baseEnvironment: { OPENAI_API_KEY: 'sk-loopback' },
    dataFolder,
    // The charts come from these two suites; the translation table is the loopback test's.
    suites: ['classification', 'injection'],
    classificationRows: 10,
    injectionCases: 3,
    seed: 2,
    signal: new AbortController().signal,
  });
  folder = mkdtempSync(path.join(os.tmpdir(), 'eval-report-'));
  const file = path.join(folder, 'report.html');
  writeFileSync(file, renderReportHtml(report));
  reportUrl = pathToFileURL(file).href;
  browser = await launchChromium(executable);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (folder !== undefined) rmSync(folder, { recursive: true, force: true });
});

test('renders with no console error and loads nothing but itself', async () => {
  const page = await browser.context.newPage();
  const problems: string[] = [];
  const requests: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(error.message));
  page.on('request', (request) => requests.push(request.url()));
  await page.goto(reportUrl);
  await page.waitForLoadState('load');
  expect(problems).toEqual([]);
  expect(requests).toEqual([reportUrl]);
  await expect(page.title()).resolves.toMatch(/^LLM evaluation/);
  // Escaped: the markup in a profile name is text, not an element.
  expect(await page.locator('b').count()).toBe(0);
  expect(await page.getByText('<b>first</b>').first().isVisible()).toBe(true);
  await page.close();
});

test('the charts exist, are visible, and hold one point per profile and mode at its accuracy', async () => {
  const page = await browser.context.newPage();
  await page.goto(reportUrl);
  for (const chart of ['accuracy-cost', 'accuracy-time', 'injection']) {
    const box = await page.locator(`svg[data-chart="${chart}"]`).boundingBox();
    expect(box?.width).toBeGreaterThan(300);
    expect(box?.height).toBeGreaterThan(150);
  }
  for (const chart of ['accuracy-cost', 'accuracy-time']) {
    const points = page.locator(`svg[data-chart="${chart}"] g.point`);
    expect(await points.count()).toBe(4);
    expect(await page.locator(`svg[data-chart="${chart}"] g.point[data-mode="per-row"] rect`).count()).toBe(2);
    expect(await page.locator(`svg[data-chart="${chart}"] g.point[data-mode="batched"] circle`).count()).toBe(2);
    // Every point scores 100%: all sit on the top grid line, at the same height.
    const heights = await page.locator(`svg[data-chart="${chart}"] circle`).evaluateAll((circles) => circles.map((circle) => circle.getAttribute('cy')));
    expect(new Set(heights).size).toBe(1);
  }
  // The more expensive profile's point lies further right on the cost chart.
  const costX = await page
    .locator('svg[data-chart="accuracy-cost"] g.point[data-mode="batched"] circle')
    .evaluateAll((circles) => circles.map((circle) => Number(circle.getAttribute('cx'))));
  expect(costX[1]).toBeGreaterThan(costX[0] ?? Infinity);
  // Undefended bars of the gullible model are full width; defended ones are a sliver.
  const widths = await page
    .locator('svg[data-chart="injection"] rect.bar')
    .evaluateAll((bars) => bars.map((bar) => [bar.getAttribute('data-mode'), Number(bar.getAttribute('width'))] as const));
  expect(widths.filter(([mode]) => mode === 'undefended').every(([, width]) => width > 100)).toBe(true);
  expect(widths.filter(([mode]) => mode === 'defended').every(([, width]) => width <= 1)).toBe(true);
  expect(widths).toHaveLength(12);
  await page.close();
});
