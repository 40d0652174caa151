// MailAccess over Outlook's mailbox API. Office.js sees only the open item: a thread is the quoted
// history inside its body. Every callback-style call goes through the one OfficeAsyncQueue.
import { HostError, type MailAccess, type MailInsertion, type MailMessage } from '../host-adapter.js';
import { plainTextToHtml } from '../plain-text-to-html.js';
import { OfficeAsyncError, sharedOfficeAsyncQueue, type AsyncCallback, type OfficeAsyncQueue } from './office-async.js';

/**
 * The members of Office.context.mailbox this adapter uses, typed structurally: read and compose items
 * differ (a read item's subject is a string, a compose item's an object with getAsync).
 */
export interface OutlookMailbox {
  item?: OutlookItem | null;
  masterCategories?: { getAsync(callback: AsyncCallback<{ displayName: string }[]>): void };
  userProfile?: { displayName?: string; emailAddress?: string };
}

export interface OutlookItem {
  subject?: string | { getAsync(callback: AsyncCallback<string>): void };
  from?: { displayName?: string; emailAddress?: string; getAsync?(callback: AsyncCallback<{ displayName?: string; emailAddress?: string }>): void };
  body: {
    getAsync(coercionType: string, callback: AsyncCallback<string>): void;
    getTypeAsync?(callback: AsyncCallback<string>): void;
    setSelectedDataAsync?(data: string, options: { coercionType: string }, callback: AsyncCallback<void>): void;
  };
  categories?: { addAsync(names: string[], callback: AsyncCallback<void>): void };
  getSelectedDataAsync?(coercionType: string, callback: AsyncCallback<{ data: string }>): void;
  displayReplyForm?(htmlBody: string): void;
  displayReplyFormAsync?(htmlBody: string, callback: AsyncCallback<void>): void;
}

/** Outlook accepts a body of at most 1,000,000 characters. */
export const OUTLOOK_BODY_CHARACTER_LIMIT = 1_000_000;
/** displayReplyForm's HTML body is limited to 32 KB. */
export const OUTLOOK_REPLY_FORM_CHARACTER_LIMIT = 32_000;

export interface OutlookMailAccessOptions {
  mailbox?: OutlookMailbox;
  queue?: OfficeAsyncQueue;
}

export function createOutlookMailAccess(options: OutlookMailAccessOptions = {}): MailAccess {
  const mailbox = options.mailbox ?? (Office.context.mailbox as unknown as OutlookMailbox);
  const queue = options.queue ?? sharedOfficeAsyncQueue;
  const item = mailbox.item;
  if (item === undefined || item === null) {
    throw new HostError('NOT_AVAILABLE', 'No email is open: open or start an email, then open the add-in again.');
  }
  const mode: 'read' | 'compose' = typeof item.subject === 'string' || item.subject === undefined ? 'read' : 'compose';

  async function readMessage(): Promise<MailMessage> {
    // Three calls at most, issued together: the queue keeps them within Outlook's limit.
    const [subject, from, body] = await Promise.all([readSubject(), readFrom(), readBody()]);
    return { subject, from, body };
  }

  async function readSubject(): Promise<string> {
    const subject = item?.subject;
    if (subject === undefined) return '';
    if (typeof subject === 'string') return subject;
    return queue.call('read the subject', (callback) => subject.getAsync(callback));
  }

  async function readFrom(): Promise<string> {
    const from = item?.from;
    if (mode === 'compose') {
      // A draft's sender is the user (from.getAsync needs Mailbox 1.7; the profile answers everywhere).
      if (from?.getAsync !== undefined) {
        const getAsync = from.getAsync.bind(from);
        const sender = await queue.call('read the sender', (callback: AsyncCallback<{ displayName?: string; emailAddress?: string }>) => getAsync(callback));
        return formatSender(sender);
      }
      return formatSender(mailbox.userProfile ?? {});
    }
    return formatSender(from ?? {});
  }

  async function readBody(): Promise<string> {
    const body = requireItem().body;
    return queue.call('read the email body', (callback) => body.getAsync('text', callback));
  }

  async function readSelectedText(): Promise<string> {
    const current = requireItem();
    if (mode !== 'compose' || current.getSelectedDataAsync === undefined) return '';
    const getSelected = current.getSelectedDataAsync.bind(current);
    const selected = await queue.call('read the selected text', (callback: AsyncCallback<{ data: string }>) => getSelected('text', callback));
    return selected?.data ?? '';
  }

  /**
   * With a selection, the text replaces it. Without one it goes in at the cursor as paragraph(s) of its
   * own: Outlook tells an add-in neither where the cursor is nor what stands beside it, so a line break
   * before and after keeps the text off the user's words (an empty draft needs neither).
   */
  async function insertText(text: string): Promise<MailInsertion> {
    const current = requireItem();
    const body = current.body;
    if (mode !== 'compose' || body.setSelectedDataAsync === undefined) {
      throw new HostError('NOT_AVAILABLE', 'Text can only be inserted into an email you are writing: start a reply or a new email.');
    }
    if (text.length > OUTLOOK_BODY_CHARACTER_LIMIT) {
      throw new HostError('TEXT_TOO_LONG', `The text has ${text.length} characters; an email body holds at most ${OUTLOOK_BODY_CHARACTER_LIMIT}: shorten it.`);
    }
    const getType = body.getTypeAsync?.bind(body);
    const [selected, draft, bodyType] = await Promise.all([
      readSelectedText(),
      readBody(),
      getType === undefined ? 'text' : queue.call('read the body type', (callback: AsyncCallback<string>) => getType(callback)),
    ]);
    const insertion: MailInsertion = selected.length > 0 ? 'replaced-selection' : 'separate-paragraphs';
    const content = insertion === 'separate-paragraphs' && draft.trim().length > 0 ? `\n${text.trim()}\n` : text;
    const setSelected = body.setSelectedDataAsync.bind(body);
    // In an HTML draft plain text loses its line breaks, so it goes in as escaped HTML there.
    if (String(bodyType).toLowerCase() === 'html') {
      await queue.call('insert the text', (callback) => setSelected(plainTextToHtml(content), { coercionType: 'html' }, callback));
    } else {
      await queue.call('insert the text', (callback) => setSelected(content, { coercionType: 'text' }, callback));
    }
    return insertion;
  }

  async function listCategories(): Promise<string[]> {
    const masterCategories = mailbox.masterCategories;
    // Reading the master list needs ReadWriteMailbox (and Mailbox 1.8): without it, no list, no error.
    if (masterCategories === undefined) return [];
    try {
      const categories = await queue.call('read the category list', (callback: AsyncCallback<{ displayName: string }[]>) =>
        masterCategories.getAsync(callback),
      );
      return (categories ?? []).map((category) => category.displayName);
    } catch (error) {
      if (error instanceof OfficeAsyncError && error.isPermissionDenied) return [];
      throw error;
    }
  }

  async function applyCategory(name: string): Promise<boolean> {
    const wanted = name.trim().toLocaleLowerCase();
    if (wanted.length === 0) return false;
    const existing = (await listCategories()).find((category) => category.trim().toLocaleLowerCase() === wanted);
    // A category must already exist in the master list; we never create one behind the user's back.
    if (existing === undefined) return false;
    const categories = requireItem().categories;
    if (categories === undefined) {
      throw new HostError('NOT_AVAILABLE', 'This version of Outlook cannot set categories from an add-in (it needs Mailbox 1.8); apply the category by hand.');
    }
    await queue.call('apply the category', (callback) => categories.addAsync([existing], callback));
    return true;
  }

  async function displayReply(body: string): Promise<void> {
    const current = requireItem();
    const html = plainTextToHtml(body);
    if (html.length > OUTLOOK_REPLY_FORM_CHARACTER_LIMIT) {
      throw new HostError('TEXT_TOO_LONG', `The reply is too long for Outlook's reply form (at most about 32,000 characters): shorten it.`);
    }
    if (current.displayReplyFormAsync !== undefined) {
      const display = current.displayReplyFormAsync.bind(current);
      await queue.call('open the reply form', (callback: AsyncCallback<void>) => display(html, callback));
      return;
    }
    if (current.displayReplyForm !== undefined) {
      current.displayReplyForm(html);
      return;
    }
    throw new HostError('NOT_AVAILABLE', 'A reply form opens from an email you are reading: in a draft, insert the text instead.');
  }

  function requireItem(): OutlookItem {
    if (mailbox.item === undefined || mailbox.item === null) {
      throw new HostError('NOT_AVAILABLE', 'No email is open any more: open one and try again.');
    }
    return mailbox.item;
  }

  return { mode, readMessage, readSelectedText, insertText, listCategories, applyCategory, displayReply };
}

function formatSender(sender: { displayName?: string; emailAddress?: string }): string {
  const name = sender.displayName?.trim() ?? '';
  const address = sender.emailAddress?.trim() ?? '';
  if (name.length > 0 && address.length > 0 && name !== address) return `${name} <${address}>`;
  return name.length > 0 ? name : address;
}
