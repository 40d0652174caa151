// The globalSetup's check of ../shared: it names every missing file with where it is expected and
// who needs it, is silent when all are there, follows the two overrides, and its list covers every
// '../shared/...' path that a test, benchmark or script reads (so a new one cannot slip past it).
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describeMissingSharedPaths, describeMissingTools, sharedPathsUsedByTests } from './global-setup.js';

const repositoryRoot = path.resolve(import.meta.dirname, '..');
let sandbox: string;
let workingDirectory: string;

beforeEach(() => {
  sandbox = mkdtempSync(path.join(os.tmpdir(), 'shared-check-'));
  workingDirectory = path.join(sandbox, 'main');
  mkdirSync(workingDirectory);
});
afterEach(() => rmSync(sandbox, { recursive: true, force: true }));

test('without ../shared: one message naming the folder and every file, with the tests that need it', () => {
  const paths = sharedPathsUsedByTests(workingDirectory, workingDirectory, {});
  const message = describeMissingSharedPaths(workingDirectory, paths);
  expect(message).toContain(`expected at ${path.join(sandbox, 'shared')}, and it is missing`);
  for (const entry of paths) expect(message).toContain(`  - ${entry.path}  needed by ${entry.usedBy}`);
  expect(message).toContain(path.join(sandbox, 'shared/models/stories260K.gguf'));
  expect(message).toContain('test/server/local-provider.test.ts');
});

test('with ../shared complete nothing is reported; one file gone is the only one named', () => {
  const paths = sharedPathsUsedByTests(workingDirectory, workingDirectory, {});
  for (const entry of paths) {
    mkdirSync(path.dirname(entry.path), { recursive: true });
    writeFileSync(entry.path, '');
  }
  expect(describeMissingSharedPaths(workingDirectory, paths)).toBeUndefined();
  const bipia = path.join(sandbox, 'shared/data/bipia/email_train.jsonl');
  rmSync(bipia);
  const message = describeMissingSharedPaths(workingDirectory, paths) ?? '';
  expect(message).toMatch(/^The tests need files from the shared folder .*, and 1 of them are missing:/);
  expect(message.split('\n').filter((line) => line.startsWith('  - '))).toEqual([`  - ${bipia}  needed by test/server/prompt-injection.test.ts`]);
});

test('TEST_GGUF_MODEL and OFFICE_MANIFEST_SCHEMAS move what is checked', () => {
  const paths = sharedPathsUsedByTests(workingDirectory, '/repository', { TEST_GGUF_MODEL: '/models/other.gguf', OFFICE_MANIFEST_SCHEMAS: 'schemas' }).map(
    (entry) => entry.path,
  );
  expect(paths).toContain('/models/other.gguf');
  expect(paths).toContain('/repository/schemas/OfficeAppManifestV1_1.xsd');
  expect(paths.some((file) => file.endsWith('stories260K.gguf'))).toBe(false);
});

test("every '../shared/...' path in test/, bench/ and scripts/ is checked (the path itself or a file under it)", () => {
  const checked = sharedPathsUsedByTests(repositoryRoot, repositoryRoot, {}).map((entry) => entry.path);
  const sources = ['test', 'bench', 'scripts'].flatMap((folder) =>
    readdirSync(path.join(repositoryRoot, folder), { recursive: true, encoding: 'utf8' })
      .filter((name) => /\.(ts|tsx|js|mjs|sh)$/.test(name))
      .map((name) => path.join(folder, name))
      .filter((name) => !name.startsWith(path.join('test', 'global-setup'))),
  );
  const used = new Set<string>();
  for (const source of sources) {
    for (const match of readFileSync(path.join(repositoryRoot, source), 'utf8').matchAll(/(?<![\w./])\.\.\/shared\/[\w./-]*[\w-]/g)) used.add(match[0]);
  }
  expect(used.size).toBeGreaterThanOrEqual(5);
  const unchecked = [...used].filter((relative) => {
    const absolute = path.resolve(repositoryRoot, relative);
    return !checked.some((file) => file === absolute || file.startsWith(`${absolute}${path.sep}`));
  });
  expect(unchecked).toEqual([]);
});

test('a missing system tool fails the run with what to install, never a skip', () => {
  expect(describeMissingTools(() => true)).toBeUndefined();
  const message = describeMissingTools((command) => command !== 'redis-server');
  expect(message).toContain('redis-server');
  expect(message).toContain('apt-get install redis-server');
  expect(message).not.toContain('xmllint (');
  expect(describeMissingTools(() => false)).toContain('apt-get install redis-server libxml2-utils chromium');
});
