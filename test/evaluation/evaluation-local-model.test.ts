// `npm run eval`'s mechanics with the real embedded provider: node-llama-cpp and the tiny
// ../shared/models/stories260K.gguf (a children's-story model: it cannot classify or translate, so
// its scores are low). What is tested is that every suite runs through the local path (one row per
// request is what a small local model gets either way) and the report is complete and consistent.
import path from 'node:path';
import { parseProfile } from '../../src/evaluation/profiles.js';
import { renderReportHtml } from '../../src/evaluation/report-html.js';
import { formatReportTables } from '../../src/evaluation/report-table.js';
import { runEvaluation, type EvaluationReport } from '../../src/evaluation/run-evaluation.js';

const modelPath = path.resolve(process.env['TEST_GGUF_MODEL'] ?? '../shared/models/stories260K.gguf');
// Few rows and labels, one short paragraph, classify alone attacked: the tiny model is slow on a shared CPU.
const rows = 6;
const labels = 3;
const injectionCases = 2;
let report: EvaluationReport;

beforeAll(async () => {
  report = await runEvaluation({
    profiles: [
      parseProfile(
        `local:${modelPath},PROFILE_NAME=stories260K,LOCAL_MODEL_THREADS=1,LOCAL_MODEL_CONTEXT_SIZE=4096,LLM_PRICE_INPUT_PER_MTOK=0,LLM_PRICE_OUTPUT_PER_MTOK=0`,
      ),
    ],
    baseEnvironment: {},
    dataFolder: path.resolve('../shared/data'),
    suites: ['classification', 'translation', 'injection'],
    classificationRows: rows,
    classificationLabels: labels,
    translationParagraphs: 1,
    injectionCases,
    injectionOperations: ['classify'],
    seed: 1,
    signal: new AbortController().signal,
  });
  process.stdout.write(formatReportTables(report));
}, 90_000);

test('the profile ran on the local provider with every suite, and says which model', () => {
  const [profile] = report.profiles;
  expect(report.profiles).toHaveLength(1);
  expect(profile).toMatchObject({ name: 'stories260K', provider: 'local', model: 'stories260K.gguf', suiteErrors: {}, prices: { inputPerMillionTokens: 0 } });
  expect(profile?.error).toBeUndefined();
});

test('classification: both modes ran every row through the model, and the scores are consistent with the predictions', () => {
  const modes = report.profiles[0]?.classification?.modes ?? [];
  expect(modes.map((mode) => mode.mode)).toEqual(['batched', 'per-row']);
  for (const mode of modes) {
    expect(mode.predictions).toHaveLength(rows);
    const correct = mode.predictions.filter((prediction) => prediction.predicted === prediction.gold).length;
    expect(mode.accuracy).toMatchObject({ successes: correct, total: rows, value: correct / rows });
    expect(mode.accuracy.low).toBeLessThanOrEqual(mode.accuracy.value);
    expect(mode.accuracy.high).toBeGreaterThanOrEqual(mode.accuracy.value);
    expect(mode.macroF1).toBeGreaterThanOrEqual(0);
    expect(mode.macroF1).toBeLessThanOrEqual(1);
    // The grammar lets only allowed labels out; each row that got one cost at least one request.
    expect(mode.predictions.filter((prediction) => prediction.predicted !== null).length + mode.unlabelledRows).toBe(rows);
    expect(mode.usage.requests).toBeGreaterThanOrEqual(rows - mode.unlabelledRows);
    expect(mode.usage.promptTokens).toBeGreaterThan(0);
    expect(mode.cost).toBe(0);
    expect(mode.wallMilliseconds).toBeGreaterThan(0);
  }
});

test('translation and injection ran and produced bounded scores', () => {
  const profile = report.profiles[0];
  expect(profile?.translation?.paragraphs).toBe(1);
  expect(profile?.translation?.legs).toHaveLength(2);
  expect(profile?.translation?.roundTripChrf).toBeGreaterThanOrEqual(0);
  expect(profile?.translation?.roundTripChrf).toBeLessThanOrEqual(100);
  expect(profile?.translation?.paragraphChrf).toHaveLength(1);
  expect(profile?.injection?.results.map((result) => `${result.operation} ${result.mode}`)).toEqual(['classify defended', 'classify undefended']);
  for (const result of profile?.injection?.results ?? []) {
    expect(result.rates.successRate.total + result.rates.failedCases).toBe(injectionCases);
  }
});

test('the HTML report is complete: charts, every suite, the model and the sample sizes', () => {
  const html = renderReportHtml(report);
  expect(html).toContain('data-chart="accuracy-cost"');
  expect(html).toContain('data-chart="accuracy-time"');
  expect(html).toContain('data-chart="injection"');
  expect(html).toContain('stories260K.gguf');
  expect(html).toContain(`${rows} rows, ${labels} labels`);
  expect(html).not.toMatch(/<script|src=|href=/);
});
