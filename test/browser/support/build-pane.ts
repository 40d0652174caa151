// Builds the task pane once per test file, in development mode (fast, readable stack traces), with
// the local office.js copy so the page needs no network. Runs webpack in a child process: loading
// webpack inside jest's module sandbox is slow and fragile.
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const repositoryRoot = path.resolve(import.meta.dirname, '../../..');

export async function buildPaneForTests(): Promise<string> {
  const outputPath = mkdtempSync(path.join(os.tmpdir(), 'taskpane-test-'));
  const webpackCli = path.join(repositoryRoot, 'node_modules/webpack-cli/bin/cli.js');
  const output: string[] = [];
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(process.execPath, [webpackCli, '--mode', 'development', '--env', 'officeJs=local', '--env', `outputPath=${outputPath}`], {
      cwd: repositoryRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    child.on('error', reject);
    child.on('close', resolve);
  });
  if (code !== 0) throw new Error(`webpack failed (exit ${code}):\n${output.join('')}`);
  return outputPath;
}
