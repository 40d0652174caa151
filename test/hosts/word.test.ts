// The Word adapter against an office-addin-mock document: what it reads, what each placement writes,
// that styles survive and paragraph counts match, that an edited paragraph is never overwritten, and
// how many syncs each call takes.
import { HostError } from '../../src/hosts/host-adapter.js';
import { createWordTextAccess } from '../../src/hosts/word/word-text-access.js';
import { WordMock, type ParagraphData } from './mocks/word-mock.js';

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

describe('Word adapter: readParagraphs', () => {
  test('the whole document: non-empty paragraphs with their index as id, in one sync', async () => {
    const mock = new WordMock(sample, { first: 0 });
    const blocks = await access(mock).readParagraphs('document');
    expect(blocks).toEqual([
      { id: '0', text: 'Quartalsbericht' },
      { id: '1', text: 'Der Umsatz stieg um zehn Prozent.' },
      { id: '3', text: 'Die Kosten sanken.' },
      { id: '4', text: 'Danke an alle.' },
    ]);
    expect(mock.syncCount).toBe(1);
  });

  test('the selected paragraphs, in one sync', async () => {
    const mock = new WordMock(sample, { first: 3, last: 4 });
    expect(await access(mock).readParagraphs('selection')).toEqual([
      { id: '3', text: 'Die Kosten sanken.' },
      { id: '4', text: 'Danke an alle.' },
    ]);
    expect(mock.syncCount).toBe(1);
  });

  test('a collapsed selection reads the paragraph at the cursor', async () => {
    const mock = new WordMock(sample, { first: 1 });
    expect(await access(mock).readParagraphs('selection')).toEqual([{ id: '1', text: 'Der Umsatz stieg um zehn Prozent.' }]);
  });
});

describe('Word adapter: writeTranslations', () => {
  test("'after': one new paragraph after each, in the source's style, in two syncs", async () => {
    const mock = new WordMock(sample, { first: 0 });
    const text = access(mock);
    const blocks = await text.readParagraphs('document');
    mock.syncCount = 0;
    await text.writeTranslations(blocks, ['Quarterly report', 'Revenue rose by ten per cent.', 'Costs fell.', 'Thanks to everyone.'], 'after');
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

  test("'replace-tracked': each paragraph replaced as a tracked change, tracking mode restored", async () => {
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
    expect(mock.paragraphs[3]).toMatchObject({ style: 'Firmenzitat' });
    expect(mock.syncCount).toBe(2);
  });

  test("'replace-tracked' keeps the user's own tracking mode", async () => {
    const mock = new WordMock(sample, { first: 4 });
    mock.changeTrackingMode = 'TrackMineOnly';
    const text = access(mock);
    await text.writeTranslations(await text.readParagraphs('selection'), ['Thanks to everyone.'], 'replace-tracked');
    expect(mock.trackedChanges).toHaveLength(1);
    expect(mock.changeTrackingMode).toBe('TrackMineOnly');
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

  test('a paragraph edited since reading is not overwritten: nothing is written and the user is told to run again', async () => {
    const mock = new WordMock(sample, { first: 0 });
    const text = access(mock);
    const blocks = await text.readParagraphs('document');
    mock.edit(3, 'Die Kosten sanken deutlich.');
    const before = mock.texts();
    const failure = await text.writeTranslations(blocks, ['a', 'b', 'c', 'd'], 'replace-tracked').catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(HostError);
    expect(failure).toMatchObject({ code: 'DOCUMENT_CHANGED', message: expect.stringMatching(/run the translation again/) });
    expect(mock.texts()).toEqual(before);
    expect(mock.trackedChanges).toEqual([]);
    expect(mock.changeTrackingMode).toBe('Off');
  });

  test('a paragraph inserted above the read ones shifts them: detected, nothing written', async () => {
    const mock = new WordMock(sample, { first: 4 });
    const text = access(mock);
    const blocks = await text.readParagraphs('selection');
    mock.paragraphs.unshift({ text: 'Neu', style: 'Normal', styleBuiltIn: 'Normal' });
    await expect(text.writeTranslations(blocks, ['Thanks'], 'after')).rejects.toMatchObject({ code: 'DOCUMENT_CHANGED' });
    expect(mock.paragraphs).toHaveLength(sample.length + 1);
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

  test('without WordApi 1.4 only the after placement is offered, and the others are refused', async () => {
    const mock = new WordMock(sample, { first: 1 });
    const text = access(mock, { isSetSupported: () => false });
    expect(text.translationPlacements).toEqual(['after']);
    await expect(text.writeTranslations([{ id: '1', text: 'x' }], ['y'], 'comment')).rejects.toMatchObject({ code: 'NOT_AVAILABLE' });
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
