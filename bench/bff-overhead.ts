// What the BFF itself costs, measured as pairs: each request goes through the BFF, and the very
// request the BFF sent upstream (same messages, same parameters) goes straight to the provider, both
// from the same lean HTTP client (undici's request on a keep-alive pool), so the client's own cost is
// the same on both sides; the difference of each pair is what the BFF added, and its p50/p99 are
// percentiles of those differences (not differences of two distributions' percentiles). Each round
// also sends the request through the least proxy possible (bare-proxy-server.ts: node:http in and
// out), the floor any extra hop costs on this machine. The order rotates, one request at a time, so
// drift and load hit all sides alike. The BFF runs as its own process (as in production), so its CPU
// time per request and its peak memory under 200 concurrent streams are its own.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { Agent, request } from 'undici';
import { startFakeOpenAiServer, type FakeOpenAiServer } from '../test/support/fake-openai-server.js';
import { postStream } from '../test/support/http-client.js';
import { buildRuntimeImage, emitTypeScript } from '../test/support/runtime-image.js';

export interface OverheadReport {
  pairs: number;
  directP50: number;
  bffP50: number;
  /** Percentiles of the per-pair differences (through the BFF minus straight to the provider). */
  addedP50: number;
  addedP99: number;
  /** The same for the least proxy possible (node:http in and out, its own process): one more HTTP hop on this machine. */
  bareAddedP50: number;
  bareAddedP99: number;
  /** Percentiles of the per-round differences through the BFF minus through the bare proxy: what the BFF's own work costs. */
  aboveBareP50: number;
  aboveBareP99: number;
  /** The BFF process's user + system CPU time per request, from /proc. */
  cpuMillisecondsPerRequest: number;
  /** Of which in the kernel (sockets): on a shared machine this part swells. */
  systemCpuMillisecondsPerRequest: number;
  /** The bare proxy's CPU time per request, measured alike. */
  bareCpuMillisecondsPerRequest: number;
  /**
   * CPU time per request of the BFF and of the least proxy in the second half of the warm-up (8 at a
   * time, no provider latency): the cost of the code itself once hot. One request at a time every 40 ms,
   * as measured above, each request also pays for caches gone cold, and more so the more code it runs.
   */
  steadyCpuMillisecondsPerRequest: number;
  bareSteadyCpuMillisecondsPerRequest: number;
  loadSeconds: number;
  loadStreams: number;
  loadFailures: number;
  peakRssMegabytes: number;
}

const providerLatencyMilliseconds = 40;
/**
 * Requests each side gets before the measurement, as a server in service has had: V8 compiles a
 * function for speed only after many calls, and the BFF runs far more code than the least proxy, so
 * 50 requests left it half-compiled (its CPU time per request fell by half between the 2nd and the
 * 8th second of a steady load).
 */
const warmUpRequests = 4000;

export async function measureBffOverhead(options: { pairs?: number; loadSeconds?: number } = {}): Promise<OverheadReport> {
  const pairs = options.pairs ?? 400;
  const loadSeconds = options.loadSeconds ?? Number(process.env['BENCH_LOAD_SECONDS'] ?? 10);
  const fake = await startFakeOpenAiServer();
  let latencyMilliseconds = 0;
  fake.setResponder((request) =>
    request.body.stream
      ? { kind: 'model', delayMilliseconds: latencyMilliseconds, chunkDelayMilliseconds: 10 }
      : { kind: 'model', delayMilliseconds: latencyMilliseconds },
  );
  const port = await freePort();
  const barePort = await freePort();
  const compiled = await compileServers();
  const bff = await startServerProcess(compiled.bff, fake, port);
  const bare = await startServerProcess(compiled.floor, fake, barePort);
  const pool = new Agent({ keepAliveTimeout: 60_000 });
  try {
    /** One POST from the one client all sides share; the time until the whole answer is read. */
    const timedPost = async (url: string, body: string, headers: Record<string, string> = {}) => {
      const started = performance.now();
      const response = await request(url, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers }, dispatcher: pool });
      await response.body.text();
      const elapsed = performance.now() - started;
      if (response.statusCode !== 200) throw new Error(`${url} answered ${response.statusCode}`);
      return elapsed;
    };
    const text = (index: number) => JSON.stringify({ text: `Status update ${index}: the build is green and the release is on track.` });
    const viaBff = (index: number) => timedPost(`http://127.0.0.1:${port}/api/v1/summarize`, text(index));
    const viaBare = (index: number) => timedPost(`http://127.0.0.1:${barePort}/api/v1/summarize`, text(index));
    const direct = (body: string) => timedPost(`${fake.baseUrl}/chat/completions`, body, { authorization: 'Bearer bench' });
    /** The request the BFF sent upstream for its last call: the direct side sends exactly this. */
    const lastUpstream = () => JSON.stringify(fake.requests.at(-1)?.body);

    // The warm-up goes at once (no provider latency, 8 at a time); the measurement at the set latency.
    await viaBff(0);
    const warmUpUpstream = lastUpstream();
    let warmUpIndex = 0;
    let steadyFrom: { bff: number; bare: number; index: number } | undefined;
    const totalCpu = (child: ChildProcess) => {
      const { user, system } = cpuMilliseconds(child);
      return user + system;
    };
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (warmUpIndex < warmUpRequests) {
          warmUpIndex += 1;
          if (warmUpIndex === warmUpRequests / 2) steadyFrom = { bff: totalCpu(bff), bare: totalCpu(bare), index: warmUpIndex };
          await viaBare(warmUpIndex);
          await viaBff(warmUpIndex);
          await direct(warmUpUpstream);
          if (fake.requests.length > 1000) fake.requests.splice(0);
        }
      }),
    );
    const steadyRequests = warmUpIndex - (steadyFrom?.index ?? 0);
    const steadyCpuMillisecondsPerRequest = (totalCpu(bff) - (steadyFrom?.bff ?? 0)) / steadyRequests;
    const bareSteadyCpuMillisecondsPerRequest = (totalCpu(bare) - (steadyFrom?.bare ?? 0)) / steadyRequests;
    fake.requests.splice(0);
    latencyMilliseconds = providerLatencyMilliseconds;
    const differences: number[] = [];
    const bareDifferences: number[] = [];
    const aboveBare: number[] = [];
    const directTimes: number[] = [];
    const bffTimes: number[] = [];
    let bffRequests = 0;
    const cpuBefore = cpuMilliseconds(bff);
    const bareCpuBefore = cpuMilliseconds(bare);
    for (let index = 0; index < pairs; index += 1) {
      // One round: the BFF, the bare proxy and the BFF's exact upstream request sent directly, in an
      // order that rotates so drift and load hit all three alike. When the direct call comes before the
      // BFF's, a throwaway BFF call first records the upstream request it sends.
      let bffTime = 0;
      let bareTime = 0;
      let directTime = 0;
      const order = [
        ['bff', 'bare', 'direct'],
        ['bare', 'direct', 'bff'],
        ['direct', 'bff', 'bare'],
      ][index % 3] as ('bff' | 'bare' | 'direct')[];
      if (order.indexOf('direct') < order.indexOf('bff')) {
        await viaBff(index);
        bffRequests += 1;
      }
      let upstream = lastUpstream();
      for (const side of order) {
        if (side === 'bff') {
          bffTime = await viaBff(index);
          bffRequests += 1;
          upstream = lastUpstream();
        } else if (side === 'bare') bareTime = await viaBare(index);
        else directTime = await direct(upstream);
      }
      fake.requests.splice(0);
      differences.push(bffTime - directTime);
      bareDifferences.push(bareTime - directTime);
      aboveBare.push(bffTime - bareTime);
      directTimes.push(directTime);
      bffTimes.push(bffTime);
    }
    const cpuAfter = cpuMilliseconds(bff);
    const bareCpuAfter = cpuMilliseconds(bare);
    const bareCpuMillisecondsPerRequest = (bareCpuAfter.user + bareCpuAfter.system - bareCpuBefore.user - bareCpuBefore.system) / pairs;
    const cpuMillisecondsPerRequest = (cpuAfter.user + cpuAfter.system - cpuBefore.user - cpuBefore.system) / bffRequests;
    const systemCpuMillisecondsPerRequest = (cpuAfter.system - cpuBefore.system) / bffRequests;

    let loadStreams = 0;
    let loadFailures = 0;
    const trimmer = setInterval(() => fake.requests.splice(0), 1000);
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
    clearInterval(trimmer);
    return {
      pairs,
      directP50: percentile(directTimes, 50),
      bffP50: percentile(bffTimes, 50),
      addedP50: percentile(differences, 50),
      addedP99: percentile(differences, 99),
      bareAddedP50: percentile(bareDifferences, 50),
      bareAddedP99: percentile(bareDifferences, 99),
      aboveBareP50: percentile(aboveBare, 50),
      aboveBareP99: percentile(aboveBare, 99),
      cpuMillisecondsPerRequest,
      systemCpuMillisecondsPerRequest,
      bareCpuMillisecondsPerRequest,
      steadyCpuMillisecondsPerRequest,
      bareSteadyCpuMillisecondsPerRequest,
      loadSeconds,
      loadStreams,
      loadFailures,
      peakRssMegabytes: peakResidentMegabytes(bff),
    };
  } finally {
    bff.kill('SIGTERM');
    bare.kill('SIGTERM');
    await pool.destroy();
    await fake.close();
    rmSync(compiled.directory, { recursive: true, force: true });
  }
}

export function formatOverheadReport(report: OverheadReport): string {
  const round = (value: number) => value.toFixed(2);
  return [
    `BFF overhead: ${report.pairs} rounds, each the same summarize request through the BFF, through the least proxy, and (the exact upstream request) straight to the provider (latency ${providerLatencyMilliseconds} ms), from one client, one request at a time.`,
    `  through the BFF p50 ${round(report.bffP50)} ms, straight p50 ${round(report.directP50)} ms; added by the BFF (per-pair differences): p50 ${round(report.addedP50)} ms, p99 ${round(report.addedP99)} ms; BFF CPU time ${round(report.cpuMillisecondsPerRequest)} ms per request (${round(report.systemCpuMillisecondsPerRequest)} ms of it in the kernel).`,
    `  the least proxy possible (node:http in and out, nothing else) adds p50 ${round(report.bareAddedP50)} ms, p99 ${round(report.bareAddedP99)} ms on this machine (CPU time ${round(report.bareCpuMillisecondsPerRequest)} ms per request): the floor of one more HTTP hop here; the BFF above that floor (per-round differences): p50 ${round(report.aboveBareP50)} ms, p99 ${round(report.aboveBareP99)} ms.`,
    `  CPU time per request once hot (8 at a time, no provider latency): BFF ${round(report.steadyCpuMillisecondsPerRequest)} ms, least proxy ${round(report.bareSteadyCpuMillisecondsPerRequest)} ms; one request every ${providerLatencyMilliseconds} ms, as above, pays for caches gone cold as well, the more the more code runs.`,
    `  Load: 200 concurrent streams for ${report.loadSeconds} s -> ${report.loadStreams} streams done, ${report.loadFailures} failed; BFF peak memory (RSS) ${report.peakRssMegabytes} MB.`,
  ].join('\n');
}

/** User + system CPU time of a process so far (Linux /proc/<pid>/stat, in clock ticks of 10 ms). */
function cpuMilliseconds(child: ChildProcess): { user: number; system: number } {
  const stat = readFileSync(`/proc/${child.pid}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces) start at the last ')': utime and stime are the 12th and 13th.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { user: Number(fields[11] ?? 0) * 10, system: Number(fields[12] ?? 0) * 10 };
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

/**
 * The server as the runtime image holds it, and the floor proxy compiled alike: both run with plain
 * `node` as production does; tsx would add its own helpers to every function the BFF creates per
 * request, a cost production does not pay.
 */
async function compileServers(): Promise<{ directory: string; bff: string; floor: string }> {
  const directory = mkdtempSync(path.join(os.tmpdir(), 'bench-servers-'));
  await buildRuntimeImage(directory);
  const floor = path.join(directory, 'floor');
  await emitTypeScript([
    'bench/bare-proxy-server.ts',
    '--ignoreConfig',
    '--outDir',
    floor,
    '--module',
    'nodenext',
    '--target',
    'es2022',
    '--types',
    'node',
    '--skipLibCheck',
  ]);
  return { directory, bff: path.join(directory, 'dist/server/main.js'), floor: path.join(floor, 'bare-proxy-server.js') };
}

async function startServerProcess(script: string, fake: FakeOpenAiServer, port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, [script], {
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
  throw new Error(`${script} did not start within 30 s`);
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
