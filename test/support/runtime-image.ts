// The runtime image's /app as the Dockerfile builds it, without docker: the server compiled by tsc
// (emit only; type checking is `npm run typecheck`'s job), package.json, and the repository's
// node_modules in place of the production install. The Dockerfile test checks the image against it;
// the overhead benchmark runs the BFF from it, as production runs it (plain `node`, no tsx).
import { execFile } from 'node:child_process';
import { copyFileSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

const repository = path.resolve(import.meta.dirname, '../..');

/** Compiles TypeScript with the repository's tsc, emit only, no source maps; fails with tsc's output. */
export async function emitTypeScript(args: string[]): Promise<void> {
  await promisify(execFile)(process.execPath, [path.join(repository, 'node_modules/typescript/bin/tsc'), ...args, '--noCheck', '--sourceMap', 'false'], {
    cwd: repository,
    maxBuffer: 16 * 1024 * 1024,
  });
}

/** Builds the image's /app into `directory`: `dist/` (the server's entry is `dist/server/main.js`), package.json, node_modules. */
export async function buildRuntimeImage(directory: string): Promise<void> {
  await emitTypeScript(['-p', 'tsconfig.build.json', '--outDir', path.join(directory, 'dist')]);
  copyFileSync(path.join(repository, 'package.json'), path.join(directory, 'package.json'));
  symlinkSync(path.join(repository, 'node_modules'), path.join(directory, 'node_modules'));
}
