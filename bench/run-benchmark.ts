// npm run bench: the bulk engine against a loopback OpenAI-compatible provider simulator with a
// provider's latency and limits (test/support/llm-simulator.ts), through the real BFF, the real
// openai SDK and a real SQLite cache. Prints one table: our way, the naive way (one request per
// row) and the cached re-run side by side, with ratios and PASS/FAIL per target.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { classifyResponseSchema, summarizeResponseSchema } from '../src/contract/schemas.js';
import { countTokens } from 'gpt-tokenizer/encoding/o200k_base';
import { startBff, type RunningBff } from '../test/support/bff.js';
import { delimitedContent, fakeLabel, fakeModelAnswer, type ChatCompletionBody } from '../test/support/fake-openai-server.js';
import { postJson, postStream } from '../test/support/http-client.js';
import { startLlmSimulator, type LlmSimulator, type SimulatedCall, type SimulatorSettings } from '../test/support/llm-simulator.js';
import { loadBanking77, sampleWithReplacement, type Banking77Row } from './support-messages.js';

const rowCount = 10_000;
const seed = 77;
/** A provider like gpt-4o-mini on a modest tier, sped up so the whole run stays within minutes. */
const provider: SimulatorSettings = {
  timeToFirstTokenMilliseconds: 300,
  tokensPerSecond: 250,
  concurrencyLimit: 16,
  requestsPerMinute: 1_200,
  tokensPerMinute: 1_500_000,
};
/**
 * The naive way sends 10,000 requests: against the limits above that alone takes minutes, so it runs
 * against the same latency with 4x the concurrency and 10x the per-minute limits. Its requests and
 * tokens per row do not depend on the limits; its wall time is reported against its own lower bound.
 */
const naiveProvider: SimulatorSettings = { ...provider, concurrencyLimit: 64, requestsPerMinute: 12_000, tokensPerMinute: 15_000_000 };
const modelId = 'gpt-4o-mini';

const normalize = (text: string) => text.normalize('NFC').replace(/\s+/gu, ' ').trim();

async function main(): Promise<void> {
  const { rows: dataset, labels } = loadBanking77();
  const truth = new Map<string, string>();
  for (const row of dataset) if (!truth.has(normalize(row.text))) truth.set(normalize(row.text), row.label);
  const sheet = sampleWithReplacement(dataset, rowCount, seed);
  const expected = sheet.map((row) => truth.get(normalize(row.text)) ?? row.label);
  const uniqueRows = new Set(sheet.map((row) => normalize(row.text))).size;
  const floorTokens = sheet.reduce((total, row, index) => total + countTokens(row.text) + countTokens(expected[index] ?? ''), 0);
  const answer = simulatedAnswers(truth);

  const cacheFolder = mkdtempSync(path.join(os.tmpdir(), 'bench-cache-'));
  const simulator = await startLlmSimulator({ ...provider, answer });
  const naiveSimulator = await startLlmSimulator({ ...naiveProvider, answer });
  const environment = (target: LlmSimulator, extra: Record<string, string>) => ({
    OPENAI_BASE_URL: target.baseUrl,
    OPENAI_API_KEY: 'bench-key',
    LLM_MODEL: modelId,
    LLM_MAX_CONCURRENCY: String(target.settings.concurrencyLimit),
    LLM_RPM: String(target.settings.requestsPerMinute),
    LLM_TPM: String(target.settings.tokensPerMinute),
    LOG_LEVEL: 'silent',
    RATE_LIMIT_PER_MINUTE: '0',
    ...extra,
  });

  try {
    process.stderr.write(`bench: ${rowCount} rows (${uniqueRows} distinct), ${labels.length} labels\n`);

    // Our way: the task pane sends a window of up to 10,000 rows as one streamed request.
    let bff = await startBff(environment(simulator, { CACHE_PATH: path.join(cacheFolder, 'results.sqlite') }));
    const ours = await classifySheet(bff, sheet, labels, expected, simulator, 'ours');
    await bff.close();

    // The same rows again, after a restart: a new BFF on the same cache file.
    simulator.reset();
    bff = await startBff(environment(simulator, { CACHE_PATH: path.join(cacheFolder, 'results.sqlite') }));
    const cached = await classifySheet(bff, sheet, labels, expected, simulator, 'cached re-run');

    // A 100-page document through the same provider: map in parallel, reduce, the final step streamed.
    simulator.reset();
    const document = hundredPageDocument(dataset);
    const summary = await summarizeDocument(bff, document, simulator);
    await bff.close();

    // The naive way: one request per row, as per-cell formula tools do; no cache, no dedupe.
    const naiveBff = await startBff(environment(naiveSimulator, { CACHE: 'off' }));
    const naive = await classifyOneByOne(naiveBff, sheet, labels, expected, naiveSimulator);
    await naiveBff.close();

    printTable({ ours, naive, cached, summary, floorTokens, uniqueRows, labels: labels.length, documentTokens: countTokens(document) });
  } finally {
    await simulator.close();
    await naiveSimulator.close();
    rmSync(cacheFolder, { recursive: true, force: true });
  }
}

interface RunResult {
  name: string;
  wallMilliseconds: number;
  requests: number;
  rejected: number;
  /** Which limit the 429s hit, e.g. "tokens 2". */
  rejectedBy: string;
  promptTokens: number;
  completionTokens: number;
  chargedTokens: number;
  meanLatencyMilliseconds: number;
  lost: number;
  misaligned: number;
  cachedItems: number;
  peakConcurrency: number;
  settings: SimulatorSettings;
}

async function classifySheet(
  bff: RunningBff,
  sheet: Banking77Row[],
  labels: string[],
  expected: string[],
  simulator: LlmSimulator,
  name: string,
): Promise<RunResult> {
  const started = performance.now();
  const { events } = await postStream(`${bff.url}/api/v1/classify`, { items: sheet.map((row) => row.text), labels });
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
  expected.forEach((label, index) => {
    const fromEvent = itemLabels.get(index);
    const fromResponse = response.results[index]?.label ?? null;
    if (fromEvent === undefined || fromEvent === null || fromResponse === null) lost += 1;
    else if (fromEvent !== label || fromResponse !== label) misaligned += 1;
  });
  return summarizeCalls(name, simulator, wallMilliseconds, lost, misaligned, response.usage.cachedItems);
}

async function classifyOneByOne(bff: RunningBff, sheet: Banking77Row[], labels: string[], expected: string[], simulator: LlmSimulator): Promise<RunResult> {
  const results: (string | null)[] = new Array<string | null>(sheet.length).fill(null);
  let next = 0;
  const started = performance.now();
  // A formula tool recalculates many cells at once; as many in flight as the provider serves.
  const worker = async () => {
    for (let index = next++; index < sheet.length; index = next++) {
      const response = await postJson(`${bff.url}/api/v1/classify`, { items: [sheet[index]?.text], labels });
      if (response.status === 200) results[index] = classifyResponseSchema.parse(response.body).results[0]?.label ?? null;
    }
  };
  await Promise.all(Array.from({ length: simulator.settings.concurrencyLimit }, worker));
  const wallMilliseconds = performance.now() - started;
  let lost = 0;
  let misaligned = 0;
  expected.forEach((label, index) => {
    if (results[index] === null) lost += 1;
    else if (results[index] !== label) misaligned += 1;
  });
  return summarizeCalls('naive', simulator, wallMilliseconds, lost, misaligned, 0);
}

interface SummaryResult {
  wallMilliseconds: number;
  mapSteps: number;
  slowestMapMilliseconds: number;
  reduceMilliseconds: number;
  requests: number;
  summaryCharacters: number;
}

async function summarizeDocument(bff: RunningBff, document: string, simulator: LlmSimulator): Promise<SummaryResult> {
  const started = performance.now();
  const { events } = await postStream(`${bff.url}/api/v1/summarize`, { text: document, kind: 'document', length: 'medium' });
  const wallMilliseconds = performance.now() - started;
  const done = events.find((event) => event.event === 'done');
  if (done === undefined) throw new Error(`summary: no done event (${JSON.stringify(events.at(-1)).slice(0, 300)})`);
  const summary = summarizeResponseSchema.parse(done.data);
  const served = simulator.served();
  const latency = (call: SimulatedCall) => call.finishedAt - call.receivedAt;
  const maps = served.filter((call) => !call.stream);
  const reduce = served.filter((call) => call.stream);
  return {
    wallMilliseconds,
    mapSteps: maps.length,
    slowestMapMilliseconds: Math.max(0, ...maps.map(latency)),
    reduceMilliseconds: reduce.reduce((total, call) => total + latency(call), 0),
    requests: served.length,
    summaryCharacters: summary.summary.length,
  };
}

function summarizeCalls(name: string, simulator: LlmSimulator, wallMilliseconds: number, lost: number, misaligned: number, cachedItems: number): RunResult {
  const served = simulator.served();
  const sum = (pick: (call: SimulatedCall) => number) => served.reduce((total, call) => total + pick(call), 0);
  return {
    name,
    wallMilliseconds,
    requests: served.length,
    rejected: simulator.calls.length - served.length,
    rejectedBy: [...new Set(simulator.calls.flatMap((call) => (call.limit === undefined ? [] : [call.limit])))]
      .map((limit) => `${limit} ${simulator.calls.filter((call) => call.limit === limit).length}`)
      .join(', '),
    promptTokens: sum((call) => call.promptTokens),
    completionTokens: sum((call) => call.completionTokens),
    chargedTokens: sum((call) => call.chargedTokens),
    meanLatencyMilliseconds: served.length === 0 ? 0 : sum((call) => call.finishedAt - call.receivedAt) / served.length,
    lost,
    misaligned,
    cachedItems,
    peakConcurrency: Math.max(0, ...served.map((call) => call.peakConcurrency)),
    settings: simulator.settings,
  };
}

/** T ≥ max(60·R/RPM, 60·R·T̄/TPM, ⌈R/C⌉·L) + L, with T̄ the tokens the provider charges per request. */
function lowerBoundMilliseconds(run: RunResult): number {
  const { requests, chargedTokens, meanLatencyMilliseconds: latency, settings } = run;
  if (requests === 0) return 0;
  const meanTokens = chargedTokens / requests;
  return (
    Math.max(
      (60_000 * requests) / settings.requestsPerMinute,
      (60_000 * requests * meanTokens) / settings.tokensPerMinute,
      Math.ceil(requests / settings.concurrencyLimit) * latency,
    ) + latency
  );
}

/** The simulator knows the data: each item gets its true intent, keyed by its id, so a shifted row shows as misaligned. */
function simulatedAnswers(truth: Map<string, string>): (body: ChatCompletionBody) => string {
  return (body) => {
    const schema = body.response_format?.json_schema?.schema;
    if (schema?.properties?.['results'] !== undefined) {
      const labels = (schema.properties['results'].items?.properties?.['label']?.enum ?? []) as string[];
      const items = JSON.parse(delimitedContent(body)) as { id: string; text: string }[];
      return JSON.stringify({ results: items.map((item) => ({ id: item.id, label: truth.get(normalize(item.text)) ?? fakeLabel(item.text, labels) })) });
    }
    const system = body.messages.find((message) => message.role === 'system')?.content ?? '';
    const words = delimitedContent(body).split(/\s+/).filter(Boolean);
    // Notes of a part run to about 250 words, the final summary to about 120: what a model writes for these lengths.
    if (/condense part/i.test(system)) return words.slice(0, 250).join(' ');
    if (/summar/i.test(system)) return words.slice(0, 120).join(' ');
    return fakeModelAnswer(body);
  };
}

/** About 100 pages of 450 words: support messages grouped into paragraphs under page headings. */
function hundredPageDocument(dataset: Banking77Row[]): string {
  const rows = sampleWithReplacement(dataset, 100 * 36, seed + 1);
  const pages: string[] = [];
  for (let page = 0; page < 100; page += 1) {
    const paragraphs: string[] = [];
    for (let paragraph = 0; paragraph < 6; paragraph += 1) {
      paragraphs.push(
        rows
          .slice(page * 36 + paragraph * 6, page * 36 + paragraph * 6 + 6)
          .map((row) => row.text.trim())
          .join(' '),
      );
    }
    pages.push(`Page ${page + 1}\n\n${paragraphs.join('\n\n')}`);
  }
  return pages.join('\n\n');
}

interface TableInput {
  ours: RunResult;
  naive: RunResult;
  cached: RunResult;
  summary: SummaryResult;
  floorTokens: number;
  uniqueRows: number;
  labels: number;
  documentTokens: number;
}

function rejections(run: RunResult): string {
  return run.rejected === 0 ? '0' : `${run.rejected} (${run.rejectedBy})`;
}

function printTable({ ours, naive, cached, summary, floorTokens, uniqueRows, labels, documentTokens }: TableInput): void {
  const perRow = (value: number) => value / rowCount;
  const floorPerRow = perRow(floorTokens);
  const tokensPerRow = (run: RunResult) => perRow(run.promptTokens + run.completionTokens);
  const seconds = (milliseconds: number) => `${(milliseconds / 1000).toFixed(1)} s`;
  const ratio = (value: number) => `${value.toFixed(2)}x`;
  const oursBound = lowerBoundMilliseconds(ours);
  const naiveBound = lowerBoundMilliseconds(naive);
  const columns = ['', 'ours', 'naive (1 request/row)', 'cached re-run'];
  const table: string[][] = [
    columns,
    ['requests', String(ours.requests), String(naive.requests), String(cached.requests)],
    ['429 answers from the provider', rejections(ours), rejections(naive), rejections(cached)],
    ['prompt tokens per row', perRow(ours.promptTokens).toFixed(1), perRow(naive.promptTokens).toFixed(1), perRow(cached.promptTokens).toFixed(1)],
    [
      'completion tokens per row',
      perRow(ours.completionTokens).toFixed(1),
      perRow(naive.completionTokens).toFixed(1),
      perRow(cached.completionTokens).toFixed(1),
    ],
    ['tokens per row / floor', ratio(tokensPerRow(ours) / floorPerRow), ratio(tokensPerRow(naive) / floorPerRow), ratio(tokensPerRow(cached) / floorPerRow)],
    ['wall time', seconds(ours.wallMilliseconds), seconds(naive.wallMilliseconds), seconds(cached.wallMilliseconds)],
    ['mean latency of one request (L)', seconds(ours.meanLatencyMilliseconds), seconds(naive.meanLatencyMilliseconds), '-'],
    ['lower bound', seconds(oursBound), seconds(naiveBound), '-'],
    ['wall time / lower bound', ratio(ours.wallMilliseconds / oursBound), ratio(naive.wallMilliseconds / naiveBound), '-'],
    ['peak concurrent requests', String(ours.peakConcurrency), String(naive.peakConcurrency), '-'],
    ['usage.cachedItems', String(ours.cachedItems), String(naive.cachedItems), String(cached.cachedItems)],
    ['rows lost', String(ours.lost), String(naive.lost), String(cached.lost)],
    ['rows misaligned', String(ours.misaligned), String(naive.misaligned), String(cached.misaligned)],
  ];
  const widths = columns.map((_, column) => Math.max(...table.map((row) => (row[column] ?? '').length)));
  const line = (row: string[]) =>
    `| ${row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0))).join(' | ')} |`;
  const rule = `|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`;

  const out: string[] = [];
  out.push(
    `Bulk classification: ${rowCount.toLocaleString('en-US')} banking77 rows (sampled with repeats, seed ${seed}: ${uniqueRows.toLocaleString('en-US')} distinct), ${labels} labels, model ${modelId} (o200k_base).`,
  );
  out.push(
    `Provider: TTFT ${provider.timeToFirstTokenMilliseconds} ms, ${provider.tokensPerSecond} tokens/s, C=${provider.concurrencyLimit}, RPM ${provider.requestsPerMinute.toLocaleString('en-US')}, TPM ${provider.tokensPerMinute.toLocaleString('en-US')} (naive: C=${naiveProvider.concurrencyLimit}, RPM ${naiveProvider.requestsPerMinute.toLocaleString('en-US')}, TPM ${naiveProvider.tokensPerMinute.toLocaleString('en-US')}, same latency).`,
  );
  out.push(
    `Floor: ${floorPerRow.toFixed(1)} tokens per row (the row's own tokens plus its label's). Lower bound: max(60·R/RPM, 60·R·T̄/TPM, ⌈R/C⌉·L) + L, T̄ = prompt + max_tokens as the provider charges.`,
  );
  out.push('');
  out.push(line(table[0] ?? []));
  out.push(rule);
  for (const row of table.slice(1)) out.push(line(row));
  out.push('');

  const summaryRatio = summary.wallMilliseconds / (summary.slowestMapMilliseconds + summary.reduceMilliseconds);
  out.push(
    `100-page document (${documentTokens.toLocaleString('en-US')} tokens): ${summary.mapSteps} map steps in parallel + streamed reduce, ${summary.requests} requests; ` +
      `wall ${seconds(summary.wallMilliseconds)}, slowest map ${seconds(summary.slowestMapMilliseconds)} + reduce ${seconds(summary.reduceMilliseconds)} -> ratio ${ratio(summaryRatio)}`,
  );
  out.push('');

  const targets: [string, boolean, string][] = [
    ['tokens per row <= 1.5x floor', tokensPerRow(ours) / floorPerRow <= 1.5, ratio(tokensPerRow(ours) / floorPerRow)],
    ['>= 10x fewer requests than one per row', naive.requests >= 10 * ours.requests, `${(naive.requests / Math.max(1, ours.requests)).toFixed(1)}x fewer`],
    ['>= 5x fewer tokens than one per row', tokensPerRow(naive) >= 5 * tokensPerRow(ours), `${(tokensPerRow(naive) / tokensPerRow(ours)).toFixed(1)}x fewer`],
    ['wall time <= 1.25x lower bound', ours.wallMilliseconds <= 1.25 * oursBound, ratio(ours.wallMilliseconds / oursBound)],
    [
      're-run makes no requests for rows done',
      cached.requests === 0 && cached.cachedItems === rowCount,
      `${cached.requests} requests, cachedItems ${cached.cachedItems}`,
    ],
    [
      '0 rows lost or misaligned',
      ours.lost + ours.misaligned + cached.lost + cached.misaligned === 0,
      `${ours.lost + cached.lost} lost, ${ours.misaligned + cached.misaligned} misaligned`,
    ],
  ];
  for (const [name, pass, value] of targets) out.push(`${pass ? 'PASS' : 'FAIL'}  ${name}: ${value}`);
  process.stdout.write(`${out.join('\n')}\n`);
  if (targets.some(([, pass]) => !pass)) process.exitCode = 1;
}

await main();
