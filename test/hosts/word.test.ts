// The Word adapter against an office-addin-mock document: what it reads, what each placement writes,
// that styles survive and paragraph counts match, that paragraphs are found again by identity while the
// user keeps editing (an edited one is skipped, never overwritten), that the user's tracking mode comes
// back even when Word refuses an insert, and how many syncs each call takes.
import { HostError, type TextBlock } from '../../src/hosts/host-adapter.js';
import { createWordTextAccess } from '../../src/hosts/word/word-text-access.js';
import { WordMock, testXmlCodec, type ParagraphData } from './mocks/word-mock.js';

const withWordApi14 = { isSetSupported: (name: string, version: string) => name === 'WordApi' && Number(version) <= 1.4 };

const sample: ParagraphData[] = [
  { text: 'Quartalsbericht', styleBuiltIn: 'Heading1', style: 'Überschrift 1' },
  { text: 'Der Umsatz stieg um zehn Prozent.' },
  { text: '' },
  { text: 'Die Kosten sanken.', style: 'Firmenzitat' },
  { text: 'Danke an alle.' },
];

function access(mock: WordMock, options = withWordApi14) {
  return createWordTextAccess({ run: mock.run, ...options });
}

const texts = (blocks: readonly TextBlock[]) => blocks.map((block) => block.text);

describe('Word adapter: readParagraphs', () => {
  test('the whole document: the non-empty paragraphs with distinct ids, in one sync', async () => {
    const mock = new WordMock(sample, { first: 0 });
    const blocks = await access(mock).readParagraphs('document');
    expect(texts(blocks)).toEqual(['Quartalsbericht', 'Der Umsatz stieg um zehn Prozent.', 'Die Kosten sanken.', 'Danke an alle.']);
    expect(new Set(blocks.map((block) => block.id)).size).toBe(4);
    expect(mock.syncCount).toBe(1);
  });

  test('the selected paragraphs, in one sync; an id carries no document text', async () => {
    const mock = new WordMock(sample, { first: 3, last: 4 });
    const blocks = await access(mock).readParagraphs('selection');
    expect(texts(blocks)).toEqual(['Die Kosten sanken.', 'Danke an alle.']);
    for (const block of blocks) expect(block.id).not.toMatch(/Kosten|Danke|Prozent/);
    expect(mock.syncCount).toBe(1);
  });

  test('a collapsed selection reads the paragraph at the cursor', async () => {
    const mock = new WordMock(sample, { first: 1 });
    expect(texts(await access(mock).readParagraphs('selection'))).toEqual(['Der Umsatz stieg um zehn Prozent.']);
  });
});

describe('Word adapter: writeTranslations', () => {
  test("'after': one new paragraph after each, in the source's style, in two syncs", async () => {
    const mock = new WordMock(sample, { first: 0 });
    const text = access(mock);
    const blocks = await text.readParagraphs('document');
    mock.syncCount = 0;
    const result = await text.writeTranslations(blocks, ['Quarterly report', 'Revenue rose by ten per cent.', 'Costs fell.', 'Thanks to everyone.'], 'after');
    expect(result).toEqual({ written: 4, changed: [] });
    expect(mock.texts()).toEqual([
      'Quartalsbericht',
      'Quarterly report',
      'Der Umsatz stieg um zehn Prozent.',
      'Revenue rose by ten per cent.',
      '',
      'Die Kosten sanken.',
      'Costs fell.',
      'Danke an alle.',
      'Thanks to everyone.',
    ]);
    expect(mock.paragraphs).toHaveLength(sample.length + blocks.length);
    expect(mock.paragraphs[1]).toMatchObject({ styleBuiltIn: 'Heading1' });
    expect(mock.paragraphs[6]).toMatchObject({ style: 'Firmenzitat', styleBuiltIn: 'Other' });
    expect(mock.paragraphs[3]).toMatchObject({ styleBuiltIn: 'Normal' });
    expect(mock.syncCount).toBe(2);
  });

  test("'replace-tracked': each paragraph replaced as a tracked change; tracking set and restored in syncs of their own", async () => {
    const mock = new WordMock(sample, { first: 1, last: 3 });
    const text = access(mock);
    const blocks = await text.readParagraphs('selection');
    mock.syncCount = 0;
    await text.writeTranslations(blocks, ['Revenue rose.', 'Costs fell.'], 'replace-tracked');
    expect(mock.texts()).toEqual(['Quartalsbericht', 'Revenue rose.', '', 'Costs fell.', 'Danke an alle.']);
    expect(mock.trackedChanges).toEqual([
      { oldText: 'Der Umsatz stieg um zehn Prozent.', newText: 'Revenue rose.', mode: 'TrackAll' },
      { oldText: 'Die Kosten sanken.', newText: 'Costs fell.', mode: 'TrackAll' },
    ]);
    expect(mock.changeTrackingMode).toBe('Off');
    expect(mock.trackingModeHistory).toEqual(['TrackAll', 'Off']);
    expect(mock.paragraphs[3]).toMatchObject({ style: 'Firmenzitat' });
    // Check, tracking on, write, tracking back.
    expect(mock.syncCount).toBe(4);
  });

  test("'replace-tracked' keeps the user's own tracking mode", async () => {
    const mock = new WordMock(sample, { first: 4 });
    mock.changeTrackingMode = 'TrackMineOnly';
    const text = access(mock);
    await text.writeTranslations(await text.readParagraphs('selection'), ['Thanks to everyone.'], 'replace-tracked');
    expect(mock.trackedChanges).toHaveLength(1);
    expect(mock.changeTrackingMode).toBe('TrackMineOnly');
  });

  test('an insert Word refuses (a locked content control) fails the write, and the tracking mode still comes back', async () => {
    const mock = new WordMock(sample, { first: 0, last: 4 });
    mock.changeTrackingMode = 'TrackMineOnly';
    mock.lock(3);
    const text = access(mock);
    const blocks = await text.readParagraphs('selection');
    const failure = await text
      .writeTranslations(blocks, ['Quarterly report', 'Revenue rose.', 'Costs fell.', 'Thanks.'], 'replace-tracked')
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(HostError);
    expect(failure).toMatchObject({ code: 'OFFICE_CALL_FAILED', message: expect.stringMatching(/locked content control/) });
    // As in Office: the actions queued before the refused one stay, the later ones are dropped.
    expect(mock.texts()).toEqual(['Quarterly report', 'Revenue rose.', '', 'Die Kosten sanken.', 'Danke an alle.']);
    expect(mock.changeTrackingMode).toBe('TrackMineOnly');
    expect(mock.trackingModeHistory).toEqual(['TrackAll', 'TrackMineOnly']);
  });

  test("'comment': a comment with the translation on each paragraph, the text untouched", async () => {
    const mock = new WordMock(sample, { first: 0, last: 1 });
    const text = access(mock);
    const blocks = await text.readParagraphs('selection');
    await text.writeTranslations(blocks, ['Quarterly report', 'Revenue rose.'], 'comment');
    expect(mock.texts()).toEqual(sample.map((paragraph) => paragraph.text));
    expect(mock.comments.map((comment) => [comment.paragraph.text, comment.text])).toEqual([
      ['Quartalsbericht', 'Quarterly report'],
      ['Der Umsatz stieg um zehn Prozent.', 'Revenue rose.'],
    ]);
  });

  describe.each([
    ['with paragraph ids (WordApi 1.6)', true],
    ['by content and neighbours (no WordApi 1.6)', false],
  ] as const)('the user keeps working while the translation runs, %s', (_name, paragraphIds) => {
    const options = { isSetSupported: (name: string, version: string) => name === 'WordApi' && Number(version) <= (paragraphIds ? 1.6 : 1.4) };
    const english = ['Revenue rose.', 'Costs fell.', 'Thanks.'];

    test('Enter pressed above the selection: every translation still lands after its own paragraph', async () => {
      const mock = new WordMock(sample, { first: 1, last: 4 }, { paragraphIds });
      const text = access(mock, options);
      const blocks = await text.readParagraphs('selection');
      mock.userInsertsParagraphBefore(1);
      mock.userInsertsParagraphBefore(0, 'Entwurf');
      const result = await text.writeTranslations(blocks, english, 'after');
      expect(result).toEqual({ written: 3, changed: [] });
      expect(mock.texts()).toEqual([
        'Entwurf',
        'Quartalsbericht',
        '',
        'Der Umsatz stieg um zehn Prozent.',
        'Revenue rose.',
        '',
        'Die Kosten sanken.',
        'Costs fell.',
        'Danke an alle.',
        'Thanks.',
      ]);
    });

    test('Enter pressed between the check and the write: the paragraphs found are the ones written', async () => {
      const mock = new WordMock(sample, { first: 1, last: 4 }, { paragraphIds });
      const text = access(mock, options);
      const blocks = await text.readParagraphs('selection');
      mock.betweenSyncs(() => mock.userInsertsParagraphBefore(1));
      await text.writeTranslations(blocks, english, 'after');
      expect(mock.texts()).toEqual([
        'Quartalsbericht',
        '',
        'Der Umsatz stieg um zehn Prozent.',
        'Revenue rose.',
        '',
        'Die Kosten sanken.',
        'Costs fell.',
        'Danke an alle.',
        'Thanks.',
      ]);
    });

    test('an edited and a deleted paragraph are skipped and reported; the others are written', async () => {
      const mock = new WordMock(sample, { first: 0, last: 4 }, { paragraphIds });
      const text = access(mock, options);
      const blocks = await text.readParagraphs('selection');
      mock.edit(3, 'Die Kosten sanken deutlich.');
      mock.userDeletesParagraph(4);
      mock.userInsertsParagraphBefore(0);
      const result = await text.writeTranslations(blocks, ['Quarterly report', ...english], 'replace-tracked');
      expect(result).toEqual({ written: 2, changed: [blocks[2]?.id, blocks[3]?.id] });
      expect(mock.texts()).toEqual(['', 'Quarterly report', 'Revenue rose.', '', 'Die Kosten sanken deutlich.']);
      expect(mock.changeTrackingMode).toBe('Off');
    });

    test('a paragraph whose text repeats elsewhere is matched at its own place', async () => {
      const repeated: ParagraphData[] = [{ text: 'Danke.' }, { text: 'Mitte' }, { text: 'Danke.' }, { text: 'Ende' }];
      const mock = new WordMock(repeated, { first: 2 }, { paragraphIds });
      const text = access(mock, options);
      const blocks = await text.readParagraphs('selection');
      mock.userInsertsParagraphBefore(0, 'Neu');
      await text.writeTranslations(blocks, ['Thanks.'], 'after');
      expect(mock.texts()).toEqual(['Neu', 'Danke.', 'Mitte', 'Danke.', 'Thanks.', 'Ende']);
    });
  });

  test('one paragraph in, one out: line breaks inside a translation do not split it', async () => {
    const mock = new WordMock(sample, { first: 1 });
    const text = access(mock);
    await text.writeTranslations(await text.readParagraphs('selection'), ['Revenue rose\nby ten per cent.'], 'after');
    expect(mock.texts()[2]).toBe('Revenue rose by ten per cent.');
    expect(mock.paragraphs).toHaveLength(sample.length + 1);
  });

  test('translations must match the paragraphs one to one', async () => {
    const mock = new WordMock(sample, { first: 0 });
    const text = access(mock);
    const blocks = await text.readParagraphs('document');
    await expect(text.writeTranslations(blocks, ['only one'], 'after')).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });

  test('without WordApi 1.4 only the after placement is offered, and the others are refused in a plain sentence', async () => {
    const mock = new WordMock(sample, { first: 1 });
    const text = access(mock, { isSetSupported: () => false });
    expect(text.translationPlacements).toEqual(['after']);
    const blocks = await text.readParagraphs('selection');
    await expect(text.writeTranslations(blocks, ['y'], 'comment')).rejects.toMatchObject({
      code: 'NOT_AVAILABLE',
      message: 'This version of Word cannot add comments; choose "After each paragraph".',
    });
    expect(access(mock).translationPlacements).toEqual(['after', 'replace-tracked', 'comment']);
  });
});

describe('Word adapter: insertText', () => {
  const summary = 'Revenue rose.\n\nCosts fell.';

  test.each([
    ['end', ['Quartalsbericht', 'Der Umsatz stieg um zehn Prozent.', '', 'Die Kosten sanken.', 'Danke an alle.', 'Revenue rose.', 'Costs fell.']],
    ['start', ['Revenue rose.', 'Costs fell.', 'Quartalsbericht', 'Der Umsatz stieg um zehn Prozent.', '', 'Die Kosten sanken.', 'Danke an alle.']],
    ['cursor', ['Quartalsbericht', 'Revenue rose.', 'Costs fell.', 'Der Umsatz stieg um zehn Prozent.', '', 'Die Kosten sanken.', 'Danke an alle.']],
  ] as const)("'%s': a multi-paragraph summary goes in as body-text paragraphs, in one sync", async (location, expected) => {
    const mock = new WordMock(sample, { first: 0 });
    await access(mock).insertText(summary, location);
    expect(mock.texts()).toEqual(expected);
    const inserted = mock.paragraphs.filter((paragraph) => paragraph.text === 'Revenue rose.' || paragraph.text === 'Costs fell.');
    // After a heading, the summary is still body text.
    expect(inserted.map((paragraph) => paragraph.styleBuiltIn)).toEqual(['Normal', 'Normal']);
    expect(mock.syncCount).toBe(1);
  });
});

describe('Word adapter: formatting read from OOXML (WordApi 1.1 getOoxml)', () => {
  const withXml = { ...withWordApi14, xml: testXmlCodec };
  const formatted = (count: number): ParagraphData[] =>
    Array.from({ length: count }, (_, index) => ({
      text: `Absatz ${index} ist wichtig.`,
      runs: [{ text: `Absatz ${index} ist ` }, { text: 'wichtig', bold: true }, { text: '.' }],
    }));

  test('the OOXML is read in syncs of 25 paragraphs after the one that reads the texts', async () => {
    const mock = new WordMock(formatted(30), { first: 0 });
    const blocks = await createWordTextAccess({ run: mock.run, ...withXml }).readParagraphs('document');
    expect(blocks[29]?.markup).toBe('Absatz 29 ist <s1>wichtig</s1>.');
    expect(mock.syncCount).toBe(3);
  });

  test('a long write goes in syncs of 100 translations, each paragraph followed by its own', async () => {
    const mock = new WordMock(formatted(250), { first: 0 });
    const text = createWordTextAccess({ run: mock.run, ...withXml });
    const blocks = await text.readParagraphs('document');
    mock.syncCount = 0;
    const result = await text.writeTranslations(
      blocks,
      blocks.map((_, index) => `Paragraph ${index} is <s1>important</s1>.`),
      'after',
    );
    expect(result).toEqual({ written: 250, changed: [] });
    expect(mock.syncCount).toBe(1 + 3);
    expect(mock.texts().slice(498)).toEqual(['Absatz 249 ist wichtig.', 'Paragraph 249 is important.']);
  });

  test('a refused OOXML insert keeps the ones before it (as Office does) and the tracking mode comes back', async () => {
    const mock = new WordMock(formatted(3), { first: 0, last: 2 });
    mock.changeTrackingMode = 'TrackMineOnly';
    mock.lock(2);
    const text = createWordTextAccess({ run: mock.run, ...withXml });
    const blocks = await text.readParagraphs('selection');
    const failure = await text
      .writeTranslations(
        blocks,
        ['Paragraph 0 is <s1>important</s1>.', 'Paragraph 1 is <s1>important</s1>.', 'Paragraph 2 is <s1>important</s1>.'],
        'replace-tracked',
      )
      .catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: 'OFFICE_CALL_FAILED' });
    expect(mock.texts()).toEqual(['Paragraph 0 is important.', 'Paragraph 1 is important.', 'Absatz 2 ist wichtig.']);
    expect(mock.runsOf(1)).toEqual([{ text: 'Paragraph 1 is ' }, { text: 'important', bold: true }, { text: '.' }]);
    expect(mock.changeTrackingMode).toBe('TrackMineOnly');
  });

  test('a second read recognises the translations of the first: placed after (not returned, source marked) and tracked (marked)', async () => {
    const mock = new WordMock(formatted(3), { first: 0 });
    const text = createWordTextAccess({ run: mock.run, ...withXml });
    const blocks = await text.readParagraphs('document');
    await text.writeTranslations(blocks.slice(0, 1), ['Paragraph 0 is <s1>important</s1>.'], 'after');
    await text.writeTranslations(blocks.slice(1, 2), ['Paragraph 1 is <s1>important</s1>.'], 'replace-tracked');
    const again = await text.readParagraphs('document');
    expect(again.map((block) => [block.text, block.alreadyTranslated === true])).toEqual([
      ['Absatz 0 ist wichtig.', true],
      ['Paragraph 1 is important.', true],
      ['Absatz 2 ist wichtig.', false],
    ]);
  });

  test('a translation the server gave as plain text (escaped, no markers) is written in the paragraph style, literally', async () => {
    const mock = new WordMock([{ text: 'Titel', styleBuiltIn: 'Heading2', runs: [{ text: 'Titel', italic: true }] }], { first: 0 });
    const text = createWordTextAccess({ run: mock.run, ...withXml });
    const blocks = await text.readParagraphs('document');
    await text.writeTranslations(blocks, ['Title &lt;draft&gt; &amp; notes'], 'after');
    expect(mock.paragraphs[1]).toMatchObject({ text: 'Title <draft> & notes', styleBuiltIn: 'Heading2' });
    expect(mock.runsOf(1)).toEqual([{ text: 'Title <draft> & notes' }]);
  });
});
