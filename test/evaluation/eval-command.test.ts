// `npm run eval` itself (scripts/eval.ts in a child process, as a deployer runs it) against the
// loopback OpenAI-protocol server: the tables on stdout, report.json and report.html in --out, the
// exit code, and no secret from the command line in the report.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { startFakeOpenAiServer, type FakeOpenAiServer } from '../support/fake-openai-server.js';
import { loadClassificationSet, loadInjectionSet } from '../../src/evaluation/data-sets.js';
import type { EvaluationReport } from '../../src/evaluation/run-evaluation.js';
import { evaluationResponder } from './support/evaluation-responder.js';

const run = promisify(execFile);
const dataFolder = path.resolve('../shared/data');
let server: FakeOpenAiServer;
let folder: string;

beforeAll(async () => {
  server = await startFakeOpenAiServer();
  server.setResponder(
    evaluationResponder({
      behaviour: 'correct',
      goldLabels: new Map(loadClassificationSet(dataFolder).rows.map((row) => [row.text, row.label])),
      attackTexts: loadInjectionSet(dataFolder).attacks.map((attack) => attack.text),
    }),
  );
  folder = mkdtempSync(path.join(os.tmpdir(), 'eval-command-'));
});

afterAll(async () => {
  await server.close();
  rmSync(folder, { recursive: true, force: true });
});

test('prints the tables, writes report.json and report.html, and exits 0', async () => {
  const { stdout } = await run(
    path.resolve('node_modules/.bin/tsx'),
    [
      'scripts/eval.ts',
      '--profile',
      `compatible:loopback@${server.baseUrl},OPENAI_API_KEY=sk-do-not-print,PROFILE_NAME=loopback`,
      '--data',
      dataFolder,
      '--rows',
      '12',
      '--paragraphs',
      '2',
      '--injection-cases',
      '3',
      '--out',
      folder,
    ],
    // Only what the command needs: the profile carries the provider settings.
    { env: { PATH: process.env['PATH'] ?? '', HOME: os.homedir() }, timeout: 60_000 },
  );
  expect(stdout).toMatch(/loopback\s+openai-compatible \/ loopback\s+batched\s+12\s+100\.0%/);
  expect(stdout).toContain(`Report: ${path.join(folder, 'report.html')}`);
  const report = JSON.parse(readFileSync(path.join(folder, 'report.json'), 'utf8')) as EvaluationReport;
  expect(report.profiles.map((profile) => [profile.name, profile.model, profile.suiteErrors])).toEqual([['loopback', 'loopback', {}]]);
  expect(report.samples.classification?.rows).toBe(12);
  expect(report.command).toContain('OPENAI_API_KEY=[redacted]');
  const html = readFileSync(path.join(folder, 'report.html'), 'utf8');
  expect(html).toContain('data-chart="accuracy-time"');
  for (const text of [JSON.stringify(report), html, stdout]) expect(text).not.toContain('sk-do-not-print');
}, 60_000);
