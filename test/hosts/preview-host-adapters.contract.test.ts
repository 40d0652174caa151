// The shared HostAdapter contract (test/hosts/host-adapter-contract.ts), run against the preview
// adapters the browser preview uses, over the contract's own fixture; and what the preview adapter
// states beyond the contract: the sample document the pane's preview views render. No browser needed.
import type { ContractFixture } from './host-adapter-contract.js';
import { describeHostAdapterContract } from './host-adapter-contract.js';
import { HostError } from '../../src/hosts/host-adapter.js';
import { createPreviewHostAdapter } from '../../src/hosts/preview/preview-host-adapter.js';
import { PreviewMail, createMailboxStore } from '../../src/hosts/preview/preview-mail.js';
import { PreviewSheet, createWorkbookStore } from '../../src/hosts/preview/preview-sheet.js';
import { PreviewTextDocument, createTextDocumentStore, lineRanges } from '../../src/hosts/preview/preview-text-document.js';
import { sampleLabels, sampleTickets } from '../../src/hosts/preview/sample-documents.js';

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
