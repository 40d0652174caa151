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
