// The one contract every HostAdapter keeps, Office or preview. A harness builds an adapter over the
// fixture below and a way to inspect the document behind it; `describeHostAdapterContract` registers
// the tests for the capability of the harness's host (Word: text, Excel: sheet, Outlook: mail).
//
// Usage (any jest test file):
//   describeHostAdapterContract({ name: 'preview word', host: 'word', isPreview: true, create: (fixture) => … });
import {
  HostError,
  type HostAdapter,
  type HostName,
  type MailAccess,
  type SheetAccess,
  type TextDocumentAccess,
  type TranslationPlacement,
} from '../../src/hosts/host-adapter.js';
import { FAILED_CELL_PREFIX, classifySheet, type ClassifiedItem } from '../../src/workflows/index.js';

export interface ContractFixture {
  /** Word: the document's paragraphs, all non-empty, in the Normal style. */
  paragraphs: string[];
  /** Word: zero-based first and last selected paragraph. */
  selectedParagraphs: { first: number; last: number };
  /** Excel: one sheet's cells from A1 (null: empty); rows beyond and columns beyond are empty. */
  sheet: { name: string; cells: (string | null)[][]; selection: { row: number; column: number; rowCount: number; columnCount: number } };
  /** Outlook: the open message (read) or draft (compose), the master category list, a compose selection. */
  mail: { subject: string; fromName: string; fromAddress: string; body: string; categories: string[]; selectedText: string };
}

export const CONTRACT_FIXTURE: ContractFixture = {
  paragraphs: ['Erster Absatz über Umsatz.', 'Zweiter Absatz über Kosten.', 'Dritter Absatz über Personal.', 'Vierter Absatz, der Schluss.'],
  selectedParagraphs: { first: 1, last: 2 },
  sheet: {
    name: 'Contract',
    cells: [
      ['Ticket', 'Product', 'Label', 'Labels'],
      ['Printer jams', 'P-100', null, 'Billing'],
      ['Refund please', 'P-200', 'Billing (by hand)', 'Hardware'],
      [null, null, null, 'Account'],
      ['Login fails', 'P-300', null, null],
    ],
    // A1:B5. C holds one hand-made label and D the label list, so the first column right of the
    // selection that is empty in all selected rows is E (index 4).
    selection: { row: 0, column: 0, rowCount: 5, columnCount: 2 },
  },
  mail: {
    subject: 'Invoice 42 charged twice',
    fromName: 'Dana Customer',
    fromAddress: 'dana@example.org',
    body: 'Hello,\nI was charged twice for invoice 42.\n\n> On Monday you wrote:\n> Thanks for your order.',
    categories: ['Billing', 'Urgent'],
    // Part of the body: in a draft, the selection is a stretch of the draft.
    selectedText: 'I was charged twice for invoice 42.',
  },
};

/** What a test may look at (or change, as the user would) behind the adapter. */
export interface ContractDocument {
  /** Text hosts: paragraph texts in document order. */
  paragraphTexts?(): string[] | Promise<string[]>;
  /** Text hosts: comments, each with the text of the paragraph it is anchored to. */
  comments?(): { anchorText: string; text: string }[] | Promise<{ anchorText: string; text: string }[]>;
  /** Text hosts: the user rewrites paragraph `index` (zero-based, in the document). */
  editParagraph?(index: number, text: string): void | Promise<void>;
  /** Text hosts: the user presses Enter at the start of paragraph `index`, adding an empty paragraph above it. */
  insertEmptyParagraphBefore?(index: number): void | Promise<void>;
  /** Sheet hosts: a cell's text, '' when empty (zero-based row and column). */
  cellText?(row: number, column: number): string | Promise<string>;
  /** Mail hosts: categories applied to the open item, in order. */
  appliedCategories?(): string[] | Promise<string[]>;
  /** Mail hosts: HTML bodies of the reply forms opened. */
  replyForms?(): string[] | Promise<string[]>;
  /** Mail hosts (compose): texts inserted into the draft, as given to insertText. */
  insertedTexts?(): string[] | Promise<string[]>;
  /** Mail hosts (compose): the draft's text as the user sees it. */
  draftText?(): string | Promise<string>;
  /** Mail hosts (compose): the user clicks at the end of the draft, so nothing is selected. */
  placeCursorAtEnd?(): void | Promise<void>;
}

export interface ContractSubject {
  adapter: HostAdapter;
  document: ContractDocument;
}

export interface ContractHarness {
  name: string;
  host: HostName;
  isPreview: boolean;
  /** Outlook only: which surface the adapter is built for. */
  mailMode?: 'read' | 'compose';
  create(fixture: ContractFixture): ContractSubject | Promise<ContractSubject>;
}

export function describeHostAdapterContract(harness: ContractHarness): void {
  const fixture = CONTRACT_FIXTURE;
  const subject = async (): Promise<ContractSubject> => harness.create(structuredClone(fixture));

  describe(`HostAdapter contract: ${harness.name}`, () => {
    test('names its host, its language, and offers exactly its capability', async () => {
      const { adapter } = await subject();
      expect(adapter.host).toBe(harness.host);
      expect(adapter.isPreview).toBe(harness.isPreview);
      expect(adapter.displayLanguage).toMatch(/^[a-z]{2,3}(-[A-Za-z0-9]+)*$/);
      expect(adapter.text !== undefined).toBe(harness.host === 'word');
      expect(adapter.sheet !== undefined).toBe(harness.host === 'excel');
      expect(adapter.mail !== undefined).toBe(harness.host === 'outlook');
    });

    if (harness.host === 'word') describeTextContract(subject, fixture);
    if (harness.host === 'excel') describeSheetContract(subject, fixture);
    if (harness.host === 'outlook') describeMailContract(subject, fixture, harness.mailMode ?? 'read');
  });
}

function required<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`The harness must provide ${what} for this contract.`);
  return value;
}

function describeTextContract(subject: () => Promise<ContractSubject>, fixture: ContractFixture): void {
  const text = (adapter: HostAdapter): TextDocumentAccess => required(adapter.text, 'adapter.text');
  const paragraphTexts = async (document: ContractDocument): Promise<string[]> => required(document.paragraphTexts, 'document.paragraphTexts').call(document);
  const { first, last } = fixture.selectedParagraphs;
  const selected = fixture.paragraphs.slice(first, last + 1);
  const translationsOf = (texts: readonly string[]): string[] => texts.map((paragraph) => `EN: ${paragraph}`);

  test('reads the whole document and the selection, with distinct ids', async () => {
    const { adapter } = await subject();
    const all = await text(adapter).readParagraphs('document');
    expect(all.map((block) => block.text)).toEqual(fixture.paragraphs);
    expect(new Set(all.map((block) => block.id)).size).toBe(all.length);
    expect((await text(adapter).readParagraphs('selection')).map((block) => block.text)).toEqual(selected);
  });

  test("offers the 'after' placement", async () => {
    const { adapter } = await subject();
    expect(text(adapter).translationPlacements).toContain('after');
  });

  test("'after': each translation follows its paragraph, one for one", async () => {
    const { adapter, document } = await subject();
    const blocks = await text(adapter).readParagraphs('selection');
    await text(adapter).writeTranslations(blocks, translationsOf(selected), 'after');
    const expected = [
      ...fixture.paragraphs.slice(0, first),
      ...selected.flatMap((paragraph) => [paragraph, `EN: ${paragraph}`]),
      ...fixture.paragraphs.slice(last + 1),
    ];
    expect(await paragraphTexts(document)).toEqual(expected);
  });

  test.each<TranslationPlacement>(['replace-tracked', 'comment'])(
    "'%s': written as promised where offered, refused with a HostError where not",
    async (placement) => {
      const { adapter, document } = await subject();
      const blocks = await text(adapter).readParagraphs('selection');
      const write = text(adapter).writeTranslations(blocks, translationsOf(selected), placement);
      if (!text(adapter).translationPlacements.includes(placement)) {
        await expect(write).rejects.toBeInstanceOf(HostError);
        expect(await paragraphTexts(document)).toEqual(fixture.paragraphs);
        return;
      }
      await write;
      const texts = await paragraphTexts(document);
      expect(texts).toHaveLength(fixture.paragraphs.length);
      if (placement === 'replace-tracked') {
        expect(texts).toEqual(fixture.paragraphs.map((paragraph, index) => (index >= first && index <= last ? `EN: ${paragraph}` : paragraph)));
      } else {
        expect(texts).toEqual(fixture.paragraphs);
        const comments = await required(document.comments, 'document.comments').call(document);
        expect(comments).toEqual(selected.map((paragraph) => ({ anchorText: paragraph, text: `EN: ${paragraph}` })));
      }
    },
  );

  test('a paragraph changed since reading is never overwritten: it is reported, the others are written', async () => {
    const { adapter, document } = await subject();
    const blocks = await text(adapter).readParagraphs('selection');
    await required(document.editParagraph, 'document.editParagraph').call(document, last, 'Vom Nutzer geändert.');
    const result = await text(adapter).writeTranslations(blocks, translationsOf(selected), 'after');
    expect(result).toEqual({ written: selected.length - 1, changed: [blocks[blocks.length - 1]?.id] });
    expect(await paragraphTexts(document)).toEqual([
      ...fixture.paragraphs.slice(0, first),
      ...selected.slice(0, -1).flatMap((paragraph) => [paragraph, `EN: ${paragraph}`]),
      'Vom Nutzer geändert.',
      ...fixture.paragraphs.slice(last + 1),
    ]);
  });

  test('Enter pressed above the selection while the translation runs: every translation still follows its own paragraph', async () => {
    const { adapter, document } = await subject();
    const blocks = await text(adapter).readParagraphs('selection');
    await required(document.insertEmptyParagraphBefore, 'document.insertEmptyParagraphBefore').call(document, first);
    expect(await text(adapter).writeTranslations(blocks, translationsOf(selected), 'after')).toEqual({ written: selected.length, changed: [] });
    expect(await paragraphTexts(document)).toEqual([
      ...fixture.paragraphs.slice(0, first),
      '',
      ...selected.flatMap((paragraph) => [paragraph, `EN: ${paragraph}`]),
      ...fixture.paragraphs.slice(last + 1),
    ]);
  });

  test('translations must match the paragraphs one to one', async () => {
    const { adapter, document } = await subject();
    const blocks = await text(adapter).readParagraphs('selection');
    await expect(text(adapter).writeTranslations(blocks, ['just one'], 'after')).rejects.toBeInstanceOf(HostError);
    expect(await paragraphTexts(document)).toEqual(fixture.paragraphs);
  });

  test('inserts a two-paragraph summary at the end as two paragraphs', async () => {
    const { adapter, document } = await subject();
    await text(adapter).insertText('Summary one.\nSummary two.', 'end');
    expect(await paragraphTexts(document)).toEqual([...fixture.paragraphs, 'Summary one.', 'Summary two.']);
  });
}

function describeSheetContract(subject: () => Promise<ContractSubject>, fixture: ContractFixture): void {
  const sheet = (adapter: HostAdapter): SheetAccess => required(adapter.sheet, 'adapter.sheet');
  const cellText = async (document: ContractDocument, row: number, column: number): Promise<string> =>
    required(document.cellText, 'document.cellText').call(document, row, column);

  test('reads the selection: geometry, first row, first empty column to the right', async () => {
    const { adapter } = await subject();
    const selection = await sheet(adapter).readSelection();
    expect(selection).toMatchObject({
      sheetName: fixture.sheet.name,
      firstRow: 0,
      firstColumn: 0,
      rowCount: 5,
      columnCount: 2,
      firstRowTexts: ['Ticket', 'Product'],
      firstEmptyColumnToTheRight: 4,
    });
    expect(selection.address).toMatch(/A1:B5$/);
  });

  test('reads rows in the asked column order and one column, empty cells as ""', async () => {
    const { adapter } = await subject();
    expect(await sheet(adapter).readRows(1, 4, [1, 0])).toEqual([
      ['P-100', 'Printer jams'],
      ['P-200', 'Refund please'],
      ['', ''],
      ['P-300', 'Login fails'],
    ]);
    expect(await sheet(adapter).readColumn(1, 4, 2)).toEqual(['', 'Billing (by hand)', '', '']);
  });

  test('writes a column block, leaving null cells as they are', async () => {
    const { adapter, document } = await subject();
    await sheet(adapter).writeColumn(1, 2, ['Hardware', null, null, 'Account']);
    expect(await Promise.all([1, 2, 3, 4].map((row) => cellText(document, row, 2)))).toEqual(['Hardware', 'Billing (by hand)', '', 'Account']);
  });

  test('reads a label list by address, with or without the sheet name', async () => {
    const { adapter } = await subject();
    expect(await sheet(adapter).readRangeTexts('D2:D5')).toEqual(['Billing', 'Hardware', 'Account']);
    expect(await sheet(adapter).readRangeTexts(`${fixture.sheet.name}!D2:D5`)).toEqual(['Billing', 'Hardware', 'Account']);
  });

  test('drives the classification workflow: labels written, hand-made label and empty row left alone', async () => {
    const { adapter, document } = await subject();
    const classify = async function* (items: string[]): AsyncIterable<ClassifiedItem> {
      for (const [index, item] of items.entries()) {
        yield item.startsWith('Login') ? { index, label: null, error: { code: 'INVALID_MODEL_OUTPUT', message: 'no label' } } : { index, label: 'Hardware' };
      }
    };
    const result = await classifySheet(sheet(adapter), {
      rows: { startRow: 1, rowCount: 4 },
      inputColumns: [0, 1],
      outputColumn: 2,
      overwrite: false,
      classify,
      signal: new AbortController().signal,
    });
    expect(result).toMatchObject({ classified: 1, skipped: 2, failed: 1, stopped: false });
    expect(await cellText(document, 1, 2)).toBe('Hardware');
    expect(await cellText(document, 2, 2)).toBe('Billing (by hand)');
    expect(await cellText(document, 3, 2)).toBe('');
    expect(await cellText(document, 4, 2)).toMatch(new RegExp(`^${FAILED_CELL_PREFIX}INVALID_MODEL_OUTPUT`));
  });
}

function describeMailContract(subject: () => Promise<ContractSubject>, fixture: ContractFixture, mode: 'read' | 'compose'): void {
  const mail = (adapter: HostAdapter): MailAccess => required(adapter.mail, 'adapter.mail');

  test(`is in ${mode} mode and reads the ${mode === 'read' ? 'message' : 'draft'}`, async () => {
    const { adapter } = await subject();
    expect(mail(adapter).mode).toBe(mode);
    const message = await mail(adapter).readMessage();
    expect(message.subject).toBe(fixture.mail.subject);
    expect(message.body).toBe(fixture.mail.body);
    if (mode === 'read') expect(message.from).toContain(fixture.mail.fromName);
  });

  test('lists the master categories and applies only an existing one, under its exact name', async () => {
    const { adapter, document } = await subject();
    expect(await mail(adapter).listCategories()).toEqual(fixture.mail.categories);
    expect(await mail(adapter).applyCategory('no such category')).toBe(false);
    expect(await mail(adapter).applyCategory('billing')).toBe(true);
    expect(await required(document.appliedCategories, 'document.appliedCategories').call(document)).toEqual(['Billing']);
  });

  if (mode === 'read') {
    test('opens a reply form with the text as escaped HTML', async () => {
      const { adapter, document } = await subject();
      await mail(adapter).displayReply('Hi <Dana> & team,\nthanks.');
      expect(await required(document.replyForms, 'document.replyForms').call(document)).toEqual(['Hi &lt;Dana&gt; &amp; team,<br>thanks.']);
    });
  } else {
    test('reads the selected text and replaces it', async () => {
      const { adapter, document } = await subject();
      expect(await mail(adapter).readSelectedText()).toBe(fixture.mail.selectedText);
      expect(await mail(adapter).insertText('Hello Dana,\nthanks.')).toBe('replaced-selection');
      expect(await required(document.insertedTexts, 'document.insertedTexts').call(document)).toEqual(['Hello Dana,\nthanks.']);
      expect(await required(document.draftText, 'document.draftText').call(document)).toBe(
        fixture.mail.body.replace(fixture.mail.selectedText, 'Hello Dana,\nthanks.'),
      );
    });

    test('with nothing selected, inserts the text as its own lines at the cursor, the draft kept whole', async () => {
      const { adapter, document } = await subject();
      await required(document.placeCursorAtEnd, 'document.placeCursorAtEnd').call(document);
      expect(await mail(adapter).readSelectedText()).toBe('');
      expect(await mail(adapter).insertText('Summary line.')).toBe('separate-paragraphs');
      const draft = await required(document.draftText, 'document.draftText').call(document);
      expect(draft.startsWith(`${fixture.mail.body}\n`)).toBe(true);
      expect(draft.split('\n')).toContain('Summary line.');
    });
  }
}
