// Tests leave nothing in the OS temp folder: temporaryFolder() removes its folders when the test file
// ends, after the file's own afterAll hooks (which close the servers using them), also when a test
// failed; and every other test that makes a temporary folder removes it itself.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { temporaryFolder } from './temporary-folder.js';

const repositoryRoot = path.resolve(import.meta.dirname, '../..');

test('folders made while loading, in beforeAll and in a failing test outlive the file’s own afterAll and are gone when the file ends', () => {
  const record = path.join(temporaryFolder('sweep-record'), 'record.json');
  const prefix = `sweep-check-${process.pid}`;
  const environment: NodeJS.ProcessEnv = { ...process.env, SWEEP_RECORD: record, SWEEP_PREFIX: prefix };
  delete environment['JEST_WORKER_ID'];
  const jest = spawnSync(
    process.execPath,
    [
      '--experimental-vm-modules',
      '--no-warnings=ExperimentalWarning',
      'node_modules/jest/bin/jest.js',
      '--ci',
      '--runInBand',
      '--testMatch',
      '<rootDir>/test/support/fixtures/temporary-folder-sweep.ts',
    ],
    { cwd: repositoryRoot, env: environment, encoding: 'utf8', timeout: 110_000 },
  );
  // The fixture's one test fails on purpose.
  expect(jest.stderr).toContain('failing on purpose');
  expect(jest.status).toBe(1);
  const made = JSON.parse(readFileSync(record, 'utf8')) as { folder: string; existed: boolean }[];
  expect(made).toHaveLength(3);
  for (const { folder, existed } of made) {
    expect(path.basename(folder)).toMatch(new RegExp(`^${prefix}-`));
    expect(existed).toBe(true);
    expect(existsSync(folder)).toBe(false);
  }
  expect(readdirSync(os.tmpdir()).filter((name) => name.startsWith(`${prefix}-`))).toEqual([]);
}, 120_000);

test('every other test file that makes a temporary folder with mkdtemp also removes it (rmSync or rm)', () => {
  const sources = readdirSync(path.join(repositoryRoot, 'test'), { recursive: true, encoding: 'utf8' })
    .filter((name) => /\.tsx?$/.test(name) && name !== path.join('support', 'temporary-folder.ts'))
    .map((name) => ({ name, text: readFileSync(path.join(repositoryRoot, 'test', name), 'utf8') }));
  const making = sources.filter(({ text }) => /\bmkdtemp(Sync)?\(/.test(text));
  expect(making.length).toBeGreaterThan(0);
  expect(making.filter(({ text }) => !/\brm(Sync)?\(/.test(text)).map(({ name }) => name)).toEqual([]);
});
