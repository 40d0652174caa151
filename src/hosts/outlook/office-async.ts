// The one wrapper around Office's callback-style *Async APIs: each call becomes a promise, a failed
// AsyncResult becomes a HostError with a clear message, and at most three calls run at once (Outlook on
// the web rejects more concurrent async calls).
import { HostError } from '../host-adapter.js';

/** The part of Office.AsyncResult this wrapper reads. */
export interface AsyncResultLike<T> {
  status: unknown;
  value: T;
  error?: { name?: string; message?: string; code?: number } | null;
}

export type AsyncCallback<T> = (result: AsyncResultLike<T>) => void;

/** Why an Office async call failed, kept for callers that branch (a permission, say). */
export class OfficeAsyncError extends HostError {
  readonly officeCode: number | undefined;
  readonly officeName: string | undefined;
  /** Office's own text: for the console, never for the pane. */
  readonly officeMessage: string | undefined;

  constructor(action: string, error: AsyncResultLike<unknown>['error']) {
    super('OFFICE_CALL_FAILED', `Outlook could not ${action}.`);
    this.officeCode = error?.code;
    this.officeName = error?.name;
    this.officeMessage = error?.message;
  }

  /** Permission failures: the manifest lacks a permission, or the mailbox does not allow the call. */
  get isPermissionDenied(): boolean {
    return this.officeCode === 7000 || this.officeCode === 9017 || /permission|access ?denied/i.test(`${this.officeName ?? ''} ${this.officeMessage ?? ''}`);
  }
}

export const OUTLOOK_MAX_CONCURRENT_CALLS = 3;

export class OfficeAsyncQueue {
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  /** The most calls seen running at once (tests assert the limit with it). */
  peakConcurrency = 0;

  constructor(private readonly limit = OUTLOOK_MAX_CONCURRENT_CALLS) {}

  /** Runs one Office *Async call: `invoke` receives the callback to pass as the API's last argument. */
  async call<T>(action: string, invoke: (callback: AsyncCallback<T>) => void): Promise<T> {
    await this.acquire();
    try {
      return await new Promise<T>((resolve, reject) => {
        try {
          invoke((result) => {
            // Office reports status as the string "failed"; typings call it an enum.
            if (String(result.status).toLowerCase() === 'failed' || result.status === 1) reject(new OfficeAsyncError(action, result.error));
            else resolve(result.value);
          });
        } catch (error) {
          reject(new HostError('OFFICE_CALL_FAILED', `Outlook could not ${action}.`, { cause: error }));
        }
      });
    } finally {
      this.release();
    }
  }

  private async acquire(): Promise<void> {
    if (this.running >= this.limit) {
      // release() hands its slot straight to the next waiter, so no newcomer can slip in between.
      await new Promise<void>((resolve) => this.waiting.push(resolve));
      return;
    }
    this.running++;
    this.peakConcurrency = Math.max(this.peakConcurrency, this.running);
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next === undefined) this.running--;
    else next();
  }
}

/** One queue for the whole add-in: the limit is Outlook's, not one adapter's. */
export const sharedOfficeAsyncQueue = new OfficeAsyncQueue();
