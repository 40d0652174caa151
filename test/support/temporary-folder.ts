// Temporary folders for tests, removed when the test file ends, whether its tests passed, failed or
// timed out. The removal is one afterAll registered from a microtask: that runs once the test file's
// module body has been evaluated and before jest starts its tests, so the hook comes after the file's
// own afterAll hooks and the servers and SQLite stores that use the folders are closed first (SQLite
// refuses writes to a database file that was deleted under it; a test file with a top-level await would
// get the hook at that await, so keep such awaits in beforeAll). Each test file loads this module
// afresh, so the list is per file. Outside jest (the benchmarks reuse test/support) nothing is
// registered and whoever made a folder removes it.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const created = new Set<string>();

if (typeof afterAll === 'function') queueMicrotask(() => afterAll(removeTemporaryFolders));

/** A new empty folder `<os temp folder>/<prefix>-XXXXXX`, removed at the end of the test file at the latest. */
export function temporaryFolder(prefix: string): string {
  const folder = mkdtempSync(path.join(os.tmpdir(), `${prefix}-`));
  created.add(folder);
  return folder;
}

/** Removes a folder now (for a test that needs it gone before the file ends); a missing folder is fine. */
export function removeTemporaryFolder(folder: string): void {
  rmSync(folder, { recursive: true, force: true });
  created.delete(folder);
}

function removeTemporaryFolders(): void {
  for (const folder of [...created]) removeTemporaryFolder(folder);
}
