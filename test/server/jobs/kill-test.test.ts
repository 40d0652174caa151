// The kill test (issue 16): a real redis-server, three real BFF processes (`node --import tsx
// src/server/main.ts`, as `npm run serve` runs it) behind a round-robin proxy on loopback, and the
// loopback provider with a provider's latency. A 10,000-row classify job runs; mid-run one instance is
// killed with SIGKILL and another is stopped with SIGTERM. The job must complete with every row's own
// label (none lost, none shifted), at most one batch per killed instance asked twice upstream, and a
// client that follows the job through the proxy, cut off by the kill, reconnects and gets every result.
import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { createParser, type EventSourceMessage } from 'eventsource-parser';
import type { JobItemResult, JobStatus } from '../../../src/contract/jobs.js';
import { classifyRequestParts, fakeModelAnswer } from '../../support/fake-openai-server.js';
import { startLlmSimulator, type LlmSimulator } from '../../support/llm-simulator.js';
import { freePort, startRedisServer, type RunningRedis } from '../../support/redis-server.js';
import { startRoundRobinProxy, type RoundRobinProxy } from '../../support/round-robin-proxy.js';
import { temporaryFolder } from '../../support/temporary-folder.js';

const rowCount = 10_000;
const batchSize = 500;
const labels = ['billing question', 'shipping delay', 'account access', 'product defect'];
const topics = ['billing', 'shipping', 'account', 'defect'];
/** Row i names its topic, so the simulator's deterministic answer for it is labels[i % 4]: a shifted row shows. */
const rowText = (index: number) => `ticket ${index}: a ${topics[index % 4]} problem`;
const expectedLabel = (index: number) => labels[index % 4];

interface Instance {
  url: string;
  process: ChildProcess;
  output: string[];
  exitedAt?: number;
}

let home: string;
let redis: RunningRedis;
/** One loopback provider per instance (the same answers, one shared count per row): each shows whether its instance is mid-batch. */
const simulators: LlmSimulator[] = [];
const startedCalls = [0, 0, 0];
let proxy: RoundRobinProxy;
const instances: Instance[] = [];
/** How often each row was sent upstream, and which instances sent it. */
const askedPerRow = new Map<number, number>();
const askersPerRow = new Map<number, number[]>();

beforeAll(async () => {
  home = temporaryFolder('kill-test');
  redis = await startRedisServer();
  for (const number of [0, 1, 2]) {
    simulators[number] = await startLlmSimulator({
      // About a second per 500-row batch: long enough to kill instances mid-batch, short enough for a ~20 s run.
      timeToFirstTokenMilliseconds: 400,
      tokensPerSecond: 4000,
      concurrencyLimit: 64,
      requestsPerMinute: 100_000,
      tokensPerMinute: 100_000_000,
      rateLimitHeaders: false,
      answer: (body) => {
        startedCalls[number] = (startedCalls[number] ?? 0) + 1;
        for (const item of classifyRequestParts(body)?.items ?? []) {
          const index = Number(/^ticket (\d+):/.exec(item.text)?.[1]);
          askedPerRow.set(index, (askedPerRow.get(index) ?? 0) + 1);
          askersPerRow.set(index, [...(askersPerRow.get(index) ?? []), number]);
        }
        return fakeModelAnswer(body);
      },
    });
  }
  await Promise.all([0, 1, 2].map(async (number) => (instances[number] = await startInstance(number))));
  proxy = await startRoundRobinProxy(instances.map((instance) => instance.url));
  // Starting three tsx processes takes seconds on an idle machine and much longer on a busy one.
}, 150_000);

afterAll(async () => {
  await proxy?.close();
  await Promise.all(instances.filter(Boolean).map((instance) => stopInstance(instance, 'SIGKILL')));
  await Promise.all(simulators.map((simulator) => simulator.close()));
  await redis?.stop();
  rmSync(home, { recursive: true, force: true });
}, 30_000);

test('a 10,000-row job survives a SIGKILLed and a SIGTERMed instance: complete, aligned, at most one batch per killed instance redone', async () => {
  const startedAt = Date.now();
  const created = await fetchJson('POST', `${proxy.url}/api/v1/jobs`, {
    operation: 'classify',
    request: { items: Array.from({ length: rowCount }, (_, index) => rowText(index)), labels },
  });
  expect(created.status).toBe(202);
  const job = (created.body as { job: JobStatus }).job;

  // The client follows through the proxy (round robin: not on the instance that took the POST).
  const received = new Map<number, string | null>();
  let conflictingAnswers = 0;
  let connections = 0;
  const following = follow(
    `${proxy.url}/api/v1/jobs/${job.id}/events`,
    (item) => {
      const label = 'label' in item ? item.label : null;
      if (received.has(item.index) && received.get(item.index) !== label) conflictingAnswers += 1;
      received.set(item.index, label);
    },
    () => (connections += 1),
  );

  // Mid-run: a few batches done, and both instances to stop are waiting for an upstream answer (mid-batch).
  const midBatch = (number: number) => (startedCalls[number] ?? 0) > (simulators[number]?.calls.length ?? 0);
  await waitFor(async () => ((await status(job.id)).counts.done >= 3 * batchSize ? true : undefined), 60_000);
  await waitFor(async () => (midBatch(1) && midBatch(2) ? true : undefined), 30_000, 10);
  const followerInstance = instances[1]!;
  const stoppedInstance = instances[2]!;
  const killedAt = Date.now();
  followerInstance.process.kill('SIGKILL');
  stoppedInstance.process.kill('SIGTERM');

  const final = await waitFor(async () => {
    const now = await status(job.id);
    return now.state === 'completed' || now.state === 'failed' ? now : undefined;
  }, 60_000);
  const finishedAt = Date.now();
  const streamEnd = await following;
  const stoppedExit = await exitOf(stoppedInstance);
  const stoppedAfterMilliseconds = (stoppedInstance.exitedAt ?? Date.now()) - killedAt;

  // Every row, by range, through the proxy (the surviving instance answers).
  const results: JobItemResult[] = [];
  for (let from = 0; from < rowCount; from += 5000) {
    const page = await fetchJson('GET', `${proxy.url}/api/v1/jobs/${job.id}/results?from=${from}&to=${from + 5000}`);
    results.push(...(page.body as { results: JobItemResult[] }).results);
  }
  const aligned = results.filter((result, position) => result.index === position && 'label' in result && result.label === expectedLabel(result.index));
  const rowsLost = rowCount - aligned.length;
  const rowsAskedTwice = [...askedPerRow].filter(([, count]) => count > 1).map(([index]) => index);
  const batchesRepeated = new Set(rowsAskedTwice.map((index) => Math.floor(index / batchSize)));
  /** Repeated batches by the instance that asked first (the one that lost it): 1 SIGKILLed, 2 SIGTERMed. */
  const repeatedBy = (number: number) =>
    new Set(rowsAskedTwice.filter((index) => askersPerRow.get(index)?.[0] === number).map((index) => Math.floor(index / batchSize))).size;
  const streamedAligned = [...received].filter(([index, label]) => label === expectedLabel(index)).length;

  console.log(
    [
      'kill test (npm run test:jest -- test/server/jobs/kill-test.test.ts):',
      `  rows: ${rowCount} in ${rowCount / batchSize} batches of ${batchSize}, 3 instances, 1 batch at a time each; upstream requests per instance: ${simulators.map((simulator) => simulator.calls.length).join(', ')}`,
      `  rows lost or misaligned: ${rowsLost}`,
      `  batches asked twice upstream: ${batchesRepeated.size} (${rowsAskedTwice.length} rows): ${repeatedBy(1)} held by the SIGKILLed instance, ${repeatedBy(2)} by the SIGTERMed one, ${repeatedBy(0)} by the survivor`,
      `  rows never asked upstream: ${rowCount - askedPerRow.size}`,
      `  time to finish: ${((finishedAt - startedAt) / 1000).toFixed(1)} s (${((finishedAt - killedAt) / 1000).toFixed(1)} s after the kills)`,
      `  follower: ${connections} connections, ${received.size} distinct results streamed, ${streamedAligned} correct, stream ended with ${streamEnd}`,
      `  SIGTERMed instance exited with ${stoppedExit} ${(stoppedAfterMilliseconds / 1000).toFixed(1)} s after SIGTERM; proxy passed ${proxy.refused} requests on from a dead instance`,
      ...stoppedInstance.output
        .join('')
        .split('\n')
        .filter((line) => /shutdown|shutting|jobs:|closed|closing/i.test(line))
        .map((line) => `  SIGTERMed instance said: ${line.slice(0, 200)}`),
    ].join('\n'),
  );

  expect(final.state).toBe('completed');
  expect(final.counts).toEqual({ total: rowCount, done: rowCount, failed: 0 });
  expect(rowsLost).toBe(0);
  expect(askedPerRow.size).toBe(rowCount);
  // At most one batch per killed instance (the SIGTERMed one finishes its batch within the grace, or hands it back); none from the survivor.
  expect(repeatedBy(1)).toBeLessThanOrEqual(1);
  expect(repeatedBy(2)).toBeLessThanOrEqual(1);
  expect(repeatedBy(0)).toBe(0);
  expect(batchesRepeated.size).toBeLessThanOrEqual(2);
  expect(stoppedExit).toBe('0');
  // The follower was on the SIGKILLed instance: it was cut off, reconnected through the proxy, and got every row.
  expect(connections).toBeGreaterThanOrEqual(2);
  expect(streamEnd).toBe('done');
  expect(received.size).toBe(rowCount);
  expect(streamedAligned).toBe(rowCount);
  expect(conflictingAnswers).toBe(0);
}, 90_000);

async function startInstance(number: number): Promise<Instance> {
  const port = await freePort();
  const environment = {
    PATH: process.env['PATH'] ?? '',
    HOME: home,
    HOST: '127.0.0.1',
    PORT: String(port),
    OPENAI_BASE_URL: simulators[number]?.baseUrl,
    OPENAI_API_KEY: 'test-key',
    LLM_MODEL: 'gpt-4o-mini',
    REDIS_URL: redis.url,
    // Upstream requests are counted per row: the cache would hide a redone batch.
    CACHE: 'off',
    STATIC_DIR: '/nonexistent',
    BUDGET_PATH: path.join(home, `budgets-${number}.sqlite`),
    // The instance stopped with SIGTERM says how its shutdown went.
    LOG_LEVEL: number === 2 ? 'info' : 'warn',
    JOB_BATCH_SIZE: String(batchSize),
    JOB_WORKER_CONCURRENCY: '1',
    // A dead instance's batch goes back to the queue within about two leases; a lease survives a busy machine's late heartbeat.
    JOB_LEASE_MS: '5000',
    JOB_SHUTDOWN_GRACE_MS: '15000',
  };
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts'], { cwd: process.cwd(), env: environment, stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  // Stopped in afterAll even when another instance fails to start.
  instances[number] = { url: '', process: child, output };
  child.once('exit', () => {
    const instance = instances[number];
    if (instance !== undefined) instance.exitedAt = Date.now();
  });
  child.stdout?.on('data', (chunk: Buffer) => output.push(chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString('utf8')));
  const url = `http://127.0.0.1:${port}`;
  await waitFor(async () => {
    if (child.exitCode !== null) throw new Error(`instance ${number} exited: ${output.join('')}`);
    return fetch(`${url}/api/v1/openapi.json`).then(
      () => true,
      () => undefined,
    );
  }, 140_000);
  instances[number] = { url, process: child, output };
  return { url, process: child, output };
}

function exitOf(instance: Instance): Promise<string> {
  const describe = () => (instance.process.signalCode === null ? `code ${instance.process.exitCode}` : `signal ${instance.process.signalCode}`);
  if (instance.process.exitCode !== null || instance.process.signalCode !== null) return Promise.resolve(describe() === 'code 0' ? '0' : describe());
  return new Promise((resolve) => instance.process.once('exit', () => resolve(describe() === 'code 0' ? '0' : describe())));
}

async function stopInstance(instance: Instance, signal: NodeJS.Signals): Promise<void> {
  if (instance.process.exitCode !== null || instance.process.signalCode !== null) return;
  const exited = new Promise((resolve) => instance.process.once('exit', resolve));
  instance.process.kill(signal);
  await exited;
}

async function status(id: string): Promise<JobStatus> {
  const answer = await fetchJson('GET', `${proxy.url}/api/v1/jobs/${id}`);
  if (answer.status !== 200) throw new Error(`GET job answered ${answer.status}`);
  return (answer.body as { job: JobStatus }).job;
}

async function fetchJson(method: string, url: string, body?: unknown): Promise<{ status: number; body: unknown }> {
  const response = await fetch(url, {
    method,
    headers: { accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text === '' ? undefined : JSON.parse(text) };
}

/**
 * Follows the job's events as the pane does: a connection that ends without `done` or `error` (its
 * instance died) is opened again through the proxy; the server sends every finished item again on a
 * new connection, so nothing done while away is missed. Resolves with the event that ended it.
 */
async function follow(url: string, onItem: (item: JobItemResult) => void, onConnect: () => void): Promise<string> {
  for (let attempt = 0; attempt < 20; attempt += 1) {
    onConnect();
    let ended: string | undefined;
    try {
      const response = await fetch(url, { headers: { accept: 'text/event-stream' } });
      if (response.status !== 200) throw new Error(`events answered ${response.status}`);
      const parser = createParser({
        onEvent: (message: EventSourceMessage) => {
          if (message.event === 'item') onItem(JSON.parse(message.data) as JobItemResult);
          if (message.event === 'done' || message.event === 'error') ended = message.event;
        },
      });
      const decoder = new TextDecoder();
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) parser.feed(decoder.decode(chunk, { stream: true }));
    } catch {
      // Cut off (the instance was killed): reconnect.
    }
    if (ended !== undefined) return ended;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return 'gave up';
}

async function waitFor<T>(check: () => Promise<T | undefined>, timeoutMilliseconds: number, pollMilliseconds = 100): Promise<T> {
  const deadline = Date.now() + timeoutMilliseconds;
  for (;;) {
    const value = await check().catch((error: unknown) => {
      if (error instanceof Error && error.message.startsWith('instance')) throw error;
      return undefined;
    });
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, pollMilliseconds));
  }
}
