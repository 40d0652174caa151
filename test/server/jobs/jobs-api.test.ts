// The jobs API on a real BFF over the loopback OpenAI-protocol server: single machine (the SQLite
// store) and several instances sharing a real redis-server (BullMQ). Create, run, read by range,
// follow as events, cancel (the upstream call is aborted), ownership (another user gets 404), expiry.
import path from 'node:path';
import { createParser, type EventSourceMessage } from 'eventsource-parser';
import type { JobItemResult, JobStatus } from '../../../src/contract/jobs.js';
import { startEntraStandIn, otherTenant, allowedTenant, type EntraStandIn } from '../../browser/support/entra-test-tokens.js';
import { openAiCompatibleEnvironment, startBff, type RunningBff } from '../../support/bff.js';
import { fakeLabel, startFakeOpenAiServer, type FakeOpenAiServer } from '../../support/fake-openai-server.js';
import { startRedisServer, type RunningRedis } from '../../support/redis-server.js';
import { SqliteJobStore } from '../../../src/server/jobs/sqlite-job-store.js';
import { removeTemporaryFolder, temporaryFolder } from '../../support/temporary-folder.js';

const labels = ['billing question', 'shipping delay', 'account access'];
const rows = (count: number) => Array.from({ length: count }, (_, index) => `ticket ${index}: ${['billing', 'shipping', 'account'][index % 3]} problem`);
const expectedLabel = (text: string) => fakeLabel(text, labels);

type Json = Record<string, unknown>;

async function call(method: string, url: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: Json }> {
  const response = await fetch(url, {
    method,
    headers: { accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text === '' ? {} : (JSON.parse(text) as Json) };
}

async function createJob(bff: RunningBff, items: string[], headers: Record<string, string> = {}): Promise<JobStatus> {
  const created = await call('POST', `${bff.url}/api/v1/jobs`, { operation: 'classify', request: { items, labels } }, headers);
  expect(created.status).toBe(202);
  return (created.body as { job: JobStatus }).job;
}

async function waitForState(bff: RunningBff, id: string, states: JobStatus['state'][], timeoutMilliseconds = 15_000): Promise<JobStatus> {
  const deadline = Date.now() + timeoutMilliseconds;
  for (;;) {
    const { body } = await call('GET', `${bff.url}/api/v1/jobs/${id}`);
    const job = (body as { job: JobStatus }).job;
    if (states.includes(job.state)) return job;
    if (Date.now() > deadline) throw new Error(`job ${id} is still ${job.state}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Every event of GET …/events until the server ends the stream. */
async function followEvents(url: string): Promise<{ event: string; data: Json }[]> {
  const response = await fetch(url, { headers: { accept: 'text/event-stream' } });
  expect(response.headers.get('content-type')).toContain('text/event-stream');
  const events: { event: string; data: Json }[] = [];
  const parser = createParser({
    onEvent: (message: EventSourceMessage) => events.push({ event: message.event ?? 'message', data: JSON.parse(message.data) as Json }),
  });
  const decoder = new TextDecoder();
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) parser.feed(decoder.decode(chunk, { stream: true }));
  return events;
}

describe('jobs on one machine (SQLite store)', () => {
  let fake: FakeOpenAiServer;
  let bff: RunningBff;
  beforeAll(async () => {
    fake = await startFakeOpenAiServer();
    bff = await startBff(openAiCompatibleEnvironment(fake.baseUrl, { JOB_BATCH_SIZE: '100', JOB_LEASE_MS: '2000' }));
  });
  afterAll(async () => {
    await bff.close();
    await fake.close();
  });
  beforeEach(() => {
    fake.setResponder(undefined);
    fake.requests.splice(0);
  });

  test('a job answers at once, runs in batches through classify, and its results are read by range and followed as events', async () => {
    // Slow answers: the follower connects while batches are still running.
    fake.setResponder(() => ({ kind: 'model', delayMilliseconds: 100 }));
    const items = rows(450);
    const job = await createJob(bff, items);
    expect(job).toMatchObject({ operation: 'classify', mode: 'now', state: 'queued', counts: { total: 450, done: 0, failed: 0 } });
    expect(Date.parse(job.expiresAt)).toBeGreaterThan(Date.now() + 24 * 3600 * 1000);

    const events = await followEvents(`${bff.url}/api/v1/jobs/${job.id}/events`);
    const itemEvents = events.filter((event) => event.event === 'item').map((event) => event.data as unknown as JobItemResult);
    expect(itemEvents.map((item) => item.index).sort((left, right) => left - right)).toEqual(items.map((_, index) => index));
    for (const item of itemEvents) expect('label' in item && item.label).toBe(expectedLabel(items[item.index]!));
    expect(events.filter((event) => event.event === 'progress').length).toBeGreaterThan(1);
    const last = events.at(-1);
    expect(last?.event).toBe('done');
    expect((last?.data as { job: JobStatus }).job).toMatchObject({ state: 'completed', counts: { total: 450, done: 450, failed: 0 } });

    const finished = await waitForState(bff, job.id, ['completed']);
    expect(finished.usage?.requests).toBeGreaterThanOrEqual(5);
    expect(Date.parse(finished.expiresAt) - Date.now()).toBeGreaterThan(172_800_000 - 60_000);
    const page = await call('GET', `${bff.url}/api/v1/jobs/${job.id}/results?from=95&to=105`);
    expect(page.status).toBe(200);
    const results = (page.body as { results: JobItemResult[] }).results;
    expect(results.map((result) => result.index)).toEqual([95, 96, 97, 98, 99, 100, 101, 102, 103, 104]);
    expect(results.map((result) => ('label' in result ? result.label : undefined))).toEqual(items.slice(95, 105).map(expectedLabel));
    expect((await call('GET', `${bff.url}/api/v1/jobs/${job.id}/results?from=0&to=6000`)).status).toBe(400);

    const metrics = await (await fetch(`${bff.url}/metrics`)).text();
    expect(metrics).toMatch(/jobs_created_total\{operation="classify",mode="now"\} [1-9]/);
    expect(metrics).toMatch(/job_batches_total\{outcome="completed"\} [5-9]/);
    expect(metrics).toMatch(/job_queue_batches\{state="waiting"\} 0/);
  });

  test('DELETE cancels: the running batch is aborted upstream, no further batch is asked, finished results stay readable', async () => {
    let answered = 0;
    // The first batch is answered; every later request hangs until its caller gives up.
    fake.setResponder(() => (answered++ < 1 ? undefined : { kind: 'hang' }));
    const items = rows(300);
    const job = await createJob(bff, items);
    const deadline = Date.now() + 10_000;
    while (fake.requests.length < 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    const upstreamClosed = fake.waitForClientClose(5000);
    const cancelled = await call('DELETE', `${bff.url}/api/v1/jobs/${job.id}`);
    expect(cancelled.status).toBe(200);
    expect((cancelled.body as { job: JobStatus }).job.state).toBe('cancelled');
    await upstreamClosed;
    const requestsAfterCancel = fake.requests.length;
    await new Promise((resolve) => setTimeout(resolve, 800));
    expect(fake.requests.length).toBe(requestsAfterCancel);
    const after = await call('GET', `${bff.url}/api/v1/jobs/${job.id}/results`);
    const results = (after.body as { job: JobStatus; results: JobItemResult[] }).results;
    expect(results.map((result) => result.index)).toEqual(Array.from({ length: 100 }, (_, index) => index));
    expect((after.body as { job: JobStatus }).job).toMatchObject({ state: 'cancelled', counts: { done: 100 } });
  });

  test('bad requests: an unknown job is 404, an invalid body 400, overnight without a batch API 400', async () => {
    expect((await call('GET', `${bff.url}/api/v1/jobs/no-such-job`)).body).toMatchObject({ error: { code: 'NOT_FOUND' } });
    expect((await call('POST', `${bff.url}/api/v1/jobs`, { operation: 'classify', request: { items: [], labels } })).status).toBe(400);
    const overnight = await call('POST', `${bff.url}/api/v1/jobs`, { operation: 'classify', mode: 'overnight', request: { items: ['a'], labels } });
    expect(overnight).toMatchObject({ status: 400, body: { error: { code: 'INVALID_REQUEST' } } });
  });

  test('the OpenAPI document has the job routes and their schemas', async () => {
    const document = (await call('GET', `${bff.url}/api/v1/openapi.json`)).body as {
      paths: Record<string, Record<string, unknown>>;
      components: { schemas: Json };
    };
    expect(Object.keys(document.paths['/api/v1/jobs'] ?? {})).toEqual(['post']);
    expect(Object.keys(document.paths['/api/v1/jobs/{id}'] ?? {}).sort()).toEqual(['delete', 'get']);
    expect(document.paths['/api/v1/jobs/{id}/results']).toHaveProperty('get');
    expect(document.paths['/api/v1/jobs/{id}/events']).toHaveProperty('get');
    for (const schema of ['CreateJobRequest', 'JobStatus', 'JobEnvelope', 'JobResultsResponse', 'JobItemResult'])
      expect(document.components.schemas).toHaveProperty(schema);
  });
});

describe('graceful shutdown', () => {
  test('a batch still running when the grace is over is aborted upstream and handed back at once, not counted as an attempt', async () => {
    const fake = await startFakeOpenAiServer();
    try {
      fake.setResponder(() => ({ kind: 'hang' }));
      // The store outlives this BFF (startBff's own folder goes with it): the next instance reads it.
      const storeFolder = temporaryFolder('jobs-handback');
      const bff = await startBff(
        openAiCompatibleEnvironment(fake.baseUrl, {
          JOB_SHUTDOWN_GRACE_MS: '200',
          JOB_LEASE_MS: '60000',
          JOB_STORE_PATH: path.join(storeFolder, 'jobs.sqlite'),
        }),
      );
      const job = await createJob(bff, rows(20));
      const deadline = Date.now() + 10_000;
      while (fake.requests.length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
      const upstreamClosed = fake.waitForClientClose(5000);
      await bff.close();
      await upstreamClosed;
      // The lease was 60 s: only a hand-back makes the batch claimable now.
      const store = new SqliteJobStore(bff.config.jobs.storePath, { resultTtlMilliseconds: 60_000, unfinishedTtlMilliseconds: 3_600_000 });
      try {
        const batch = await store.claimBatch('next-instance', 60_000);
        expect(batch).toMatchObject({ jobId: job.id, batchIndex: 0, attempt: 1 });
        expect((await store.getJob(job.id))?.state).toBe('running');
      } finally {
        await store.close();
        removeTemporaryFolder(storeFolder);
      }
    } finally {
      await fake.close();
    }
  });
});

describe('job expiry', () => {
  let fake: FakeOpenAiServer;
  let bff: RunningBff;
  beforeAll(async () => {
    fake = await startFakeOpenAiServer();
    bff = await startBff(openAiCompatibleEnvironment(fake.baseUrl, { JOB_RESULT_TTL_SECONDS: '1' }));
  });
  afterAll(async () => {
    await bff.close();
    await fake.close();
  });

  test('JOB_RESULT_TTL_SECONDS after a job ended, it and its results answer 404', async () => {
    const job = await createJob(bff, rows(5));
    const finished = await waitForState(bff, job.id, ['completed']);
    expect(Date.parse(finished.expiresAt) - Date.parse(finished.updatedAt)).toBe(1000);
    expect((await call('GET', `${bff.url}/api/v1/jobs/${job.id}/results`)).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect((await call('GET', `${bff.url}/api/v1/jobs/${job.id}`)).status).toBe(404);
    expect((await call('GET', `${bff.url}/api/v1/jobs/${job.id}/results`)).status).toBe(404);
    expect((await call('GET', `${bff.url}/api/v1/jobs/${job.id}/events`)).status).toBe(404);
  });
});

describe('job ownership (Entra sign-in)', () => {
  let fake: FakeOpenAiServer;
  let entra: EntraStandIn;
  let bff: RunningBff;
  beforeAll(async () => {
    fake = await startFakeOpenAiServer();
    entra = await startEntraStandIn();
    bff = await startBff(openAiCompatibleEnvironment(fake.baseUrl, { ...entra.environment, ENTRA_TENANT_IDS: `${allowedTenant},${otherTenant}` }));
  });
  afterAll(async () => {
    await bff.close();
    await entra.close();
    await fake.close();
  });

  test('only its creator can read or cancel a job; anyone else gets 404, and no caller gets 401', async () => {
    const owner = { authorization: `Bearer ${await entra.token()}` };
    const stranger = { authorization: `Bearer ${await entra.token({ tenant: otherTenant })}` };
    expect((await call('POST', `${bff.url}/api/v1/jobs`, { operation: 'classify', request: { items: ['a'], labels } })).status).toBe(401);
    const job = await createJob(bff, rows(3), owner);
    for (const [method, suffix] of [
      ['GET', ''],
      ['GET', '/results'],
      ['GET', '/events'],
      ['DELETE', ''],
    ] as const) {
      const answer = await call(method, `${bff.url}/api/v1/jobs/${job.id}${suffix}`, undefined, stranger);
      expect({ method, suffix, status: answer.status, code: (answer.body as { error?: { code: string } }).error?.code }).toEqual({
        method,
        suffix,
        status: 404,
        code: 'NOT_FOUND',
      });
    }
    const own = await call('GET', `${bff.url}/api/v1/jobs/${job.id}`, undefined, owner);
    expect(own.status).toBe(200);
    expect((own.body as { job: JobStatus }).job.state).not.toBe('cancelled');
  });
});

describe('jobs shared by instances (BullMQ on Redis)', () => {
  let fake: FakeOpenAiServer;
  let redis: RunningRedis;
  let creator: RunningBff;
  let follower: RunningBff;
  beforeAll(async () => {
    fake = await startFakeOpenAiServer();
    redis = await startRedisServer();
    const environment = openAiCompatibleEnvironment(fake.baseUrl, { REDIS_URL: redis.url, CACHE: 'off', JOB_BATCH_SIZE: '50', JOB_LEASE_MS: '2000' });
    // The creator runs no batches: every batch is run by the other instance, and read back from the first.
    creator = await startBff({ ...environment, JOB_WORKER_CONCURRENCY: '0' });
    follower = await startBff({ ...environment, JOB_WORKER_CONCURRENCY: '2' });
  });
  afterAll(async () => {
    await creator.close();
    await follower.close();
    await redis.stop();
    await fake.close();
  });

  test('a job created on one instance is run by another, followed on a third connection and read by range anywhere', async () => {
    fake.setResponder(() => ({ kind: 'model', delayMilliseconds: 50 }));
    const items = rows(230);
    const job = await createJob(creator, items);
    const events = await followEvents(`${follower.url}/api/v1/jobs/${job.id}/events`);
    const indexes = events.filter((event) => event.event === 'item').map((event) => (event.data as unknown as JobItemResult).index);
    expect(indexes.sort((left, right) => left - right)).toEqual(items.map((_, index) => index));
    expect(events.at(-1)?.event).toBe('done');
    const page = await call('GET', `${creator.url}/api/v1/jobs/${job.id}/results?from=0&to=230`);
    const results = (page.body as { job: JobStatus; results: JobItemResult[] }).results;
    expect(results.map((result) => ('label' in result ? result.label : null))).toEqual(items.map(expectedLabel));
    expect((page.body as { job: JobStatus }).job).toMatchObject({ state: 'completed', counts: { done: 230, failed: 0 } });
    const creatorMetrics = await (await fetch(`${creator.url}/metrics`)).text();
    expect(creatorMetrics).not.toMatch(/job_batches_total\{outcome="completed"\} [1-9]/);
    const followerMetrics = await (await fetch(`${follower.url}/metrics`)).text();
    expect(followerMetrics).toMatch(/job_batches_total\{outcome="completed"\} 5/);
  });
});
