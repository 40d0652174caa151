// Word translation that keeps formatting and structure (issue 14), end to end: the Word fake with runs, links,
// a table, a numbered list, pictures and content controls; the pane's Word path (translate-document-paragraphs)
// through the real API client to the real BFF and the loopback OpenAI-protocol server.
import { hasSpanMarkers } from '../../src/contract/span-markup.js';
import type { TranslationPlacement } from '../../src/hosts/host-adapter.js';
import { readParagraphOoxml } from '../../src/hosts/word/paragraph-ooxml.js';
import { createWordTextAccess } from '../../src/hosts/word/word-text-access.js';
import { translateDocumentParagraphs } from '../../src/taskpane/features/translate/translate-document-paragraphs.js';
import { createApiClient } from '../../src/taskpane/shared/api/api-client.js';
import { english } from '../../src/taskpane/shared/i18n/messages.js';
import { useBffWithFakeProvider } from '../support/bff.js';
import { fakeModelAnswer } from '../support/fake-openai-server.js';
import { WordMock, testXmlCodec, type ParagraphData } from './mocks/word-mock.js';

// A small context window, so a document goes upstream in several batches (Stop can come between them).
const provider = useBffWithFakeProvider({ RATE_LIMIT_PER_MINUTE: '0', LOG_LEVEL: 'warn', LLM_CONTEXT_TOKENS: '2048' });
const originalFetch = globalThis.fetch;
beforeEach(() => {
  // The pane calls its own origin: here that is the BFF on loopback.
  globalThis.fetch = ((input: RequestInfo | URL, init?: RequestInit) =>
    originalFetch(typeof input === 'string' && input.startsWith('/') ? new URL(input, provider.bff.url) : input, init)) as typeof fetch;
});
afterEach(() => {
  globalThis.fetch = originalFetch;
});

const allApis = { isSetSupported: () => true };

/** A 50-paragraph document: headings, formatted paragraphs with links, a 2×2 table, a numbered list, empty paragraphs, a page break, a picture, a content control, a field. */
function sampleDocument(): ParagraphData[] {
  const document: ParagraphData[] = [{ text: 'Quartalsbericht', styleBuiltIn: 'Heading1' }];
  for (let index = 1; index <= 30; index += 1) {
    const runs = [
      { text: `Absatz ${index}: der Umsatz ist ` },
      { text: 'deutlich', bold: true },
      { text: ' gestiegen, siehe ' },
      { text: 'Bericht', italic: true, link: `https://example.org/r${index}` },
      { text: ' und ' },
      { text: 'H', italic: true },
      { text: '2', vertAlign: 'subscript' as const },
      { text: 'O.' },
    ];
    document.push({ text: runs.map((run) => run.text).join(''), runs });
  }
  document.push({ text: '' });
  for (const [row, column, text] of [
    [0, 0, 'Produkt'],
    [0, 1, 'Menge'],
    [1, 0, 'Drucker'],
    [1, 1, 'Zehn Stück'],
  ] as const)
    document.push({ text, runs: [{ text, bold: row === 0 }], cell: { table: 1, row, column } });
  for (let item = 1; item <= 5; item += 1) document.push({ text: `Schritt ${item} der Anleitung.`, list: { id: 3, level: item === 3 ? 1 : 0 } });
  document.push({ text: '', runs: [{ text: '', pageBreak: true }] });
  document.push({ text: 'Das Bild zeigt den Drucker.', runs: [{ text: '', picture: 'Drucker.png' }, { text: 'Das Bild zeigt den Drucker.' }] });
  document.push({
    text: 'Kunde: Contoso GmbH, bitte prüfen.',
    runs: [{ text: 'Kunde: ' }, { text: 'Contoso GmbH', contentControl: 'customer' }, { text: ', bitte prüfen.' }],
  });
  document.push({ text: 'Seite 3 von 9', runs: [{ text: 'Seite ' }, { text: '3', field: 'PAGE' }, { text: ' von 9' }] });
  document.push({ text: 'Zusammenfassung', styleBuiltIn: 'Heading2' });
  document.push({ text: '2024 / 2025: 17 %' });
  document.push({ text: 'This paragraph is already written in English, so it stays as it is.' });
  document.push({ text: '' });
  document.push({ text: 'Danke an alle.' });
  return document;
}

function translate(mock: WordMock, placement: TranslationPlacement, signal = new AbortController().signal) {
  return translateDocumentParagraphs({
    text: createWordTextAccess({ run: mock.run, ...allApis, xml: testXmlCodec }),
    api: createApiClient(),
    scope: 'document',
    targetLanguage: 'en',
    placement,
    glossary: { terms: {}, doNotTranslate: ['Contoso'] },
    signal,
    messages: english,
    onProgress: () => undefined,
    onStopped: () => undefined,
  });
}

describe('reading runs as span markers', () => {
  test('bold, a link, sub/superscript become spans; a picture, a content control, a field become items; text is escaped', async () => {
    const mock = new WordMock(
      [
        {
          text: 'A <b> & bold link H2O',
          runs: [
            { text: 'A <b> & ' },
            { text: 'bold', bold: true },
            { text: ' ' },
            { text: 'link', link: 'https://x.example' },
            { text: ' H' },
            { text: '2', vertAlign: 'subscript' },
            { text: 'O' },
          ],
        },
        {
          text: 'Bild Feld 7 Kunde X',
          runs: [{ text: '', picture: 'p.png' }, { text: 'Bild Feld ' }, { text: '7', field: 'PAGE' }, { text: ' Kunde ' }, { text: 'X', contentControl: 'c' }],
        },
        { text: 'Nur Text.' },
      ],
      { first: 0 },
      { paragraphIds: true },
    );
    const blocks = await createWordTextAccess({ run: mock.run, ...allApis, xml: testXmlCodec }).readParagraphs('document');
    expect(blocks.map((block) => block.markup)).toEqual([
      'A &lt;b&gt; &amp; <s1>bold</s1> <s2>link</s2> H<s3>2</s3>O',
      '<x1/>Bild Feld <x2/> Kunde <x3/>',
      undefined,
    ]);
    expect(blocks.map((block) => block.text)).toEqual(['A <b> & bold link H2O', 'Bild Feld 7 Kunde X', 'Nur Text.']);
  });

  test('a list item keeps its level and the indent of its level for a paragraph beside it', () => {
    const mock = new WordMock([{ text: 'Eins', list: { id: 4, level: 1 } }], { first: 0 });
    let ooxml = '';
    void mock.run(async (context) => {
      const paragraph = context.document.body.paragraphs.items[0] as Word.Paragraph;
      const result = paragraph.getOoxml();
      await context.sync();
      ooxml = result.value;
    });
    return new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
      const read = readParagraphOoxml(ooxml, 'Eins', testXmlCodec);
      expect(read?.formatting.list).toMatchObject({ numberingId: '4', level: 1, indent: '1080' });
      expect(read?.formatting.list?.besideProperties).toMatch(/<w:numId w:val="0"\/>/);
    });
  });
});

describe.each<TranslationPlacement>(['after', 'replace-tracked', 'comment'])('a 50-paragraph document, placement %s, against the BFF', (placement) => {
  test('every span keeps its formatting, cells in place, numbering intact, nothing lost or reordered', async () => {
    const source = sampleDocument();
    expect(source).toHaveLength(50);
    const mock = new WordMock(source, { first: 0 }, { paragraphIds: true });
    const { counts, status } = await translate(mock, placement);
    const translatable = source.filter((paragraph) => paragraph.text.trim() !== '').length;
    expect(counts).toMatchObject({ markupDropped: 0, failed: 0, changed: 0, alreadyTranslated: 0 });
    // The numbers-only paragraph is left alone by the server; the user's do-not-translate term reaches the model as a rule.
    expect(counts.skipped).toBeGreaterThanOrEqual(1);
    expect(provider.fake.requests.every((request) => request.body.messages[0]?.content.includes('Contoso') === true)).toBe(true);
    expect(counts.written + counts.skipped).toBe(translatable);
    // 30 paragraphs × 4 spans (bold, link, italic, subscript) + 2 bold header cells.
    expect(counts.spansKept).toBe(placement === 'comment' ? 0 : 122);
    if (placement !== 'comment') expect(status).toContain('122 formatted spans kept.');

    const sources = mock.paragraphs.filter((paragraph) => paragraph.bookmarks.length === 0 || placement !== 'after');
    if (placement === 'comment') {
      expect(mock.texts()).toEqual(source.map((paragraph) => paragraph.text));
      expect(mock.comments[1]?.text).toMatch(/^\[en\] Absatz 1: der Umsatz ist deutlich gestiegen, siehe Bericht und H2O\.$/);
      expect(mock.comments.some((comment) => hasSpanMarkers(comment.text))).toBe(false);
      return;
    }
    if (placement === 'after') {
      // Each translation right after its source: sources in order, none lost.
      expect(sources.map((paragraph) => paragraph.text)).toEqual(source.map((paragraph) => paragraph.text));
      expect(mock.paragraphs).toHaveLength(50 + counts.written);
      const expected = source.flatMap((paragraph) => {
        const translated = mock.paragraphs.some((model) => model.text === `[en] ${paragraph.text}`);
        return translated ? [paragraph.text, `[en] ${paragraph.text}`] : [paragraph.text];
      });
      expect(mock.texts()).toEqual(expected);
    } else {
      expect(mock.paragraphs).toHaveLength(50);
      // Every paragraph in its place: translated in place (the fake model prefixes "[en] ") or left as it was.
      mock.texts().forEach((text, index) => expect([source[index]?.text, `[en] ${source[index]?.text}`]).toContain(text));
      expect(mock.trackedChanges).toHaveLength(counts.written);
      expect(mock.changeTrackingMode).toBe('Off');
    }
    const translationOf = (sourceIndex: number) => {
      const at = mock.paragraphs.indexOf(sources[sourceIndex] as (typeof mock.paragraphs)[number]);
      return placement === 'after' ? at + 1 : at;
    };
    // A formatted paragraph: each span's formatting on its translated text, the link to the same address.
    const paragraphOne = mock.runsOf(translationOf(1));
    expect(paragraphOne).toEqual([
      { text: '[en] Absatz 1: der Umsatz ist ' },
      { text: 'deutlich', bold: true },
      { text: ' gestiegen, siehe ' },
      { text: 'Bericht', italic: true, link: 'https://example.org/r1' },
      { text: ' und ' },
      { text: 'H', italic: true },
      { text: '2', vertAlign: 'subscript' },
      { text: 'O.' },
    ]);
    // The heading keeps its style; table cells are translated in their cells.
    expect(mock.paragraphs[translationOf(0)]).toMatchObject({ styleBuiltIn: 'Heading1', text: '[en] Quartalsbericht' });
    const cell = mock.paragraphs[translationOf(34)];
    expect(cell).toMatchObject({ cell: { table: 1, row: 1, column: 0 }, text: '[en] Drucker' });
    expect(mock.runsOf(translationOf(32))).toEqual([{ text: '[en] ' }, { text: 'Produkt', bold: true }]);
    // Numbering: the list items are still 1, 2, (1 at level 1), 3, 4; translations beside them carry no number.
    const listLabels = mock.listLabels();
    const itemLabels = [36, 37, 38, 39, 40].map((index) => listLabels[mock.paragraphs.indexOf(sources[index] as (typeof mock.paragraphs)[number])]);
    expect(itemLabels).toEqual(['1', '2', '1', '3', '4']);
    if (placement === 'after') {
      expect(listLabels[translationOf(36)]).toBe('');
      expect(mock.paragraphs[translationOf(37)]).toMatchObject({ list: undefined, indent: '720' });
    }
    // The page break, the picture, the content control and the field stay.
    expect(mock.runsOf(mock.paragraphs.indexOf(sources[41] as (typeof mock.paragraphs)[number]))).toEqual([{ text: '', pageBreak: true }]);
    const picture = mock.paragraphs.indexOf(sources[42] as (typeof mock.paragraphs)[number]);
    expect(mock.runsOf(picture)).toContainEqual({ text: '', picture: 'Drucker.png' });
    const control = mock.runsOf(translationOf(43));
    expect(control).toContainEqual({ text: 'Contoso GmbH', contentControl: 'customer' });
    expect(mock.runsOf(translationOf(44))).toContainEqual({ text: '3', field: 'PAGE' });
  });
});

test('a model that drops the markers: re-asked by the server, then plain text in the paragraph style, and a note', async () => {
  const mock = new WordMock(
    [
      { text: 'Quartalsbericht', styleBuiltIn: 'Heading1' },
      { text: 'Der Umsatz ist deutlich gestiegen.', runs: [{ text: 'Der Umsatz ist ' }, { text: 'deutlich', bold: true }, { text: ' gestiegen.' }] },
    ],
    { first: 0 },
    { paragraphIds: true },
  );
  provider.fake.setResponder((request) => ({ kind: 'content', content: fakeModelAnswer(request.body).replace(/<\/?s\d+>/g, '') }));
  const { counts, status } = await translate(mock, 'after');
  expect(counts).toMatchObject({ written: 2, markupDropped: 1, spansKept: 0 });
  expect(status).toContain('1 paragraph lost its inline formatting');
  expect(mock.runsOf(3)).toEqual([{ text: '[en] Der Umsatz ist deutlich gestiegen.' }]);
  // Asked, then re-asked once for the paragraph with markers.
  expect(provider.fake.requests).toHaveLength(2);
  expect(provider.fake.requests[1]?.body.messages.at(-1)?.content).toContain('Der Umsatz ist <s1>deutlich</s1> gestiegen.');
  expect(provider.fake.requests[1]?.body.messages.at(-1)?.content).not.toContain('Quartalsbericht');
});

test('Stop, then run again: only the rest is sent; translated paragraphs are recognised by their mark', async () => {
  const source = sampleDocument();
  const upstream: Record<string, { alreadyTranslated: number; written: number; requests: number }> = {};
  for (const placement of ['after', 'replace-tracked', 'comment'] as const) {
    const mock = new WordMock(source, { first: 0 }, { paragraphIds: true });
    provider.fake.requests.splice(0);
    const first = new AbortController();
    let arrived = 0;
    // The batch holding the heading is answered, the others hang: Stop comes after its translations
    // arrived. (Chosen by content: batches go out at once, and need not arrive in document order.)
    provider.fake.setResponder((request) => (JSON.stringify(request.body.messages).includes('Quartalsbericht') ? { kind: 'model' } : { kind: 'hang' }));
    const stopped = translateDocumentParagraphs({
      text: createWordTextAccess({ run: mock.run, ...allApis, xml: testXmlCodec }),
      api: createApiClient(),
      scope: 'document',
      targetLanguage: 'en',
      placement,
      signal: first.signal,
      messages: english,
      onProgress: (done) => {
        arrived = done;
        if (done > 0) first.abort();
      },
      onStopped: () => undefined,
    });
    await expect(stopped).rejects.toBeDefined();
    expect(arrived).toBeGreaterThan(0);
    provider.fake.requests.splice(0);
    provider.fake.setResponder(undefined);
    const { counts } = await translate(mock, placement);
    const translatable = source.filter((paragraph) => paragraph.text.trim() !== '').length;
    expect(counts.alreadyTranslated).toBeGreaterThan(0);
    expect(counts.alreadyTranslated + counts.written + counts.skipped).toBe(translatable);
    const sentTexts = provider.fake.requests.map((request) => JSON.stringify(request.body.messages));
    expect(sentTexts.some((text) => text.includes('Quartalsbericht'))).toBe(false);
    // Each source paragraph has exactly one translation.
    if (placement === 'after') expect(mock.paragraphs).toHaveLength(50 + counts.alreadyTranslated + counts.written);
    if (placement === 'comment') {
      expect(mock.comments).toHaveLength(counts.alreadyTranslated + counts.written);
      expect(new Set(mock.comments.map((comment) => comment.paragraph)).size).toBe(mock.comments.length);
      expect(mock.texts()).toEqual(source.map((paragraph) => paragraph.text));
    }
    upstream[placement] = { alreadyTranslated: counts.alreadyTranslated, written: counts.written, requests: provider.fake.requests.length };
  }
  if (process.env['REPORT_COUNTS'] === '1') console.log(JSON.stringify(upstream));
});
