// Overnight mode against the loopback provider's batch API (test/support/batch-endpoint.ts) through a
// real BFF: the job's requests go up as one JSONL batch made by the live path's own prompt builders,
// the pane's status says when to check back, the answers come back through the operation's own checks,
// and whatever the batch did not answer (an invalid answer, a failed line) is asked live; an expired
// batch ends in per-item errors, a refused one in a failed job; a provider without a batch API refuses
// overnight mode at creation.
import type { JobItemResult, JobStatus } from '../../../src/contract/jobs.js';
import { startBff, type RunningBff } from '../../support/bff.js';
import { classifyRequestParts, fakeLabel } from '../../support/fake-openai-server.js';
import { startLlmSimulator, type LlmSimulator } from '../../support/llm-simulator.js';

const labels = ['billing question', 'shipping delay', 'account access'];
const rows = (count: number) => Array.from({ length: count }, (_, index) => `ticket ${index}: ${['billing', 'shipping', 'account'][index % 3]} problem`);

type Json = Record<string, unknown>;

async function call(method: string, url: string, body?: unknown): Promise<{ status: number; body: Json }> {
  const response = await fetch(url, {
    method,
    headers: { accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text === '' ? {} : (JSON.parse(text) as Json) };
}

async function createOvernightJob(bff: RunningBff, items: string[]): Promise<JobStatus> {
  const created = await call('POST', `${bff.url}/api/v1/jobs`, { operation: 'classify', request: { items, labels }, mode: 'overnight' });
  expect(created.status).toBe(202);
  return (created.body as { job: JobStatus }).job;
}

/** Polls the job as the pane does; returns every status seen, the last one ended. */
async function followJob(bff: RunningBff, id: string, timeoutMilliseconds = 15_000): Promise<JobStatus[]> {
  const seen: JobStatus[] = [];
  const deadline = Date.now() + timeoutMilliseconds;
  for (;;) {
    const job = ((await call('GET', `${bff.url}/api/v1/jobs/${id}`)).body as { job: JobStatus }).job;
    seen.push(job);
    if (['completed', 'failed', 'cancelled'].includes(job.state)) return seen;
    if (Date.now() > deadline) throw new Error(`job ${id} is still ${job.state}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

async function results(bff: RunningBff, id: string, total: number): Promise<JobItemResult[]> {
  const all: JobItemResult[] = [];
  for (let from = 0; from < total; from += 5000) {
    const { body } = await call('GET', `${bff.url}/api/v1/jobs/${id}/results?from=${from}&to=${Math.min(total, from + 5000)}`);
    all.push(...(body as { results: JobItemResult[] }).results);
  }
  return all;
}

/** Rows (by text) in the classify requests given, each as often as it was sent. */
function rowsAsked(bodies: Parameters<typeof classifyRequestParts>[0][]): string[] {
  return bodies.flatMap((body) => classifyRequestParts(body)?.items.map((item) => item.text) ?? []);
}

describe('overnight jobs through the provider batch API', () => {
  let simulator: LlmSimulator;
  let bff: RunningBff;
  beforeAll(async () => {
    simulator = await startLlmSimulator({
      timeToFirstTokenMilliseconds: 0,
      tokensPerSecond: 1_000_000,
      concurrencyLimit: 64,
      requestsPerMinute: 100_000,
      tokensPerMinute: 100_000_000,
      recordBodies: true,
      batch: { validatingMilliseconds: 50, inProgressMilliseconds: 300 },
    });
    bff = await startBff({
      OPENAI_BASE_URL: simulator.baseUrl,
      OPENAI_API_KEY: 'test-key',
      LLM_MODEL: 'gpt-4o-mini',
      // The loopback provider is an OpenAI-compatible server with /v1/batches: auto would not offer it.
      LLM_BATCH_API: 'on',
      LLM_BATCH_POLL_MS: '40',
      // The test follows jobs as often as a pane never would; the per-user limit is not under test here.
      RATE_LIMIT_PER_MINUTE: '100000',
    });
  });
  afterAll(async () => {
    await bff.close();
    await simulator.close();
  });
  beforeEach(() => {
    simulator.reset();
    simulator.batches.reset();
    const settings = simulator.batches.settings;
    delete settings.outcome;
    delete settings.answeredBeforeExpiry;
    delete settings.failRequest;
    delete settings.answerOverride;
  });

  test('a job in overnight mode goes up as one batch, says when to check back, and completes with every row answered once', async () => {
    const items = rows(1_200);
    const job = await createOvernightJob(bff, items);
    expect(job.mode).toBe('overnight');
    const seen = await followJob(bff, job.id);
    const last = seen.at(-1);
    expect(last).toMatchObject({ state: 'completed', counts: { total: 1_200, done: 1_200, failed: 0 } });
    // While the batch ran, the pane was told when to come back: a time ahead, not in the past.
    const waiting = seen.find((status) => status.state !== 'completed' && status.checkBackAt !== undefined);
    expect(waiting).toBeDefined();
    expect(Date.parse(waiting?.checkBackAt ?? '')).toBeGreaterThan(Date.parse(waiting?.updatedAt ?? '') - 1);

    // One batch, with the live path's request shape; no live call at all.
    expect(simulator.batches.batches.size).toBe(1);
    const [batch] = [...simulator.batches.batches.values()];
    expect(batch?.metadata).toEqual({ job: job.id });
    expect(batch?.requests.length).toBeGreaterThan(1);
    for (const request of batch?.requests ?? []) {
      expect(request.url).toBe('/v1/chat/completions');
      expect(request.body).toMatchObject({ model: 'gpt-4o-mini', temperature: 0, response_format: { type: 'json_schema' } });
      expect(typeof request.body.max_tokens).toBe('number');
    }
    expect(simulator.calls).toHaveLength(0);
    // Every row asked exactly once, and the batch's answer imported at its own index.
    expect(rowsAsked(simulator.batches.answeredRequests().map((request) => request.body)).sort()).toEqual([...items].sort());
    const answers = await results(bff, job.id, items.length);
    expect(answers.map((answer) => answer.index)).toEqual(items.map((_, index) => index));
    for (const answer of answers) expect('label' in answer && answer.label).toBe(fakeLabel(items[answer.index] ?? '', labels));
    expect(last?.usage?.requests).toBe(batch?.requests.length);
  });

  test('an invalid answer and a failed request of the batch are asked live; no row is dropped or answered twice into the results', async () => {
    const items = rows(600);
    simulator.batches.settings.failRequest = (_customId, position) => position === 0;
    // The second request's answer labels nothing: the operation's own checks refuse it.
    let overridden: string | undefined;
    simulator.batches.settings.answerOverride = (_body, customId) => {
      overridden ??= customId;
      return customId === overridden ? '{"1": 99}' : undefined;
    };
    const job = await createOvernightJob(bff, items);
    const last = (await followJob(bff, job.id)).at(-1);
    expect(last).toMatchObject({ state: 'completed', counts: { total: 600, done: 600, failed: 0 } });
    const [batch] = [...simulator.batches.batches.values()];
    const failedRows = rowsAsked([batch?.requests[0]?.body].filter((body) => body !== undefined));
    const invalidRows = rowsAsked(batch?.requests.filter((request) => request.customId === overridden).map((request) => request.body) ?? []);
    expect(failedRows.length).toBeGreaterThan(0);
    expect(invalidRows.length).toBeGreaterThan(0);
    // The live follow-up asked every row the batch did not answer validly (the invalid answer named no valid label).
    const liveRows = rowsAsked(simulator.bodies);
    expect(simulator.served().length).toBeGreaterThan(0);
    for (const row of [...failedRows, ...invalidRows]) expect(liveRows).toContain(row);
    const answers = await results(bff, job.id, items.length);
    expect(answers.map((answer) => answer.index)).toEqual(items.map((_, index) => index));
    for (const answer of answers) expect('label' in answer && answer.label).toBe(fakeLabel(items[answer.index] ?? '', labels));
  });

  test('a translation job in overnight mode completes with every text translated at its index', async () => {
    const texts = Array.from({ length: 40 }, (_, index) => `Die Lieferung ${index} kommt morgen an.`);
    const created = await call('POST', `${bff.url}/api/v1/jobs`, {
      operation: 'translate',
      request: { texts, targetLanguage: 'en', sourceLanguage: 'de' },
      mode: 'overnight',
    });
    expect(created.status).toBe(202);
    const id = (created.body as { job: JobStatus }).job.id;
    expect((await followJob(bff, id)).at(-1)).toMatchObject({ state: 'completed', counts: { total: 40, done: 40, failed: 0 } });
    expect(simulator.batches.batches.size).toBe(1);
    expect(simulator.calls).toHaveLength(0);
    const answers = await results(bff, id, texts.length);
    expect(answers.map((answer) => ('text' in answer ? answer.text : undefined))).toEqual(texts.map((text) => `[en] ${text}`));
  });

  test('an expired batch keeps what it answered and gives the rest a per-item error', async () => {
    const items = rows(600);
    simulator.batches.settings.outcome = 'expired';
    simulator.batches.settings.answeredBeforeExpiry = 2;
    const job = await createOvernightJob(bff, items);
    const last = (await followJob(bff, job.id)).at(-1);
    const [batch] = [...simulator.batches.batches.values()];
    const answeredRows = new Set(rowsAsked(simulator.batches.answeredRequests().map((request) => request.body)));
    expect(answeredRows.size).toBeGreaterThan(0);
    expect(answeredRows.size).toBeLessThan(items.length);
    expect(batch?.requests.length).toBeGreaterThan(2);
    expect(last).toMatchObject({ state: 'completed', counts: { total: 600, done: 600, failed: items.length - answeredRows.size } });
    const answers = await results(bff, job.id, items.length);
    expect(answers).toHaveLength(items.length);
    for (const answer of answers) {
      const text = items[answer.index] ?? '';
      if (answeredRows.has(text)) expect('label' in answer && answer.label).toBe(fakeLabel(text, labels));
      else expect(answer.error).toMatchObject({ code: 'PROVIDER_TIMEOUT', message: expect.stringMatching(/batch window/u) });
    }
    // Expired rows are not silently re-run live at full price.
    expect(simulator.calls).toHaveLength(0);
  });

  test('a batch the provider refuses fails the job with a clear message', async () => {
    simulator.batches.settings.outcome = 'failed';
    const job = await createOvernightJob(bff, rows(150));
    const last = (await followJob(bff, job.id)).at(-1);
    expect(last?.state).toBe('failed');
    expect(last?.error).toMatchObject({
      code: 'PROVIDER_REJECTED_REQUEST',
      message: expect.stringMatching(/refused the overnight batch.*input file could not be processed/u),
    });
    expect(simulator.calls).toHaveLength(0);
  });

  test('cancelling an overnight job cancels its batch at the provider', async () => {
    const inProgress = simulator.batches.settings.inProgressMilliseconds;
    simulator.batches.settings.inProgressMilliseconds = 60_000;
    try {
      const job = await createOvernightJob(bff, rows(150));
      // Wait until the batch is up (the job says when to check back), then cancel.
      const deadline = Date.now() + 10_000;
      let status: JobStatus;
      do {
        status = ((await call('GET', `${bff.url}/api/v1/jobs/${job.id}`)).body as { job: JobStatus }).job;
        if (Date.now() > deadline) throw new Error('the batch was never submitted (the job never said when to check back)');
        await new Promise((resolve) => setTimeout(resolve, 25));
      } while (status.checkBackAt === undefined);
      const cancelled = await call('DELETE', `${bff.url}/api/v1/jobs/${job.id}`);
      expect((cancelled.body as { job: JobStatus }).job.state).toBe('cancelled');
      const [batch] = [...simulator.batches.batches.values()];
      expect(batch?.cancelled).toBe(true);
    } finally {
      if (inProgress === undefined) delete simulator.batches.settings.inProgressMilliseconds;
      else simulator.batches.settings.inProgressMilliseconds = inProgress;
    }
  });
});

describe('overnight mode without a batch API', () => {
  test('the embedded local model refuses an overnight job at creation with 400 INVALID_REQUEST', async () => {
    const bff = await startBff({ LLM_PROVIDER: 'local', LOCAL_MODEL: '../shared/models/stories260K.gguf', LOCAL_MODEL_THREADS: '1' });
    try {
      const created = await call('POST', `${bff.url}/api/v1/jobs`, { operation: 'classify', request: { items: rows(3), labels }, mode: 'overnight' });
      expect(created.status).toBe(400);
      expect(created.body).toMatchObject({
        error: { code: 'INVALID_REQUEST', message: expect.stringMatching(/overnight mode needs OpenAI or Azure OpenAI/iu) },
      });
    } finally {
      await bff.close();
    }
  });
});
