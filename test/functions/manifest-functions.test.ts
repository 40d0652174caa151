// manifest.xml's custom functions: the CustomFunctions extension point under Excel's host (script,
// page, metadata, the AI namespace) and the shared runtime. The 2020 schemas `npm run validate` uses
// predate <Runtimes>, so the script validates the manifest without it and this test checks it: where
// it sits, that the pane, the functions page and the runtime are one page, and that Word gets none.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../..');
const manifestPath = path.join(root, 'manifest.xml');

/** Values of an XPath (namespaces ignored through local-name()) in a manifest, by xmllint. */
function xpath(expression: string, file = manifestPath): string[] {
  const result = spawnSync('xmllint', ['--xpath', expression, file], { encoding: 'utf8' });
  if (result.status !== 0) return [];
  return result.stdout
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .map((line) => /^\s*\w+="(.*)"$/.exec(line)?.[1] ?? line);
}

const element = (name: string) => `*[local-name()='${name}']`;
const host = (type: string) => `//${element('VersionOverrides')}/${element('Hosts')}/${element('Host')}[@*[local-name()='type']='${type}']`;
const excel = host('Workbook');
const customFunctions = `${excel}/${element('AllFormFactors')}/${element('ExtensionPoint')}[@*[local-name()='type']='CustomFunctions']`;
const resource = (id: string) => xpath(`//${element('Resources')}//*[@id='${id}']/@DefaultValue`)[0];

test('Excel has the CustomFunctions extension point: functions.js, functions.json and the AI namespace', () => {
  const script = xpath(`${customFunctions}/${element('Script')}/${element('SourceLocation')}/@resid`);
  const metadata = xpath(`${customFunctions}/${element('Metadata')}/${element('SourceLocation')}/@resid`);
  const namespace = xpath(`${customFunctions}/${element('Namespace')}/@resid`);
  expect(script).toHaveLength(1);
  expect(resource(script[0] ?? '')).toBe('https://localhost:3000/functions.js');
  expect(resource(metadata[0] ?? '')).toBe('https://localhost:3000/functions.json');
  expect(resource(namespace[0] ?? '')).toBe('AI');
});

test('one shared runtime: the runtime, the functions page and the Excel pane are the same page, kept alive', () => {
  const runtimes = xpath(`${excel}/${element('Runtimes')}/${element('Runtime')}/@resid`);
  expect(runtimes).toHaveLength(1);
  expect(xpath(`${excel}/${element('Runtimes')}/${element('Runtime')}/@lifetime`)).toEqual(['long']);
  const runtime = runtimes[0] ?? '';
  expect(resource(runtime)).toBe('https://localhost:3000/taskpane.html');
  expect(xpath(`${customFunctions}/${element('Page')}/${element('SourceLocation')}/@resid`)).toEqual([runtime]);
  const paneActions = xpath(`${excel}//${element('Action')}[@*[local-name()='type']='ShowTaskpane']/${element('SourceLocation')}/@resid`);
  expect(paneActions.length).toBeGreaterThan(0);
  expect(new Set(paneActions)).toEqual(new Set([runtime]));
  // The current schema (MS-OWEMXML) puts <Runtimes> first in a host, before the form factors.
  expect(xpath(`local-name(${excel}/*[1])`)).toEqual(['Runtimes']);
});

test('Word gets neither the runtime nor the functions', () => {
  expect(xpath(`${host('Document')}/${element('Runtimes')}`)).toEqual([]);
  expect(xpath(`${host('Document')}//${element('ExtensionPoint')}[@*[local-name()='type']='CustomFunctions']`)).toEqual([]);
});

test('npm run validate still checks everything around <Runtimes>: a CustomFunctions point without its page is refused', () => {
  const directory = mkdtempSync(path.join(tmpdir(), 'manifest-functions-'));
  try {
    const broken = path.join(directory, 'broken.xml');
    writeFileSync(broken, readFileSync(manifestPath, 'utf8').replace(/<Page>[\s\S]*?<\/Page>/, ''));
    const result = spawnSync('bash', [path.join(root, 'scripts/validate-manifests.sh'), broken], { cwd: root, encoding: 'utf8' });
    expect(result.status).not.toBe(0);
    expect(`${result.stdout}${result.stderr}`).toMatch(/broken\.xml does not validate/);
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
});
