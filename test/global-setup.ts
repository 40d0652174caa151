// Jest's globalSetup, run once before any test file is loaded (some read ../shared as they load): the
// tests use models and data from the read-only sibling folder ../shared. When any of it is missing,
// the run stops here with one message naming each missing path, where it is expected and which tests
// need it, instead of a crash at import in one test file and skips in others.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

/** System tools the tests run for real; a missing one fails the run (never a silent skip). */
export const requiredTools = [
  { command: 'redis-server', arguments: ['--version'], usedBy: 'shared cache, rate limits and budgets (Redis tests)', debianPackage: 'redis-server' },
  { command: 'xmllint', arguments: ['--version'], usedBy: 'manifest validation', debianPackage: 'libxml2-utils' },
  { command: 'chromium', arguments: ['--version'], usedBy: 'browser tests of the task pane', debianPackage: 'chromium' },
] as const;

/** The message for the tools that are missing, or undefined when all run. */
export function describeMissingTools(runs: (command: string, commandArguments: readonly string[]) => boolean = toolRuns): string | undefined {
  const missing = requiredTools.filter((tool) => !runs(tool.command, tool.arguments));
  if (missing.length === 0) return undefined;
  return [
    'The tests need these system tools, and they are missing:',
    ...missing.map((tool) => `  - ${tool.command} (${tool.usedBy})`),
    `On Debian or Ubuntu: apt-get install ${missing.map((tool) => tool.debianPackage).join(' ')} — or run bash .ci/run, which installs them.`,
  ].join('\n');
}

function toolRuns(command: string, commandArguments: readonly string[]): boolean {
  return spawnSync(command, commandArguments, { stdio: 'ignore', timeout: 20_000 }).status === 0;
}

export interface SharedPath {
  /** Absolute path, as the tests resolve it (from the working directory, like their '../shared/...'). */
  path: string;
  usedBy: string;
}

/** Every file of ../shared the tests and benchmarks read; test/global-setup.test.ts keeps this list complete. */
export function sharedPathsUsedByTests(workingDirectory: string, repositoryRoot: string, environment: NodeJS.ProcessEnv): SharedPath[] {
  const shared = path.resolve(workingDirectory, '../shared');
  return [
    { path: path.join(shared, 'data/samples/llm-overview.de.md'), usedBy: 'test/server/routes.test.ts' },
    { path: path.join(shared, 'data/banking77/train.csv'), usedBy: 'test/server/fault-injection.test.ts, bench/' },
    { path: path.join(shared, 'data/banking77/categories.json'), usedBy: 'test/server/fault-injection.test.ts, bench/' },
    { path: path.join(shared, 'data/bipia/email_train.jsonl'), usedBy: 'test/server/prompt-injection.test.ts' },
    { path: path.join(shared, 'data/bipia/text_attack_train.json'), usedBy: 'test/server/prompt-injection.test.ts' },
    {
      path: path.resolve(workingDirectory, environment['TEST_GGUF_MODEL'] ?? '../shared/models/stories260K.gguf'),
      usedBy: 'test/server/local-provider.test.ts; TEST_GGUF_MODEL may name another GGUF file',
    },
    {
      // scripts/validate-manifests.sh resolves its schema folder from the repository root.
      path: path.resolve(repositoryRoot, environment['OFFICE_MANIFEST_SCHEMAS'] ?? '../shared/office-manifest-schemas', 'OfficeAppManifestV1_1.xsd'),
      usedBy: 'test/manifests.test.ts; OFFICE_MANIFEST_SCHEMAS may name another schema folder',
    },
  ];
}

/** The message for what is missing, or undefined when everything is there. */
export function describeMissingSharedPaths(
  workingDirectory: string,
  paths: readonly SharedPath[],
  exists: (file: string) => boolean = existsSync,
): string | undefined {
  const missing = paths.filter((entry) => !exists(entry.path));
  if (missing.length === 0) return undefined;
  const shared = path.resolve(workingDirectory, '../shared');
  return [
    exists(shared)
      ? `The tests need files from the shared folder ${shared}, and ${missing.length} of them are missing:`
      : `The tests need the shared folder beside this repository, expected at ${shared}, and it is missing. They read:`,
    ...missing.map((entry) => `  - ${entry.path}  needed by ${entry.usedBy}`),
    `Put the project's shared folder (models/, data/, office-manifest-schemas/) at ${shared}, then run the tests again.`,
  ].join('\n');
}

export default function checkSharedFolder(): void {
  const workingDirectory = process.cwd();
  const repositoryRoot = path.resolve(import.meta.dirname, '..');
  const problems = [
    describeMissingSharedPaths(workingDirectory, sharedPathsUsedByTests(workingDirectory, repositoryRoot, process.env)),
    describeMissingTools(),
  ];
  const message = problems.filter((problem) => problem !== undefined).join('\n\n');
  if (message === '') return;
  const error = new Error(message);
  // The message says it all: no stack trace of this file under it.
  error.stack = message;
  throw error;
}
