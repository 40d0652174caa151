// A bulk classify or translate of sheet rows that goes on as a server job (contract/jobs.ts) while the
// pane is closed. The job id, the rows and columns, the request and the start time are kept with the
// workbook (SheetAccess.rememberJob: Excel's document settings), so a reopened pane continues the run:
// it fetches what finished and writes it through the same engine as a streamed run (runCellColumn:
// verification read before every block, moved rows found again, changed and empty rows counted). A
// job answers by item index; the rows are matched to those answers by a fingerprint of the text sent
// (the workbook keeps 8 characters per item, not the text), so an answer lands only on a row whose
// input still reads as it was sent, wherever the row went. Rows written before the pane closed are
// filled and skipped; a row the user typed into is skipped too; a row whose input changed since the
// start is not in the job and is answered by the operation's own streamed route (`fallback`).
import type { CreateJobRequest, JobItemResult, JobStatus } from '../contract/jobs.js';
import type { ClassifyRequest } from '../contract/operations/classify.js';
import type { TranslateRequest } from '../contract/operations/translate.js';
import type { SheetAccess } from '../hosts/host-adapter.js';
import type { ClassifiedItem } from './classify-sheet.js';
import type { TranslatedItem } from './translate-cells.js';
import {
  DEFAULT_ROWS_PER_WINDOW,
  INPUT_SEPARATOR,
  isFilledCell,
  runCellColumn,
  type CellAnswer,
  type CellRunProgress,
  type CellRunResult,
  type RowRange,
} from './cell-column-run.js';

/** Runs with more rows than this go as a job (the user can ask for one below it: "keep running when I close the pane"). */
export const JOB_THRESHOLD = 2_000;
/** Items per job: the BFF's default MAX_ITEMS, so one job never exceeds what one request may carry. */
export const ITEMS_PER_JOB = 10_000;

export type SheetJobName = 'classify' | 'translate';

/** The operation's request without its items: what every job of the run (and a re-sent row) is asked with. */
export type SheetJobRequest =
  { operation: 'classify'; request: Omit<ClassifyRequest, 'items'> } | { operation: 'translate'; request: Omit<TranslateRequest, 'texts'> };

/** The BFF's jobs API as the workflow needs it (the pane passes its jobs client). */
export interface SheetJobsPort {
  create(request: CreateJobRequest, options?: { signal?: AbortSignal | undefined }): Promise<JobStatus>;
  status(id: string, options?: { signal?: AbortSignal | undefined }): Promise<JobStatus>;
  follow(id: string, options?: { signal?: AbortSignal | undefined; onStatus?: ((job: JobStatus) => void) | undefined }): AsyncIterable<JobItemResult>;
  cancel(id: string, options?: { signal?: AbortSignal | undefined }): Promise<unknown>;
}

/** The operation's own streamed processor (the pane's streamedClassify or streamedTranslate). */
export type SheetJobFallback = (items: string[], signal: AbortSignal) => AsyncIterable<ClassifiedItem | TranslatedItem>;

/** What the workbook keeps to continue the run (plain JSON in its settings). */
export interface KeptSheetJob {
  version: 1;
  job: SheetJobRequest;
  /** The run's jobs in item order: item `offset + i` is job `id`'s index i. */
  jobs: { id: string; offset: number; items: number }[];
  /** ISO 8601: when the run started (the pane shows it in the user's locale). */
  startedAt: string;
  rows: RowRange;
  inputColumns: number[];
  outputColumn: number;
  overwrite: boolean;
  firstRowIsHeader: boolean;
  outputHeader?: string | undefined;
  /** Per item, FINGERPRINT_LENGTH characters: which text each index was. */
  fingerprints: string;
}

export interface SheetJobRunOptions {
  job: SheetJobRequest;
  rows: RowRange;
  inputColumns: readonly number[];
  outputColumn: number;
  overwrite: boolean;
  firstRowIsHeader?: boolean | undefined;
  outputHeader?: string | undefined;
  jobs: SheetJobsPort;
  /** Answers rows not in the job (their text changed since it started): the operation's streamed route. Without it they are marked and retried by the next run. */
  fallback?: SheetJobFallback | undefined;
  /** Aborting it ends this pane's part only (the pane closes): the job goes on upstream and the workbook keeps it. Stop is `stopSheetJob`. */
  signal: AbortSignal;
  onProgress?: ((progress: CellRunProgress) => void) | undefined;
  /** The job's own state as the client learns it (counts done upstream). */
  onJob?: ((job: JobStatus) => void) | undefined;
  writeEvery?: number | undefined;
  rowsPerWindow?: number | undefined;
  itemsPerJob?: number | undefined;
  now?: (() => Date) | undefined;
}

export interface SheetJobRunResult extends CellRunResult {
  startedAt: string;
  jobIds: string[];
  /** The jobs ended and what they answered is written: the workbook no longer keeps the run. */
  finished: boolean;
  /** The pane's part ended while the job goes on: the workbook keeps it and the next open continues. */
  detached: boolean;
  /** Rows whose text changed since the run started, sent again through `fallback`. */
  resent: number;
}

export type ResumeSheetJobOptions = Pick<SheetJobRunOptions, 'jobs' | 'fallback' | 'signal' | 'onProgress' | 'onJob' | 'writeEvery' | 'rowsPerWindow'>;

/** A kept run whose jobs are gone (expired, or not this user's): nothing to continue; the workbook no longer keeps it. */
export interface ExpiredSheetJob {
  expired: true;
  startedAt: string;
}

/** Whether a run of this many rows goes as a job. */
export const runsAsJob = (rowCount: number, keepRunningWhenClosed: boolean): boolean => keepRunningWhenClosed || rowCount > JOB_THRESHOLD;

/** The run the workbook keeps under `name`, or undefined (none, or one this version cannot read). */
export async function keptSheetJob(sheet: SheetAccess, name: SheetJobName): Promise<KeptSheetJob | undefined> {
  return parseKept(await sheet.recallJob(name));
}

/** Starts the run as jobs, keeps it with the workbook, and writes the answers as they come. */
export async function startSheetJob(sheet: SheetAccess, name: SheetJobName, options: SheetJobRunOptions): Promise<SheetJobRunResult> {
  const startedAt = (options.now?.() ?? new Date()).toISOString();
  // A new run replaces the one the workbook kept under this name: its jobs would write for nobody.
  await stopSheetJob(sheet, name, options.jobs);
  const texts = await itemsToSend(sheet, options);
  const itemsPerJob = options.itemsPerJob ?? ITEMS_PER_JOB;
  const jobs: KeptSheetJob['jobs'] = [];
  try {
    for (let offset = 0; offset < texts.length; offset += itemsPerJob) {
      const items = texts.slice(offset, offset + itemsPerJob);
      const created = await options.jobs.create(createRequest(options.job, items), { signal: options.signal });
      jobs.push({ id: created.id, offset, items: items.length });
      options.onJob?.(created);
    }
  } catch (error) {
    // A run is all its jobs or none: the ones created already would work for nobody.
    await Promise.all(jobs.map((job) => options.jobs.cancel(job.id).catch(() => undefined)));
    throw error;
  }
  const kept: KeptSheetJob = {
    version: 1,
    job: options.job,
    jobs,
    startedAt,
    rows: options.rows,
    inputColumns: [...options.inputColumns],
    outputColumn: options.outputColumn,
    overwrite: options.overwrite,
    firstRowIsHeader: options.firstRowIsHeader === true,
    ...(options.outputHeader === undefined ? {} : { outputHeader: options.outputHeader }),
    fingerprints: texts.map(fingerprint).join(''),
  };
  if (jobs.length > 0) await sheet.rememberJob(name, kept);
  return runKept(sheet, name, kept, options, false);
}

/**
 * Continues the run the workbook keeps under `name`: what finished is fetched and written, the rest as
 * it comes. Undefined when there is none; `{ expired }` when its jobs are gone (the workbook forgets it).
 */
export async function resumeSheetJob(
  sheet: SheetAccess,
  name: SheetJobName,
  options: ResumeSheetJobOptions,
): Promise<SheetJobRunResult | ExpiredSheetJob | undefined> {
  const kept = await keptSheetJob(sheet, name);
  if (kept === undefined) {
    // A value this version cannot read is dropped, so it is not offered again on every open.
    if ((await sheet.recallJob(name)) !== undefined) await sheet.forgetJob(name);
    return undefined;
  }
  try {
    for (const job of kept.jobs) {
      const status = await options.jobs.status(job.id, { signal: options.signal });
      options.onJob?.(status);
    }
  } catch (error) {
    if (!isNotFound(error)) throw error;
    await sheet.forgetJob(name);
    return { expired: true, startedAt: kept.startedAt };
  }
  // The rows are where the run started, whichever sheet is active now.
  return runKept(await sheet.jobSheet(name), name, kept, options, true);
}

/** Stop: cancels the run's jobs upstream and forgets it. Rows already written stay. */
export async function stopSheetJob(sheet: SheetAccess, name: SheetJobName, jobs: SheetJobsPort): Promise<void> {
  const kept = await keptSheetJob(sheet, name);
  await sheet.forgetJob(name);
  if (kept === undefined) return;
  await Promise.all(
    kept.jobs.map(async (job) => {
      try {
        await jobs.cancel(job.id);
      } catch (error) {
        // Already gone (expired) is what Stop wanted.
        if (!isNotFound(error)) throw error;
      }
    }),
  );
}

async function runKept(
  sheet: SheetAccess,
  name: SheetJobName,
  kept: KeptSheetJob,
  options: ResumeSheetJobOptions,
  resumed: boolean,
): Promise<SheetJobRunResult> {
  const following = new AbortController();
  const stopFollowing = () => following.abort();
  options.signal.addEventListener('abort', stopFollowing, { once: true });
  const answers = new JobAnswers(kept, options.jobs, following.signal, options.onJob);
  const base = { startedAt: kept.startedAt, jobIds: kept.jobs.map((job) => job.id) };
  let result: CellRunResult;
  try {
    result = await runCellColumn(sheet, {
      rows: kept.rows,
      inputColumns: kept.inputColumns,
      outputColumn: kept.outputColumn,
      // A resumed run never replaces a filled cell: it may be one written before the pane closed, or one the user typed since.
      overwrite: kept.overwrite && !resumed,
      firstRowIsHeader: kept.firstRowIsHeader,
      outputHeader: kept.outputHeader,
      signal: options.signal,
      onProgress: options.onProgress,
      writeEvery: options.writeEvery,
      rowsPerWindow: options.rowsPerWindow,
      process: (items, signal) => answers.answer(items, signal, options.fallback),
    });
  } catch (error) {
    // A job that failed as a whole has ended: its answers are written, the next run starts afresh.
    if (answers.ended()) await sheet.forgetJob(name);
    throw error;
  } finally {
    options.signal.removeEventListener('abort', stopFollowing);
    following.abort();
  }
  if (result.stopped || options.signal.aborted) return { ...result, ...base, finished: false, detached: true, resent: answers.resent };
  // Every row of the run has its answer in the sheet; a job still running would only answer rows filled meanwhile.
  if (!answers.ended()) await Promise.all(kept.jobs.map((job) => options.jobs.cancel(job.id).catch(() => undefined)));
  await sheet.forgetJob(name);
  return { ...result, ...base, finished: true, detached: false, resent: answers.resent };
}

/** The items a run sends, by the engine's own rules (header left out, filled rows skipped unless overwrite, empty rows skipped). */
async function itemsToSend(sheet: SheetAccess, options: SheetJobRunOptions): Promise<string[]> {
  const header = options.firstRowIsHeader === true && options.rows.rowCount > 0;
  const rows: RowRange = header ? { startRow: options.rows.startRow + 1, rowCount: options.rows.rowCount - 1 } : options.rows;
  const columns = [...options.inputColumns, options.outputColumn];
  const window = options.rowsPerWindow ?? DEFAULT_ROWS_PER_WINDOW;
  const items: string[] = [];
  for (let start = 0; start < rows.rowCount; start += window) {
    if (options.signal.aborted) throw new DOMException('Stopped', 'AbortError');
    const read = await sheet.readRows(rows.startRow + start, Math.min(window, rows.rowCount - start), columns);
    for (const row of read) {
      const output = row[options.inputColumns.length] ?? '';
      const input = joinInputs(row.slice(0, options.inputColumns.length));
      if (input.length === 0 || (!options.overwrite && isFilledCell(output))) continue;
      items.push(input);
    }
  }
  return items;
}

const joinInputs = (inputs: readonly string[]): string =>
  inputs
    .map((text) => text.trim())
    .filter((text) => text.length > 0)
    .join(INPUT_SEPARATOR);

function createRequest(job: SheetJobRequest, items: string[]): CreateJobRequest {
  return job.operation === 'classify'
    ? { operation: 'classify', request: { ...job.request, items } }
    : { operation: 'translate', request: { ...job.request, texts: items } };
}

/**
 * The answers of a run's jobs, followed once for all windows of the engine: kept by the fingerprint of
 * their text until a window asks for them.
 */
class JobAnswers {
  private readonly fingerprints: string[];
  private readonly known: Set<string>;
  private readonly byFingerprint = new Map<string, Omit<CellAnswer, 'index'>>();
  /** Fingerprints in the order their answers arrived: each window reads on from where it was. */
  private readonly arrivals: string[] = [];
  private readonly finalStates = new Map<string, JobStatus>();
  private failure: { error: unknown } | undefined;
  private started = false;
  private following = 0;
  private wake: (() => void) | undefined;
  resent = 0;

  constructor(
    private readonly kept: KeptSheetJob,
    private readonly jobs: SheetJobsPort,
    private readonly signal: AbortSignal,
    private readonly onJob: ((job: JobStatus) => void) | undefined,
  ) {
    const total = kept.fingerprints.length / FINGERPRINT_LENGTH;
    this.fingerprints = Array.from({ length: total }, (_value, index) => kept.fingerprints.slice(index * FINGERPRINT_LENGTH, (index + 1) * FINGERPRINT_LENGTH));
    this.known = new Set(this.fingerprints);
  }

  /** Every job has ended (completed, failed or cancelled) and all its answers are here. */
  ended(): boolean {
    return this.started && this.following === 0 && this.finalStates.size === this.kept.jobs.length;
  }

  private notify(): void {
    this.wake?.();
    this.wake = undefined;
  }

  private start(): void {
    if (this.started) return;
    this.started = true;
    for (const job of this.kept.jobs) {
      this.following++;
      void this.follow(job).finally(() => {
        this.following--;
        this.notify();
      });
    }
  }

  private async follow(job: KeptSheetJob['jobs'][number]): Promise<void> {
    try {
      const results = this.jobs.follow(job.id, {
        signal: this.signal,
        onStatus: (status) => {
          if (status.state === 'completed' || status.state === 'failed' || status.state === 'cancelled') this.finalStates.set(job.id, status);
          this.onJob?.(status);
        },
      });
      for await (const item of results) {
        const print = item.index < job.items ? this.fingerprints[job.offset + item.index] : undefined;
        if (print === undefined || this.byFingerprint.has(print)) continue;
        const value = 'label' in item ? item.label : item.text;
        this.byFingerprint.set(print, { value, error: item.error });
        this.arrivals.push(print);
        this.notify();
      }
    } catch (error) {
      if (!this.signal.aborted && this.failure === undefined) this.failure = { error };
    }
  }

  /** The engine's processor for one window: answers from the jobs, and rows not in them through `fallback`. */
  async *answer(items: string[], signal: AbortSignal, fallback: SheetJobFallback | undefined): AsyncGenerator<CellAnswer> {
    const wanted = new Map<string, number[]>();
    const changed: number[] = [];
    items.forEach((text, index) => {
      const print = fingerprint(text);
      if (!this.known.has(print)) changed.push(index);
      else wanted.set(print, [...(wanted.get(print) ?? []), index]);
    });
    if (changed.length > 0) {
      this.resent += changed.length;
      if (fallback === undefined) {
        for (const index of changed)
          yield { index, value: null, error: { code: 'ROW_CHANGED', message: 'the row changed after the run started; run again to do it' } };
      } else {
        for await (const answer of fallback(
          changed.map((index) => items[index] ?? ''),
          signal,
        )) {
          const index = changed[answer.index];
          if (index !== undefined) yield { index, value: 'label' in answer ? answer.label : answer.text, error: answer.error };
        }
      }
    }
    if (wanted.size === 0) return;
    this.start();
    let cursor = 0;
    for (;;) {
      while (cursor < this.arrivals.length) {
        const print = this.arrivals[cursor++] ?? '';
        const indexes = wanted.get(print);
        const answer = this.byFingerprint.get(print);
        if (indexes === undefined || answer === undefined) continue;
        wanted.delete(print);
        for (const index of indexes) yield { ...answer, index };
      }
      if (wanted.size === 0) return;
      if (signal.aborted) throw new DOMException('Stopped', 'AbortError');
      if (this.failure !== undefined) throw this.failure.error;
      if (this.following === 0) {
        const states = [...this.finalStates.values()];
        const failed = states.find((job) => job.state === 'failed');
        if (failed !== undefined) {
          const body = failed.error ?? { code: 'JOB_FAILED', message: 'The job stopped on the server.', retryable: true };
          throw Object.assign(new Error(body.message), { code: body.code, retryable: body.retryable });
        }
        // Cancelled elsewhere (Stop in another pane): what came is written, the rest is left as it is.
        if (states.some((job) => job.state === 'cancelled')) throw new DOMException('The job was cancelled', 'AbortError');
        // Completed without these answers: the engine marks them, and the next run retries them.
        return;
      }
      await new Promise<void>((resolve) => {
        const done = () => {
          signal.removeEventListener('abort', done);
          resolve();
        };
        this.wake = done;
        signal.addEventListener('abort', done, { once: true });
      });
    }
  }
}

function isNotFound(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { status, code } = error as { status?: unknown; code?: unknown };
  return status === 404 || code === 'NOT_FOUND';
}

/** Characters per item in `KeptSheetJob.fingerprints`: 48 bits, so 10,000 items keep 80 KB in the workbook. */
export const FINGERPRINT_LENGTH = 8;
const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** 48 bits of cyrb53 (a public-domain string hash): a changed text matches a kept one by chance about once in 10¹⁰ rows of a 10,000-item run. */
export function fingerprint(text: string): string {
  let first = 0xdeadbeef;
  let second = 0x41c6ce57;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    first = Math.imul(first ^ code, 2654435761);
    second = Math.imul(second ^ code, 1597334677);
  }
  first = Math.imul(first ^ (first >>> 16), 2246822507) ^ Math.imul(second ^ (second >>> 13), 3266489909);
  second = Math.imul(second ^ (second >>> 16), 2246822507) ^ Math.imul(first ^ (first >>> 13), 3266489909);
  // 32 bits of one half and 16 of the other, six bits per character.
  let high = second >>> 16;
  let low = first >>> 0;
  let out = '';
  for (let character = 0; character < FINGERPRINT_LENGTH; character++) {
    out += BASE64URL[low & 63] ?? 'A';
    low = (low >>> 6) | ((high & 63) << 26);
    high >>>= 6;
  }
  return out;
}

function parseKept(value: unknown): KeptSheetJob | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const kept = value as Partial<KeptSheetJob>;
  const integer = (candidate: unknown): candidate is number => typeof candidate === 'number' && Number.isInteger(candidate) && candidate >= 0;
  if (kept.version !== 1 || typeof kept.startedAt !== 'string' || typeof kept.fingerprints !== 'string') return undefined;
  if (!Array.isArray(kept.jobs) || !kept.jobs.every((job) => typeof job?.id === 'string' && integer(job.offset) && integer(job.items))) return undefined;
  if (!integer(kept.rows?.startRow) || !integer(kept.rows?.rowCount) || !integer(kept.outputColumn)) return undefined;
  if (!Array.isArray(kept.inputColumns) || !kept.inputColumns.every(integer)) return undefined;
  if (kept.job?.operation !== 'classify' && kept.job?.operation !== 'translate') return undefined;
  if (typeof kept.overwrite !== 'boolean' || typeof kept.firstRowIsHeader !== 'boolean') return undefined;
  const total = kept.jobs.reduce((sum, job) => sum + job.items, 0);
  if (kept.fingerprints.length !== total * FINGERPRINT_LENGTH) return undefined;
  return kept as KeptSheetJob;
}
