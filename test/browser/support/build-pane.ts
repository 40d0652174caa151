// Builds the task pane for the browser tests, in development mode (fast, readable stack traces), with
// the local office.js copy so the page needs no network. Runs webpack in a child process: loading
// webpack inside jest's module sandbox is slow and fragile.
// One build serves every test file of a run: the output folder is named by a hash of the sources and
// the build settings, and the first file to need it builds it under a lock while the others wait (a
// build takes a minute or more on two cores; each browser test file building its own cost minutes).
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const repositoryRoot = path.resolve(import.meta.dirname, '../../..');
const buildArguments = ['--mode', 'development', '--env', 'officeJs=local'];
/** A lock older than this was left by a killed run: it is taken over. */
const staleLockMilliseconds = 10 * 60_000;

export async function buildPaneForTests(): Promise<string> {
  const outputPath = path.join(os.tmpdir(), `taskpane-test-build-${sourcesHash()}`);
  const complete = path.join(outputPath, '.complete');
  const lock = `${outputPath}.lock`;
  for (;;) {
    if (existsSync(complete)) return outputPath;
    if (takeLock(lock)) break;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  try {
    if (existsSync(complete)) return outputPath;
    // Built beside, then moved in place: a reader never sees half a build.
    const building = `${outputPath}.building-${process.pid}`;
    rmSync(building, { recursive: true, force: true });
    try {
      await runWebpack(building);
    } catch (error) {
      rmSync(building, { recursive: true, force: true });
      throw error;
    }
    writeFileSync(path.join(building, '.complete'), '');
    rmSync(outputPath, { recursive: true, force: true });
    renameSync(building, outputPath);
    removeOldBuilds(outputPath);
    return outputPath;
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/** Builds of earlier sources that no run has touched for an hour, and half builds of killed runs as old. */
function removeOldBuilds(current: string): void {
  const folder = path.dirname(current);
  for (const name of readdirSync(folder)) {
    const candidate = path.join(folder, name);
    if (!/^taskpane-test-build-[0-9a-f]{16}(\.building-\d+)?$/.test(name) || candidate === current) continue;
    try {
      if (Date.now() - statSync(candidate).mtimeMs > 60 * 60_000) rmSync(candidate, { recursive: true, force: true });
    } catch {
      // removed meanwhile
    }
  }
}

function takeLock(lock: string): boolean {
  try {
    mkdirSync(lock);
    return true;
  } catch {
    try {
      if (Date.now() - statSync(lock).mtimeMs > staleLockMilliseconds) rmSync(lock, { recursive: true, force: true });
    } catch {
      // released meanwhile
    }
    return false;
  }
}

/** Paths, sizes and modification times of everything the build reads: a change anywhere means a new build. */
function sourcesHash(): string {
  const hash = createHash('sha256').update(buildArguments.join(' '));
  const visit = (relative: string) => {
    const absolute = path.join(repositoryRoot, relative);
    if (!existsSync(absolute)) return;
    const stat = statSync(absolute);
    if (stat.isDirectory()) {
      for (const name of readdirSync(absolute).sort()) visit(path.join(relative, name));
    } else {
      hash.update(`${relative}\0${stat.size}\0${stat.mtimeMs}\n`);
    }
  };
  for (const entry of ['src', 'assets', 'webpack.config.js', 'package-lock.json', 'tsconfig.json', 'manifest.xml', 'manifest.outlook.xml']) visit(entry);
  return hash.digest('hex').slice(0, 16);
}

async function runWebpack(outputPath: string): Promise<void> {
  const webpackCli = path.join(repositoryRoot, 'node_modules/webpack-cli/bin/cli.js');
  const output: string[] = [];
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(process.execPath, [webpackCli, ...buildArguments, '--env', `outputPath=${outputPath}`], {
      cwd: repositoryRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    child.on('error', reject);
    child.on('close', resolve);
  });
  if (code !== 0) throw new Error(`webpack failed (exit ${code}):\n${output.join('')}`);
}
