// The import boundaries in eslint.config.js, proven on the real config: for each rule a forbidden import
// is reported (by that rule, with that boundary's message) and an allowed one reports nothing. The code
// is linted under virtual file names inside the real tree, so imports resolve against real files.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { ESLint } from 'eslint';

const root = path.resolve(import.meta.dirname, '../..');
let eslint: ESLint;

beforeAll(() => {
  eslint = new ESLint({ cwd: root });
});

async function lint(filePath: string, code: string): Promise<{ ruleId: string | null; message: string }[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, filePath) });
  return (result?.messages ?? []).map(({ ruleId, message }) => ({ ruleId, message }));
}

/** A module that imports `specifier` as a value (and uses it, so no other rule objects). */
const valueImport = (specifier: string) => `import * as imported from '${specifier}';\n\nexport const used = imported;\n`;
/** The same with `import type`, which the compiler erases. */
const typeImport = (specifier: string) => `import type * as imported from '${specifier}';\n\nexport type Used = typeof imported;\n`;

async function expectReported(filePath: string, code: string, ruleId: string, messagePart: string): Promise<void> {
  const messages = await lint(filePath, code);
  expect(messages).toEqual(expect.arrayContaining([expect.objectContaining({ ruleId, message: expect.stringContaining(messagePart) })]));
}

async function expectClean(filePath: string, code: string): Promise<void> {
  expect(await lint(filePath, code)).toEqual([]);
}

const restrictedPaths = 'import-x/no-restricted-paths';
const restrictedImports = '@typescript-eslint/no-restricted-imports';

describe('src/contract imports nothing of ours outside src/contract', () => {
  const file = 'src/contract/boundary-probe.ts';
  it('reports an import of src/hosts', () => expectReported(file, valueImport('../hosts/host-adapter.js'), restrictedPaths, 'src/contract imports nothing'));
  it('allows its own files', () => expectClean(file, valueImport('./routes.js')));
});

describe("the contract's run-time part for the pane is zod-free", () => {
  it('reports zod in routes.ts', () =>
    expectReported('src/contract/routes.ts', "import { z } from 'zod';\n\nexport const used = z;\n", restrictedImports, 'zod-free'));
  it('reports a zod schema module imported by labels.ts', () =>
    expectReported('src/contract/labels.ts', valueImport('./common-schemas.js'), restrictedPaths, 'zod-free'));
  it('reports operations/ imported by options.ts', () =>
    expectReported('src/contract/options.ts', valueImport('./operations/index.js'), restrictedPaths, 'zod-free'));
  it('allows one zod-free file importing another', () => expectClean('src/contract/labels.ts', valueImport('./options.js')));
});

describe('the pane imports the zod modules of the contract only with import type', () => {
  it('reports a value import of schemas.ts in the pane', () =>
    expectReported('src/taskpane/shared/api/boundary-probe.ts', valueImport('../../../contract/schemas.js'), restrictedImports, 'import type'));
  it('reports a value import of operations/ in a host adapter', () =>
    expectReported('src/hosts/word/boundary-probe.ts', valueImport('../../contract/operations/index.js'), restrictedImports, 'import type'));
  it('reports a value import of common-schemas.ts in a workflow', () =>
    expectReported('src/workflows/boundary-probe.ts', valueImport('../contract/common-schemas.js'), restrictedImports, 'import type'));
  it('reports zod itself in the pane', () =>
    expectReported('src/taskpane/shared/api/boundary-probe.ts', "import { z } from 'zod';\n\nexport const used = z;\n", restrictedImports, 'import type'));
  it('reports inline type specifiers, which leave a side-effect import behind', () =>
    expectReported(
      'src/taskpane/shared/api/boundary-probe.ts',
      "import { type ErrorBody } from '../../../contract/schemas.js';\n\nexport type Used = ErrorBody;\n",
      '@typescript-eslint/no-import-type-side-effects',
      'side effect',
    ));
  it('allows import type in the pane', () => expectClean('src/taskpane/shared/api/boundary-probe.ts', typeImport('../../../contract/schemas.js')));
  it('allows the zod-free modules as values in the pane', () =>
    expectClean('src/taskpane/shared/api/boundary-probe.ts', valueImport('../../../contract/routes.js')));
  it('allows value imports in the server', () => expectClean('src/server/http/boundary-probe.ts', valueImport('../../contract/schemas.js')));
  it('allows value imports in tests', () => expectClean('test/contract/boundary-probe.ts', valueImport('../../src/contract/operations/index.js')));
});

describe('src/hosts imports only src/contract and its own files', () => {
  const file = 'src/hosts/word/boundary-probe.ts';
  it('reports an import of the task pane', () =>
    expectReported(file, valueImport('../../taskpane/shared/i18n/messages.js'), restrictedPaths, 'src/hosts imports only'));
  it('reports an import of the workflows', () => expectReported(file, valueImport('../../workflows/index.js'), restrictedPaths, 'src/hosts imports only'));
  it('allows the contract and the hosts', () =>
    expectClean(file, `${valueImport('../../contract/routes.js')}\nimport * as hosts from '../host-adapter.js';\n\nexport const alsoUsed = hosts;\n`));
});

describe("src/workflows imports src/contract and the hosts' interface only", () => {
  const file = 'src/workflows/boundary-probe.ts';
  it('reports an adapter behind the interface', () => expectReported(file, valueImport('../hosts/registry.js'), restrictedPaths, 'src/workflows imports only'));
  it('reports the task pane', () => expectReported(file, valueImport('../taskpane/shared/i18n/messages.js'), restrictedPaths, 'src/workflows imports only'));
  it('allows the interface', () => expectClean(file, valueImport('../hosts/host-adapter.js')));
});

describe('features never import each other and import only shared, contract, workflows and the hosts interface', () => {
  const file = 'src/taskpane/features/summarize/boundary-probe.ts';
  const translateFile = readdirSync(path.join(root, 'src/taskpane/features/translate')).find((name) => /\.tsx?$/.test(name));
  it('reports one feature importing another', () =>
    expectReported(file, valueImport(`../translate/${translateFile?.replace(/\.tsx?$/, '.js')}`), restrictedPaths, 'features never import each other'));
  it('reports a host adapter behind the interface', () =>
    expectReported(file, valueImport('../../../hosts/registry.js'), restrictedPaths, 'a feature imports only'));
  it('reports the app', () => expectReported(file, valueImport('../../app/app.js'), restrictedPaths, 'a feature imports only'));
  it("reports the workflows' internals", () =>
    expectReported(file, valueImport('../../../workflows/cell-column-run.js'), restrictedPaths, 'src/workflows/index.ts'));
  it('allows shared, the hosts interface, the workflows and the contract', () =>
    expectClean(
      file,
      [
        "import * as shared from '../../shared/i18n/messages.js';",
        "import * as hosts from '../../../hosts/host-adapter.js';",
        "import * as workflows from '../../../workflows/index.js';",
        "import * as routes from '../../../contract/routes.js';",
        '',
        'export const used = [shared, hosts, workflows, routes];',
        '',
      ].join('\n'),
    ));
});

describe('src/taskpane/shared imports neither features nor app', () => {
  const file = 'src/taskpane/shared/ui/boundary-probe.ts';
  it('reports a feature', () =>
    expectReported(file, valueImport('../../features/summarize/summarize-panel.js'), restrictedPaths, 'imports neither features nor app'));
  it('reports the app', () => expectReported(file, valueImport('../../app/app.js'), restrictedPaths, 'imports neither features nor app'));
  it('reports a host adapter behind the interface (app/ chooses the adapter)', () =>
    expectReported(file, valueImport('../../../hosts/registry.js'), restrictedPaths, 'sees the hosts only through'));
  it('allows shared and the hosts interface', () =>
    expectClean(file, `${valueImport('../i18n/messages.js')}\nimport * as hosts from '../../../hosts/host-adapter.js';\n\nexport const alsoUsed = hosts;\n`));
});

describe('the task pane never imports the BFF', () => {
  const file = 'src/taskpane/app/boundary-probe.ts';
  it('reports src/server', () => expectReported(file, valueImport('../../server/errors.js'), restrictedPaths, 'never imports the BFF'));
  it('allows the hosts registry in app/', () => expectClean(file, valueImport('../../hosts/registry.js')));
});

describe('src/server imports neither src/hosts, src/taskpane nor src/workflows', () => {
  const file = 'src/server/http/boundary-probe.ts';
  it('reports the hosts', () => expectReported(file, valueImport('../../hosts/host-adapter.js'), restrictedPaths, 'src/server imports neither'));
  it('reports the task pane', () => expectReported(file, valueImport('../../taskpane/shared/i18n/messages.js'), restrictedPaths, 'src/server imports neither'));
  it('reports the workflows', () => expectReported(file, valueImport('../../workflows/index.js'), restrictedPaths, 'src/server imports neither'));
  it('allows the contract', () => expectClean(file, valueImport('../../contract/routes.js')));
});

describe('src/evaluation (npm run eval) uses the server and the contract; nothing the product runs imports it', () => {
  const file = 'src/evaluation/boundary-probe.ts';
  it('reports the task pane', () => expectReported(file, valueImport('../taskpane/shared/i18n/messages.js'), restrictedPaths, 'src/evaluation imports only'));
  it('reports the hosts', () => expectReported(file, valueImport('../hosts/host-adapter.js'), restrictedPaths, 'src/evaluation imports only'));
  it('allows the operations, the provider construction and the contract', () =>
    expectClean(
      file,
      "import * as registry from '../server/operations/operation-registry.js';\nimport * as providers from '../server/providers/create-language-model.js';\nimport * as contract from '../contract/routes.js';\n\nexport const used = [registry, providers, contract];\n",
    ));
  it('reports the evaluation imported by the server', () =>
    expectReported(
      'src/server/http/boundary-probe.ts',
      valueImport('../../evaluation/metrics.js'),
      restrictedPaths,
      'nothing the product runs imports src/evaluation',
    ));
  it('reports the evaluation imported by the pane', () =>
    expectReported(
      'src/taskpane/app/boundary-probe.ts',
      valueImport('../../evaluation/metrics.js'),
      restrictedPaths,
      'nothing the product runs imports src/evaluation',
    ));
  it('allows the evaluation in scripts and tests', () => expectClean('scripts/boundary-probe.ts', valueImport('../src/evaluation/metrics.js')));
});

describe("src/functions (the Excel formulas) imports only the contract and the pane's API client, sign-in and strings", () => {
  const file = 'src/functions/boundary-probe.ts';
  it('reports a host adapter', () => expectReported(file, valueImport('../hosts/registry.js'), restrictedPaths, 'src/functions imports only'));
  it("reports the pane's UI", () =>
    expectReported(file, valueImport('../taskpane/shared/ui/describe-error.js'), restrictedPaths, 'src/functions imports only'));
  it('reports the workflows', () => expectReported(file, valueImport('../workflows/index.js'), restrictedPaths, 'src/functions imports only'));
  it('reports zod schemas as values (the functions run in the browser)', () =>
    expectReported(file, valueImport('../contract/schemas.js'), restrictedImports, 'import type'));
  it('allows the API client, sign-in, strings and the contract', () =>
    expectClean(
      file,
      [
        "import * as api from '../taskpane/shared/api/api-client.js';",
        "import * as auth from '../taskpane/shared/auth/auth-session.js';",
        "import * as strings from '../taskpane/shared/i18n/messages.js';",
        "import * as options from '../contract/options.js';",
        '',
        'export const used = [api, auth, strings, options];',
        '',
      ].join('\n'),
    ));
  it('allows the CustomFunctions global there, and not in the pane', async () => {
    await expectClean(file, 'export const code = CustomFunctions.ErrorCode.notAvailable;\n');
    await expectReported(
      'src/taskpane/shared/boundary-probe.ts',
      'export const code = CustomFunctions.ErrorCode.notAvailable;\n',
      'no-undef',
      "'CustomFunctions'",
    );
  });
});

describe('the pane reaches the formulas only from app/ and preview/, through src/functions/index.ts', () => {
  it("reports the pane's shared code importing them", () =>
    expectReported('src/taskpane/shared/ui/boundary-probe.ts', valueImport('../../../functions/index.js'), restrictedPaths, 'never import the formulas'));
  it('reports a feature importing them', () =>
    expectReported(
      'src/taskpane/features/classify/boundary-probe.ts',
      valueImport('../../../functions/index.js'),
      restrictedPaths,
      'never import the formulas',
    ));
  it("reports the formulas' internals in preview/", () =>
    expectReported('src/taskpane/preview/boundary-probe.ts', valueImport('../../functions/formula-batcher.js'), restrictedPaths, 'src/functions/index.ts'));
  it('reports them in the hosts (the preview sheet gets the functions passed in)', () =>
    expectReported('src/hosts/preview/boundary-probe.ts', valueImport('../../functions/index.js'), restrictedPaths, 'src/hosts imports only'));
  it('reports them in the server', () =>
    expectReported('src/server/http/boundary-probe.ts', valueImport('../../functions/index.js'), restrictedPaths, 'src/server imports neither'));
  it('allows the public module in preview/', () => expectClean('src/taskpane/preview/boundary-probe.ts', valueImport('../../functions/index.js')));
});

describe('no import cycles in src', () => {
  // common-schemas.ts importing schemas.ts, which re-exports common-schemas.ts, closes a cycle.
  it('reports a cycle', () => expectReported('src/contract/common-schemas.ts', valueImport('./schemas.js'), 'import-x/no-cycle', 'cycle'));
  it('allows an import that closes none', () => expectClean('src/contract/common-schemas.ts', valueImport('./routes.js')));
});

describe('globals per folder', () => {
  it('reports window in src/workflows', () =>
    expectReported('src/workflows/boundary-probe.ts', 'export const here = window.location.href;\n', 'no-undef', "'window'"));
  it('reports process in src/contract', () =>
    expectReported('src/contract/boundary-probe.ts', 'export const mode = process.env.NODE_ENV;\n', 'no-undef', "'process'"));
  it('allows ES builtins and AbortController in src/contract', () =>
    expectClean('src/contract/boundary-probe.ts', 'export const controller = new AbortController();\nexport const when = new Date(0);\n'));
  it('reports window in src/server', () =>
    expectReported('src/server/boundary-probe.ts', 'export const here = window.location.href;\n', 'no-undef', "'window'"));
  it('allows Node globals in src/server', () => expectClean('src/server/boundary-probe.ts', "export const bytes = Buffer.from('x');\n"));
  it('reports Node globals in the pane', () =>
    expectReported('src/taskpane/shared/boundary-probe.ts', "export const bytes = Buffer.from('x');\n", 'no-undef', "'Buffer'"));
  it('allows browser and Office globals in the hosts', () =>
    expectClean('src/hosts/word/boundary-probe.ts', 'export const here = window.location.href;\nexport const ready = Office.onReady;\n'));
});
