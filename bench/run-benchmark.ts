// npm run bench: the bulk engine against a loopback OpenAI-compatible provider simulator with a
// provider's latency and limits (test/support/llm-simulator.ts), through the real BFF, the real
// openai SDK and a real SQLite cache, in the default configuration (nothing told about the
// provider's limits). Prints one table, side by side: our way, the naive way (one request per row,
// on the same limits) and the cached re-run, each against a lower bound that is a bound; then the
// 100-page document summary and the BFF's own overhead, with PASS/FAIL per target.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { classifyResponseSchema, summarizeResponseSchema } from '../src/contract/schemas.js';
import { countTokens } from 'gpt-tokenizer/encoding/o200k_base';
import { startBff, type RunningBff } from '../test/support/bff.js';
import { classifyAnswer, delimitedContent, fakeLabel, fakeModelAnswer, type ChatCompletionBody } from '../test/support/fake-openai-server.js';
import { postJson, postStream } from '../test/support/http-client.js';
import { startLlmSimulator, type LlmSimulator, type SimulatedCall, type SimulatorSettings } from '../test/support/llm-simulator.js';
import { formatOverheadReport, measureBffOverhead, type OverheadReport } from './bff-overhead.js';
import { formatEstimateLine, measureEstimateVersusActual } from './estimate-vs-actual.js';
import { loadBanking77, seededRandom, twelveLabelFor, twelveLabels } from './support-messages.js';

const rowCount = 10_000;
/** 30% of the rows repeat an earlier one, as exported tickets and survey answers do. */
const distinctCount = 7_000;
const seed = 77;
/** The provider as measured in issue 12: a gpt-4o-mini-like model on a modest tier. */
const provider: SimulatorSettings = {
  timeToFirstTokenMilliseconds: 400,
  tokensPerSecond: 80,
  concurrencyLimit: 16,
  requestsPerMinute: 600,
  tokensPerMinute: 400_000,
};
/**
 * The document's map steps together carry ~55,000 tokens: more than this provider's TPM admits at once
 * (one second's worth, 6,667), so they cannot all start together there. The parallelism target is
 * measured on a provider whose TPM admits the whole document at once; the bench's own provider is
 * measured against its TPM-aware bound.
 */
const documentProvider: SimulatorSettings = { ...provider, requestsPerMinute: 6_000, tokensPerMinute: 6_000_000 };
/** One request per row would take 10,000 / RPM minutes on these limits: a sample runs and the rest is extrapolated. */
const naiveSampleRows = 240;
const modelId = 'gpt-4o-mini';
/** The smallest answer any plan can get for a row: one token (a label number); ids, if any, cost more. */
const minimalAnswerTokensPerRow = 1;

const normalize = (text: string) => text.normalize('NFC').replace(/\s+/gu, ' ').trim();

interface Sheet {
  texts: string[];
  expected: string[];
  distinct: number;
  /** Each distinct row's tokens plus its label's: what any way must at least send and get back. */
  floorTokens: number;
}

function buildSheet(): { sheet: Sheet; truth: Map<string, string>; rows: ReturnType<typeof loadBanking77>['rows'] } {
  const { rows } = loadBanking77();
  const truth = new Map<string, string>();
  for (const row of rows) if (!truth.has(normalize(row.text))) truth.set(normalize(row.text), twelveLabelFor(row.label));
  const random = seededRandom(seed);
  const shuffle = <T>(values: T[]) => {
    for (let index = values.length - 1; index > 0; index -= 1) {
      const other = Math.floor(random() * (index + 1));
      [values[index], values[other]] = [values[other] as T, values[index] as T];
    }
    return values;
  };
  const distinctTexts = shuffle([...truth.keys()]).slice(0, distinctCount);
  const repeats = Array.from({ length: rowCount - distinctCount }, () => distinctTexts[Math.floor(random() * distinctTexts.length)] ?? '');
  const texts = shuffle([...distinctTexts, ...repeats]);
  const expected = texts.map((text) => truth.get(text) ?? '');
  const floorTokens = distinctTexts.reduce((total, text) => total + countTokens(text) + countTokens(truth.get(text) ?? ''), 0);
  return { sheet: { texts, expected, distinct: new Set(texts).size, floorTokens }, truth, rows };
}

async function main(): Promise<void> {
  const { sheet, truth, rows } = buildSheet();
  const answer = simulatedAnswers(truth);
  const cacheFolder = mkdtempSync(path.join(os.tmpdir(), 'bench-cache-'));
  const simulator = await startLlmSimulator({ ...provider, answer });
  const naiveSimulator = await startLlmSimulator({ ...provider, answer });
  const documentSimulator = await startLlmSimulator({ ...provider, answer });
  const wideDocumentSimulator = await startLlmSimulator({ ...documentProvider, answer });
  // The default configuration: no LLM_MAX_CONCURRENCY, LLM_RPM or LLM_TPM; the production retry delays.
  const start = (target: LlmSimulator, extra: Record<string, string>) =>
    startBff(
      { OPENAI_BASE_URL: target.baseUrl, OPENAI_API_KEY: 'bench-key', LLM_MODEL: modelId, LOG_LEVEL: 'silent', RATE_LIMIT_PER_MINUTE: '0', ...extra },
      { retryDelayMilliseconds: 250 },
    );

  try {
    process.stderr.write(`bench: ${rowCount} rows (${sheet.distinct} distinct), ${twelveLabels.length} labels\n`);
    const cachePath = path.join(cacheFolder, 'results.sqlite');

    // Our way: the task pane sends a window of up to 10,000 rows as one streamed request.
    let bff = await start(simulator, { CACHE_PATH: cachePath });
    const ours = await classifySheet(bff, sheet, simulator, 'ours');
    await bff.close();

    // The same rows again, after a restart: a new BFF on the same cache file.
    simulator.reset();
    bff = await start(simulator, { CACHE_PATH: cachePath });
    const cached = await classifySheet(bff, sheet, simulator, 'cached re-run');
    await bff.close();

    // A 100-page document through a fresh provider: map in parallel, reduce, the final step streamed.
    process.stderr.write('bench: 100-page summary\n');
    const document = hundredPageDocument(rows.map((row) => row.text));
    const documentBff = await start(documentSimulator, { CACHE: 'off' });
    const summary = await summarizeDocument(documentBff, document, documentSimulator);
    await documentBff.close();
    const wideDocumentBff = await start(wideDocumentSimulator, { CACHE: 'off' });
    const wideSummary = await summarizeDocument(wideDocumentBff, document, wideDocumentSimulator);
    await wideDocumentBff.close();

    // The naive way on the same limits: one request per row, no cache, no dedupe; a sample, extrapolated.
    process.stderr.write(`bench: naive sample of ${naiveSampleRows} rows\n`);
    const naiveBff = await start(naiveSimulator, { CACHE: 'off' });
    const naive = await classifyOneByOne(naiveBff, sheet, naiveSimulator);
    await naiveBff.close();

    process.stderr.write('bench: BFF overhead\n');
    const overhead = await measureBffOverhead();

    // Know before you run: the BFF's dry-run estimate of the 10,000-row classify against the run itself.
    process.stderr.write('bench: estimate vs actual\n');
    const estimateSimulator = await startLlmSimulator({ ...provider, answer });
    const estimated = await measureEstimateVersusActual(
      (target) => start(target, { CACHE_PATH: path.join(cacheFolder, 'estimate.sqlite') }),
      estimateSimulator,
    ).finally(() => estimateSimulator.close());

    printReport({ ours, naive, cached, summary, wideSummary, sheet, overhead, documentTokens: countTokens(document) });
    const estimateLine = formatEstimateLine(estimated);
    process.stdout.write(`${estimateLine}\n`);
    if (estimateLine.startsWith('FAIL')) process.exitCode = 1;
  } finally {
    await simulator.close();
    await naiveSimulator.close();
    await documentSimulator.close();
    await wideDocumentSimulator.close();
    rmSync(cacheFolder, { recursive: true, force: true });
  }
}

interface RunResult {
  name: string;
  /** Rows this run covered (the naive run: its sample). */
  rows: number;
  wallMilliseconds: number;
  requests: number;
  rejected: number;
  rejectedBy: string;
  promptTokens: number;
  completionTokens: number;
  lost: number;
  misaligned: number;
  cachedItems: number;
  peakConcurrency: number;
  bound: LowerBound;
  served: SimulatedCall[];
}

async function classifySheet(bff: RunningBff, sheet: Sheet, simulator: LlmSimulator, name: string): Promise<RunResult> {
  const started = performance.now();
  const { events } = await postStream(`${bff.url}/api/v1/classify`, { items: sheet.texts, labels: twelveLabels });
  const wallMilliseconds = performance.now() - started;
  const done = events.find((event) => event.event === 'done');
  if (done === undefined) throw new Error(`${name}: no done event (${JSON.stringify(events.at(-1)).slice(0, 300)})`);
  const response = classifyResponseSchema.parse(done.data);
  // The pane writes each row when its item event arrives: check those, once per row, as well as the final answer.
  const itemLabels = new Map<number, string | null>();
  let repeatedItems = 0;
  for (const event of events) {
    if (event.event !== 'item') continue;
    const item = event.data as { index: number; label: string | null };
    if (itemLabels.has(item.index)) repeatedItems += 1;
    itemLabels.set(item.index, item.label);
  }
  let lost = repeatedItems;
  let misaligned = 0;
  sheet.expected.forEach((label, index) => {
    const fromEvent = itemLabels.get(index);
    const fromResponse = response.results[index]?.label ?? null;
    if (fromEvent === undefined || fromEvent === null || fromResponse === null) lost += 1;
    else if (fromEvent !== label || fromResponse !== label) misaligned += 1;
  });
  return summarizeCalls(name, sheet.texts.length, simulator, wallMilliseconds, lost, misaligned, response.usage.cachedItems);
}

async function classifyOneByOne(bff: RunningBff, sheet: Sheet, simulator: LlmSimulator): Promise<RunResult> {
  const sample = sheet.texts.slice(0, naiveSampleRows);
  const results: (string | null)[] = new Array<string | null>(sample.length).fill(null);
  let next = 0;
  const started = performance.now();
  // A formula tool recalculates many cells at once: as many in flight as the provider serves.
  const worker = async () => {
    for (let index = next++; index < sample.length; index = next++) {
      const response = await postJson(`${bff.url}/api/v1/classify`, { items: [sample[index]], labels: twelveLabels });
      if (response.status === 200) results[index] = classifyResponseSchema.parse(response.body).results[0]?.label ?? null;
    }
  };
  await Promise.all(Array.from({ length: provider.concurrencyLimit }, worker));
  const wallMilliseconds = performance.now() - started;
  let lost = 0;
  let misaligned = 0;
  sheet.expected.slice(0, sample.length).forEach((label, index) => {
    if (results[index] === null) lost += 1;
    else if (results[index] !== label) misaligned += 1;
  });
  return summarizeCalls('naive', sample.length, simulator, wallMilliseconds, lost, misaligned, 0);
}

function summarizeCalls(
  name: string,
  rows: number,
  simulator: LlmSimulator,
  wallMilliseconds: number,
  lost: number,
  misaligned: number,
  cachedItems: number,
): RunResult {
  const served = simulator.served();
  const sum = (pick: (call: SimulatedCall) => number) => served.reduce((total, call) => total + pick(call), 0);
  return {
    name,
    rows,
    wallMilliseconds,
    requests: served.length,
    rejected: simulator.calls.length - served.length,
    rejectedBy: [...new Set(simulator.calls.flatMap((call) => (call.limit === undefined ? [] : [call.limit])))]
      .map((limit) => `${limit} ${simulator.calls.filter((call) => call.limit === limit).length}`)
      .join(', '),
    promptTokens: sum((call) => call.promptTokens),
    completionTokens: sum((call) => call.completionTokens),
    lost,
    misaligned,
    cachedItems,
    peakConcurrency: Math.max(0, ...served.map((call) => call.peakConcurrency)),
    bound: burstAwareBound(served, simulator.settings),
    served,
  };
}

// ---------------------------------------------------------------- bounds

interface LowerBound {
  /** The bound: the largest of the parts below. */
  milliseconds: number;
  binding: string;
  /** Σ latency ÷ C: at most C requests are served at once. */
  concurrency: number;
  /** The last request admitted after the request bucket (RPM) refilled for all but its burst, plus the shortest latency. */
  requests: number;
  /** The same for the tokens the provider charges (prompt + max_tokens). */
  tokens: number;
  /** No run is shorter than its longest request. */
  longest: number;
}

/**
 * A bound any schedule of these very requests must respect: the provider serves at most C at once
 * (total request time ÷ C), and its rolling windows admit a burst of B = limit/60 × burstSeconds and
 * then limit/60 per second, so the last of R admissions comes at (R − B) ÷ rate at the earliest and
 * still takes at least the shortest latency. Nothing is counted twice: the parts are alternatives, the
 * bound is their maximum. `scale` repeats the requests (the naive run's sample, for the whole sheet).
 */
function burstAwareBound(served: SimulatedCall[], settings: SimulatorSettings, scale = 1): LowerBound {
  if (served.length === 0) return { milliseconds: 0, binding: '-', concurrency: 0, requests: 0, tokens: 0, longest: 0 };
  const latencies = served.map((call) => call.finishedAt - call.receivedAt);
  const shortest = Math.min(...latencies);
  const burstSeconds = settings.burstSeconds ?? 1;
  const admission = (units: number, perMinute: number) => {
    const bucket = Math.max(1, Math.floor((perMinute / 60) * burstSeconds));
    return (Math.max(0, units - bucket) * 60_000) / perMinute;
  };
  const parts = {
    concurrency: (scale * latencies.reduce((total, latency) => total + latency, 0)) / settings.concurrencyLimit,
    requests: admission(scale * served.length, settings.requestsPerMinute) + shortest,
    tokens: admission(scale * served.reduce((total, call) => total + call.chargedTokens, 0), settings.tokensPerMinute) + shortest,
    longest: Math.max(...latencies),
  };
  const [binding, milliseconds] = Object.entries(parts).reduce((best, entry) => (entry[1] > best[1] ? entry : best));
  return { milliseconds, binding, ...parts };
}

/** Time to first token + the distinct rows' minimal answers spread over every slot: no plan, however good, is faster. */
function planIndependentBound(distinctRows: number): number {
  return provider.timeToFirstTokenMilliseconds + (1000 * distinctRows * minimalAnswerTokensPerRow) / (provider.concurrencyLimit * provider.tokensPerSecond);
}

// ---------------------------------------------------------------- the document

interface SummaryResult {
  wallMilliseconds: number;
  mapSteps: number;
  slowestMapMilliseconds: number;
  reduceMilliseconds: number;
  requests: number;
  rejected: number;
  /** When the last map step was admitted, from the first. */
  lastMapStartMilliseconds: number;
  mapTokensBound: number;
}

async function summarizeDocument(bff: RunningBff, document: string, simulator: LlmSimulator): Promise<SummaryResult> {
  const started = performance.now();
  const { events } = await postStream(`${bff.url}/api/v1/summarize`, { text: document, kind: 'document', length: 'medium' });
  const wallMilliseconds = performance.now() - started;
  const done = events.find((event) => event.event === 'done');
  if (done === undefined) throw new Error(`summary: no done event (${JSON.stringify(events.at(-1)).slice(0, 300)})`);
  summarizeResponseSchema.parse(done.data);
  const served = simulator.served();
  const latency = (call: SimulatedCall) => call.finishedAt - call.receivedAt;
  const maps = served.filter((call) => !call.stream);
  const reduce = served.filter((call) => call.stream);
  const firstStart = Math.min(...maps.map((call) => call.receivedAt));
  return {
    wallMilliseconds,
    mapSteps: maps.length,
    slowestMapMilliseconds: Math.max(0, ...maps.map(latency)),
    reduceMilliseconds: reduce.reduce((total, call) => total + latency(call), 0),
    requests: served.length,
    rejected: simulator.calls.length - served.length,
    lastMapStartMilliseconds: Math.max(...maps.map((call) => call.receivedAt)) - firstStart,
    mapTokensBound: burstAwareBound(maps, simulator.settings).tokens,
  };
}

/**
 * The simulator knows the data: each item gets its true label, keyed by its id, so a shifted row shows
 * as misaligned. A request with other labels (the estimate's warm-up) gets one of its own labels, as a
 * model would answer: a label it was not offered would be refused and asked again row by row.
 */
function simulatedAnswers(truth: Map<string, string>): (body: ChatCompletionBody) => string {
  return (body) => {
    const classification = classifyAnswer(body, (text, labels) => {
      const label = truth.get(normalize(text));
      return label !== undefined && labels.includes(label) ? label : fakeLabel(text, labels);
    });
    if (classification !== undefined) return classification;
    const system = body.messages.find((message) => message.role === 'system')?.content ?? '';
    const words = delimitedContent(body).split(/\s+/).filter(Boolean);
    // Notes of a part run to about 250 words, the final summary to about 120: what a model writes for these lengths.
    if (/condense part/i.test(system)) return words.slice(0, 250).join(' ');
    if (/summar/i.test(system)) return words.slice(0, 120).join(' ');
    return fakeModelAnswer(body);
  };
}

/** About 100 pages of 450 words: support messages grouped into paragraphs under page headings. */
function hundredPageDocument(texts: string[]): string {
  const random = seededRandom(seed + 1);
  const pick = () => (texts[Math.floor(random() * texts.length)] ?? '').trim();
  const pages: string[] = [];
  for (let page = 0; page < 100; page += 1) {
    const paragraphs = Array.from({ length: 6 }, () => Array.from({ length: 6 }, pick).join(' '));
    pages.push(`Page ${page + 1}\n\n${paragraphs.join('\n\n')}`);
  }
  return pages.join('\n\n');
}

// ---------------------------------------------------------------- the report

interface ReportInput {
  ours: RunResult;
  naive: RunResult;
  cached: RunResult;
  summary: SummaryResult;
  wideSummary: SummaryResult;
  sheet: Sheet;
  overhead: OverheadReport;
  documentTokens: number;
}

function printReport({ ours, naive, cached, summary, wideSummary, sheet, overhead, documentTokens }: ReportInput): void {
  const seconds = (milliseconds: number) => `${(milliseconds / 1000).toFixed(1)} s`;
  const ratio = (value: number) => `${value.toFixed(2)}x`;
  const count = (value: number) => value.toLocaleString('en-US');
  const perRow = (run: RunResult, value: number) => value / run.rows;
  const tokensPerRow = (run: RunResult) => perRow(run, run.promptTokens + run.completionTokens);
  const floorPerRow = sheet.floorTokens / rowCount;
  // The naive sample runs at the provider's steady rate: its time per row carries over to the whole sheet.
  const naiveScale = rowCount / naive.rows;
  const naiveWall = naive.wallMilliseconds * naiveScale;
  const naiveRequests = Math.round(naive.requests * naiveScale);
  const naiveBound = burstAwareBound(naive.served, provider, naiveScale);
  const planFree = planIndependentBound(sheet.distinct);
  const rejections = (run: RunResult) => (run.rejected === 0 ? '0' : `${count(run.rejected)} (${run.rejectedBy})`);

  const columns = ['', 'ours', `naive, 1 request/row (${naive.rows}-row sample x${naiveScale.toFixed(1)})`, 'cached re-run'];
  const table: string[][] = [
    columns,
    ['requests', count(ours.requests), `${count(naiveRequests)} (est.)`, count(cached.requests)],
    ['429 answers from the provider', rejections(ours), `${rejections(naive)} in the sample`, rejections(cached)],
    [
      'prompt tokens per row',
      perRow(ours, ours.promptTokens).toFixed(2),
      perRow(naive, naive.promptTokens).toFixed(2),
      perRow(cached, cached.promptTokens).toFixed(2),
    ],
    [
      'completion tokens per row',
      perRow(ours, ours.completionTokens).toFixed(2),
      perRow(naive, naive.completionTokens).toFixed(2),
      perRow(cached, cached.completionTokens).toFixed(2),
    ],
    [
      'tokens per row / distinct floor',
      ratio(tokensPerRow(ours) / floorPerRow),
      ratio(tokensPerRow(naive) / floorPerRow),
      ratio(tokensPerRow(cached) / floorPerRow),
    ],
    ['wall time', seconds(ours.wallMilliseconds), `${seconds(naiveWall)} (est.)`, seconds(cached.wallMilliseconds)],
    [
      'burst-aware lower bound (binding limit)',
      `${seconds(ours.bound.milliseconds)} (${ours.bound.binding})`,
      `${seconds(naiveBound.milliseconds)} (${naiveBound.binding})`,
      '-',
    ],
    ['wall time / burst-aware bound', ratio(ours.wallMilliseconds / ours.bound.milliseconds), ratio(naiveWall / naiveBound.milliseconds), '-'],
    ['wall time / plan-independent bound', ratio(ours.wallMilliseconds / planFree), ratio(naiveWall / planFree), '-'],
    ['peak concurrent requests', String(ours.peakConcurrency), String(naive.peakConcurrency), '-'],
    ['usage.cachedItems', count(ours.cachedItems), String(naive.cachedItems), count(cached.cachedItems)],
    ['rows lost', String(ours.lost), `${naive.lost} of ${naive.rows}`, String(cached.lost)],
    ['rows misaligned', String(ours.misaligned), `${naive.misaligned} of ${naive.rows}`, String(cached.misaligned)],
  ];
  const widths = columns.map((_, column) => Math.max(...table.map((row) => (row[column] ?? '').length)));
  const line = (row: string[]) =>
    `| ${row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0))).join(' | ')} |`;
  const rule = `|${widths.map((width, column) => (column === 0 ? '-'.repeat(width + 2) : `${'-'.repeat(width + 1)}:`)).join('|')}|`;

  const out: string[] = [];
  out.push(
    `Bulk classification: ${count(rowCount)} rows (${count(sheet.distinct)} distinct, ${Math.round((100 * (rowCount - sheet.distinct)) / rowCount)}% repeats; banking77 messages, seed ${seed}), ` +
      `${twelveLabels.length} labels, model ${modelId} (o200k_base), default configuration (no LLM_MAX_CONCURRENCY, LLM_RPM or LLM_TPM).`,
  );
  out.push(
    `Provider (every run): TTFT ${provider.timeToFirstTokenMilliseconds} ms, ${provider.tokensPerSecond} tokens/s, ${provider.concurrencyLimit} concurrent, ` +
      `RPM ${count(provider.requestsPerMinute)}, TPM ${count(provider.tokensPerMinute)}, rolling windows with 1 s bursts; 429 with Retry-After beyond them.`,
  );
  out.push(
    `Distinct floor: ${floorPerRow.toFixed(2)} tokens per row (each distinct row's tokens + its label's, ${count(sheet.floorTokens)} in all, spread over ${count(rowCount)} rows).`,
  );
  out.push(
    'Burst-aware bound: max(Σ latency ÷ C, (R − B_rpm) ÷ RPM + L_min, (charged tokens − B_tpm) ÷ TPM + L_min, longest request), from the requests the run really sent.',
  );
  out.push(
    `Plan-independent bound: TTFT + ${count(sheet.distinct)} distinct rows × ${minimalAnswerTokensPerRow} answer token ÷ (C × tokens/s) = ${seconds(planFree)}.`,
  );
  out.push('');
  out.push(line(table[0] ?? []));
  out.push(rule);
  for (const row of table.slice(1)) out.push(line(row));
  out.push('');
  out.push(
    `ours, bound parts: Σ latency ÷ C ${seconds(ours.bound.concurrency)}, RPM ${seconds(ours.bound.requests)}, TPM ${seconds(ours.bound.tokens)}, longest request ${seconds(ours.bound.longest)}.`,
  );
  out.push(
    `naive: measured on a ${naive.rows}-row sample (${seconds(naive.wallMilliseconds)}), requests and wall time extrapolated x${naiveScale.toFixed(1)} (the whole sheet would take ${seconds(naiveWall)} at the sample's rate).`,
  );
  out.push('');

  const summaryBound = (run: SummaryResult) => run.slowestMapMilliseconds + run.reduceMilliseconds;
  // Where the map prompts exceed the TPM burst, the last one starts after the window refills: the reduce follows it.
  const summaryTpmBound = (run: SummaryResult) => Math.max(summaryBound(run), run.mapTokensBound + run.reduceMilliseconds);
  const summaryLine = (name: string, run: SummaryResult) =>
    `  ${name}: ${run.mapSteps} map steps + streamed reduce, ${run.requests} requests, ${run.rejected} 429s; wall ${seconds(run.wallMilliseconds)}; ` +
    `slowest map ${seconds(run.slowestMapMilliseconds)} + reduce ${seconds(run.reduceMilliseconds)} = ${seconds(summaryBound(run))}; ` +
    `last map step started ${seconds(run.lastMapStartMilliseconds)} after the first; TPM-aware bound ${seconds(summaryTpmBound(run))}.`;
  out.push(`100-page document (${count(documentTokens)} tokens), summarised through the BFF (map steps in parallel, one reduce, the final step streamed):`);
  out.push(summaryLine(`provider with TPM ${count(documentProvider.tokensPerMinute)} (admits the whole document at once)`, wideSummary));
  out.push(summaryLine(`the bench's provider (TPM ${count(provider.tokensPerMinute)})`, summary));
  out.push('');
  out.push(formatOverheadReport(overhead));
  out.push('');

  const boundHolds = ours.wallMilliseconds >= ours.bound.milliseconds;
  const targets: [string, boolean, string][] = [
    [
      'wall time <= 1.25x the burst-aware bound',
      ours.wallMilliseconds <= 1.25 * ours.bound.milliseconds,
      ratio(ours.wallMilliseconds / ours.bound.milliseconds),
    ],
    ['the bound is a bound (the run does not beat it)', boundHolds, `${seconds(ours.wallMilliseconds)} >= ${seconds(ours.bound.milliseconds)}`],
    ['tokens <= 1.3x the distinct floor', tokensPerRow(ours) / floorPerRow <= 1.3, ratio(tokensPerRow(ours) / floorPerRow)],
    ['BFF overhead p50 <= 1 ms (paired differences)', overhead.addedP50 <= 1, `${overhead.addedP50.toFixed(2)} ms (p99 ${overhead.addedP99.toFixed(2)} ms)`],
    [
      'BFF overhead above the least proxy (one bare HTTP hop on this machine) p50 <= 1 ms',
      overhead.aboveBareP50 <= 1,
      `${overhead.aboveBareP50.toFixed(2)} ms (p99 ${overhead.aboveBareP99.toFixed(2)} ms; the least proxy itself adds ${overhead.bareAddedP50.toFixed(2)} ms)`,
    ],
    [
      're-run makes 0 requests',
      cached.requests === 0 && cached.cachedItems === rowCount,
      `${cached.requests} requests, cachedItems ${count(cached.cachedItems)}`,
    ],
    [
      '0 rows lost or misaligned',
      ours.lost + ours.misaligned + cached.lost + cached.misaligned === 0,
      `${ours.lost + cached.lost} lost, ${ours.misaligned + cached.misaligned} misaligned`,
    ],
    [
      '100-page summary wall <= 1.2x (slowest map + reduce), TPM admitting the document',
      wideSummary.wallMilliseconds <= 1.2 * summaryBound(wideSummary),
      ratio(wideSummary.wallMilliseconds / summaryBound(wideSummary)),
    ],
    [
      "100-page summary wall <= 1.2x its TPM-aware bound, the bench's provider",
      summary.wallMilliseconds <= 1.2 * summaryTpmBound(summary),
      `${ratio(summary.wallMilliseconds / summaryTpmBound(summary))} (${ratio(summary.wallMilliseconds / summaryBound(summary))} of slowest map + reduce)`,
    ],
  ];
  for (const [name, pass, value] of targets) out.push(`${pass ? 'PASS' : 'FAIL'}  ${name}: ${value}`);
  process.stdout.write(`${out.join('\n')}\n`);
  if (targets.some(([, pass]) => !pass)) process.exitCode = 1;
}

await main();
