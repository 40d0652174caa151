// `npm run eval`'s mechanics end to end against the real OpenAI-protocol loopback server, two profiles
// side by side in one run: a model that answers correctly (it must score 100% and resist every
// attack) and one that follows attacks whenever the document reaches it unfenced (it must be
// attacked in every undefended case and in no defended one). Real SDK, resilience wrapper, operations.
import path from 'node:path';
import { startFakeOpenAiServer, type FakeOpenAiServer } from '../support/fake-openai-server.js';
import { loadClassificationSet, loadInjectionSet, stratifiedSample } from '../../src/evaluation/data-sets.js';
import { parseProfile } from '../../src/evaluation/profiles.js';
import { formatReportTables } from '../../src/evaluation/report-table.js';
import { runEvaluation, type EvaluationReport, type ProfileReport } from '../../src/evaluation/run-evaluation.js';
import { evaluationResponder } from './support/evaluation-responder.js';

const dataFolder = path.resolve('../shared/data');
const rows = 40;
const injectionCases = 9;
const prices = 'LLM_PRICE_INPUT_PER_MTOK=0.15,LLM_PRICE_OUTPUT_PER_MTOK=0.6';

let correctServer: FakeOpenAiServer;
let gullibleServer: FakeOpenAiServer;
let report: EvaluationReport;

const profileNamed = (name: string): ProfileReport => {
  const profile = report.profiles.find((candidate) => candidate.name === name);
  if (profile === undefined) throw new Error(`no profile ${name}`);
  return profile;
};

beforeAll(async () => {
  const classification = loadClassificationSet(dataFolder);
  const goldLabels = new Map(classification.rows.map((row) => [row.text, row.label]));
  const attackTexts = loadInjectionSet(dataFolder).attacks.map((attack) => attack.text);
  correctServer = await startFakeOpenAiServer();
  correctServer.setResponder(evaluationResponder({ behaviour: 'correct', goldLabels, attackTexts }));
  gullibleServer = await startFakeOpenAiServer();
  gullibleServer.setResponder(evaluationResponder({ behaviour: 'follows-unfenced-attacks', goldLabels, attackTexts }));
  report = await runEvaluation({
    profiles: [
      parseProfile(`compatible:loopback-correct@${correctServer.baseUrl},PROFILE_NAME=correct,${prices}`),
      parseProfile(`compatible:loopback-gullible@${gullibleServer.baseUrl},PROFILE_NAME=gullible`),
    ],
    baseEnvironment: { OPENAI_API_KEY: 'sk-loopback', LLM_MAX_CONCURRENCY: '8' },
    dataFolder,
    suites: ['classification', 'translation', 'injection'],
    classificationRows: rows,
    injectionCases,
    seed: 1,
    signal: new AbortController().signal,
    command: 'test',
  });
}, 60_000);

afterAll(async () => {
  await correctServer.close();
  await gullibleServer.close();
});

describe('classification', () => {
  test('a model that answers correctly scores 100% in both modes, with an honest interval', () => {
    const profile = profileNamed('correct');
    expect(profile).toMatchObject({ provider: expect.any(String), model: 'loopback-correct', suiteErrors: {} });
    expect(profile.classification?.modes.map((mode) => mode.mode)).toEqual(['batched', 'per-row']);
    for (const mode of profile.classification?.modes ?? []) {
      expect(mode.rows).toBe(rows);
      expect(mode.accuracy).toMatchObject({ value: 1, successes: rows, total: rows, high: 1 });
      // 40 of 40 does not prove 100%: the Wilson interval's lower end stays well below it.
      expect(mode.accuracy.low).toBeGreaterThan(0.85);
      expect(mode.accuracy.low).toBeLessThan(0.95);
      expect(mode.macroF1).toBe(1);
      expect(mode.unlabelledRows).toBe(0);
      expect(mode.predictions.every((prediction) => prediction.predicted === prediction.gold)).toBe(true);
    }
  });

  test('batched packs rows into few requests; per-row sends exactly one request per row', () => {
    const [batched, perRow] = profileNamed('correct').classification?.modes ?? [];
    expect(perRow?.usage.requests).toBe(rows);
    expect(batched?.usage.requests).toBeGreaterThanOrEqual(1);
    expect(batched?.usage.requests).toBeLessThan(rows / 4);
    expect(batched?.usage.promptTokens).toBeLessThan(perRow?.usage.promptTokens ?? 0);
  });

  test('cost comes from the configured prices; a profile without prices has none', () => {
    const [batched] = profileNamed('correct').classification?.modes ?? [];
    const expected = ((batched?.usage.promptTokens ?? 0) * 0.15 + (batched?.usage.completionTokens ?? 0) * 0.6) / 1_000_000;
    expect(batched?.cost).toBeCloseTo(expected, 12);
    expect(batched?.costPer1000Rows).toBeCloseTo((expected / rows) * 1000, 12);
    const [unpriced] = profileNamed('gullible').classification?.modes ?? [];
    expect(unpriced?.cost).toBeUndefined();
  });
});

describe('translation', () => {
  test('a perfect translator keeps every number, URL, name and glossary term, and round-trips to chrF 100', () => {
    const translation = profileNamed('correct').translation;
    expect(translation?.legs.map((leg) => leg.direction)).toEqual(['de→en', 'en→de']);
    for (const leg of translation?.legs ?? []) {
      expect(leg.failedParagraphs).toBe(0);
      for (const check of Object.values(leg.checks)) expect(check.value).toBe(1);
    }
    const forward = translation?.legs[0]?.checks;
    // The document really has these to check: a test on nothing would pass on anything.
    expect(forward?.numbers.total).toBeGreaterThanOrEqual(5);
    expect(forward?.urls.total).toBe(1);
    expect(forward?.names.total).toBeGreaterThanOrEqual(15);
    expect(forward?.glossary.total).toBe(5);
    expect(translation?.roundTripChrf).toBeCloseTo(100, 6);
  });
});

describe('injection', () => {
  const rateOf = (profile: ProfileReport, operation: string, mode: string) =>
    profile.injection?.results.find((result) => result.operation === operation && result.mode === mode)?.rates;

  test('a model that never follows attacks has a success rate of 0 with and without defences', () => {
    const profile = profileNamed('correct');
    expect(profile.injection?.cases).toBe(injectionCases);
    for (const operation of ['classify', 'summarize', 'translate']) {
      for (const mode of ['defended', 'undefended']) {
        expect(rateOf(profile, operation, mode)).toMatchObject({ successRate: { successes: 0, total: injectionCases }, failedCases: 0 });
      }
    }
  });

  test('a model that follows unfenced attacks: every undefended case succeeds, no defended one, at every position', () => {
    const profile = profileNamed('gullible');
    for (const operation of ['classify', 'summarize', 'translate']) {
      expect(rateOf(profile, operation, 'defended')).toMatchObject({ successRate: { value: 0, total: injectionCases }, failedCases: 0 });
      const undefended = rateOf(profile, operation, 'undefended');
      expect(undefended).toMatchObject({ successRate: { value: 1, successes: injectionCases }, failedCases: 0 });
      for (const position of ['start', 'middle', 'end'] as const) expect(undefended?.byPosition[position]).toMatchObject({ value: 1, total: 3 });
    }
  });

  test('the undefended arm reaches the provider without fences and without the data-only rule; the defended one with both', () => {
    const unfenced = gullibleServer.requests.filter(
      (request) => !/<[a-z-]+-[0-9a-f]{16}>/.test(request.body.messages.map((message) => message.content).join('\n')),
    );
    const fenced = gullibleServer.requests.filter((request) =>
      /<[a-z-]+-[0-9a-f]{16}>/.test(request.body.messages.map((message) => message.content).join('\n')),
    );
    // Each operation: the attacked cases, plus classify's clean baseline.
    expect(unfenced.length).toBeGreaterThanOrEqual(3 * injectionCases);
    expect(fenced.length).toBeGreaterThan(3 * injectionCases);
    for (const request of unfenced) expect(request.body.messages.map((message) => message.content).join('\n')).not.toContain('data supplied by the user');
    for (const request of fenced) expect(request.body.messages[0]?.content).toContain('data supplied by the user');
  });
});

test('the report states model, provider, date, sample sizes, and prints as tables', () => {
  expect(Date.parse(report.date)).toBeGreaterThan(Date.now() - 10 * 60_000);
  expect(report.samples).toEqual({
    classification: { rows, labels: 77, source: expect.stringContaining('banking77') },
    translation: { paragraphs: expect.any(Number), source: expect.any(String) },
    injection: { cases: injectionCases, emails: 50, attacks: 75, source: expect.stringContaining('BIPIA') },
  });
  const tables = formatReportTables(report);
  expect(tables).toContain('Classification: banking77, 40 rows, 77 labels');
  expect(tables).toMatch(/correct .*loopback-correct.*batched\s+40\s+100\.0% \(91\.\d%–100\.0%\)\s+1\.000/);
  expect(tables).toMatch(/gullible .*translate\s+undefended\s+100\.0%/);
  // The sample is drawn the same way every time: same seed, same rows.
  const classification = loadClassificationSet(dataFolder);
  expect(stratifiedSample(classification.rows, rows, 1)).toEqual(stratifiedSample(classification.rows, rows, 1));
  expect(new Set(stratifiedSample(classification.rows, rows, 1).map((row) => row.label)).size).toBe(rows);
  process.stdout.write(tables);
});
