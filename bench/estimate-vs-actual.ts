// The run estimate (POST /api/v1/estimate) against the run it estimates: the 10,000-row classify with
// 30% repeated rows, through a real BFF and a loopback provider. Shared by `npm run bench` (with the
// bench's provider) and test/server/run-estimate.test.ts (with a fast one).
import { classifyResponseSchema, estimateResponseSchema, type RunEstimate } from '../src/contract/schemas.js';
import type { RunningBff } from '../test/support/bff.js';
import { postJson } from '../test/support/http-client.js';
import type { LlmSimulator } from '../test/support/llm-simulator.js';
import { loadBanking77, seededRandom, twelveLabelFor, twelveLabels } from './support-messages.js';

export interface EstimateSheet {
  texts: string[];
  labels: string[];
  /** The right label per distinct text, for a simulator that answers them. */
  truth: Map<string, string>;
}

const normalize = (text: string) => text.normalize('NFC').replace(/\s+/gu, ' ').trim();

/** `rows` support messages of which 30% repeat an earlier one, seeded, with the bench's twelve labels. */
export function estimateSheet(rows = 10_000, seed = 77): EstimateSheet {
  const truth = new Map<string, string>();
  for (const row of loadBanking77().rows) if (!truth.has(normalize(row.text))) truth.set(normalize(row.text), twelveLabelFor(row.label));
  const random = seededRandom(seed);
  const distinct = [...truth.keys()].sort(() => random() - 0.5).slice(0, Math.round(rows * 0.7));
  const repeats = Array.from({ length: rows - distinct.length }, () => distinct[Math.floor(random() * distinct.length)] ?? '');
  return { texts: [...distinct, ...repeats].sort(() => random() - 0.5), labels: twelveLabels, truth };
}

export interface EstimateVersusActual {
  estimate: RunEstimate;
  actual: { requests: number; promptTokens: number; completionTokens: number; seconds: number; cachedItems: number };
  /** Upstream calls made while the estimate was computed: must be none. */
  upstreamCallsDuringEstimate: number;
}

export async function estimateThenRun(bff: RunningBff, simulator: LlmSimulator, sheet: EstimateSheet): Promise<EstimateVersusActual> {
  const request = { items: sheet.texts, labels: sheet.labels };
  const callsBefore = simulator.calls.length;
  const estimated = await postJson(`${bff.url}/api/v1/estimate`, { operation: 'classify', request });
  if (estimated.status !== 200) throw new Error(`estimate answered ${estimated.status}: ${JSON.stringify(estimated.body).slice(0, 300)}`);
  const { estimate } = estimateResponseSchema.parse(estimated.body);
  const upstreamCallsDuringEstimate = simulator.calls.length - callsBefore;

  const servedBefore = simulator.served().length;
  const started = performance.now();
  const ran = await postJson(`${bff.url}/api/v1/classify`, request);
  const seconds = (performance.now() - started) / 1000;
  if (ran.status !== 200) throw new Error(`classify answered ${ran.status}: ${JSON.stringify(ran.body).slice(0, 300)}`);
  const { usage } = classifyResponseSchema.parse(ran.body);
  return {
    estimate,
    actual: {
      requests: simulator.served().length - servedBefore,
      promptTokens: usage.promptTokens,
      completionTokens: usage.completionTokens,
      seconds,
      cachedItems: usage.cachedItems,
    },
    upstreamCallsDuringEstimate,
  };
}

/** |estimate − actual| ≤ share × actual. */
export function within(estimate: number, actual: number, share = 0.15): boolean {
  return Math.abs(estimate - actual) <= share * Math.max(actual, 1e-9);
}

/**
 * The bench's figure: a fresh BFF and cache on a provider with the bench's latency and limits; a
 * warm-up of three small runs (other labels, so nothing of the sheet is cached) lets the governor learn
 * the provider's limits and latency, as a BFF in service has; then the estimate and the run.
 */
export async function measureEstimateVersusActual(
  start: (simulator: LlmSimulator) => Promise<RunningBff>,
  simulator: LlmSimulator,
  sheet: EstimateSheet = estimateSheet(),
): Promise<EstimateVersusActual> {
  const bff = await start(simulator);
  try {
    const warmUpLabels = ['billing', 'cards', 'transfers', 'other'];
    for (const rows of [40, 150, 1_600]) {
      const warmUp = await postJson(`${bff.url}/api/v1/classify`, { items: sheet.texts.slice(0, rows), labels: warmUpLabels });
      if (warmUp.status !== 200) throw new Error(`warm-up answered ${warmUp.status}`);
    }
    return await estimateThenRun(bff, simulator, sheet);
  } finally {
    await bff.close();
  }
}

export function formatEstimateLine({ estimate, actual }: EstimateVersusActual): string {
  const tokens = (value: { promptTokens: number; completionTokens: number }) => value.promptTokens + value.completionTokens;
  const count = (value: number) => value.toLocaleString('en-US');
  const pass = within(estimate.requests, actual.requests) && within(tokens(estimate), tokens(actual)) && within(estimate.seconds, actual.seconds);
  return (
    `${pass ? 'PASS' : 'FAIL'}  estimate vs actual (10,000 rows, ±15%): requests ${count(estimate.requests)} vs ${count(actual.requests)}, ` +
    `tokens ${count(tokens(estimate))} vs ${count(tokens(actual))} (prompt ${count(estimate.promptTokens)} vs ${count(actual.promptTokens)}, ` +
    `completion ${count(estimate.completionTokens)} vs ${count(actual.completionTokens)}), seconds ${estimate.seconds.toFixed(1)} vs ${actual.seconds.toFixed(1)} ` +
    `(pace: ${estimate.pace.source}, concurrency ${estimate.pace.concurrency})`
  );
}
