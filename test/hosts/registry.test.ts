// The registry picks the adapter by Office.context.host at Office.onReady, and answers undefined
// outside Office so the pane falls back to its preview adapter.
import { createHostAdapterFor, createOfficeHostAdapter } from '../../src/hosts/registry.js';
import { OutlookMock } from './mocks/outlook-mock.js';

const globals = globalThis as { Office?: unknown };

afterEach(() => {
  delete globals.Office;
});

function installOffice(host: string | null, mailbox?: unknown): void {
  globals.Office = {
    onReady: async () => ({ host, platform: host === null ? null : 'OfficeOnline' }),
    context: {
      displayLanguage: 'de-DE',
      requirements: { isSetSupported: (name: string, version: string) => Number(version) <= ({ WordApi: 1.4, ExcelApi: 1.7, Mailbox: 1.3 }[name] ?? 0) },
      mailbox,
    },
  };
}

test('without Office.js there is no Office adapter', async () => {
  expect(await createOfficeHostAdapter()).toBeUndefined();
});

test('Office.js in a plain browser (host null) gives no Office adapter', async () => {
  installOffice(null);
  expect(await createOfficeHostAdapter()).toBeUndefined();
});

test.each([
  ['Word', 'word', 'text'],
  ['Excel', 'excel', 'sheet'],
] as const)('%s gets the %s adapter with the display language', async (officeHost, host, capability) => {
  installOffice(officeHost);
  const adapter = await createOfficeHostAdapter();
  expect(adapter).toMatchObject({ host, isPreview: false, displayLanguage: 'de-DE' });
  expect(adapter?.[capability]).toBeDefined();
});

test('Word learns WordApi 1.4 support from the requirement sets', async () => {
  installOffice('Word');
  expect((await createOfficeHostAdapter())?.text?.translationPlacements).toEqual(['after', 'replace-tracked', 'comment']);
});

test('Outlook gets the mail adapter over the open item', async () => {
  installOffice('Outlook', new OutlookMock({ mode: 'read', subject: 'Hi' }).mailbox);
  const adapter = await createOfficeHostAdapter();
  expect(adapter?.host).toBe('outlook');
  expect(adapter?.mail?.mode).toBe('read');
});

test('a host this add-in does not serve gets no adapter', () => {
  expect(createHostAdapterFor({ host: 'PowerPoint', displayLanguage: 'en-US', isSetSupported: () => true })).toBeUndefined();
});
