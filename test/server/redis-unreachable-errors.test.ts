// A Redis that cannot be reached from the start, and a job store (BullMQ) closed while it is down:
// nothing may escape as an unhandled rejection or an uncaught exception. BullMQ's connections report
// a failed start by emitting 'error' on themselves, but their close() removes every listener first;
// a connection attempt still under way at close then fails afterwards with nobody listening
// (taskforcesh/bullmq#3546). In production that crashes a process run with
// --unhandled-rejections=strict, and in the suite it failed unrelated tests with a bare
// "connect ECONNREFUSED" (result-cache, shared-governor) whenever a BFF closed at that moment.
import type { Redis } from 'ioredis';
import { BullMqJobStore } from '../../src/server/jobs/bullmq-job-store.js';
import { freePort } from '../support/redis-server.js';

const escaped: unknown[] = [];
const record = (error: unknown) => {
  escaped.push(error);
};

beforeAll(() => {
  process.on('unhandledRejection', record);
  process.on('uncaughtException', record);
});
afterAll(() => {
  process.off('unhandledRejection', record);
  process.off('uncaughtException', record);
});
beforeEach(() => {
  escaped.splice(0);
});

const wait = (milliseconds: number) => new Promise((resolve) => setTimeout(resolve, milliseconds));
const once = (client: Redis, event: string) => new Promise<void>((resolve) => client.once(event, () => resolve()));

async function storeOnUnreachableRedis(): Promise<{ store: BullMqJobStore; connection: Redis }> {
  const store = new BullMqJobStore(`redis://127.0.0.1:${await freePort()}`, {
    leaseMilliseconds: 1000,
    resultTtlMilliseconds: 60_000,
    unfinishedTtlMilliseconds: 60_000,
  });
  // The connection BullMQ's queue and worker share; the worker's own blocking connection (a duplicate
  // made at the same moment, with the same retry schedule) is in the same state at the same time.
  const connection = (store as unknown as { queueConnection: Redis }).queueConnection;
  return { store, connection };
}

/** Closes at the moment given, then waits until every socket has reported how its attempt ended. */
async function closeAndSettle(store: BullMqJobStore): Promise<void> {
  await store.close();
  await wait(300);
}

const describeEscaped = () => escaped.map((error) => (error instanceof Error ? `${error.name}: ${error.message}` : String(error)));

describe('a job store on a Redis that cannot be reached', () => {
  test('closed while a connection attempt is under way after a refused one: no unhandled rejection', async () => {
    for (let round = 0; round < 3; round++) {
      const { store, connection } = await storeOnUnreachableRedis();
      await once(connection, 'error');
      // The retry starts: a socket is connecting again, and the refusal arrives only after close.
      await once(connection, 'connecting');
      expect(connection.status).toBe('connecting');
      await closeAndSettle(store);
    }
    expect(describeEscaped()).toEqual([]);
  });

  test('closed at once, or while it waits to retry: no unhandled rejection either', async () => {
    const atOnce = await storeOnUnreachableRedis();
    await closeAndSettle(atOnce.store);

    const waiting = await storeOnUnreachableRedis();
    await once(waiting.connection, 'reconnecting');
    await closeAndSettle(waiting.store);
    expect(describeEscaped()).toEqual([]);
  });

  test('while it is down the store answers with errors (the API maps them), and closes', async () => {
    const { store, connection } = await storeOnUnreachableRedis();
    await once(connection, 'error');
    await expect(store.ping()).rejects.toThrow();
    await expect(store.queueDepth()).rejects.toThrow('Redis did not answer');
    await closeAndSettle(store);
    expect(describeEscaped()).toEqual([]);
  });
});
