// An Outlook mailbox for the Outlook adapter's tests, built with office-addin-mock's Outlook host
// (properties are plain values there; no load or sync). The *Async methods answer through callbacks a
// tick later, like Outlook, and count how many run at once. A draft (compose) is a text with a
// selection: setSelectedDataAsync replaces the selection (an empty one is the cursor) and leaves the
// cursor after what it inserted, as Outlook does; HTML it receives is kept as the text it shows.
import { OfficeMockObject } from 'office-addin-mock';
import type { OutlookMailbox } from '../../../src/hosts/outlook/outlook-mail-access.js';

export interface OutlookMockOptions {
  mode: 'read' | 'compose';
  subject?: string;
  from?: { displayName: string; emailAddress: string };
  body?: string;
  bodyType?: 'text' | 'html';
  /** Compose: the selected text, found in the body (a text not in the body is selected at the end, as if added there). */
  selectedText?: string;
  /** Compose: where the cursor stands when nothing is selected (default: the end of the draft). */
  cursor?: number;
  masterCategories?: string[];
  /** Fail the master-category call as Outlook does without ReadWriteMailbox. */
  categoriesPermissionDenied?: boolean;
  /** Hide APIs of newer requirement sets. */
  without?: ('masterCategories' | 'displayReplyFormAsync' | 'categories')[];
}

interface AsyncResult<T> {
  status: 'succeeded' | 'failed';
  value: T;
  error?: { name: string; message: string; code: number };
}

export class OutlookMock {
  readonly appliedCategories: string[] = [];
  readonly replyForms: string[] = [];
  readonly inserted: { data: string; coercionType: string }[] = [];
  body: string;
  /** Compose: the selection in `body` (start === end: the cursor). */
  selection: { start: number; end: number };
  inFlight = 0;
  peakInFlight = 0;
  readonly mailbox: OutlookMailbox;

  constructor(private readonly options: OutlookMockOptions) {
    this.body = options.body ?? '';
    const selectedText = options.selectedText ?? '';
    if (selectedText !== '' && !this.body.includes(selectedText)) this.body += selectedText;
    const selectedAt = selectedText === '' ? -1 : this.body.indexOf(selectedText);
    const cursor = options.cursor ?? this.body.length;
    this.selection = selectedAt < 0 ? { start: cursor, end: cursor } : { start: selectedAt, end: selectedAt + selectedText.length };
    const without = new Set(options.without ?? []);
    const respond = <T>(callback: (result: AsyncResult<T>) => void, result: () => AsyncResult<T>): void => {
      this.inFlight++;
      this.peakInFlight = Math.max(this.peakInFlight, this.inFlight);
      setTimeout(() => {
        this.inFlight--;
        callback(result());
      }, 1);
    };
    const ok = <T>(value: T): AsyncResult<T> => ({ status: 'succeeded', value });

    const item: Record<string, unknown> = {
      itemType: 'message',
      body: {
        getAsync: (coercionType: string, callback: (result: AsyncResult<string>) => void) =>
          respond(callback, () => (coercionType === 'text' ? ok(this.body) : ok(`<p>${this.body}</p>`))),
        getTypeAsync: (callback: (result: AsyncResult<string>) => void) => respond(callback, () => ok(options.bodyType ?? 'html')),
        ...(options.mode === 'compose'
          ? {
              setSelectedDataAsync: (data: string, settings: { coercionType: string }, callback: (result: AsyncResult<void>) => void) =>
                respond(callback, () => {
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
        addAsync: (names: string[], callback: (result: AsyncResult<void>) => void) =>
          respond(callback, () => {
            this.appliedCategories.push(...names);
            return ok(undefined);
          }),
      };
    }
    if (options.mode === 'read') {
      item['subject'] = options.subject ?? '';
      item['from'] = options.from ?? { displayName: '', emailAddress: '' };
      item['displayReplyForm'] = (html: string) => this.replyForms.push(html);
      if (!without.has('displayReplyFormAsync')) {
        item['displayReplyFormAsync'] = (html: string, callback: (result: AsyncResult<void>) => void) =>
          respond(callback, () => {
            this.replyForms.push(html);
            return ok(undefined);
          });
      }
    } else {
      item['subject'] = { getAsync: (callback: (result: AsyncResult<string>) => void) => respond(callback, () => ok(options.subject ?? '')) };
      item['from'] = { getAsync: (callback: (result: AsyncResult<unknown>) => void) => respond(callback, () => ok(options.from ?? {})) };
      item['getSelectedDataAsync'] = (coercionType: string, callback: (result: AsyncResult<{ data: string }>) => void) =>
        respond(callback, () => ok({ data: this.body.slice(this.selection.start, this.selection.end), sourceProperty: 'body', coercionType }));
    }

    const mailbox: Record<string, unknown> = { item, userProfile: { displayName: 'Pat Example', emailAddress: 'pat@example.com' } };
    if (!without.has('masterCategories')) {
      mailbox['masterCategories'] = {
        getAsync: (callback: (result: AsyncResult<{ displayName: string; color: string }[]>) => void) =>
          respond(callback, () =>
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
    this.mailbox = new OfficeMockObject({ host: 'outlook', context: { mailbox } })['context'].mailbox as OutlookMailbox;
  }
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
