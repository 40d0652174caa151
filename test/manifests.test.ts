// The two Office manifests: they validate offline against the XML schemas (the same script as
// `npm run validate`), every icon they name exists in assets/ at its size, every resource id they use
// is defined, the two add-ins have different ids, and the requirement sets the code needs are declared
// where a manifest can declare them and checked at start where it cannot.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MINIMUM_REQUIREMENTS, createHostAdapterFor } from '../src/hosts/registry.js';

const root = path.resolve(import.meta.dirname, '..');
const manifests = ['manifest.xml', 'manifest.outlook.xml'] as const;
const devServer = 'https://localhost:3000/';

function validate(...files: string[]): { status: number | null; output: string } {
  const result = spawnSync('bash', [path.join(root, 'scripts/validate-manifests.sh'), ...files], { cwd: root, encoding: 'utf8' });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

function read(manifest: string): string {
  return readFileSync(path.join(root, manifest), 'utf8');
}

/** Width and height from a PNG's IHDR chunk. */
function pngSize(file: string): { width: number; height: number } {
  const bytes = readFileSync(file);
  expect(bytes.subarray(1, 4).toString('ascii')).toBe('PNG');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

test('both manifests validate against the Office schemas (xmllint, offline)', () => {
  const { status, output } = validate();
  // A missing xmllint fails here with the script's install advice in the output.
  expect({ status, output }).toEqual({ status: 0, output: expect.stringContaining('manifest.outlook.xml validates') });
  expect(output).toContain('manifest.xml validates');
});

test('the validation fails loudly on a manifest that breaks the schema', () => {
  const folder = mkdtempSync(path.join(tmpdir(), 'manifest-'));
  try {
    const broken = path.join(folder, 'broken.xml');
    writeFileSync(broken, read('manifest.xml').replace('<Permissions>ReadWriteDocument</Permissions>', '<Permissions>Everything</Permissions>'));
    const { status, output } = validate(broken);
    expect(status).not.toBe(0);
    expect(output).toMatch(/broken\.xml does not validate/);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
});

describe.each(manifests)('%s', (manifest) => {
  const xml = read(manifest);
  const urls = [...xml.matchAll(/DefaultValue="(https?:[^"]+)"/g)].map((match) => match[1] ?? '');

  test('every URL is HTTPS on the dev server, and every asset it names exists', () => {
    expect(urls.length).toBeGreaterThan(3);
    for (const url of urls) expect(url.startsWith(devServer)).toBe(true);
    const assets = urls.filter((url) => url.startsWith(`${devServer}assets/`));
    expect(assets.length).toBeGreaterThanOrEqual(4);
    for (const url of assets) expect(existsSync(path.join(root, url.slice(devServer.length)))).toBe(true);
  });

  test('icons are PNGs of the size they are declared at', () => {
    for (const match of xml.matchAll(/<bt:Image id="[^"]+" DefaultValue="[^"]+\/icon-(\d+)\.png"\/>/g)) {
      const size = Number(match[1]);
      expect(pngSize(path.join(root, `assets/icon-${size}.png`))).toEqual({ width: size, height: size });
    }
    for (const element of ['IconUrl', 'HighResolutionIconUrl']) {
      const icon = new RegExp(`<${element} DefaultValue="[^"]+/(assets/icon-(\\d+)\\.png)"`).exec(xml);
      expect(icon).not.toBeNull();
      const size = Number(icon?.[2]);
      expect(pngSize(path.join(root, icon?.[1] ?? ''))).toEqual({ width: size, height: size });
    }
  });

  test('the task pane page it opens is the one the pane build emits', () => {
    expect(urls).toContain(`${devServer}taskpane.html`);
    expect(existsSync(path.join(root, 'src/taskpane/taskpane.html'))).toBe(true);
  });

  test('every resid it uses is defined in its resources', () => {
    const defined = new Set([...xml.matchAll(/<bt:(?:Image|Url|String) id="([^"]+)"/g)].map((match) => match[1]));
    const used = [...xml.matchAll(/resid="([^"]+)"/g)].map((match) => match[1]);
    expect(used.length).toBeGreaterThan(0);
    for (const id of used) expect(defined).toContain(id);
  });
});

test('the two add-ins have different ids, each a GUID', () => {
  const ids = manifests.map((manifest) => /<Id>([^<]+)<\/Id>/.exec(read(manifest))?.[1] ?? '');
  for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i);
  expect(ids[0]?.toLowerCase()).not.toBe(ids[1]?.toLowerCase());
});

test('Outlook asks for ReadWriteMailbox (the master category list needs it); Word and Excel for ReadWriteDocument', () => {
  expect(read('manifest.outlook.xml')).toContain('<Permissions>ReadWriteMailbox</Permissions>');
  expect(read('manifest.outlook.xml')).toMatch(/MessageReadCommandSurface[\s\S]*MessageComposeCommandSurface/);
  expect(read('manifest.xml')).toContain('<Permissions>ReadWriteDocument</Permissions>');
  expect(read('manifest.xml')).toMatch(/<Host Name="Document"\/>\s*<Host Name="Workbook"\/>/);
});

describe('requirement sets', () => {
  const outlook = read('manifest.outlook.xml');
  const wordAndExcel = read('manifest.xml');
  const declaredSets = (xml: string) => [...xml.replace(/<!--[\s\S]*?-->/g, '').matchAll(/<(?:bt:)?Set Name="([^"]+)"(?: MinVersion="([^"]+)")?/g)];

  test('Outlook declares the Mailbox set the code needs at least, for activation and for its commands', () => {
    const { name, version } = MINIMUM_REQUIREMENTS.outlook;
    expect(outlook).toMatch(new RegExp(`<Requirements>\\s*<Sets>\\s*<Set Name="${name}" MinVersion="${version.replace('.', '\\.')}"/>`));
    const overrides = /<bt:Sets DefaultMinVersion="([\d.]+)">\s*<bt:Set Name="Mailbox"\/>/.exec(outlook);
    expect(Number(overrides?.[1])).toBeGreaterThanOrEqual(Number(version));
  });

  test('Word and Excel share a manifest: it declares no WordApi or ExcelApi set (that would hide the add-in from the other host) and names the minimums the pane checks', () => {
    expect(declaredSets(wordAndExcel).map((match) => match[1])).not.toEqual(expect.arrayContaining([expect.stringMatching(/^(WordApi|ExcelApi)/)]));
    for (const host of ['word', 'excel'] as const) {
      const { name, version } = MINIMUM_REQUIREMENTS[host];
      expect(wordAndExcel).toContain(`${name} ${version}`);
    }
  });

  test.each([
    ['Word', 'word', 'WordApi', '1.3'],
    ['Excel', 'excel', 'ExcelApi', '1.7'],
    ['Outlook', 'outlook', 'Mailbox', '1.3'],
  ] as const)('%s below its minimum set gets an adapter that offers nothing and names the missing set', (officeHost, host, set, version) => {
    const older = (name: string, wanted: string) => name !== set || Number(wanted) < Number(version);
    const adapter = createHostAdapterFor({ host: officeHost, displayLanguage: 'en-US', isSetSupported: older });
    expect(adapter).toEqual({ host, isPreview: false, displayLanguage: 'en-US', missingRequirement: { name: set, version } });
  });

  test('Word with WordApi 1.3 but not 1.4 opens, and offers only the placement it can do', () => {
    const wordApi13 = (name: string, version: string) => name === 'WordApi' && Number(version) <= 1.3;
    const adapter = createHostAdapterFor({ host: 'Word', displayLanguage: 'en-US', isSetSupported: wordApi13 });
    expect(adapter?.missingRequirement).toBeUndefined();
    expect(adapter?.text?.translationPlacements).toEqual(['after']);
  });
});

describe('Outlook: a pinnable pane that opens on several selected messages', () => {
  const outlook = read('manifest.outlook.xml');
  const withoutComments = outlook.replace(/<!--[\s\S]*?-->/g, '');
  const versionOverrides11 =
    /<VersionOverrides xmlns="http:\/\/schemas\.microsoft\.com\/office\/mailappversionoverrides\/1\.1" xsi:type="VersionOverridesV1_1">([\s\S]*?)<\/VersionOverrides>/.exec(
      withoutComments,
    )?.[1];

  test('the read command of a VersionOverridesV1_1 (nested in V1_0) declares SupportsPinning and SupportsMultiSelect on its ShowTaskpane action', () => {
    expect(versionOverrides11).toBeDefined();
    const readSurface = /<ExtensionPoint xsi:type="MessageReadCommandSurface">([\s\S]*?)<\/ExtensionPoint>/.exec(versionOverrides11 ?? '')?.[1] ?? '';
    expect(readSurface).toMatch(
      /<Action xsi:type="ShowTaskpane">\s*<SourceLocation resid="Taskpane\.Url"\/>\s*<SupportsPinning>true<\/SupportsPinning>\s*<SupportsMultiSelect>true<\/SupportsMultiSelect>\s*<\/Action>/,
    );
    // Only there: the V1_0 overrides, which older Outlook reads, cannot carry them.
    expect(withoutComments.match(/<SupportsMultiSelect>/g)).toHaveLength(1);
    expect(withoutComments.match(/<SupportsPinning>/g)).toHaveLength(1);
    expect(withoutComments.indexOf('VersionOverridesV1_1')).toBeGreaterThan(withoutComments.indexOf('VersionOverridesV1_0'));
  });

  test('the validation blanks only those two elements: with them removed by hand the manifest validates as well, and a typo in the V1_1 part fails', () => {
    const folder = mkdtempSync(path.join(tmpdir(), 'manifest-'));
    try {
      const stripped = path.join(folder, 'stripped.xml');
      writeFileSync(stripped, outlook.replace(/<(SupportsPinning|SupportsMultiSelect)>true<\/\1>/g, ''));
      expect(validate(stripped).status).toBe(0);
      const broken = path.join(folder, 'broken.xml');
      writeFileSync(broken, outlook.replace('<SupportsMultiSelect>true</SupportsMultiSelect>', '<SupportsMultiSelect>true</SupportsMultiSelect><Unknown/>'));
      expect(validate(broken).status).not.toBe(0);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
