// An Outlook mailbox for the Outlook adapter's tests, built with office-addin-mock's Outlook host
// (properties are plain values there; no load or sync). The *Async methods answer through callbacks a
// tick later, like Outlook, with an AsyncResult whose status is "succeeded" or "failed", and count how
// many run at once. A draft (compose) is a text with a selection: setSelectedDataAsync replaces the
// selection (an empty one is the cursor) and leaves the cursor after what it inserted, as Outlook does;
// HTML it receives is kept as the text it shows.
// Beyond the open item it models what a pinned, multi-select pane sees: other messages of the mailbox
// (`messages`), attachments with content (getAttachmentContentAsync: base64 for a file, MIME text for an
// attached email, a URL for a cloud file), the selection (getSelectedItemsAsync, SelectedItemsChanged),
// moving to another message (`openItem`: mailbox.item changes, then ItemChanged fires), and
// loadItemByIdAsync, which, as in Outlook, fails while another item is still loaded.
import { OfficeMockObject } from 'office-addin-mock';
import type { OutlookItem, OutlookMailbox } from '../../../src/hosts/outlook/outlook-mail-access.js';

export interface OutlookMockAttachment {
  id?: string;
  name: string;
  contentType?: string;
  /** Bytes as Outlook reports them; default: the content's decoded size. */
  size?: number;
  attachmentType?: 'file' | 'item' | 'cloud';
  isInline?: boolean;
  /** base64 of the file (file), the MIME text (item), or a URL (cloud). */
  content: string;
}

/** A message of the mailbox other than (or also) the open one. */
export interface OutlookMockMessage {
  itemId: string;
  subject: string;
  from?: { displayName: string; emailAddress: string };
  body: string;
  /** An HTML body: `body` is its text; getAsync('html') answers this. */
  htmlBody?: string;
  dateTimeCreated?: Date;
  attachments?: OutlookMockAttachment[];
}

export interface OutlookMockOptions {
  mode: 'read' | 'compose';
  itemId?: string;
  subject?: string;
  from?: { displayName: string; emailAddress: string };
  body?: string;
  /** An HTML body (read mode): getAsync('text') answers `body`, getAsync('html') this. */
  htmlBody?: string;
  bodyType?: 'text' | 'html';
  /** Compose: the selected text, found in the body (a text not in the body is selected at the end, as if added there). */
  selectedText?: string;
  /** Compose: where the cursor stands when nothing is selected (default: the end of the draft). */
  cursor?: number;
  masterCategories?: string[];
  /** Fail the master-category call as Outlook does without ReadWriteMailbox. */
  categoriesPermissionDenied?: boolean;
  attachments?: OutlookMockAttachment[];
  /** Other messages of the mailbox: openItem and loadItemByIdAsync find them by id. */
  messages?: OutlookMockMessage[];
  /** Ids of the messages selected at first (multi-select). */
  selectedIds?: string[];
  /** Hide APIs of newer requirement sets. */
  without?: ('masterCategories' | 'displayReplyFormAsync' | 'categories' | 'attachments' | 'multiSelect' | 'loadItemById' | 'events')[];
}

interface AsyncResult<T> {
  status: 'succeeded' | 'failed';
  value: T;
  error?: { name: string; message: string; code: number };
}

type Callback<T> = (result: AsyncResult<T>) => void;

const itemChangedEvent = 'olkItemSelectedChanged';
const selectedItemsChangedEvent = 'olkSelectedItemsChanged';

export class OutlookMock {
  /** Categories applied to the open item (the first one opened), as before multi-select. */
  readonly appliedCategories: string[] = [];
  /** Categories applied per message id, to any message (the open one or a loaded one). */
  readonly categoriesById = new Map<string, string[]>();
  readonly replyForms: string[] = [];
  /** Reply forms with the id of the message they were opened on. */
  readonly replyFormsById: { itemId: string | undefined; html: string }[] = [];
  readonly inserted: { data: string; coercionType: string }[] = [];
  /** getAttachmentContentAsync calls, by attachment id. */
  readonly attachmentReads: string[] = [];
  body: string;
  /** Compose: the selection in `body` (start === end: the cursor). */
  selection: { start: number; end: number };
  inFlight = 0;
  peakInFlight = 0;
  /** The item loadItemByIdAsync loaded and not yet unloaded; and the most loads seen at once. */
  loadedItemId: string | undefined;
  loads = 0;
  readonly mailbox: OutlookMailbox;
  private readonly handlers = new Map<string, (event: unknown) => void>();
  private selectedIds: string[];
  private readonly firstItemId: string | undefined;

  constructor(private readonly options: OutlookMockOptions) {
    this.body = options.body ?? '';
    const selectedText = options.selectedText ?? '';
    if (selectedText !== '' && !this.body.includes(selectedText)) this.body += selectedText;
    const selectedAt = selectedText === '' ? -1 : this.body.indexOf(selectedText);
    const cursor = options.cursor ?? this.body.length;
    this.selection = selectedAt < 0 ? { start: cursor, end: cursor } : { start: selectedAt, end: selectedAt + selectedText.length };
    this.selectedIds = [...(options.selectedIds ?? [])];
    this.firstItemId = options.itemId;
    const without = new Set(options.without ?? []);

    const item = this.buildItem({
      itemId: options.itemId,
      subject: options.subject ?? '',
      from: options.from,
      htmlBody: options.htmlBody,
      attachments: options.attachments,
      mode: options.mode,
    });

    const mailbox: Record<string, unknown> = { item, userProfile: { displayName: 'Pat Example', emailAddress: 'pat@example.com' } };
    if (!without.has('masterCategories')) {
      mailbox['masterCategories'] = {
        getAsync: (callback: Callback<{ displayName: string; color: string }[]>) =>
          this.respond(callback, () =>
            options.categoriesPermissionDenied
              ? {
                  status: 'failed',
                  value: [],
                  error: { name: 'Permission Denied', message: 'This add-in does not have the permission to read the master categories.', code: 9017 },
                }
              : ok((options.masterCategories ?? []).map((displayName) => ({ displayName, color: 'Preset0' }))),
          ),
      };
    }
    if (!without.has('events')) {
      mailbox['addHandlerAsync'] = (eventType: string, handler: (event: unknown) => void, callback?: Callback<void>) =>
        this.respond(callback ?? (() => undefined), () => {
          this.handlers.set(eventType, handler);
          return ok(undefined);
        });
      mailbox['removeHandlerAsync'] = (eventType: string, callback?: Callback<void>) =>
        this.respond(callback ?? (() => undefined), () => {
          this.handlers.delete(eventType);
          return ok(undefined);
        });
    }
    if (!without.has('multiSelect')) {
      mailbox['getSelectedItemsAsync'] = (callback: Callback<{ itemId: string; subject: string; itemType: string; itemMode: string }[]>) =>
        this.respond(callback, () =>
          ok(this.selectedIds.map((id) => ({ itemId: id, subject: this.message(id)?.subject ?? '', itemType: 'message', itemMode: 'read' }))),
        );
    }
    if (!without.has('loadItemById')) {
      mailbox['loadItemByIdAsync'] = (itemId: string, callback: Callback<unknown>) =>
        this.respond(callback, () => {
          if (this.loadedItemId !== undefined) {
            return { status: 'failed', value: undefined, error: { name: 'InvalidOperation', message: 'Another item is already loaded.', code: 9030 } };
          }
          const message = this.message(itemId);
          if (message === undefined) return { status: 'failed', value: undefined, error: { name: 'ItemNotFound', message: 'No such item.', code: 9014 } };
          this.loadedItemId = itemId;
          this.loads++;
          const loaded = this.buildItem({ ...message, mode: 'read' });
          loaded['unloadAsync'] = (unloadCallback: Callback<void>) =>
            this.respond(unloadCallback, () => {
              this.loadedItemId = undefined;
              return ok(undefined);
            });
          return ok(loaded);
        });
    }
    this.mailbox = new OfficeMockObject({ host: 'outlook', context: { mailbox } })['context'].mailbox as OutlookMailbox;
  }

  /** The user opens another message (null: nothing), as in a pinned pane: mailbox.item changes, then ItemChanged fires. */
  openItem(itemId: string | null): void {
    const message = itemId === null ? undefined : this.message(itemId);
    this.mailbox.item = message === undefined ? null : (this.buildItem({ ...message, mode: 'read' }) as unknown as OutlookItem);
    this.fire(itemChangedEvent);
  }

  /** The user selects these messages together. */
  select(ids: string[]): void {
    this.selectedIds = [...ids];
    this.fire(selectedItemsChangedEvent);
  }

  hasHandler(eventType: 'ItemChanged' | 'SelectedItemsChanged'): boolean {
    return this.handlers.has(eventType === 'ItemChanged' ? itemChangedEvent : selectedItemsChangedEvent);
  }

  private fire(eventType: string): void {
    const handler = this.handlers.get(eventType);
    if (handler !== undefined) setTimeout(() => handler({ type: eventType }), 1);
  }

  private message(itemId: string): OutlookMockMessage | undefined {
    return this.options.messages?.find((message) => message.itemId === itemId);
  }

  private respond<T>(callback: Callback<T>, result: () => AsyncResult<T>): void {
    this.inFlight++;
    this.peakInFlight = Math.max(this.peakInFlight, this.inFlight);
    setTimeout(() => {
      this.inFlight--;
      callback(result());
    }, 1);
  }

  /** An item of the mailbox; the first (open) item's body is the mock's own `body`, which compose edits. */
  private buildItem(source: {
    itemId?: string | undefined;
    subject: string;
    from?: { displayName: string; emailAddress: string } | undefined;
    body?: string;
    htmlBody?: string | undefined;
    dateTimeCreated?: Date | undefined;
    attachments?: OutlookMockAttachment[] | undefined;
    mode: 'read' | 'compose';
  }): Record<string, unknown> {
    const options = this.options;
    const without = new Set(options.without ?? []);
    const isFirst = source.body === undefined;
    const bodyText = () => (isFirst ? this.body : (source.body ?? ''));
    const itemId = source.itemId;
    const categoriesFor = (id: string | undefined) => {
      const key = id ?? '';
      const list = this.categoriesById.get(key) ?? [];
      this.categoriesById.set(key, list);
      return list;
    };
    const item: Record<string, unknown> = {
      itemType: 'message',
      ...(itemId === undefined ? {} : { itemId }),
      ...(source.dateTimeCreated === undefined ? {} : { dateTimeCreated: source.dateTimeCreated }),
      body: {
        getAsync: (coercionType: string, callback: Callback<string>) =>
          this.respond(callback, () => (coercionType === 'text' ? ok(bodyText()) : ok(source.htmlBody ?? `<p>${bodyText()}</p>`))),
        getTypeAsync: (callback: Callback<string>) => this.respond(callback, () => ok(options.bodyType ?? 'html')),
        ...(source.mode === 'compose'
          ? {
              setSelectedDataAsync: (data: string, settings: { coercionType: string }, callback: Callback<void>) =>
                this.respond(callback, () => {
                  this.inserted.push({ data, coercionType: settings.coercionType });
                  const text = settings.coercionType === 'html' ? htmlAsText(data) : data;
                  this.body = this.body.slice(0, this.selection.start) + text + this.body.slice(this.selection.end);
                  const caret = this.selection.start + text.length;
                  this.selection = { start: caret, end: caret };
                  return ok(undefined);
                }),
            }
          : {}),
      },
    };
    if (!without.has('categories')) {
      item['categories'] = {
        addAsync: (names: string[], callback: Callback<void>) =>
          this.respond(callback, () => {
            if (isFirst && itemId === this.firstItemId) this.appliedCategories.push(...names);
            categoriesFor(itemId).push(...names);
            return ok(undefined);
          }),
      };
    }
    const attachments = source.attachments ?? [];
    const details = attachments.map((attachment, index) => ({
      id: attachment.id ?? `attachment-${index + 1}`,
      name: attachment.name,
      contentType: attachment.contentType ?? 'application/octet-stream',
      size:
        attachment.size ??
        (attachment.attachmentType === undefined || attachment.attachmentType === 'file'
          ? Buffer.from(attachment.content, 'base64').length
          : attachment.content.length),
      attachmentType: attachment.attachmentType ?? 'file',
      isInline: attachment.isInline ?? false,
    }));
    if (!without.has('attachments')) {
      if (source.mode === 'read') item['attachments'] = details;
      else item['getAttachmentsAsync'] = (callback: Callback<typeof details>) => this.respond(callback, () => ok(details));
      item['getAttachmentContentAsync'] = (attachmentId: string, callback: Callback<{ content: string; format: string }>) =>
        this.respond(callback, () => {
          this.attachmentReads.push(attachmentId);
          const index = details.findIndex((detail) => detail.id === attachmentId);
          const attachment = attachments[index];
          if (attachment === undefined)
            return { status: 'failed', value: { content: '', format: '' }, error: { name: 'InvalidAttachmentId', message: 'No such attachment.', code: 9002 } };
          const format = { file: 'base64', item: 'eml', cloud: 'url' }[attachment.attachmentType ?? 'file'];
          return ok({ content: attachment.content, format });
        });
    }
    if (source.mode === 'read') {
      item['subject'] = source.subject;
      item['from'] = source.from ?? { displayName: '', emailAddress: '' };
      item['displayReplyForm'] = (html: string) => {
        this.replyForms.push(html);
        this.replyFormsById.push({ itemId, html });
      };
      if (!without.has('displayReplyFormAsync')) {
        item['displayReplyFormAsync'] = (html: string, callback: Callback<void>) =>
          this.respond(callback, () => {
            this.replyForms.push(html);
            this.replyFormsById.push({ itemId, html });
            return ok(undefined);
          });
      }
    } else {
      item['subject'] = { getAsync: (callback: Callback<string>) => this.respond(callback, () => ok(source.subject)) };
      item['from'] = { getAsync: (callback: Callback<unknown>) => this.respond(callback, () => ok(source.from ?? {})) };
      item['getSelectedDataAsync'] = (coercionType: string, callback: Callback<{ data: string }>) =>
        this.respond(callback, () => ok({ data: this.body.slice(this.selection.start, this.selection.end), sourceProperty: 'body', coercionType }));
    }
    return item;
  }
}

function ok<T>(value: T): AsyncResult<T> {
  return { status: 'succeeded', value };
}

/** The text Outlook shows for the escaped HTML the adapter inserts (line breaks and entities only). */
function htmlAsText(html: string): string {
  return html
    .replace(/<br\s*\/?>/g, '\n')
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&quot;', '"')
    .replaceAll('&#39;', "'")
    .replaceAll('&amp;', '&');
}
