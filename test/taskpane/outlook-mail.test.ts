// The Outlook pane's runs (src/taskpane/shared/mail/), end to end: the Outlook adapter over the Office
// fake (attachments with content, multi-select, item changes), the pane's API client, the real BFF and
// the loopback OpenAI-protocol provider. Real files: PDFs made here with pdfkit, one of them encrypted.
import PDFDocument from 'pdfkit';
import { OfficeAsyncQueue } from '../../src/hosts/outlook/office-async.js';
import { createOutlookMailAccess } from '../../src/hosts/outlook/outlook-mail-access.js';
import { createApiClient } from '../../src/taskpane/shared/api/api-client.js';
import { english, german } from '../../src/taskpane/shared/i18n/messages.js';
import { describeAttachmentProblem } from '../../src/taskpane/shared/mail/attachment-picker.js';
import { attachmentOptions } from '../../src/taskpane/shared/mail/mail-attachments.js';
import { classifyOpenMessage, draftReplyToOpenMessage, summarizeOpenMessage } from '../../src/taskpane/shared/mail/open-message-runs.js';
import { classifySelectedMessages, digestSelectedMessages } from '../../src/taskpane/shared/mail/selected-message-runs.js';
import { mailAsText } from '../../src/taskpane/shared/mail-text.js';
import { delimitedContent, fakeLabel, startFakeOpenAiServer, type FakeOpenAiServer } from '../support/fake-openai-server.js';
import { openAiCompatibleEnvironment, startBff, type RunningBff } from '../support/bff.js';
import { OutlookMock, type OutlookMockMessage } from '../hosts/mocks/outlook-mock.js';

let fake: FakeOpenAiServer;
let bff: RunningBff;
const originalFetch = globalThis.fetch;

beforeAll(async () => {
  fake = await startFakeOpenAiServer();
  bff = await startBff(openAiCompatibleEnvironment(fake.baseUrl, { RATE_LIMIT_PER_MINUTE: '0', LOG_LEVEL: 'warn' }));
  // The pane calls its own origin: relative paths go to the BFF here.
  globalThis.fetch = ((input: RequestInfo | URL, init?: RequestInit) =>
    originalFetch(typeof input === 'string' && input.startsWith('/') ? `${bff.url}${input}` : input, init)) as typeof fetch;
});

afterAll(async () => {
  globalThis.fetch = originalFetch;
  await bff?.close();
  await fake?.close();
});

beforeEach(() => {
  fake.requests.splice(0);
  fake.setResponder(undefined);
});

/** A real PDF with one page per text (pdfkit), optionally encrypted with a password. */
async function makePdf(pages: string[], userPassword?: string): Promise<Buffer> {
  const document = new PDFDocument({ autoFirstPage: false, ...(userPassword === undefined ? {} : { userPassword, ownerPassword: `${userPassword}-owner` }) });
  const chunks: Buffer[] = [];
  document.on('data', (chunk: Buffer) => chunks.push(chunk));
  const ended = new Promise<void>((resolve) => document.on('end', resolve));
  for (const text of pages) document.addPage().fontSize(12).text(text);
  document.end();
  await ended;
  return Buffer.concat(chunks);
}

const message = {
  itemId: 'message-1',
  subject: 'Quarterly report attached',
  from: { displayName: 'Dana Customer', emailAddress: 'dana@example.org' },
  body: 'Hello,\nplease find the quarterly report attached. Can you confirm the figures by Friday?\nDana',
};

const mailAccess = (mock: OutlookMock) => createOutlookMailAccess({ mailbox: mock.mailbox, queue: new OfficeAsyncQueue(), isSetSupported: () => true });

const upstreamText = () => fake.requests.map((request) => request.body.messages.map((entry) => String(entry.content)).join('\n')).join('\n');

describe('attachments', () => {
  test('a message with a 30-page PDF is summarised with the attachment named and its text (to the last page) in what the model saw', async () => {
    const pages = Array.from({ length: 30 }, (_, index) => `Page ${index + 1}: revenue in region ${index + 1} grew by ${index + 3} percent.`);
    const pdf = await makePdf(pages);
    const mock = new OutlookMock({
      mode: 'read',
      ...message,
      attachments: [{ id: 'report', name: 'q3-report.pdf', contentType: 'application/pdf', content: pdf.toString('base64') }],
    });
    const mail = mailAccess(mock);
    const listed = (await mail.attachments?.listAttachments()) ?? [];
    const chosen = attachmentOptions(listed)
      .filter((option) => option.chosenByDefault)
      .map((option) => option.attachment);
    expect(chosen.map((attachment) => attachment.name)).toEqual(['q3-report.pdf']);

    const started = performance.now();
    const { summary, extracted } = await summarizeOpenMessage({
      mail,
      api: createApiClient(),
      signal: new AbortController().signal,
      expectedMessageId: mail.currentMessageId(),
      attachments: chosen,
      emptyMessage: 'empty',
    });
    const milliseconds = performance.now() - started;
    expect(extracted.problems).toEqual([]);
    expect(extracted.texts.map((text) => text.name)).toEqual(['q3-report.pdf']);
    expect(extracted.texts[0]?.text).toContain('Page 30: revenue in region 30 grew by 32 percent.');
    expect(summary.length).toBeGreaterThan(0);
    const seen = upstreamText();
    expect(seen).toContain('q3-report.pdf');
    expect(seen).toContain('Page 30: revenue in region 30');
    expect(seen).toContain('Can you confirm the figures by Friday?');
    expect(mock.attachmentReads).toEqual(['report']);
    console.info(`30-page PDF: extracted and summarised in ${Math.round(milliseconds)} ms, ${fake.requests.length} model request(s)`);
  });

  test('an encrypted PDF is named with a clear reason, and the summary of the message and the readable attachment goes on', async () => {
    const locked = await makePdf(['Salary table: confidential.'], 'secret');
    const notes = Buffer.from('Meeting notes: the budget is approved.', 'utf8');
    const mock = new OutlookMock({
      mode: 'read',
      ...message,
      attachments: [
        { id: 'locked', name: 'salaries.pdf', contentType: 'application/pdf', content: locked.toString('base64') },
        { id: 'notes', name: 'notes.txt', contentType: 'text/plain', content: notes.toString('base64') },
      ],
    });
    const mail = mailAccess(mock);
    const chosen = (await mail.attachments?.listAttachments()) ?? [];
    const { extracted } = await summarizeOpenMessage({
      mail,
      api: createApiClient(),
      signal: new AbortController().signal,
      expectedMessageId: mail.currentMessageId(),
      attachments: chosen,
      emptyMessage: 'empty',
    });
    expect(extracted.problems).toEqual([{ name: 'salaries.pdf', code: 'ATTACHMENT_ENCRYPTED' }]);
    expect(extracted.texts.map((text) => text.name)).toEqual(['notes.txt']);
    expect(describeAttachmentProblem(english, extracted.problems[0]!)).toBe(
      '"salaries.pdf" is password-protected or encrypted: save an unprotected copy and attach that.',
    );
    expect(describeAttachmentProblem(german, extracted.problems[0]!)).toContain('kennwortgeschützt');
    const seen = upstreamText();
    expect(seen).toContain('budget is approved');
    expect(seen).not.toContain('Salary table');
  });

  test('a reply uses what the user wants it to say, the attachment and the quoted thread, and opens on the message it answers', async () => {
    const notes = Buffer.from('Delivery schedule: the second shipment leaves on 14 March.', 'utf8');
    const mock = new OutlookMock({
      mode: 'read',
      ...message,
      body: `${message.body}\n\n> On Monday you wrote:\n> When does the second shipment leave?`,
      attachments: [{ id: 'schedule', name: 'schedule.txt', contentType: 'text/plain', content: notes.toString('base64') }],
    });
    const mail = mailAccess(mock);
    const { reply } = await draftReplyToOpenMessage({
      mail,
      api: createApiClient(),
      signal: new AbortController().signal,
      expectedMessageId: 'message-1',
      attachments: (await mail.attachments?.listAttachments()) ?? [],
      instructions: 'Confirm the figures and give the shipment date',
      tone: 'friendly',
    });
    const seen = upstreamText();
    expect(seen).toContain('Confirm the figures and give the shipment date');
    expect(seen).toContain('second shipment leaves on 14 March');
    expect(seen).toContain('When does the second shipment leave?');
    await mail.displayReply(reply, { expectedMessageId: 'message-1' });
    expect(mock.replyFormsById.map((form) => form.itemId)).toEqual(['message-1']);
  });
});

describe('many selected messages', () => {
  const labels = ['Billing invoice', 'Delivery shipment', 'Password login', 'Meeting calendar'];
  const topics = [
    'my invoice shows a wrong billing amount',
    'the shipment delivery is late',
    'I cannot login, password reset fails',
    'can we move the meeting in my calendar',
  ];
  const inbox: OutlookMockMessage[] = Array.from({ length: 100 }, (_, index) => ({
    itemId: `id-${index}`,
    subject: `Request ${index}`,
    from: { displayName: `Customer ${index}`, emailAddress: `c${index}@example.org` },
    body: `Hello, ${topics[index % topics.length]} (case ${index}).`,
    dateTimeCreated: new Date(Date.UTC(2024, 1, 5, 7, index % 60)),
  }));

  test('100 selected messages are classified in at most 3 model requests, and each gets its own category', async () => {
    const mock = new OutlookMock({ mode: 'read', ...message, masterCategories: labels, messages: inbox, selectedIds: inbox.map((entry) => entry.itemId) });
    const mail = mailAccess(mock);
    const selection = mail.selection!;
    const selected = await selection.readSelectedMessages();
    expect(selected).toHaveLength(100);
    const phases = new Set<string>();
    const result = await classifySelectedMessages({
      selection,
      api: createApiClient(),
      labels,
      selected,
      signal: new AbortController().signal,
      onProgress: (progress) => phases.add(progress.phase),
    });
    expect(fake.requests.length).toBeLessThanOrEqual(3);
    expect(result.modelRequests).toBe(fake.requests.length);
    expect([...phases]).toEqual(['reading', 'classifying', 'applying']);
    for (const entry of inbox) {
      const expected = fakeLabel(
        mailAsText({ subject: entry.subject, from: `${entry.from?.displayName} <${entry.from?.emailAddress}>`, body: entry.body }),
        labels,
      );
      expect({ id: entry.itemId, categories: mock.categoriesById.get(entry.itemId) }).toEqual({ id: entry.itemId, categories: [expected] });
    }
    expect(result.results.every((entry) => entry.category === 'applied')).toBe(true);
    expect(mock.loadedItemId).toBeUndefined();
    console.info(`100 selected messages: ${fake.requests.length} model request(s), ${mock.loads} loadItemByIdAsync calls`);
  });

  test('Stop during the reading stops before any model request and applies no category', async () => {
    const mock = new OutlookMock({ mode: 'read', ...message, masterCategories: labels, messages: inbox, selectedIds: inbox.map((entry) => entry.itemId) });
    const mail = mailAccess(mock);
    const controller = new AbortController();
    const run = classifySelectedMessages({
      selection: mail.selection!,
      api: createApiClient(),
      labels,
      selected: await mail.selection!.readSelectedMessages(),
      signal: controller.signal,
      onProgress: (progress) => {
        if (progress.phase === 'reading' && progress.done === 10) controller.abort();
      },
    });
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
    expect(fake.requests).toHaveLength(0);
    expect([...mock.categoriesById.values()].flat()).toEqual([]);
  });

  test('a digest of the selected messages sends each with its id, subject, sender and time', async () => {
    const mock = new OutlookMock({ mode: 'read', ...message, messages: inbox.slice(0, 5), selectedIds: inbox.slice(0, 5).map((entry) => entry.itemId) });
    const mail = mailAccess(mock);
    const { response, subjects } = await digestSelectedMessages({
      selection: mail.selection!,
      api: createApiClient(),
      selected: await mail.selection!.readSelectedMessages(),
      signal: new AbortController().signal,
    });
    expect(response.summary.length).toBeGreaterThan(0);
    expect([...subjects.values()]).toEqual(['Request 0', 'Request 1', 'Request 2', 'Request 3', 'Request 4']);
    const seen = upstreamText();
    for (const entry of inbox.slice(0, 5)) expect(seen).toContain(entry.body);
  });
});

describe('a pane that follows the mailbox', () => {
  const other: OutlookMockMessage = {
    itemId: 'message-2',
    subject: 'Lunch on Thursday',
    from: { displayName: 'Sam', emailAddress: 'sam@example.com' },
    body: 'Lunch is at 12:30 on Thursday, billing invoice talk not included.',
  };

  test('moving to another message mid-run cancels the run (the model call too) and writes nothing to either message', async () => {
    fake.setResponder(() => ({ kind: 'hang' }));
    const mock = new OutlookMock({ mode: 'read', ...message, masterCategories: ['Billing invoice', 'Other'], messages: [other] });
    const mail = mailAccess(mock);
    // What the pane's useStopWhenMessageChanges does: the move aborts the run made for the message left.
    const controller = new AbortController();
    const unsubscribe = mail.onItemChanged!(() => controller.abort());
    const run = classifyOpenMessage({
      mail,
      api: createApiClient(),
      signal: controller.signal,
      labels: ['Billing invoice', 'Other'],
      expectedMessageId: 'message-1',
    });
    while (fake.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    mock.openItem('message-2');
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
    const closed = await fake.waitForClientClose();
    expect(closed.closedByClient).toBe(true);
    expect(mock.categoriesById.get('message-1') ?? []).toEqual([]);
    expect(mock.categoriesById.get('message-2') ?? []).toEqual([]);
    unsubscribe();
  });

  test('a label that comes back after the move is never applied to the message open now', async () => {
    const mock = new OutlookMock({ mode: 'read', ...message, masterCategories: ['Billing invoice', 'Other'], messages: [other] });
    const mail = mailAccess(mock);
    let moved = false;
    // The move lands while the answer is on its way and nothing stopped the run: the adapter's check is the last guard.
    fake.setResponder(() => {
      if (!moved) {
        moved = true;
        mock.openItem('message-2');
      }
      return undefined;
    });
    const run = classifyOpenMessage({
      mail,
      api: createApiClient(),
      signal: new AbortController().signal,
      labels: ['Billing invoice', 'Other'],
      expectedMessageId: 'message-1',
    });
    await expect(run).rejects.toMatchObject({ code: 'DOCUMENT_CHANGED' });
    expect(mock.categoriesById.get('message-2') ?? []).toEqual([]);
    // A reply drafted for the first message does not open on the second either.
    await expect(mail.displayReply('Thanks!', { expectedMessageId: 'message-1' })).rejects.toMatchObject({ code: 'DOCUMENT_CHANGED' });
    expect(mock.replyFormsById).toEqual([]);
  });

  test('a run started after the move reads the new message, not the old one', async () => {
    const mock = new OutlookMock({ mode: 'read', ...message, masterCategories: ['Billing invoice', 'Other'], messages: [other] });
    const mail = mailAccess(mock);
    mock.openItem('message-2');
    await new Promise((resolve) => setTimeout(resolve, 5));
    const { label, applied } = await classifyOpenMessage({
      mail,
      api: createApiClient(),
      signal: new AbortController().signal,
      labels: ['Billing invoice', 'Other'],
      expectedMessageId: mail.currentMessageId(),
    });
    expect({ label, applied }).toEqual({ label: 'Billing invoice', applied: true });
    expect(mock.categoriesById.get('message-2')).toEqual(['Billing invoice']);
    expect(delimitedContent(fake.requests[0]!.body)).toContain('Lunch is at 12:30');
  });
});
