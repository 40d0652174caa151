// The one job-store interface, checked against both stores: the SQLite file (one machine) and BullMQ
// on a real redis-server. Claiming, leases that run out (an instance that died), first completion
// wins, hand-back, cancellation and expiry behave the same in both.
import path from 'node:path';
import type { CreateJobRequest, JobItemResult } from '../../../src/contract/jobs.js';
import { BullMqJobStore } from '../../../src/server/jobs/bullmq-job-store.js';
import { emptyUsage, type ClaimedBatch, type JobStore, type JobStoreTimes } from '../../../src/server/jobs/job-store.js';
import { SqliteJobStore } from '../../../src/server/jobs/sqlite-job-store.js';
import { startRedisServer, type RunningRedis } from '../../support/redis-server.js';
import { temporaryFolder } from '../../support/temporary-folder.js';

const leaseMilliseconds = 600;
const times: JobStoreTimes = { resultTtlMilliseconds: 60_000, unfinishedTtlMilliseconds: 3_600_000 };

let redis: RunningRedis;
beforeAll(async () => {
  redis = await startRedisServer();
});
afterAll(async () => {
  await redis.stop();
});

const request = (count: number): CreateJobRequest => ({
  operation: 'classify',
  request: { items: Array.from({ length: count }, (_, index) => `row ${index}`), labels: ['a', 'b'] },
});
const labelled = (batch: ClaimedBatch, label: string): JobItemResult[] =>
  Array.from({ length: batch.to - batch.from }, (_, offset) => ({ index: batch.from + offset, label }));
const newJob = (store: JobStore, count = 10, batchSize = 4) =>
  store.createJob({ ownerId: 'user-1', tenantId: undefined, request: request(count), total: count, batchSize });

async function claimOrFail(store: JobStore, worker: string): Promise<ClaimedBatch> {
  // BullMQ puts a batch back in the queue asynchronously (stalled check, delayed move): look a few times.
  for (let attempt = 0; attempt < 60; attempt += 1) {
    const batch = await store.claimBatch(worker, leaseMilliseconds);
    if (batch !== undefined) return batch;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('no batch could be claimed');
}

const stores: [string, (resultTtl?: number) => JobStore][] = [
  [
    'sqlite',
    (resultTtl) =>
      new SqliteJobStore(path.join(temporaryFolder('job-store'), 'jobs.sqlite'), {
        ...times,
        resultTtlMilliseconds: resultTtl ?? times.resultTtlMilliseconds,
      }),
  ],
  [
    'redis (BullMQ)',
    (resultTtl) => new BullMqJobStore(redis.url, { ...times, resultTtlMilliseconds: resultTtl ?? times.resultTtlMilliseconds, leaseMilliseconds }),
  ],
];

describe.each(stores)('job store: %s', (_name, open) => {
  let store: JobStore;
  beforeEach(async () => {
    store = open();
    if (store instanceof BullMqJobStore) {
      // Each test starts from an empty queue.
      await drain(store);
    }
  });
  afterEach(async () => {
    await store.close();
  });

  test('a job is split into batches that are claimed once each, and completes with its last batch', async () => {
    const job = await newJob(store);
    expect(job).toMatchObject({ state: 'queued', total: 10, batchCount: 3, done: 0 });
    const claimed: ClaimedBatch[] = [];
    for (let index = 0; index < 3; index += 1) claimed.push(await claimOrFail(store, 'worker-a'));
    expect(await store.claimBatch('worker-b', leaseMilliseconds)).toBeUndefined();
    expect(claimed.map((batch) => [batch.from, batch.to]).sort((left, right) => left[0]! - right[0]!)).toEqual([
      [0, 4],
      [4, 8],
      [8, 10],
    ]);
    expect((await store.getJob(job.id))?.state).toBe('running');
    for (const batch of claimed) {
      const completion = await store.completeBatch(batch, { results: labelled(batch, 'a'), usage: { ...emptyUsage(), requests: 1, promptTokens: 5 } });
      expect(completion.accepted).toBe(true);
    }
    const finished = await store.getJob(job.id);
    expect(finished).toMatchObject({ state: 'completed', done: 10, failed: 0, batchesDone: 3, usage: { requests: 3, promptTokens: 15 } });
    expect(finished!.expiresAt).toBeGreaterThan(Date.now() + times.resultTtlMilliseconds - 5000);
    expect((await store.readResults(job.id, 3, 9)).map((result) => result.index)).toEqual([3, 4, 5, 6, 7, 8]);
    expect((await store.completedBatches(job.id, 1)).length).toBe(2);
  });

  test('a lease that runs out (its worker died) lets another worker claim the batch; the first completion wins', async () => {
    const job = await newJob(store, 3, 3);
    const first = await claimOrFail(store, 'dies');
    expect(first.attempt).toBe(1);
    // No heartbeat: after the lease the batch is claimable again.
    const second = await claimOrFail(store, 'survivor');
    expect(second).toMatchObject({ jobId: job.id, batchIndex: first.batchIndex });
    expect(second.attempt).toBe(2);
    expect(await store.renewLease(first, leaseMilliseconds)).toBe(false);
    expect((await store.completeBatch(second, { results: labelled(second, 'b'), usage: emptyUsage() })).accepted).toBe(true);
    // The dead worker's late answer (it was only slow) changes nothing.
    expect((await store.completeBatch(first, { results: labelled(first, 'a'), usage: emptyUsage() })).accepted).toBe(false);
    expect((await store.readResults(job.id, 0, 3)).map((result) => ('label' in result ? result.label : null))).toEqual(['b', 'b', 'b']);
    expect(await store.getJob(job.id)).toMatchObject({ state: 'completed', done: 3, batchesDone: 1 });
  });

  test('a batch handed back at shutdown is claimable at once and not counted as a failed attempt', async () => {
    await newJob(store, 2, 2);
    const batch = await claimOrFail(store, 'stopping');
    expect(await store.renewLease(batch, 60_000)).toBe(true);
    await store.releaseBatch(batch, { failed: false });
    const again = await claimOrFail(store, 'other');
    expect(again.batchIndex).toBe(batch.batchIndex);
    expect(again.attempt).toBe(1);
  });

  test('cancelling ends the job; its waiting batches are not run; finished results stay readable', async () => {
    const job = await newJob(store, 8, 4);
    const first = await claimOrFail(store, 'worker');
    await store.completeBatch(first, { results: labelled(first, 'a'), usage: emptyUsage() });
    const cancelled = await store.cancelJob(job.id);
    expect(cancelled?.state).toBe('cancelled');
    expect((await store.readResults(job.id, 0, 8)).length).toBe(4);
    // BullMQ still holds the waiting batch: it is claimed and then discarded by the runner (it checks the job first).
    const leftover = await store.claimBatch('worker', leaseMilliseconds);
    if (leftover !== undefined) {
      expect((await store.getJob(leftover.jobId))?.state).toBe('cancelled');
      await store.discardBatch(leftover);
    }
    expect(await store.claimBatch('worker', leaseMilliseconds)).toBeUndefined();
    // Ending twice changes nothing.
    expect((await store.failJob(job.id, { code: 'PROVIDER_ERROR', message: 'x', retryable: true }))?.state).toBe('cancelled');
  });

  test('a job past its expiry is gone with its results', async () => {
    await store.close();
    store = open(300);
    const job = await newJob(store, 2, 2);
    const batch = await claimOrFail(store, 'worker');
    await store.completeBatch(batch, { results: labelled(batch, 'a'), usage: emptyUsage() });
    expect((await store.getJob(job.id))?.state).toBe('completed');
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(await store.getJob(job.id)).toBeUndefined();
    await store.deleteExpired();
    // Redis deletes the keys itself (PEXPIREAT); SQLite's sweep deleted the rows.
    expect(await store.readResults(job.id, 0, 2)).toEqual([]);
    expect(await store.getRequest(job.id)).toBeUndefined();
  });
});

async function drain(store: JobStore): Promise<void> {
  for (;;) {
    const batch = await store.claimBatch('drain', leaseMilliseconds);
    if (batch === undefined) return;
    await store.discardBatch(batch);
  }
}
