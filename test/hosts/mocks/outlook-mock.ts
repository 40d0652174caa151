// An Outlook mailbox for the Outlook adapter's tests, built with office-addin-mock's Outlook host
// (properties are plain values there; no load or sync). The *Async methods answer through callbacks a
// tick later, like Outlook, and count how many run at once.
import { OfficeMockObject } from 'office-addin-mock';
import type { OutlookMailbox } from '../../../src/hosts/outlook/outlook-mail-access.js';

export interface OutlookMockOptions {
  mode: 'read' | 'compose';
  subject?: string;
  from?: { displayName: string; emailAddress: string };
  body?: string;
  bodyType?: 'text' | 'html';
  selectedText?: string;
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
  inFlight = 0;
  peakInFlight = 0;
  readonly mailbox: OutlookMailbox;

  constructor(private readonly options: OutlookMockOptions) {
    this.body = options.body ?? '';
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
        respond(callback, () => ok({ data: options.selectedText ?? '', sourceProperty: 'body', coercionType }));
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
