// What the BFF itself costs: added latency (p50, p99) of a request through the BFF over the same
// request sent straight to the provider, and the BFF's peak memory under 200 concurrent streams.
// The BFF runs as its own process (as in production) so its memory is measured alone.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import OpenAI from 'openai';
import { startFakeOpenAiServer, type FakeOpenAiServer } from '../test/support/fake-openai-server.js';
import { postJson, postStream } from '../test/support/http-client.js';

export interface OverheadReport {
  requests: number;
  directP50: number;
  directP99: number;
  bffP50: number;
  bffP99: number;
  addedP50: number;
  addedP99: number;
  loadSeconds: number;
  loadStreams: number;
  loadFailures: number;
  peakRssMegabytes: number;
}

const providerLatencyMilliseconds = 40;

export async function measureBffOverhead(options: { requests?: number; concurrency?: number; loadSeconds?: number } = {}): Promise<OverheadReport> {
  const requests = options.requests ?? 400;
  const concurrency = options.concurrency ?? 16;
  const loadSeconds = options.loadSeconds ?? Number(process.env['BENCH_LOAD_SECONDS'] ?? 20);
  const fake = await startFakeOpenAiServer();
  fake.setResponder((request) =>
    request.body.stream
      ? { kind: 'model', delayMilliseconds: providerLatencyMilliseconds, chunkDelayMilliseconds: 10 }
      : { kind: 'model', delayMilliseconds: providerLatencyMilliseconds },
  );
  const trimmer = setInterval(() => fake.requests.splice(0, fake.requests.length), 1000);
  const port = await freePort();
  const bff = await startBffProcess(fake, port);
  try {
    const client = new OpenAI({ apiKey: 'bench', baseURL: fake.baseUrl, maxRetries: 0 });
    const direct = await timeAll(requests, concurrency, async (index) => {
      await client.chat.completions.create({
        model: 'fake-model',
        messages: [
          { role: 'system', content: 'Summarise.' },
          { role: 'user', content: `Status update ${index}: the build is green and the release is on track.` },
        ],
      });
    });
    const viaBff = await timeAll(requests, concurrency, async (index) => {
      const response = await postJson(`http://127.0.0.1:${port}/api/v1/summarize`, {
        text: `Status update ${index}: the build is green and the release is on track.`,
      });
      if (response.status !== 200) throw new Error(`BFF answered ${response.status}`);
    });

    let loadStreams = 0;
    let loadFailures = 0;
    const deadline = Date.now() + loadSeconds * 1000;
    await Promise.all(
      Array.from({ length: 200 }, async (_, worker) => {
        while (Date.now() < deadline) {
          const { status, events } = await postStream(`http://127.0.0.1:${port}/api/v1/summarize`, {
            text: `Worker ${worker}, update ${loadStreams}: all systems nominal today.`,
          });
          if (status === 200 && events.at(-1)?.event === 'done') loadStreams += 1;
          else loadFailures += 1;
        }
      }),
    );
    const peakRssMegabytes = peakResidentMegabytes(bff);

    const directP50 = percentile(direct, 50);
    const directP99 = percentile(direct, 99);
    const bffP50 = percentile(viaBff, 50);
    const bffP99 = percentile(viaBff, 99);
    return {
      requests,
      directP50,
      directP99,
      bffP50,
      bffP99,
      addedP50: bffP50 - directP50,
      addedP99: bffP99 - directP99,
      loadSeconds,
      loadStreams,
      loadFailures,
      peakRssMegabytes,
    };
  } finally {
    clearInterval(trimmer);
    bff.kill('SIGTERM');
    await fake.close();
  }
}

export function formatOverheadReport(report: OverheadReport): string {
  const round = (value: number) => value.toFixed(1);
  return [
    `BFF overhead (provider latency ${providerLatencyMilliseconds} ms, ${report.requests} requests each way)`,
    '| measure | straight to the provider | through the BFF | added by the BFF |',
    '| --- | ---: | ---: | ---: |',
    `| latency p50 (ms) | ${round(report.directP50)} | ${round(report.bffP50)} | ${round(report.addedP50)} |`,
    `| latency p99 (ms) | ${round(report.directP99)} | ${round(report.bffP99)} | ${round(report.addedP99)} |`,
    '',
    `Load: 200 concurrent streams for ${report.loadSeconds} s → ${report.loadStreams} streams done, ${report.loadFailures} failed; BFF peak memory (RSS) ${report.peakRssMegabytes} MB`,
  ].join('\n');
}

async function timeAll(count: number, concurrency: number, task: (index: number) => Promise<void>): Promise<number[]> {
  const durations: number[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const index = next;
        next += 1;
        const started = performance.now();
        await task(index);
        durations.push(performance.now() - started);
      }
    }),
  );
  return durations;
}

function percentile(values: number[], rank: number): number {
  const sorted = [...values].sort((left, right) => left - right);
  return sorted[Math.min(sorted.length - 1, Math.ceil((rank / 100) * sorted.length) - 1)] ?? 0;
}

/** Peak resident memory of a process (Linux VmHWM). */
function peakResidentMegabytes(child: ChildProcess): number {
  const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
  const kilobytes = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return Math.round(kilobytes / 1024);
}

async function startBffProcess(fake: FakeOpenAiServer, port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts'], {
    env: {
      PATH: process.env['PATH'],
      HOME: process.env['HOME'],
      PORT: String(port),
      OPENAI_BASE_URL: fake.baseUrl,
      OPENAI_API_KEY: 'bench',
      LLM_MODEL: 'fake-model',
      LOG_LEVEL: 'warn',
      RATE_LIMIT_PER_MINUTE: '0',
      // The comparison is of the BFF's own cost: its upstream cap must not queue the 16 clients.
      LLM_MAX_CONCURRENCY: '64',
      CACHE: 'off',
      STATIC_DIR: '/nonexistent',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok) return child;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill();
  throw new Error('the BFF did not start within 30 s');
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const report = await measureBffOverhead();
  console.log(formatOverheadReport(report));
}
