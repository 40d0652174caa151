// Lint: typescript-eslint's recommended rules over src, test and bench; the architecture's import
// boundaries (README "How it is built"); React hooks and accessibility rules for the pane; Microsoft's
// Office.js rules for the pane and the host adapters; globals per folder. Formatting is Prettier's
// (`prettier --check` in `npm run lint`), so eslint-config-prettier comes last. Type checking itself
// is `npm run typecheck` (tsc), which also covers the tests. test/lint/boundaries.test.ts proves each
// boundary rule reports a forbidden import.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import js from '@eslint/js';
import prettierConfig from 'eslint-config-prettier/flat';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import importX from 'eslint-plugin-import-x';
import jsxA11y from 'eslint-plugin-jsx-a11y';
// Only the rules: the package's entry also loads its own Prettier, React and React Native configs (1.4 s a run).
import officeAddinsRules from 'eslint-plugin-office-addins/lib/rules/index.js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const root = import.meta.dirname;
const officeAddins = { meta: { name: 'eslint-plugin-office-addins' }, rules: officeAddinsRules.default };

// The contract's modules that import zod. Every other top-level file of src/contract is run-time code
// the pane loads, so it must stay zod-free (a new zod module belongs in this list or in operations/).
const contractZodModules = ['schemas.ts', 'common-schemas.ts', 'attachments.ts', 'mail-parts.ts', 'jobs.ts'];
const contractZodFree = readdirSync(path.join(root, 'src/contract'))
  .filter((name) => /\.tsx?$/.test(name) && !contractZodModules.includes(name))
  .map((name) => `./src/contract/${name}`);
// What the pane below app/ may import from src/hosts: the interface. app/ and preview/ choose adapters.
const hostsInterface = ['host-adapter.ts', 'a1-address.ts'];
// What src/functions may use of the pane's shared code.
const formulaPaneParts = ['api', 'auth', 'i18n'];
const features = readdirSync(path.join(root, 'src/taskpane/features'), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name);

// import-x/no-restricted-paths: `target` files may not import anything under `from` (resolved paths,
// so `../x.js` that means `../x.ts` is matched), except under `except` (relative to `from`).
const boundaryZones = [
  {
    target: './src/contract',
    from: './src',
    except: ['./contract'],
    message: 'src/contract imports nothing of ours outside src/contract: the BFF and the pane share it.',
  },
  {
    target: contractZodFree,
    from: contractZodModules.map((name) => `./src/contract/${name}`).concat('./src/contract/operations'),
    message: "this file is the contract's zod-free run-time part for the pane: it may not import the zod schemas.",
  },
  {
    target: './src/hosts',
    from: './src',
    except: ['./contract', './hosts'],
    message: 'src/hosts imports only src/contract and its own files.',
  },
  {
    target: './src/workflows',
    from: './src',
    except: ['./contract', './workflows', ...hostsInterface.map((file) => `./hosts/${file}`)],
    message: "src/workflows imports only src/contract and the hosts' interface (src/hosts/host-adapter.ts).",
  },
  ...features.map((feature) => ({
    target: `./src/taskpane/features/${feature}`,
    from: './src/taskpane/features',
    except: [`./${feature}`],
    message: 'features never import each other: move what both need to src/taskpane/shared.',
  })),
  {
    target: './src/taskpane/features',
    from: './src',
    except: ['./taskpane/features', './taskpane/shared', './contract', './workflows', ...hostsInterface.map((file) => `./hosts/${file}`)],
    message: "a feature imports only src/taskpane/shared, src/contract, src/workflows and the hosts' interface (src/hosts/host-adapter.ts).",
  },
  {
    target: './src/taskpane/shared',
    from: ['./src/taskpane/features', './src/taskpane/app', './src/taskpane/preview'],
    message: 'src/taskpane/shared imports neither features nor app nor preview (app → features → shared).',
  },
  {
    target: './src/taskpane/shared',
    from: './src/hosts',
    except: hostsInterface.map((file) => `./${file}`),
    message: 'src/taskpane/shared sees the hosts only through their interface (src/hosts/host-adapter.ts); app/ chooses the adapter.',
  },
  {
    target: './src/taskpane',
    from: './src/workflows',
    except: ['./index.ts'],
    message: 'import the workflows through their public surface, src/workflows/index.ts, never their internals.',
  },
  {
    target: './src/taskpane',
    from: './src/server',
    message: 'the pane never imports the BFF: it talks to it over HTTP (routes and types from src/contract).',
  },
  {
    target: './src/server',
    from: ['./src/hosts', './src/taskpane', './src/workflows', './src/functions'],
    message: 'src/server imports neither src/hosts, src/taskpane, src/workflows nor src/functions.',
  },
  // npm run eval: the BFF's operations and provider construction, run outside the BFF.
  {
    target: './src/evaluation',
    from: './src',
    except: ['./evaluation', './contract', './server'],
    message: 'src/evaluation imports only src/contract, src/server (the operations, the provider construction, the engine) and its own files.',
  },
  {
    target: ['./src/server', './src/taskpane', './src/hosts', './src/workflows', './src/functions', './src/contract'],
    from: './src/evaluation',
    message: 'nothing the product runs imports src/evaluation: it is a tool beside the BFF (npm run eval), never reachable from it.',
  },
  // The Excel formulas run in the pane's page (a shared runtime) over the pane's API client and sign-in.
  {
    target: './src/functions',
    from: './src',
    except: ['./functions', './contract', ...formulaPaneParts.map((part) => `./taskpane/shared/${part}`)],
    message: "src/functions imports only src/contract and the pane's API client, sign-in and strings (src/taskpane/shared/{api,auth,i18n}).",
  },
  {
    target: ['./src/taskpane/shared', './src/taskpane/features'],
    from: './src/functions',
    message:
      "the pane's shared code and features never import the formulas (they import the pane's shared code): app/ and preview/ do, through src/functions/index.ts.",
  },
  {
    target: './src/taskpane',
    from: './src/functions',
    except: ['./index.ts'],
    message: 'import the formulas through their public module, src/functions/index.ts, never their internals.',
  },
];

// The pane's bundle must never contain zod: the contract's zod modules are imported with `import type`
// only (which the compiler erases). A value import, or `import { type X }` (verbatimModuleSyntax keeps
// it as a side-effect import; no-import-type-side-effects reports it), is an error there.
const zodOnlyAsTypes = `the pane bundles no zod: import the contract schemas with \`import type\` only (the zod-free parts are ${contractZodFree.map((file) => path.basename(file)).join(', ')}).`;
const paneRestrictedImports = {
  paths: [{ name: 'zod', allowTypeImports: true, message: zodOnlyAsTypes }],
  patterns: [
    { regex: '(^|/)contract/(schemas|common-schemas)(\\.js)?$', allowTypeImports: true, message: zodOnlyAsTypes },
    { regex: '(^|/)contract/operations(/|$)', allowTypeImports: true, message: zodOnlyAsTypes },
  ],
};

const officeGlobals = { Office: 'readonly', OfficeExtension: 'readonly', OfficeRuntime: 'readonly', Word: 'readonly', Excel: 'readonly' };
// webpack replaces `process.env.NODE_ENV` in the pane's bundle (development-only code checks it).
const bundlerGlobals = { process: 'readonly' };
// What src/contract and src/workflows use beyond ECMAScript: both run in the pane and in Node.
const portableGlobals = { ...globals.es2023, AbortController: 'readonly', AbortSignal: 'readonly', DOMException: 'readonly' };

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    plugins: { 'import-x': importX },
    settings: {
      ...importX.flatConfigs.typescript.settings,
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: path.join(root, 'tsconfig.json') })],
    },
    languageOptions: { globals: { ...globals.es2023 } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-import-type-side-effects': 'error',
      'no-control-regex': 'off',
      eqeqeq: ['error', 'always', { null: 'ignore' }],
    },
  },
  {
    files: ['src/**'],
    rules: {
      'import-x/no-restricted-paths': ['error', { basePath: root, zones: boundaryZones }],
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
    },
  },
  {
    files: contractZodFree.map((file) => file.slice(2)),
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        { paths: [{ name: 'zod', message: "this file is the contract's zod-free run-time part for the pane: no zod here." }] },
      ],
    },
  },
  {
    files: ['src/taskpane/**', 'src/hosts/**', 'src/workflows/**', 'src/functions/**'],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', paneRestrictedImports] },
  },

  // Globals per folder. In src, no-undef checks them against the folder's own TypeScript lib (tsconfig
  // gives the whole project DOM and Node types, so tsc alone lets the BFF touch `window` or the pane
  // `Buffer`). Elsewhere tsc checks names in .ts files and no-undef covers plain JavaScript.
  {
    files: ['src/server/**', 'src/evaluation/**'],
    languageOptions: { globals: { ...globals.node, NodeJS: 'readonly' }, parserOptions: { lib: ['es2023'] } },
    rules: { 'no-undef': 'error' },
  },
  {
    files: ['src/taskpane/**', 'src/hosts/**'],
    languageOptions: { globals: { ...globals.browser, ...officeGlobals, ...bundlerGlobals }, parserOptions: { lib: ['es2023', 'dom', 'dom.iterable'] } },
    rules: { 'no-undef': 'error' },
  },
  {
    files: ['src/contract/**', 'src/workflows/**'],
    languageOptions: { globals: portableGlobals, parserOptions: { lib: ['es2023'] } },
    rules: { 'no-undef': 'error' },
  },
  {
    // Excel's custom functions runtime adds CustomFunctions to the browser and Office globals.
    files: ['src/functions/**'],
    languageOptions: {
      globals: { ...globals.browser, ...officeGlobals, CustomFunctions: 'readonly' },
      parserOptions: { lib: ['es2023', 'dom', 'dom.iterable'] },
    },
    rules: { 'no-undef': 'error' },
  },
  {
    files: ['scripts/**', 'bench/**', 'test/**', 'assets/**/*.{js,mjs,cjs}', '*.{js,mjs,cjs,ts}'],
    languageOptions: { globals: { ...globals.node } },
  },
  { files: ['test/**'], languageOptions: { globals: { ...globals.jest } } },

  // The pane: React hooks, accessibility, Office.js usage.
  {
    files: ['src/taskpane/**', '**/*.tsx'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
    },
  },
  {
    ...jsxA11y.flatConfigs.recommended,
    files: ['**/*.tsx'],
    rules: {
      ...jsxA11y.flatConfigs.recommended.rules,
      // A scrolling output is focusable so keyboard users can scroll it; as a labelled region it may be.
      'jsx-a11y/no-noninteractive-tabindex': ['error', { tags: [], roles: ['tabpanel', 'region'], allowExpressionValues: true }],
    },
  },
  {
    files: ['src/taskpane/**', 'src/hosts/**'],
    plugins: { 'office-addins': officeAddins },
    rules: {
      'office-addins/call-sync-after-load': 'error',
      'office-addins/call-sync-before-read': 'error',
      'office-addins/load-object-before-read': 'error',
      'office-addins/no-context-sync-in-loop': 'error',
      'office-addins/no-empty-load': 'error',
      'office-addins/no-navigational-load': 'error',
      'office-addins/no-office-initialize': 'error',
      'office-addins/test-for-null-using-isNullObject': 'error',
    },
  },

  // Last: turn off every stylistic rule Prettier owns.
  prettierConfig,
);
