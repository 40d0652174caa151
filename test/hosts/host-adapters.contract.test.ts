// The shared HostAdapter contract, run against every Office adapter over office-addin-mock hosts.
import { createExcelHostAdapter } from '../../src/hosts/excel/excel-host-adapter.js';
import { OfficeAsyncQueue } from '../../src/hosts/outlook/office-async.js';
import { createOutlookHostAdapter } from '../../src/hosts/outlook/outlook-host-adapter.js';
import { createWordHostAdapter } from '../../src/hosts/word/word-host-adapter.js';
import { describeHostAdapterContract, type ContractFixture } from './host-adapter-contract.js';
import { ExcelMock } from './mocks/excel-mock.js';
import { OutlookMock } from './mocks/outlook-mock.js';
import { WordMock } from './mocks/word-mock.js';

describeHostAdapterContract({
  name: 'Word (office-addin-mock)',
  host: 'word',
  isPreview: false,
  create: (fixture: ContractFixture) => {
    const mock = new WordMock(
      fixture.paragraphs.map((text) => ({ text })),
      fixture.selectedParagraphs,
      { paragraphIds: true },
    );
    return {
      adapter: createWordHostAdapter({ run: mock.run, displayLanguage: 'de-DE', isSetSupported: () => true }),
      document: {
        paragraphTexts: () => mock.texts(),
        comments: () => mock.comments.map((comment) => ({ anchorText: comment.paragraph.text, text: comment.text })),
        editParagraph: (index, text) => mock.edit(index, text),
        insertEmptyParagraphBefore: (index) => mock.userInsertsParagraphBefore(index),
      },
    };
  },
});

describeHostAdapterContract({
  name: 'Word without WordApi 1.4 (office-addin-mock)',
  host: 'word',
  isPreview: false,
  create: (fixture: ContractFixture) => {
    const mock = new WordMock(
      fixture.paragraphs.map((text) => ({ text })),
      fixture.selectedParagraphs,
    );
    return {
      adapter: createWordHostAdapter({ run: mock.run, displayLanguage: 'en-US', isSetSupported: () => false }),
      document: {
        paragraphTexts: () => mock.texts(),
        editParagraph: (index, text) => mock.edit(index, text),
        insertEmptyParagraphBefore: (index) => mock.userInsertsParagraphBefore(index),
      },
    };
  },
});

describeHostAdapterContract({
  name: 'Excel (office-addin-mock)',
  host: 'excel',
  isPreview: false,
  create: (fixture: ContractFixture) => {
    const { cells, name, selection } = fixture.sheet;
    const mock = new ExcelMock(
      [
        {
          id: 'contract-sheet',
          name,
          rowExtent: cells.length,
          columnExtent: Math.max(...cells.map((row) => row.length)),
          valueAt: (row, column) => cells[row]?.[column] ?? null,
        },
      ],
      { sheetId: 'contract-sheet', ...selection },
    );
    return {
      adapter: createExcelHostAdapter({ run: mock.run, displayLanguage: 'en-GB' }),
      document: { cellText: (row, column) => String(mock.cell('contract-sheet', row, column) ?? '') },
    };
  },
});

for (const mode of ['read', 'compose'] as const) {
  describeHostAdapterContract({
    name: `Outlook ${mode} (office-addin-mock)`,
    host: 'outlook',
    isPreview: false,
    mailMode: mode,
    create: (fixture: ContractFixture) => {
      const { subject, fromName, fromAddress, body, categories, selectedText } = fixture.mail;
      const mock = new OutlookMock({
        mode,
        subject,
        from: { displayName: fromName, emailAddress: fromAddress },
        body,
        masterCategories: categories,
        selectedText,
        bodyType: 'text',
      });
      return {
        adapter: createOutlookHostAdapter({ mailbox: mock.mailbox, queue: new OfficeAsyncQueue(), displayLanguage: 'en-US' }),
        document: {
          appliedCategories: () => mock.appliedCategories,
          replyForms: () => mock.replyForms,
          // The adapter frames a separate insertion with line breaks; the contract compares what the caller gave.
          insertedTexts: () => mock.inserted.map((insert) => insert.data),
          draftText: () => mock.body,
          placeCursorAtEnd: () => {
            mock.selection = { start: mock.body.length, end: mock.body.length };
          },
        },
      };
    },
  });
}
