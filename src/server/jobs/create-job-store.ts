// Chooses the job store from configuration: BullMQ on Redis when REDIS_URL is set (instances share
// the work), otherwise the embedded SQLite file (JOB_STORE_PATH) on this machine.
import type { JobSettings } from '../config.js';
import { BullMqJobStore } from './bullmq-job-store.js';
import { defaultUnfinishedTtlMilliseconds, type JobStore } from './job-store.js';
import { SqliteJobStore } from './sqlite-job-store.js';

export function createJobStore(settings: JobSettings, redisUrl: string | undefined): JobStore {
  const times = { resultTtlMilliseconds: settings.resultTtlSeconds * 1000, unfinishedTtlMilliseconds: defaultUnfinishedTtlMilliseconds };
  if (redisUrl !== undefined) return new BullMqJobStore(redisUrl, { ...times, leaseMilliseconds: settings.leaseMilliseconds });
  return new SqliteJobStore(settings.storePath, times);
}
