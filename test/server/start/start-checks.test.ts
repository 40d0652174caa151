// What `npm start` and the server check before any slow work: a port that is already taken is a
// setting to change, not a crash (the server, run here as a real child process through tsx, and
// `npm start` before it builds anything both say so in one line and exit non-zero), and bad settings
// get the server's own one-line-per-problem report within seconds.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';

interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

function runNode(args: string[], environment: Record<string, string>): Promise<Finished> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: process.cwd(), env: { PATH: process.env['PATH'] ?? '', ...environment } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

let home: string;
let taken: Server;
let port: number;

beforeAll(async () => {
  // Nothing here may write into the real home folder (certificates, caches, budgets).
  home = mkdtempSync(path.join(os.tmpdir(), 'port-in-use-home-'));
  taken = createServer();
  await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
  port = (taken.address() as AddressInfo).port;
});

afterAll(async () => {
  await new Promise((resolve) => taken.close(resolve));
  rmSync(home, { recursive: true, force: true });
});

/** Exactly one line, no stack trace. */
const portInUseLine = () => new RegExp(`^Port ${port} is in use: stop the other server or set PORT=\\d+ \\(any free port\\)\\.\\n$`);

const serverEnvironment = () => ({
  HOME: home,
  PORT: String(port),
  HOST: '127.0.0.1',
  // A remote provider that is never called: no local model starts loading.
  OPENAI_BASE_URL: 'http://127.0.0.1:9/v1',
  LLM_MODEL: 'test-model',
  CACHE: 'off',
  STATIC_DIR: '/nonexistent',
  BUDGET_PATH: path.join(home, 'budgets.sqlite'),
});

test('the server on a taken port: one readable line on stderr, exit code 1', async () => {
  const result = await runNode(['--import', 'tsx', 'src/server/main.ts'], serverEnvironment());
  expect(result.code).toBe(1);
  expect(result.stderr).toMatch(portInUseLine());
});

test('`npm start` on a taken port says the same before building anything', async () => {
  const result = await runNode(['scripts/start.mjs', '--no-sideload'], serverEnvironment());
  expect(result.code).toBe(1);
  expect(result.stderr).toMatch(portInUseLine());
  expect(result.stdout).not.toContain('Building the task pane');
  // Checked before the certificate step too: nothing was written.
  expect(existsSync(path.join(home, '.office-addin-dev-certs'))).toBe(false);
});

test("`npm start` with bad settings prints the server's own lines within seconds, before building", async () => {
  const started = Date.now();
  const result = await runNode(['scripts/start.mjs', '--no-sideload'], { ...serverEnvironment(), PORT: 'abc', LOG_LEVEL: 'loud' });
  expect(result.code).toBe(1);
  expect(result.stderr).toBe(
    [
      'The server cannot start. Fix these settings:',
      '  - PORT must be a whole number from 1 to 65535 (got "abc")',
      '  - LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent (got "loud")',
      '',
    ].join('\n'),
  );
  expect(result.stdout).not.toContain('Building the task pane');
  // The build alone takes 20 s or more; the check needs about one.
  expect(Date.now() - started).toBeLessThan(15_000);
});
