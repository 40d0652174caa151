// The Outlook adapter against an office-addin-mock mailbox: reading a message and a draft, categories
// only from the master list, an escaped reply form, and never more than three async calls at once.
import { HostError } from '../../src/hosts/host-adapter.js';
import { OfficeAsyncQueue } from '../../src/hosts/outlook/office-async.js';
import { createOutlookMailAccess } from '../../src/hosts/outlook/outlook-mail-access.js';
import { plainTextToHtml } from '../../src/hosts/plain-text-to-html.js';
import { OutlookMock } from './mocks/outlook-mock.js';

const message = {
  subject: 'Invoice 42 charged twice',
  from: { displayName: 'Dana Customer', emailAddress: 'dana@example.org' },
  body: 'Hello,\nI was charged twice.\n\n> On Monday you wrote:\n> Thanks for your order.',
};

describe('Outlook adapter: read mode', () => {
  test('reads subject, sender and the plain-text body with the quoted thread', async () => {
    const mock = new OutlookMock({ mode: 'read', ...message });
    const mail = createOutlookMailAccess({ mailbox: mock.mailbox, queue: new OfficeAsyncQueue() });
    expect(mail.mode).toBe('read');
    expect(await mail.readMessage()).toEqual({ subject: message.subject, from: 'Dana Customer <dana@example.org>', body: message.body });
    expect(await mail.readSelectedText()).toBe('');
  });

  test('a category is applied only when it exists in the master list, under its exact name', async () => {
    const mock = new OutlookMock({ mode: 'read', ...message, masterCategories: ['Billing', 'Urgent'] });
    const mail = createOutlookMailAccess({ mailbox: mock.mailbox, queue: new OfficeAsyncQueue() });
    expect(await mail.listCategories()).toEqual(['Billing', 'Urgent']);
    expect(await mail.applyCategory(' billing ')).toBe(true);
    expect(await mail.applyCategory('Refunds')).toBe(false);
    expect(mock.appliedCategories).toEqual(['Billing']);
  });

  test('without ReadWriteMailbox the master list is empty, not an error, and nothing is applied', async () => {
    const mock = new OutlookMock({ mode: 'read', ...message, categoriesPermissionDenied: true });
    const mail = createOutlookMailAccess({ mailbox: mock.mailbox, queue: new OfficeAsyncQueue() });
    expect(await mail.listCategories()).toEqual([]);
    expect(await mail.applyCategory('Billing')).toBe(false);
    expect(mock.appliedCategories).toEqual([]);
  });

  test('the reply form gets the text as escaped HTML with <br> for line breaks', async () => {
    const mock = new OutlookMock({ mode: 'read', ...message });
    const mail = createOutlookMailAccess({ mailbox: mock.mailbox, queue: new OfficeAsyncQueue() });
    await mail.displayReply('Hi Dana,\n<script>alert("x")</script> & refunds\r\nBest, Pat');
    expect(mock.replyForms).toEqual(['Hi Dana,<br>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; refunds<br>Best, Pat']);
  });

  test('older Outlook: displayReplyForm without Async', async () => {
    const mock = new OutlookMock({ mode: 'read', ...message, without: ['displayReplyFormAsync'] });
    await createOutlookMailAccess({ mailbox: mock.mailbox, queue: new OfficeAsyncQueue() }).displayReply("It's <ok>");
    expect(mock.replyForms).toEqual(['It&#39;s &lt;ok&gt;']);
  });

  test('a reply too long for the reply form is refused with a clear error', async () => {
    const mock = new OutlookMock({ mode: 'read', ...message });
    const mail = createOutlookMailAccess({ mailbox: mock.mailbox, queue: new OfficeAsyncQueue() });
    await expect(mail.displayReply('x'.repeat(40_000))).rejects.toMatchObject({ code: 'TEXT_TOO_LONG' });
    expect(mock.replyForms).toEqual([]);
  });

  test('inserting text into a message being read is refused', async () => {
    const mock = new OutlookMock({ mode: 'read', ...message });
    await expect(createOutlookMailAccess({ mailbox: mock.mailbox, queue: new OfficeAsyncQueue() }).insertText('x')).rejects.toBeInstanceOf(HostError);
  });
});

describe('Outlook adapter: compose mode', () => {
  test('reads the draft and the selection; the result replaces the selection (HTML draft: escaped, line breaks kept)', async () => {
    const mock = new OutlookMock({ mode: 'compose', subject: 'Re: Invoice', body: 'Hallo Dana, danke.', selectedText: 'Hallo Dana', bodyType: 'html' });
    const mail = createOutlookMailAccess({ mailbox: mock.mailbox, queue: new OfficeAsyncQueue() });
    expect(mail.mode).toBe('compose');
    expect(await mail.readMessage()).toEqual({ subject: 'Re: Invoice', from: '', body: 'Hallo Dana, danke.' });
    expect(await mail.readSelectedText()).toBe('Hallo Dana');
    expect(await mail.insertText('Hello Dana,\nthanks & regards')).toBe('replaced-selection');
    expect(mock.inserted).toEqual([{ data: 'Hello Dana,<br>thanks &amp; regards', coercionType: 'html' }]);
    expect(mock.body).toBe('Hello Dana,\nthanks & regards, danke.');
  });

  test.each(['html', 'text'] as const)(
    'nothing selected (%s draft): the result goes in as its own paragraph at the cursor, never glued to a word',
    async (bodyType) => {
      const draft = 'Hallo Jana,\ndie neue Das';
      const mock = new OutlookMock({ mode: 'compose', body: draft, bodyType });
      const mail = createOutlookMailAccess({ mailbox: mock.mailbox, queue: new OfficeAsyncQueue() });
      expect(await mail.insertText('The new offer.\nBest, Alex')).toBe('separate-paragraphs');
      expect(mock.body).toBe('Hallo Jana,\ndie neue Das\nThe new offer.\nBest, Alex\n');
      expect(mock.body.startsWith(draft)).toBe(true);
    },
  );

  test('nothing selected, cursor in the middle of the draft: the user’s text on both sides stays whole', async () => {
    const mock = new OutlookMock({ mode: 'compose', body: 'Erster Satz.Zweiter Satz.', cursor: 'Erster Satz.'.length, bodyType: 'text' });
    await createOutlookMailAccess({ mailbox: mock.mailbox, queue: new OfficeAsyncQueue() }).insertText('Summary.');
    expect(mock.body.split('\n')).toEqual(['Erster Satz.', 'Summary.', 'Zweiter Satz.']);
  });

  test('an empty draft gets the text alone, without blank lines around it', async () => {
    const mock = new OutlookMock({ mode: 'compose', body: '', bodyType: 'text' });
    await createOutlookMailAccess({ mailbox: mock.mailbox, queue: new OfficeAsyncQueue() }).insertText('a\nb');
    expect(mock.inserted).toEqual([{ data: 'a\nb', coercionType: 'text' }]);
    expect(mock.body).toBe('a\nb');
  });

  test('a body over 1,000,000 characters is refused before Outlook is asked', async () => {
    const mock = new OutlookMock({ mode: 'compose' });
    await expect(createOutlookMailAccess({ mailbox: mock.mailbox, queue: new OfficeAsyncQueue() }).insertText('x'.repeat(1_000_001))).rejects.toMatchObject({
      code: 'TEXT_TOO_LONG',
    });
    expect(mock.inserted).toEqual([]);
  });
});

describe('Office async helper', () => {
  test('never more than three calls at once, all answered', async () => {
    const mock = new OutlookMock({ mode: 'read', ...message, masterCategories: ['Billing'] });
    const queue = new OfficeAsyncQueue();
    const mail = createOutlookMailAccess({ mailbox: mock.mailbox, queue });
    const results = await Promise.all([...Array.from({ length: 5 }, () => mail.readMessage()), ...Array.from({ length: 5 }, () => mail.listCategories())]);
    expect(results).toHaveLength(10);
    expect(mock.peakInFlight).toBe(3);
    expect(queue.peakConcurrency).toBe(3);
  });

  test('a failed AsyncResult becomes a HostError naming the action; Office’s own text is kept aside for the console', async () => {
    const queue = new OfficeAsyncQueue();
    const failure = queue.call('read the body', (callback) =>
      callback({ status: 'failed', value: undefined, error: { name: 'GenericResponseError', message: 'The server could not be reached.', code: 9020 } }),
    );
    await expect(failure).rejects.toMatchObject({
      code: 'OFFICE_CALL_FAILED',
      message: 'Outlook could not read the body.',
      officeMessage: 'The server could not be reached.',
      officeCode: 9020,
    });
  });

  test('plainTextToHtml escapes every HTML-significant character', () => {
    expect(plainTextToHtml(`<a href="x">'&'</a>\n`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;<br>');
  });
});

/** isSetSupported of an Outlook whose Mailbox sets stop below `limit` (1.13 is newer than 1.8: compared by minor number). */
function mailboxBelow(limit: string): (name: string, version: string) => boolean {
  const minor = (version: string) => Number(version.split('.')[1] ?? 0);
  return (name, version) => name === 'Mailbox' && minor(version) < minor(limit);
}

describe('Outlook adapter: attachments (Mailbox 1.8)', () => {
  const pdfBytes = Buffer.from('%PDF-1.4 sample bytes');
  const attachments = [
    { id: 'a1', name: 'report.pdf', contentType: 'application/pdf', content: pdfBytes.toString('base64') },
    { id: 'a2', name: 'Fwd: order.eml', contentType: 'message/rfc822', attachmentType: 'item' as const, content: 'Subject: Order\r\n\r\nGrüße' },
    { id: 'a3', name: 'plan.xlsx', attachmentType: 'cloud' as const, content: 'https://example.sharepoint.com/plan.xlsx' },
    { id: 'a4', name: 'logo.png', contentType: 'image/png', isInline: true, content: Buffer.from('png').toString('base64') },
  ];

  test('lists name, type, size and kind; reads a file as base64 and an attached email as its MIME text in base64', async () => {
    const mock = new OutlookMock({ mode: 'read', ...message, itemId: 'm1', attachments });
    const mail = createOutlookMailAccess({ mailbox: mock.mailbox, queue: new OfficeAsyncQueue(), isSetSupported: () => true });
    const access = mail.attachments;
    if (access === undefined) throw new Error('attachments are offered with Mailbox 1.8');
    const listed = await access.listAttachments();
    expect(listed).toEqual([
      { id: 'a1', name: 'report.pdf', contentType: 'application/pdf', size: pdfBytes.length, kind: 'file', isInline: false },
      { id: 'a2', name: 'Fwd: order.eml', contentType: 'message/rfc822', size: attachments[1]?.content.length, kind: 'item', isInline: false },
      { id: 'a3', name: 'plan.xlsx', contentType: 'application/octet-stream', size: attachments[2]?.content.length, kind: 'cloud', isInline: false },
      { id: 'a4', name: 'logo.png', contentType: 'image/png', size: 3, kind: 'file', isInline: true },
    ]);
    expect(await access.readAttachment(listed[0]!)).toEqual({ contentBase64: pdfBytes.toString('base64'), contentType: 'application/pdf' });
    const eml = await access.readAttachment(listed[1]!);
    expect(Buffer.from(eml.contentBase64, 'base64').toString('utf8')).toBe('Subject: Order\r\n\r\nGrüße');
    expect(eml.contentType).toBe('message/rfc822');
    await expect(access.readAttachment(listed[2]!)).rejects.toMatchObject({ code: 'NOT_AVAILABLE', message: expect.stringContaining('plan.xlsx') });
    expect(mock.attachmentReads).toEqual(['a1', 'a2']);
  });

  test('an Outlook without Mailbox 1.8 offers no attachments and names the missing set', async () => {
    const mock = new OutlookMock({ mode: 'read', ...message, attachments });
    const below18 = mailboxBelow('1.8');
    const mail = createOutlookMailAccess({ mailbox: mock.mailbox, queue: new OfficeAsyncQueue(), isSetSupported: below18 });
    expect(mail.attachments).toBeUndefined();
    expect(mail.selection).toBeUndefined();
    expect(mail.missingFeatures).toEqual(expect.arrayContaining([{ feature: 'attachments', set: 'Mailbox', version: '1.8' }]));
  });
});

describe('Outlook adapter: many selected messages (Mailbox 1.13, 1.15)', () => {
  const inbox = Array.from({ length: 105 }, (_, index) => ({
    itemId: `id-${index}`,
    subject: `Message ${index}`,
    from: { displayName: `Sender ${index}`, emailAddress: `s${index}@example.org` },
    body: `Body of message ${index}`,
    dateTimeCreated: new Date(Date.UTC(2024, 1, 5, 8, index % 60)),
  }));

  test('reads the selection (at most 100), follows its changes, loads one message at a time and categorises each by its id', async () => {
    const mock = new OutlookMock({
      mode: 'read',
      ...message,
      itemId: 'open',
      masterCategories: ['Billing', 'Urgent'],
      messages: inbox,
      selectedIds: ['id-1', 'id-2'],
    });
    const mail = createOutlookMailAccess({ mailbox: mock.mailbox, queue: new OfficeAsyncQueue(), isSetSupported: () => true });
    const selection = mail.selection;
    if (selection === undefined) throw new Error('multi-select is offered with Mailbox 1.13');
    expect(selection.canReadMessages).toBe(true);
    expect(await selection.readSelectedMessages()).toEqual([
      { id: 'id-1', subject: 'Message 1' },
      { id: 'id-2', subject: 'Message 2' },
    ]);

    const changed = new Promise<void>((resolve) => selection.onSelectionChanged(resolve));
    await new Promise((resolve) => setTimeout(resolve, 10));
    mock.select(inbox.map((entry) => entry.itemId));
    await changed;
    const selected = await selection.readSelectedMessages();
    expect(selected).toHaveLength(100);

    // Issued together: the adapter must still load them one by one (Outlook fails a second load).
    const read = await Promise.all(['id-3', 'id-4', 'id-5'].map((id) => selection.readMessageById(id)));
    expect(read.map((entry) => [entry.id, entry.subject, entry.from, entry.body])).toEqual([
      ['id-3', 'Message 3', 'Sender 3 <s3@example.org>', 'Body of message 3'],
      ['id-4', 'Message 4', 'Sender 4 <s4@example.org>', 'Body of message 4'],
      ['id-5', 'Message 5', 'Sender 5 <s5@example.org>', 'Body of message 5'],
    ]);
    expect(read[0]?.received).toBe('2024-02-05T08:03:00.000Z');
    expect(
      await Promise.all([selection.applyCategoryTo('id-3', 'billing'), selection.applyCategoryTo('id-4', 'urgent'), selection.applyCategoryTo('id-5', 'Nope')]),
    ).toEqual([true, true, false]);
    expect(mock.categoriesById.get('id-3')).toEqual(['Billing']);
    expect(mock.categoriesById.get('id-4')).toEqual(['Urgent']);
    expect(mock.categoriesById.get('id-5') ?? []).toEqual([]);
    expect(mock.appliedCategories).toEqual([]);
    expect(mock.loadedItemId).toBeUndefined();
    expect(mock.loads).toBe(5);
  });

  test('Mailbox 1.13 without 1.15: the subjects are known, but no message can be opened or categorised', async () => {
    const mock = new OutlookMock({ mode: 'read', ...message, messages: inbox, selectedIds: ['id-1'] });
    const below115 = mailboxBelow('1.15');
    const mail = createOutlookMailAccess({ mailbox: mock.mailbox, queue: new OfficeAsyncQueue(), isSetSupported: below115 });
    expect(mail.selection?.canReadMessages).toBe(false);
    expect(await mail.selection?.readSelectedMessages()).toEqual([{ id: 'id-1', subject: 'Message 1' }]);
    await expect(mail.selection?.readMessageById('id-1')).rejects.toMatchObject({ code: 'NOT_AVAILABLE', message: expect.stringContaining('Mailbox 1.15') });
    expect(mail.missingFeatures).toEqual([{ feature: 'read-selected', set: 'Mailbox', version: '1.15' }]);
  });
});

describe('Outlook adapter: a pinned pane follows the mailbox (ItemChanged)', () => {
  const other = { itemId: 'm2', subject: 'Lunch on Thursday', from: { displayName: 'Sam', emailAddress: 'sam@example.com' }, body: 'Lunch at 12:30.' };

  test('after a move, reads the new message, and refuses to categorise or reply to it with a result made for the old one', async () => {
    const mock = new OutlookMock({ mode: 'read', ...message, itemId: 'm1', masterCategories: ['Billing'], messages: [other] });
    const mail = createOutlookMailAccess({ mailbox: mock.mailbox, queue: new OfficeAsyncQueue(), isSetSupported: () => true });
    expect(mail.currentMessageId()).toBe('m1');
    const moved = new Promise<void>((resolve) => mail.onItemChanged?.(resolve));
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(mock.hasHandler('ItemChanged')).toBe(true);
    mock.openItem('m2');
    await moved;
    expect(mail.currentMessageId()).toBe('m2');
    expect(await mail.readMessage()).toMatchObject({ id: 'm2', subject: 'Lunch on Thursday', body: 'Lunch at 12:30.' });

    await expect(mail.applyCategory('Billing', { expectedMessageId: 'm1' })).rejects.toMatchObject({ code: 'DOCUMENT_CHANGED' });
    await expect(mail.displayReply('Refund is on its way.', { expectedMessageId: 'm1' })).rejects.toMatchObject({ code: 'DOCUMENT_CHANGED' });
    expect(mock.categoriesById.get('m2') ?? []).toEqual([]);
    expect(mock.replyFormsById).toEqual([]);

    expect(await mail.applyCategory('Billing', { expectedMessageId: 'm2' })).toBe(true);
    await mail.displayReply('See you there.', { expectedMessageId: 'm2' });
    expect(mock.categoriesById.get('m2')).toEqual(['Billing']);
    expect(mock.replyFormsById).toEqual([{ itemId: 'm2', html: 'See you there.' }]);
  });

  test('with nothing open after a move, a write is refused with a sentence, not a crash', async () => {
    const mock = new OutlookMock({ mode: 'read', ...message, itemId: 'm1', masterCategories: ['Billing'] });
    const mail = createOutlookMailAccess({ mailbox: mock.mailbox, queue: new OfficeAsyncQueue(), isSetSupported: () => true });
    mock.openItem(null);
    expect(mail.currentMessageId()).toBeUndefined();
    await expect(mail.displayReply('x', { expectedMessageId: 'm1' })).rejects.toMatchObject({ code: 'NOT_AVAILABLE' });
  });

  test('an HTML message is read as its text in read mode', async () => {
    const mock = new OutlookMock({ mode: 'read', ...message, htmlBody: '<div><p>Hello,</p><p>I was charged twice.</p></div>' });
    const mail = createOutlookMailAccess({ mailbox: mock.mailbox, queue: new OfficeAsyncQueue(), isSetSupported: () => true });
    expect((await mail.readMessage()).body).toBe(message.body);
  });
});
