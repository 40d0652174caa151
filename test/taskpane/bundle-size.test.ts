// One real production build of the pane (webpack --mode production, Office.js from the CDN), made
// with canary secrets in the environment, checked two ways: its initial JavaScript stays within its
// budget (150 KB gzipped, measured by the same script `npm run build` runs), and no emitted file
// (JavaScript, HTML, source maps, anything) holds a key, a provider address or a key's variable name.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../..');

/** Server-side secrets and addresses, as a deployment's environment would hold them while building. */
const canaries: Record<string, string> = {
  OPENAI_API_KEY: 'sk-canary-openai-4f1d9c2b7a6e5d3f8a0b1c2d3e4f5a6b',
  AZURE_OPENAI_API_KEY: 'azure-canary-key-9e8d7c6b5a4f3e2d1c0b',
  AZURE_OPENAI_ENDPOINT: 'https://canary-resource.openai.azure.example',
  OPENAI_BASE_URL: 'http://provider.internal.canary:8080/v1',
  ENTRA_CLIENT_ID: 'c0ffee00-canary-4000-8000-entra0client',
  ENTRA_TENANT_IDS: 'canary-tenant-0000-1111-2222-333344445555',
  ENTRA_JWKS_URL: 'http://jwks.internal.canary/keys',
  REDIS_URL: 'redis://:canary-redis-password@redis.internal.canary:6379',
};

let outputPath: string;
let buildStatus: number | null;
let buildOutput: string;

beforeAll(() => {
  outputPath = mkdtempSync(path.join(os.tmpdir(), 'taskpane-production-'));
  const build = spawnSync(process.execPath, ['node_modules/webpack-cli/bin/cli.js', '--mode', 'production', '--env', `outputPath=${outputPath}`], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, ...canaries },
  });
  buildStatus = build.status;
  buildOutput = `${build.stdout}${build.stderr}`;
}, 120_000);
afterAll(() => rmSync(outputPath, { recursive: true, force: true }));

test('the initial JavaScript is at most 150 KB gzipped, and office.js comes from the CDN', () => {
  expect({ buildStatus, buildOutput }).toEqual({ buildStatus: 0, buildOutput: expect.any(String) });
  const report = spawnSync(process.execPath, ['scripts/report-bundle-size.mjs', outputPath], { cwd: root, encoding: 'utf8' });
  expect(report.stderr).toBe('');
  expect(report.status).toBe(0);
  const kilobytes = Number(/Initial JavaScript of the task pane: ([\d.]+) KB gzipped/.exec(report.stdout)?.[1]);
  expect(kilobytes).toBeGreaterThan(20);
  expect(kilobytes).toBeLessThanOrEqual(150);
  const html = readFileSync(path.join(outputPath, 'taskpane.html'), 'utf8');
  expect(html).toContain('https://appsforoffice.microsoft.com/lib/1/hosted/office.js');
});

test('no emitted file holds a secret, a provider address, a key variable name, an sk- key or the test hook', () => {
  expect(buildStatus).toBe(0);
  const files = readdirSync(outputPath, { recursive: true, encoding: 'utf8' }).filter((name) => /\.(js|html|map|css|txt|json)$/.test(name));
  // The scan must see what it claims to: scripts, their source maps and the page.
  expect(files.filter((name) => name.endsWith('.js')).length).toBeGreaterThan(3);
  expect(files.filter((name) => name.endsWith('.js.map')).length).toBeGreaterThan(3);
  expect(files).toContain('taskpane.html');
  // Sign-in is lazy: MSAL (its SKU string) is in a chunk of the build, but not in the entry script.
  const entry = files.find((name) => /^taskpane\.[0-9a-f]+\.js$/.test(name)) ?? '';
  const msalChunks = files.filter((name) => name.endsWith('.js') && readFileSync(path.join(outputPath, name), 'utf8').includes('msal.js.browser'));
  expect(msalChunks.length).toBeGreaterThan(0);
  expect(msalChunks).not.toContain(entry);

  const forbidden = [...Object.values(canaries), 'canary', 'OPENAI_API_KEY', 'AZURE_OPENAI_API_KEY', 'provider.internal'];
  const keyPattern = /(?<![A-Za-z0-9])sk-(?:proj-)?[A-Za-z0-9_-]{20,}/;
  const findings: string[] = [];
  for (const name of files) {
    const text = readFileSync(path.join(outputPath, name), 'utf8');
    for (const value of forbidden) if (text.includes(value)) findings.push(`${name} contains ${value}`);
    const key = keyPattern.exec(text);
    if (key !== null) findings.push(`${name} contains an sk- key: ${key[0].slice(0, 12)}…`);
    // The preview's test hook exists only in development builds (source maps still quote its source).
    if (!name.endsWith('.map') && text.includes('previewTestHooks')) findings.push(`${name} contains the preview's test hook`);
  }
  expect(findings).toEqual([]);
});
