// The shared HostAdapter contract (test/hosts/host-adapter-contract.ts), run against the preview
// adapters the browser preview uses, over the contract's own fixture; and what the preview adapter
// states beyond the contract: the sample document the pane's preview views render. No browser needed.
import type { ContractFixture } from './host-adapter-contract.js';
import { describeHostAdapterContract } from './host-adapter-contract.js';
import { HostError, type TextBlock } from '../../src/hosts/host-adapter.js';
import { inlinePlainText, inlineToMarkup, parseInline, serializeInline } from '../../src/hosts/preview/preview-document-source.js';
import { createPreviewHostAdapter } from '../../src/hosts/preview/preview-host-adapter.js';
import { PreviewMail, createMailboxStore } from '../../src/hosts/preview/preview-mail.js';
import { PreviewSheet, createWorkbookStore } from '../../src/hosts/preview/preview-sheet.js';
import { PreviewTextDocument, createTextDocumentStore, lineRanges } from '../../src/hosts/preview/preview-text-document.js';
import { sampleLabels, sampleText, sampleTickets } from '../../src/hosts/preview/sample-documents.js';

describeHostAdapterContract({
  name: 'Word preview',
  host: 'word',
  isPreview: true,
  create: (fixture: ContractFixture) => {
    const text = fixture.paragraphs.join('\n');
    const store = createTextDocumentStore(text);
    const ranges = lineRanges(text);
    store.update((state) => ({
      ...state,
      selectionStart: ranges[fixture.selectedParagraphs.first]?.start ?? 0,
      selectionEnd: ranges[fixture.selectedParagraphs.last]?.end ?? 0,
    }));
    const lines = () => store.get().text.split('\n');
    return {
      adapter: { host: 'word', isPreview: true, displayLanguage: 'de-DE', text: new PreviewTextDocument(store) },
      document: {
        paragraphTexts: lines,
        comments: () => store.get().comments.map((comment) => ({ anchorText: comment.paragraph, text: comment.comment })),
        insertEmptyParagraphBefore: (index) =>
          store.update((state) => {
            const lines = state.text.split('\n');
            lines.splice(index, 0, '');
            return { ...state, text: lines.join('\n') };
          }),
        editParagraph: (index, replacement) =>
          store.update((state) => ({
            ...state,
            text: lines()
              .map((line, lineIndex) => (lineIndex === index ? replacement : line))
              .join('\n'),
          })),
      },
    };
  },
});

describeHostAdapterContract({
  name: 'Excel preview',
  host: 'excel',
  isPreview: true,
  create: (fixture: ContractFixture) => {
    const { cells, name, selection } = fixture.sheet;
    const store = createWorkbookStore([{ name, cells: cells.map((row) => row.map((cell) => cell ?? '')) }], {
      firstRow: selection.row,
      firstColumn: selection.column,
      rowCount: selection.rowCount,
      columnCount: selection.columnCount,
    });
    return {
      adapter: { host: 'excel', isPreview: true, displayLanguage: 'en-GB', sheet: new PreviewSheet(store) },
      document: { cellText: (row, column) => store.get().sheets[0]?.cells[row]?.[column] ?? '' },
    };
  },
});

describeHostAdapterContract({
  name: 'Outlook compose preview',
  host: 'outlook',
  isPreview: true,
  mailMode: 'compose',
  create: (fixture: ContractFixture) => {
    const { subject, fromName, fromAddress, body, categories, selectedText } = fixture.mail;
    const store = createMailboxStore({ subject, from: `${fromName} <${fromAddress}>`, body: '' }, [...categories], 'compose');
    const start = body.indexOf(selectedText);
    store.update((state) => ({ ...state, draft: body, draftSelectionStart: start, draftSelectionEnd: start + selectedText.length }));
    return {
      adapter: { host: 'outlook', isPreview: true, displayLanguage: 'en-US', mail: new PreviewMail(store) },
      document: {
        appliedCategories: () => store.get().appliedCategories,
        insertedTexts: () => store.get().insertedTexts,
        draftText: () => store.get().draft,
        placeCursorAtEnd: () => store.update((state) => ({ ...state, draftSelectionStart: state.draft.length, draftSelectionEnd: state.draft.length })),
      },
    };
  },
});

describeHostAdapterContract({
  name: 'Outlook read preview',
  host: 'outlook',
  isPreview: true,
  mailMode: 'read',
  create: (fixture: ContractFixture) => {
    const { subject, fromName, fromAddress, body, categories } = fixture.mail;
    const store = createMailboxStore({ subject, from: `${fromName} <${fromAddress}>`, body }, [...categories], 'read');
    return {
      adapter: { host: 'outlook', isPreview: true, displayLanguage: 'en-US', mail: new PreviewMail(store) },
      document: {
        appliedCategories: () => store.get().appliedCategories,
        replyForms: () => store.get().replyForms.map((form) => form.html),
        insertedTexts: () => store.get().insertedTexts,
      },
    };
  },
});

describe('createPreviewHostAdapter', () => {
  test('states its sample document by kind, and that document is the very model the adapter writes to', async () => {
    const word = createPreviewHostAdapter('word', { text: 'One\nTwo' });
    expect(word.sampleDocument.kind).toBe('text-document');
    if (word.sampleDocument.kind !== 'text-document') return;
    expect(word.sampleDocument.textDocument).toBe(word.text);
    await word.text?.insertText('Zero', 'start');
    expect(word.sampleDocument.textDocument.store.get().text).toBe('Zero\nOne\nTwo');

    const excel = createPreviewHostAdapter('excel');
    expect(excel.sampleDocument.kind).toBe('sheet');
    if (excel.sampleDocument.kind !== 'sheet') return;
    expect(excel.sampleDocument.sheet).toBe(excel.sheet);

    const outlook = createPreviewHostAdapter('outlook', { mailMode: 'compose' });
    expect(outlook.sampleDocument.kind).toBe('mail');
    if (outlook.sampleDocument.kind !== 'mail') return;
    expect(outlook.sampleDocument.mail).toBe(outlook.mail);
    expect(outlook.sampleDocument.mail.mode).toBe('compose');
    expect([word.isPreview, excel.isPreview, outlook.isPreview]).toEqual([true, true, true]);
  });

  test('the sample workbook reads label ranges as Excel does: quoted, absolute, whole columns', async () => {
    const { sheet } = createPreviewHostAdapter('excel');
    expect(await sheet?.readRangeTexts('Labels!A:A')).toEqual(sampleLabels);
    expect(await sheet?.readRangeTexts("'Labels'!$A$2:$A$3")).toEqual(sampleLabels.slice(1, 3));
    expect(await sheet?.readRangeTexts('B2:B3')).toEqual(sampleTickets.slice(0, 2).map((ticket) => ticket[1]));
    await expect(sheet?.readRangeTexts('Nowhere!A1:A3')).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringMatching(/no sheet named "Nowhere"/),
    });
    await expect(sheet?.readRangeTexts('Labels!A1:')).rejects.toBeInstanceOf(HostError);
  });
});

describe('the Word preview keeps formatting and structure (issue 14)', () => {
  /** What a model that keeps every marker answers: "[de] " before the marked-up text. */
  const keepMarkers = (block: TextBlock) => `[de] ${block.markup ?? block.text}`;

  test('reads formatted paragraphs with span markup, and cells, list items and headings with their structure', async () => {
    const document = new PreviewTextDocument(createTextDocumentStore(sampleText));
    const blocks = await document.readParagraphs('document');
    const byText = (text: string) => blocks.find((block) => block.text === text);
    expect(byText('The Contoso Help Center now answers most billing questions; see the help pages before you write to us.')).toMatchObject({
      markup: 'The <s1>Contoso Help Center</s1> now answers <s2>most</s2> billing questions; see the <s3>help pages</s3> before you write to us.',
      structure: { kind: 'paragraph' },
    });
    expect(byText('Next steps, as agreed on DATE:')?.markup).toBe('Next steps, as agreed on <x1/>:');
    expect(byText('Help Center')?.structure).toEqual({ kind: 'heading', level: 2 });
    expect(byText('Train two more people on billing questions.')).toMatchObject({
      markup: 'Train <s1>two more people</s1> on billing questions.',
      structure: { kind: 'list-item', level: 0 },
    });
    // Nine cells, each its own paragraph, in reading order; plain paragraphs carry no markup.
    const cells = blocks.filter((block) => block.structure?.kind === 'table-cell');
    expect(cells.map((block) => block.text)).toEqual([
      'Region',
      'Weekdays',
      'Weekend',
      'Europe',
      'Mornings and afternoons',
      'Emergencies only',
      'Americas',
      'All day',
      'Mornings',
    ]);
    expect(cells[5]?.markup).toBe('<s1>Emergencies only</s1>');
    expect(byText(sampleText.split('\n')[0] ?? '')?.markup).toBeUndefined();
    expect(new Set(blocks.map((block) => block.id)).size).toBe(blocks.length);
    expect(blocks.filter((block) => block.alreadyTranslated === true)).toEqual([]);
  });

  test('after each paragraph: formatting mapped back, cells translated in their cells, list translations inside their items', async () => {
    const store = createTextDocumentStore(sampleText);
    const document = new PreviewTextDocument(store);
    const blocks = (await document.readParagraphs('document')).filter((block) => block.text !== '');
    const result = await document.writeTranslations(blocks, blocks.map(keepMarkers), 'after');
    expect(result).toEqual({ written: blocks.length, changed: [] });
    const lines = store.get().text.split('\n');
    expect(lines).toContain(
      '[de] The **Contoso Help Center** now answers *most* billing questions; see the [help pages](https://example.com/help) before you write to us.',
    );
    expect(lines).toContain('## [de] Help Center');
    expect(lines).toContain('[de] Next steps, as agreed on {{DATE}}:');
    // The table keeps its three rows; each cell holds its original and, below it, the translation.
    expect(lines.filter((line) => line.startsWith('|'))).toEqual([
      '| Region ¶ [de] Region | Weekdays ¶ [de] Weekdays | Weekend ¶ [de] Weekend |',
      '| Europe ¶ [de] Europe | Mornings and afternoons ¶ [de] Mornings and afternoons | **Emergencies only** ¶ [de] **Emergencies only** |',
      '| Americas ¶ [de] Americas | All day ¶ [de] All day | Mornings ¶ [de] Mornings |',
    ]);
    // Three numbered items still, each followed by its translation as an unnumbered paragraph of the item.
    const list = lines.slice(lines.indexOf('1. Move the chat tool to the new platform.'));
    expect(list).toEqual([
      '1. Move the chat tool to the new platform.',
      '   [de] Move the chat tool to the new platform.',
      '2. Train **two more people** on billing questions.',
      '   [de] Train **two more people** on billing questions.',
      '3. Review the help articles every month.',
      '   [de] Review the help articles every month.',
    ]);
    // A second run over the whole document finds every paragraph translated already (the originals and ours).
    const again = (await document.readParagraphs('document')).filter((block) => block.text !== '');
    expect(again.length).toBe(blocks.length * 2);
    expect(again.filter((block) => block.alreadyTranslated !== true)).toEqual([]);
  });

  test('a translation that lost its markers is written as plain text; a tracked replacement keeps formatting; a comment is plain', async () => {
    const store = createTextDocumentStore('A **bold** word and *one more*.\n| **Cell** | two |');
    const document = new PreviewTextDocument(store);
    const [paragraph, firstCell, secondCell] = await document.readParagraphs('document');
    if (paragraph === undefined || firstCell === undefined || secondCell === undefined) throw new Error('three paragraphs expected');
    // A paragraph read with markup gets markup back: without its markers, escaped plain text.
    await document.writeTranslations([paragraph, firstCell, secondCell], ['Ein fettes Wort &amp; noch eins.', '<s1>Zelle</s1>', 'zwei'], 'replace-tracked');
    expect(store.get().text).toBe('Ein fettes Wort & noch eins.\n| **Zelle** | zwei |');
    expect(store.get().trackedChanges).toEqual([
      { original: 'A bold word and one more.', replacement: 'Ein fettes Wort & noch eins.' },
      { original: 'Cell', replacement: 'Zelle' },
      { original: 'two', replacement: 'zwei' },
    ]);
    // The bold cell again: its comment holds the translation without markers, and the document is unchanged.
    const [, boldCell] = await document.readParagraphs('document');
    if (boldCell === undefined) throw new Error('a cell expected');
    await document.writeTranslations([boldCell], ['<s1>Tabellenzelle</s1> &amp; mehr'], 'comment');
    expect(store.get().comments).toEqual([{ paragraph: 'Zelle', comment: 'Tabellenzelle & mehr' }]);
    expect(store.get().text).toBe('Ein fettes Wort & noch eins.\n| **Zelle** | zwei |');
  });

  test('a table cell edited meanwhile is reported and left alone; its neighbours are still written', async () => {
    const store = createTextDocumentStore('| one | two |');
    const document = new PreviewTextDocument(store);
    const blocks = await document.readParagraphs('document');
    store.update((state) => ({ ...state, text: `New line\n${state.text.replace('two', 'TWO')}` }));
    const result = await document.writeTranslations(blocks, ['eins', 'zwei'], 'after');
    expect(result).toEqual({ written: 1, changed: [blocks[1]?.id] });
    expect(store.get().text).toBe('New line\n| one ¶ eins | TWO |');
  });

  test('source syntax: unpaired delimiters stay text and links keep their target', () => {
    expect(inlinePlainText(parseInline('2 * 3 = 6 and **open'))).toBe('2 * 3 = 6 and **open');
    const nodes = parseInline('See [the *new* pages](https://example.com) now');
    expect(serializeInline(nodes)).toBe('See [the *new* pages](https://example.com) now');
    expect(inlineToMarkup(nodes)?.markup).toBe('See <s1>the <s2>new</s2> pages</s1> now');
    // A bracket before a link is text: "[de] " added in front of a paragraph with a link leaves the link as it was.
    expect(inlineToMarkup(parseInline('[de] See [the pages](https://example.com).'))?.markup).toBe('[de] See <s1>the pages</s1>.');
  });
});
