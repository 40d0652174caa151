// Translate cells stopped and resumed, end to end: the workflow over the real Excel adapter (office-addin-mock
// workbook with document settings), the pane's own streamed client, the real BFF (result cache off) and the
// loopback OpenAI-protocol server. Stop keeps what arrived; the next run writes into the same column (the
// one the workbook remembers) and sends only the rest: no new column, no text translated twice.
import { createExcelSheetAccess, type DocumentSettings } from '../../src/hosts/excel/excel-sheet-access.js';
import { createApiClient } from '../../src/taskpane/shared/api/api-client.js';
import { streamedTranslate } from '../../src/taskpane/shared/api/streamed-cell-operations.js';
import { translateSelectedCells } from '../../src/workflows/index.js';
import { openAiCompatibleEnvironment, startBff, type RunningBff } from '../support/bff.js';
import { fakeTranslation, startFakeOpenAiServer, type FakeOpenAiServer } from '../support/fake-openai-server.js';
import { ExcelMock } from '../hosts/mocks/excel-mock.js';

const ROWS = 30;
const sentence = (row: number) => `Satz Nummer ${row}: Die Lieferung kam nicht an.`;

let fake: FakeOpenAiServer;
let bff: RunningBff;
/** Texts the pane sent to the BFF, per request. */
const sentTexts: string[][] = [];
const originalFetch = globalThis.fetch;

beforeAll(async () => {
  fake = await startFakeOpenAiServer();
  bff = await startBff(openAiCompatibleEnvironment(fake.baseUrl, { RATE_LIMIT_PER_MINUTE: '0', LOG_LEVEL: 'warn' }));
  // The pane calls its own origin: here that is the BFF on loopback.
  globalThis.fetch = ((input: RequestInfo | URL, init?: RequestInit) => {
    if (typeof input === 'string' && input.startsWith('/')) {
      if (typeof init?.body === 'string') sentTexts.push((JSON.parse(init.body) as { texts?: string[] }).texts ?? []);
      return originalFetch(new URL(input, bff.url), init);
    }
    return originalFetch(input, init);
  }) as typeof fetch;
});
afterAll(async () => {
  globalThis.fetch = originalFetch;
  bff.app.server.closeAllConnections();
  await bff.close();
  await fake.close();
});

/** Office.context.document.settings for one workbook: kept in memory, as the file would keep them. */
function workbookSettings(): DocumentSettings & { saved: number } {
  const values = new Map<string, unknown>();
  return {
    saved: 0,
    get: (name) => values.get(name),
    set: (name, value) => void values.set(name, structuredClone(value)),
    saveAsync(callback) {
      this.saved++;
      callback?.({ status: 'succeeded' } as unknown as Office.AsyncResult<void>);
    },
  };
}

test('a stopped translation keeps what arrived, and the next run finishes only the rest in the same column', async () => {
  // A1 is a header; A2:A31 hold sentences; B and C are empty.
  const mock = new ExcelMock(
    [
      {
        id: 'sheet-1',
        name: 'Texte',
        rowExtent: ROWS + 1,
        columnExtent: 2,
        valueAt: (row, column) => (column === 0 ? (row === 0 ? 'Text' : sentence(row)) : null),
      },
    ],
    { sheetId: 'sheet-1', row: 0, column: 0, rowCount: ROWS + 1, columnCount: 1 },
  );
  const settings = workbookSettings();
  const sheet = () => createExcelSheetAccess({ run: mock.run, documentSettings: settings });
  const controller = new AbortController();
  const first = await translateSelectedCells(sheet(), {
    translate: streamedTranslate(createApiClient(), 'en'),
    overwrite: false,
    firstRowIsHeader: true,
    outputHeader: 'Translation (en)',
    signal: controller.signal,
    rowsPerWindow: 10,
    // Stop once the first window is in.
    onProgress: (progress) => progress.done >= 10 && controller.abort(),
  });
  expect(first).toMatchObject({ stopped: true, outputColumn: 1, translated: 10, skipped: 0, changed: 0 });
  expect(mock.cell('sheet-1', 0, 1)).toBe('Translation (en)');
  for (let row = 1; row <= 10; row++) expect(mock.cell('sheet-1', row, 1)).toBe(fakeTranslation(sentence(row), 'en'));
  expect(mock.cell('sheet-1', 11, 1)).toBeNull();
  const upstreamAfterStop = fake.requests.length;
  expect(settings.saved).toBe(1);

  // The user types a translation of their own into B21; B is no longer empty, so without the memory the
  // default would be C. The next run: a fresh adapter (the pane reopened), no column given: the workbook remembers B.
  mock.setCell('sheet-1', 21, 1, 'my own translation');
  const second = await translateSelectedCells(sheet(), {
    translate: streamedTranslate(createApiClient(), 'en'),
    overwrite: false,
    firstRowIsHeader: true,
    outputHeader: 'Translation (en)',
    signal: new AbortController().signal,
  });
  expect(second).toMatchObject({ stopped: false, outputColumn: 1, translated: ROWS - 11, skipped: 11, failed: 0, changed: 0 });
  for (let row = 1; row <= ROWS; row++) expect(mock.cell('sheet-1', row, 1)).toBe(row === 21 ? 'my own translation' : fakeTranslation(sentence(row), 'en'));
  // No new column, and no text sent twice.
  for (let row = 0; row <= ROWS; row++) expect(mock.cell('sheet-1', row, 2)).toBeNull();
  const all = sentTexts.flat();
  expect(new Set(all).size).toBe(all.length);
  expect(all).toHaveLength(ROWS - 1);
  expect(sentTexts.at(-1)).toHaveLength(ROWS - 11);
  const upstreamSecond = fake.requests.length - upstreamAfterStop;
  const upstreamTexts = fake.requests.slice(upstreamAfterStop).map((request) => JSON.stringify(request.body.messages));
  for (let row = 1; row <= 10; row++) expect(upstreamTexts.some((text) => text.includes(sentence(row)))).toBe(false);

  // A third run finds nothing to do and asks the BFF for nothing.
  const requestsBefore = sentTexts.length;
  const third = await translateSelectedCells(sheet(), {
    translate: streamedTranslate(createApiClient(), 'en'),
    overwrite: false,
    firstRowIsHeader: true,
    signal: new AbortController().signal,
  });
  expect(third).toMatchObject({ translated: 0, skipped: ROWS, outputColumn: 1 });
  expect(sentTexts.length).toBe(requestsBefore);
  console.info(
    `translate resume: stopped after 10 rows (${upstreamAfterStop} upstream requests), the re-run sent ${ROWS - 11} texts (${upstreamSecond} upstream), a third run sent none`,
  );
});
