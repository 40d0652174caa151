// MailAccess over Outlook's mailbox API. Office.js sees only the open item: a thread is the quoted
// history inside its body. Every callback-style call goes through the one OfficeAsyncQueue.
// A pinned pane stays open while the user moves from message to message, so every call reads
// `mailbox.item` afresh, and a write made for one message refuses to land on another.
import {
  HostError,
  type MailAccess,
  type MailAttachment,
  type MailAttachmentAccess,
  type MailFeatureRequirement,
  type MailInsertion,
  type MailMessage,
  type MailSelectionAccess,
  type MailTarget,
  type SelectedMailMessage,
} from '../host-adapter.js';
import { plainTextToHtml } from '../plain-text-to-html.js';
import { OfficeAsyncError, sharedOfficeAsyncQueue, type AsyncCallback, type OfficeAsyncQueue } from './office-async.js';

/** Outlook's attachment details (Mailbox 1.8). */
export interface OutlookAttachmentDetails {
  id: string;
  name: string;
  contentType?: string;
  size: number;
  attachmentType: string;
  isInline: boolean;
}

/** Outlook's attachment content: `base64` for a file, `eml` (MIME text) for an attached email, `url` for a cloud file. */
export interface OutlookAttachmentContent {
  content: string;
  format: string;
}

interface OutlookSenderDetails {
  displayName?: string;
  emailAddress?: string;
}

/**
 * The members of Office.context.mailbox this adapter uses, typed structurally: read and compose items
 * differ (a read item's subject is a string, a compose item's an object with getAsync).
 */
export interface OutlookMailbox {
  item?: OutlookItem | null;
  masterCategories?: { getAsync(callback: AsyncCallback<{ displayName: string }[]>): void };
  userProfile?: { displayName?: string; emailAddress?: string };
  /** ItemChanged (Mailbox 1.5) and SelectedItemsChanged (Mailbox 1.13). */
  addHandlerAsync?(eventType: string, handler: (event: unknown) => void, callback?: AsyncCallback<void>): void;
  removeHandlerAsync?(eventType: string, callback?: AsyncCallback<void>): void;
  /** Item multi-select (Mailbox 1.13): at most 100 messages. */
  getSelectedItemsAsync?(callback: AsyncCallback<{ itemId: string; subject?: string; itemType?: string; itemMode?: string }[]>): void;
  /** Loads one selected message (Mailbox 1.15); only one may be loaded at a time. */
  loadItemByIdAsync?(itemId: string, callback: AsyncCallback<OutlookItem & { unloadAsync(callback: AsyncCallback<void>): void }>): void;
}

export interface OutlookItem {
  itemId?: string;
  dateTimeCreated?: Date | string;
  subject?: string | { getAsync(callback: AsyncCallback<string>): void };
  from?: OutlookSenderDetails & { getAsync?(callback: AsyncCallback<OutlookSenderDetails>): void };
  body: {
    getAsync(coercionType: string, callback: AsyncCallback<string>): void;
    getTypeAsync?(callback: AsyncCallback<string>): void;
    setSelectedDataAsync?(data: string, options: { coercionType: string }, callback: AsyncCallback<void>): void;
  };
  categories?: { addAsync(names: string[], callback: AsyncCallback<void>): void };
  getSelectedDataAsync?(coercionType: string, callback: AsyncCallback<{ data: string }>): void;
  displayReplyForm?(htmlBody: string): void;
  displayReplyFormAsync?(htmlBody: string, callback: AsyncCallback<void>): void;
  /** Read mode (Mailbox 1.1; content needs 1.8). */
  attachments?: OutlookAttachmentDetails[];
  /** Compose mode (Mailbox 1.8). */
  getAttachmentsAsync?(callback: AsyncCallback<OutlookAttachmentDetails[]>): void;
  getAttachmentContentAsync?(attachmentId: string, callback: AsyncCallback<OutlookAttachmentContent>): void;
}

/** Outlook accepts a body of at most 1,000,000 characters. */
export const OUTLOOK_BODY_CHARACTER_LIMIT = 1_000_000;
/** displayReplyForm's HTML body is limited to 32 KB. */
export const OUTLOOK_REPLY_FORM_CHARACTER_LIMIT = 32_000;
/** How long a run over selected messages reuses the master category list it read. */
const MASTER_LIST_REUSE_MILLISECONDS = 30_000;
/** Outlook lets an add-in act on at most 100 selected messages. */
export const OUTLOOK_MAX_SELECTED_MESSAGES = 100;

/** Office.EventType values, spelled out so the adapter also runs where Office.js is not loaded (tests). */
const itemChangedEvent = 'olkItemSelectedChanged';
const selectedItemsChangedEvent = 'olkSelectedItemsChanged';

/** The requirement set behind each mail feature this adapter offers when Outlook has it. */
export const MAIL_FEATURE_REQUIREMENTS: readonly MailFeatureRequirement[] = [
  { feature: 'attachments', set: 'Mailbox', version: '1.8' },
  { feature: 'multi-select', set: 'Mailbox', version: '1.13' },
  { feature: 'read-selected', set: 'Mailbox', version: '1.15' },
  { feature: 'follow-mailbox', set: 'Mailbox', version: '1.5' },
];

export interface OutlookMailAccessOptions {
  mailbox?: OutlookMailbox;
  queue?: OfficeAsyncQueue;
  /** Office.context.requirements.isSetSupported; default: Office's, or (no Office.js) what the mailbox object offers. */
  isSetSupported?: (name: string, version: string) => boolean;
}

export function createOutlookMailAccess(options: OutlookMailAccessOptions = {}): MailAccess {
  const mailbox = options.mailbox ?? (Office.context.mailbox as unknown as OutlookMailbox);
  const queue = options.queue ?? sharedOfficeAsyncQueue;
  const isSetSupported = options.isSetSupported ?? defaultIsSetSupported;
  if (mailbox.item === undefined || mailbox.item === null) {
    throw new HostError('NOT_AVAILABLE', 'No email is open: open or start an email, then open the add-in again.');
  }
  const supports = (feature: MailFeatureRequirement['feature']): boolean => {
    const requirement = MAIL_FEATURE_REQUIREMENTS.find((candidate) => candidate.feature === feature);
    return requirement !== undefined && isSetSupported(requirement.set, requirement.version);
  };
  const modeOf = (item: OutlookItem): 'read' | 'compose' => (typeof item.subject === 'string' || item.subject === undefined ? 'read' : 'compose');

  async function readMessage(): Promise<MailMessage> {
    const item = requireItem();
    // Three calls at most, issued together: the queue keeps them within Outlook's limit.
    const [subject, from, body] = await Promise.all([readSubject(item), readFrom(item), readBody(item)]);
    return { subject, from, body, ...messageDetails(item) };
  }

  async function readSubject(item: OutlookItem): Promise<string> {
    const subject = item.subject;
    if (subject === undefined) return '';
    if (typeof subject === 'string') return subject;
    return queue.call('read the subject', (callback) => subject.getAsync(callback));
  }

  async function readFrom(item: OutlookItem): Promise<string> {
    const from = item.from;
    if (modeOf(item) === 'compose') {
      // A draft's sender is the user (from.getAsync needs Mailbox 1.7; the profile answers everywhere).
      if (from?.getAsync !== undefined) {
        const getAsync = from.getAsync.bind(from);
        const sender = await queue.call('read the sender', (callback: AsyncCallback<OutlookSenderDetails>) => getAsync(callback));
        return formatSender(sender);
      }
      return formatSender(mailbox.userProfile ?? {});
    }
    return formatSender(from ?? {});
  }

  /** Outlook gives the text of an HTML body as well as of a plain one ('text' coercion), in read and compose. */
  async function readBody(item: OutlookItem): Promise<string> {
    const body = item.body;
    return queue.call('read the email body', (callback) => body.getAsync('text', callback));
  }

  async function readSelectedText(): Promise<string> {
    const current = requireItem();
    if (modeOf(current) !== 'compose' || current.getSelectedDataAsync === undefined) return '';
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
    if (modeOf(current) !== 'compose' || body.setSelectedDataAsync === undefined) {
      throw new HostError('NOT_AVAILABLE', 'Text can only be inserted into an email you are writing: start a reply or a new email.');
    }
    if (text.length > OUTLOOK_BODY_CHARACTER_LIMIT) {
      throw new HostError('TEXT_TOO_LONG', `The text has ${text.length} characters; an email body holds at most ${OUTLOOK_BODY_CHARACTER_LIMIT}: shorten it.`);
    }
    const getType = body.getTypeAsync?.bind(body);
    const [selected, draft, bodyType] = await Promise.all([
      readSelectedText(),
      readBody(current),
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

  /** The master list's spelling of `name`, or undefined: a category must already exist; we never create one behind the user's back. */
  async function findCategory(name: string): Promise<string | undefined> {
    const wanted = name.trim().toLocaleLowerCase();
    if (wanted.length === 0) return undefined;
    return (await listCategories()).find((category) => category.trim().toLocaleLowerCase() === wanted);
  }

  async function applyCategory(name: string, target: MailTarget = {}): Promise<boolean> {
    const existing = await findCategory(name);
    if (existing === undefined) return false;
    const current = requireItem(target);
    const categories = current.categories;
    if (categories === undefined) {
      throw new HostError('NOT_AVAILABLE', 'This version of Outlook cannot set categories from an add-in (it needs Mailbox 1.8); apply the category by hand.');
    }
    await queue.call('apply the category', (callback) => categories.addAsync([existing], callback));
    return true;
  }

  async function displayReply(body: string, target: MailTarget = {}): Promise<void> {
    const current = requireItem(target);
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

  /** The open item; with a target, only when it is still the message the result was made for. */
  function requireItem(target: MailTarget = {}): OutlookItem {
    const item = mailbox.item;
    if (item === undefined || item === null) {
      throw new HostError('NOT_AVAILABLE', 'No email is open any more: open one and try again.');
    }
    if (target.expectedMessageId !== undefined && item.itemId !== target.expectedMessageId) {
      throw new HostError('DOCUMENT_CHANGED', 'Another email is open now: nothing was applied to it. Go back to the email and run again.');
    }
    return item;
  }

  const itemChanged = createOfficeEvent(mailbox, itemChangedEvent, queue);
  const selectionChanged = createOfficeEvent(mailbox, selectedItemsChangedEvent, queue);

  const attachments: MailAttachmentAccess = {
    async listAttachments() {
      const item = requireItem();
      let details: OutlookAttachmentDetails[];
      if (item.getAttachmentsAsync !== undefined && modeOf(item) === 'compose') {
        const getAttachments = item.getAttachmentsAsync.bind(item);
        details = await queue.call('list the attachments', (callback: AsyncCallback<OutlookAttachmentDetails[]>) => getAttachments(callback));
      } else {
        details = item.attachments ?? [];
      }
      return (details ?? []).map(toMailAttachment);
    },
    async readAttachment(attachment) {
      if (attachment.kind === 'cloud') {
        throw new HostError('NOT_AVAILABLE', `"${attachment.name}" is a link to a file stored elsewhere: open it and attach a copy to read it here.`);
      }
      const item = requireItem();
      if (item.getAttachmentContentAsync === undefined) {
        throw new HostError('NOT_AVAILABLE', 'This version of Outlook cannot read attachments from an add-in (it needs Mailbox 1.8).');
      }
      const getContent = item.getAttachmentContentAsync.bind(item);
      const content = await queue.call(`read the attachment "${attachment.name}"`, (callback: AsyncCallback<OutlookAttachmentContent>) =>
        getContent(attachment.id, callback),
      );
      return attachmentContentAsBase64(attachment, content);
    },
  };

  // A run over 100 selected messages asks for the master list once, not once per message.
  let recentCategories: { readAt: number; names: Promise<string[]> } | undefined;
  async function findSelectionCategory(name: string): Promise<string | undefined> {
    if (recentCategories === undefined || Date.now() - recentCategories.readAt > MASTER_LIST_REUSE_MILLISECONDS) {
      recentCategories = { readAt: Date.now(), names: listCategories() };
    }
    const wanted = name.trim().toLocaleLowerCase();
    return wanted.length === 0 ? undefined : (await recentCategories.names).find((category) => category.trim().toLocaleLowerCase() === wanted);
  }

  // Only one item may be loaded at a time (loadItemByIdAsync): each load waits for the previous unload.
  let loadChain: Promise<unknown> = Promise.resolve();
  function withLoadedItem<Result>(id: string, use: (item: OutlookItem) => Promise<Result>): Promise<Result> {
    const load = mailbox.loadItemByIdAsync?.bind(mailbox);
    if (load === undefined || !supports('read-selected')) {
      return Promise.reject(new HostError('NOT_AVAILABLE', 'This version of Outlook cannot read selected messages from an add-in (it needs Mailbox 1.15).'));
    }
    const run = loadChain.then(async () => {
      const loaded = await queue.call(
        'open a selected message',
        (callback: AsyncCallback<OutlookItem & { unloadAsync(callback: AsyncCallback<void>): void }>) => load(id, callback),
      );
      try {
        return await use(loaded);
      } finally {
        await queue.call('close the selected message', (callback: AsyncCallback<void>) => loaded.unloadAsync(callback));
      }
    });
    loadChain = run.catch(() => undefined);
    return run;
  }

  const selection: MailSelectionAccess = {
    canReadMessages: supports('read-selected') && mailbox.loadItemByIdAsync !== undefined,
    async readSelectedMessages(): Promise<SelectedMailMessage[]> {
      const getSelected = mailbox.getSelectedItemsAsync?.bind(mailbox);
      if (getSelected === undefined) return [];
      const selected = await queue.call('read the selected messages', (callback: AsyncCallback<{ itemId: string; subject?: string; itemType?: string }[]>) =>
        getSelected(callback),
      );
      return (selected ?? [])
        .filter((item) => item.itemType === undefined || String(item.itemType).toLowerCase() === 'message')
        .slice(0, OUTLOOK_MAX_SELECTED_MESSAGES)
        .map((item) => ({ id: item.itemId, subject: item.subject ?? '' }));
    },
    onSelectionChanged: (listener) => selectionChanged.subscribe(listener),
    readMessageById: (id) =>
      withLoadedItem(id, async (item) => {
        const [subject, body] = await Promise.all([readSubject(item), readBody(item)]);
        return { subject, from: formatSender(item.from ?? {}), body, ...messageDetails(item), id };
      }),
    async applyCategoryTo(id, name) {
      const existing = await findSelectionCategory(name);
      if (existing === undefined) return false;
      return withLoadedItem(id, async (item) => {
        const categories = item.categories;
        if (categories === undefined) throw new HostError('NOT_AVAILABLE', 'Outlook cannot set categories on this message from an add-in; apply it by hand.');
        await queue.call('apply the category', (callback) => categories.addAsync([existing], callback));
        return true;
      });
    },
  };

  const missingFeatures = MAIL_FEATURE_REQUIREMENTS.filter((requirement) => !isSetSupported(requirement.set, requirement.version));
  const hasAttachments = supports('attachments');
  const hasSelection = supports('multi-select') && mailbox.getSelectedItemsAsync !== undefined;
  const followsMailbox = supports('follow-mailbox') && mailbox.addHandlerAsync !== undefined;

  return {
    get mode() {
      const item = mailbox.item;
      return item === undefined || item === null ? 'read' : modeOf(item);
    },
    readMessage,
    readSelectedText,
    insertText,
    listCategories,
    applyCategory,
    displayReply,
    currentMessageId: () => mailbox.item?.itemId ?? undefined,
    ...(followsMailbox ? { onItemChanged: (listener: () => void) => itemChanged.subscribe(listener) } : {}),
    ...(hasAttachments ? { attachments } : {}),
    ...(hasSelection ? { selection } : {}),
    missingFeatures,
  };
}

/** One Office handler per event type, shared by every listener; registered with the first, removed with the last. */
function createOfficeEvent(mailbox: OutlookMailbox, eventType: string, queue: OfficeAsyncQueue) {
  const listeners = new Set<() => void>();
  let registration: Promise<void> | undefined;
  const notify = () => {
    for (const listener of [...listeners]) listener();
  };
  return {
    subscribe(listener: () => void): () => void {
      listeners.add(listener);
      const add = mailbox.addHandlerAsync?.bind(mailbox);
      if (registration === undefined && add !== undefined) {
        registration = queue
          .call('follow the mailbox', (callback: AsyncCallback<void>) => add(eventType, notify, callback))
          .catch((error: unknown) => {
            // Without the handler the pane still works for the message it opened with.
            console.error('Outlook refused the event handler:', error);
            registration = undefined;
          });
      }
      return () => {
        listeners.delete(listener);
        const remove = mailbox.removeHandlerAsync?.bind(mailbox);
        if (listeners.size === 0 && registration !== undefined && remove !== undefined) {
          const registered = registration;
          registration = undefined;
          void registered
            .then(() => queue.call('stop following the mailbox', (callback: AsyncCallback<void>) => remove(eventType, callback)))
            .catch(() => undefined);
        }
      };
    },
  };
}

function toMailAttachment(details: OutlookAttachmentDetails): MailAttachment {
  const type = String(details.attachmentType).toLowerCase();
  return {
    id: details.id,
    name: details.name,
    contentType: details.contentType ?? '',
    size: details.size,
    kind: type === 'item' ? 'item' : type === 'cloud' ? 'cloud' : 'file',
    isInline: details.isInline,
  };
}

function attachmentContentAsBase64(attachment: MailAttachment, content: OutlookAttachmentContent): { contentBase64: string; contentType: string } {
  const format = String(content.format).toLowerCase();
  if (format === 'base64') return { contentBase64: content.content, contentType: attachment.contentType || 'application/octet-stream' };
  // An attached email comes as its MIME text, a calendar item as iCalendar text.
  if (format === 'eml') return { contentBase64: utf8ToBase64(content.content), contentType: 'message/rfc822' };
  if (format === 'icalendar') return { contentBase64: utf8ToBase64(content.content), contentType: 'text/calendar' };
  throw new HostError('NOT_AVAILABLE', `"${attachment.name}" is a link to a file stored elsewhere: open it and attach a copy to read it here.`);
}

function utf8ToBase64(text: string): string {
  let binary = '';
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary);
}

function messageDetails(item: OutlookItem): { id?: string; received?: string } {
  const created = item.dateTimeCreated;
  const received = created instanceof Date ? created.toISOString() : typeof created === 'string' ? created : undefined;
  return { ...(item.itemId === undefined ? {} : { id: item.itemId }), ...(received === undefined ? {} : { received }) };
}

function defaultIsSetSupported(name: string, version: string): boolean {
  if (typeof Office === 'undefined') return true;
  return Office.context.requirements?.isSetSupported(name, version) ?? false;
}

function formatSender(sender: OutlookSenderDetails): string {
  const name = sender.displayName?.trim() ?? '';
  const address = sender.emailAddress?.trim() ?? '';
  if (name.length > 0 && address.length > 0 && name !== address) return `${name} <${address}>`;
  return name.length > 0 ? name : address;
}
