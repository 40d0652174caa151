// The shared HostAdapter contract (test/hosts/host-adapter-contract.ts), run against the preview
// adapters the browser preview uses, over the contract's own fixture.
import type { ContractFixture } from '../hosts/host-adapter-contract.js';
import { describeHostAdapterContract } from '../hosts/host-adapter-contract.js';
import { PreviewMail, createMailboxStore } from '../../src/hosts/preview/preview-mail.js';
import { PreviewSheet, createWorkbookStore } from '../../src/hosts/preview/preview-sheet.js';
import { PreviewTextDocument, createTextDocumentStore, lineRanges } from '../../src/hosts/preview/preview-text-document.js';

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
        editParagraph: (index, replacement) =>
          store.update((state) => ({ ...state, text: lines().map((line, lineIndex) => (lineIndex === index ? replacement : line)).join('\n') })),
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

// Compose mode is left out: the fixture's selected text ("Hallo Dana") is not part of its draft body,
// and the preview's selection is a range of the draft it shows.
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
