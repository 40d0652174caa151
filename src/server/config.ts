// Configuration from environment variables, validated once at start-up. The variable names follow
// the openai SDK's own (OPENAI_API_KEY, OPENAI_BASE_URL, AZURE_OPENAI_*, OPENAI_API_VERSION).
// A bad value stops the server with one readable line per problem.
import { existsSync } from 'node:fs';
import { isIP } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { defaultAttachmentMaxBytes } from '../contract/attachment-formats.js';
import { readTranslationGlossary, type TranslationGlossary } from './operations/translate/organisation-glossary.js';
import { loadSecuritySettings, type SecuritySettings } from './security/security-config.js';

/** Small, multilingual (29 languages incl. German), Apache-2.0, reliable at JSON: see README. */
export const defaultLocalModel = 'hf:Qwen/Qwen2.5-1.5B-Instruct-GGUF:Q4_K_M';
export const defaultOpenAiModel = 'gpt-4o-mini';
export const defaultAzureApiVersion = '2024-10-21';

export type ProviderKind = 'openai' | 'azure' | 'local';

export interface OpenAiSettings {
  kind: 'openai';
  apiKey: string | undefined;
  baseUrl: string | undefined;
  model: string;
}
export interface AzureSettings {
  kind: 'azure';
  endpoint: string;
  apiKey: string;
  deployment: string;
  apiVersion: string;
}
export interface LocalSettings {
  kind: 'local';
  /** A GGUF file path, or a model URI (hf:…, https://…) that node-llama-cpp downloads once. */
  model: string;
  cacheDirectory: string;
  threads: number;
  contextSize: number;
  parallelSequences: number;
  gpu: 'auto' | false;
  /** A download that makes no progress for this long is given up (no network). */
  downloadStallMilliseconds: number;
}
export type ProviderSettings = OpenAiSettings | AzureSettings | LocalSettings;

export interface Limits {
  maxTextCharacters: number;
  maxItems: number;
  maxItemCharacters: number;
  maxTotalCharacters: number;
  maxLabels: number;
  maxLabelCharacters: number;
  bodyLimitBytes: number;
}

/** Durable jobs (src/server/jobs): where they live without Redis, how long results stay, how this instance works on them. */
export interface JobSettings {
  /** JOB_STORE_PATH: the SQLite file without REDIS_URL (default beside the budgets' file). */
  storePath: string;
  /** JOB_RESULT_TTL_SECONDS: a job and its results are deleted this long after it ended. */
  resultTtlSeconds: number;
  /** JOB_BATCH_SIZE: items per batch (a worker's unit of work, retried whole when its instance dies). */
  batchSize: number;
  /** JOB_WORKER_CONCURRENCY: batches this instance runs at once (0: this instance runs none, it only serves the API). */
  workerConcurrency: number;
  /** JOB_LEASE_MS: a claimed batch without a heartbeat for this long goes back to the queue (its instance died). */
  leaseMilliseconds: number;
  /** JOB_SHUTDOWN_GRACE_MS: at shutdown, running batches may finish for this long, then are handed back. */
  shutdownGraceMilliseconds: number;
}

/** Where finished work (labels, translations, summaries) is kept: identical work is answered from it. */
export type CacheSettings = { kind: 'off' } | { kind: 'sqlite'; path: string; ttlSeconds: number } | { kind: 'redis'; url: string; ttlSeconds: number };

export interface Config {
  port: number;
  host: string;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  provider: ProviderSettings;
  limits: Limits;
  upstream: {
    timeoutMilliseconds: number;
    maxRetries: number;
    /**
     * The ceiling of the adaptive concurrency (LLM_MAX_CONCURRENCY, default 64): the governor starts
     * lower, grows while calls succeed and cuts on a 429 or 5xx, so the provider's own limit is found.
     */
    maxConcurrency: number;
    structuredOutput: 'json_schema' | 'json_object';
    /** The provider's limits for this key; never exceeded. Undefined: not limited here. */
    requestsPerMinute: number | undefined;
    tokensPerMinute: number | undefined;
    /** Overrides the model's known context window (an OpenAI-compatible server started with a small one). */
    contextWindowTokens: number | undefined;
    /** Provider failures in a row that open the circuit breaker, and how long it stays open (calls fail fast meanwhile). */
    circuitBreaker: { failureThreshold: number; cooldownMilliseconds: number };
    /** LLM_TOKEN_LIMIT_PARAMETER and LLM_SAMPLING_PARAMETERS; undefined: guessed from the model's name. */
    requestShape: { tokenLimitParameter: 'max_tokens' | 'max_completion_tokens' | undefined; sendSamplingParameters: boolean | undefined };
    /** Redis that holds the provider's requests and tokens per minute for every instance (REDIS_URL unless LLM_SHARED_BUDGET=off). */
    sharedBudgetRedisUrl: string | undefined;
    /** LLM_BATCH_API: whether overnight jobs may use the provider's batch API (auto: OpenAI and Azure OpenAI only). */
    batchApi: 'auto' | 'on' | 'off';
    /** LLM_BATCH_POLL_MS: how often an overnight job asks the provider whether its batch is done. */
    batchPollMilliseconds: number;
  };
  /** SHUTDOWN_GRACE_MS: after SIGTERM, how long requests and streams in flight may take before the server closes. */
  shutdownGraceMilliseconds: number;
  /** ATTACHMENT_MAX_BYTES: the largest attachment the BFF reads, decoded. */
  attachmentMaxBytes: number;
  cache: CacheSettings;
  jobs: JobSettings;
  /** Shared state for several instances: the cache, per-user rate limits and token budgets. */
  redisUrl: string | undefined;
  /** Daily token budgets on one machine (without Redis): an SQLite file that survives restarts. */
  budgetPath: string;
  /** Folder of the built task pane, served at / when it exists. */
  staticDirectory: string;
  /** HTTPS certificate and key files; plain HTTP when absent (Office requires HTTPS outside localhost tools). */
  tls: { certificateFile: string; keyFile: string } | undefined;
  security: SecuritySettings;
  /** The reverse proxies whose X-Forwarded-For is believed (Fastify's trustProxy); empty: none, request.ip is the socket's peer. */
  trustProxy: string[];
  /** A bearer token /metrics requires; undefined: /metrics answers this machine only (security/metrics-access.ts). */
  metricsToken: string | undefined;
  /** The organisation's translation glossary (TRANSLATION_GLOSSARY_PATH), merged into every translate request; absent: none. */
  translationGlossary?: TranslationGlossary;
  /** Run estimates (POST /api/v1/estimate): prices per model (LLM_PRICES) and when the pane asks before a run (ESTIMATE_CONFIRM_ROWS). */
  estimate: EstimateSettings;
}

/** Price of a model per million tokens, as the deployer's contract with the provider says. */
export interface ModelPrice {
  input: number;
  output: number;
  currency: string;
}

export interface EstimateSettings {
  /** By model id (LLM_MODEL or the Azure deployment); empty: estimates carry no cost. */
  prices: Record<string, ModelPrice>;
  /** The pane asks before a bulk run of more rows than this (its own setting may lower or raise it). */
  confirmAboveRows: number;
  /** …or one that costs more than this, in the currency of LLM_PRICES (ESTIMATE_CONFIRM_COST); undefined: cost alone never asks. */
  confirmAboveCost?: number;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `- ${problem}`).join('\n')}`);
  }
}

/** What `npm run serve` and `npm start` print for a ConfigError: one line per problem. */
export function configProblemReport(error: ConfigError): string {
  return `The server cannot start. Fix these settings:\n${error.problems.map((problem) => `  - ${problem}`).join('\n')}\n`;
}

type Environment = Record<string, string | undefined>;

const emptyAsUndefined = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? undefined : value);

function integer(minimum: number, maximum: number) {
  return z.preprocess(
    emptyAsUndefined,
    z.coerce
      .number({ error: `must be a whole number from ${minimum} to ${maximum}` })
      .int(`must be a whole number from ${minimum} to ${maximum}`)
      .min(minimum, `must be a whole number from ${minimum} to ${maximum}`)
      .max(maximum, `must be a whole number from ${minimum} to ${maximum}`)
      .optional(),
  );
}

function httpUrl(example: string) {
  return z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .refine((value) => {
        try {
          const url = new URL(value);
          return url.protocol === 'http:' || url.protocol === 'https:';
        } catch {
          return false;
        }
      }, `must be an http(s) URL such as ${example}`)
      .optional(),
  );
}

const optionalText = z.preprocess(emptyAsUndefined, z.string().optional());

const environmentSchema = z.object({
  PORT: integer(1, 65535),
  HOST: optionalText,
  LOG_LEVEL: z.preprocess(
    emptyAsUndefined,
    z
      .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
        error: 'must be one of fatal, error, warn, info, debug, trace, silent',
      })
      .optional(),
  ),
  LLM_PROVIDER: z.preprocess(
    emptyAsUndefined,
    z.enum(['openai', 'azure', 'local'], { error: 'must be openai, azure or local (or unset to choose automatically)' }).optional(),
  ),
  LLM_MODEL: optionalText,
  OPENAI_API_KEY: optionalText,
  OPENAI_BASE_URL: httpUrl('http://localhost:11434/v1'),
  AZURE_OPENAI_ENDPOINT: httpUrl('https://my-resource.openai.azure.com'),
  AZURE_OPENAI_API_KEY: optionalText,
  AZURE_OPENAI_DEPLOYMENT: optionalText,
  OPENAI_API_VERSION: optionalText,
  LOCAL_MODEL: optionalText,
  LOCAL_MODEL_CACHE_DIR: optionalText,
  LOCAL_MODEL_THREADS: integer(1, 256),
  LOCAL_MODEL_CONTEXT_SIZE: integer(256, 131072),
  LOCAL_MODEL_PARALLEL: integer(1, 64),
  LOCAL_MODEL_DOWNLOAD_STALL_MS: integer(100, 3_600_000),
  LOCAL_MODEL_GPU: z.preprocess(emptyAsUndefined, z.enum(['auto', 'off'], { error: 'must be auto or off' }).optional()),
  LLM_TIMEOUT_MS: integer(1000, 3_600_000),
  LLM_MAX_RETRIES: integer(0, 10),
  LLM_MAX_CONCURRENCY: integer(1, 1000),
  LLM_STRUCTURED_OUTPUT: z.preprocess(emptyAsUndefined, z.enum(['json_schema', 'json_object'], { error: 'must be json_schema or json_object' }).optional()),
  LLM_RPM: integer(1, 10_000_000),
  LLM_TPM: integer(100, 10_000_000_000),
  LLM_CONTEXT_TOKENS: integer(512, 10_000_000),
  LLM_BREAKER_FAILURES: integer(1, 1000),
  LLM_BREAKER_COOLDOWN_MS: integer(100, 3_600_000),
  LLM_TOKEN_LIMIT_PARAMETER: z.preprocess(
    emptyAsUndefined,
    z.enum(['auto', 'max_tokens', 'max_completion_tokens'], { error: 'must be auto, max_tokens or max_completion_tokens' }).optional(),
  ),
  LLM_SAMPLING_PARAMETERS: z.preprocess(emptyAsUndefined, z.enum(['auto', 'on', 'off'], { error: 'must be auto, on or off' }).optional()),
  LLM_SHARED_BUDGET: z.preprocess(emptyAsUndefined, z.enum(['on', 'off'], { error: 'must be on or off' }).optional()),
  LLM_BATCH_API: z.preprocess(emptyAsUndefined, z.enum(['auto', 'on', 'off'], { error: 'must be auto, on or off' }).optional()),
  LLM_BATCH_POLL_MS: integer(10, 3_600_000),
  SHUTDOWN_GRACE_MS: integer(0, 3_600_000),
  ATTACHMENT_MAX_BYTES: integer(1024, 104_857_600),
  CACHE: z.preprocess(emptyAsUndefined, z.enum(['on', 'off'], { error: 'must be on or off' }).optional()),
  CACHE_PATH: optionalText,
  CACHE_TTL_SECONDS: integer(1, 315_360_000),
  JOB_STORE_PATH: optionalText,
  JOB_RESULT_TTL_SECONDS: integer(1, 31_536_000),
  JOB_BATCH_SIZE: integer(1, 5000),
  JOB_WORKER_CONCURRENCY: integer(0, 64),
  JOB_LEASE_MS: integer(500, 3_600_000),
  JOB_SHUTDOWN_GRACE_MS: integer(0, 3_600_000),
  REDIS_URL: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .refine((value) => {
        try {
          const url = new URL(value);
          return url.protocol === 'redis:' || url.protocol === 'rediss:';
        } catch {
          return false;
        }
      }, 'must be a redis(s) URL such as redis://localhost:6379')
      .optional(),
  ),
  MAX_TEXT_CHARACTERS: integer(1, 50_000_000),
  MAX_ITEMS: integer(1, 1_000_000),
  MAX_ITEM_CHARACTERS: integer(1, 10_000_000),
  MAX_TOTAL_CHARACTERS: integer(1, 100_000_000),
  MAX_LABELS: integer(1, 100_000),
  MAX_LABEL_CHARACTERS: integer(1, 10_000),
  BODY_LIMIT_BYTES: integer(1024, 1_073_741_824),
  STATIC_DIR: optionalText,
  BUDGET_PATH: optionalText,
  TLS_CERT_FILE: optionalText,
  TLS_KEY_FILE: optionalText,
  // Checked in resolveOperationalSurface: its messages must never echo the token.
  METRICS_TOKEN: optionalText,
  TRUST_PROXY: optionalText,
  TRANSLATION_GLOSSARY_PATH: optionalText,
  LLM_PRICES: optionalText,
  ESTIMATE_CONFIRM_ROWS: integer(0, 10_000_000),
  ESTIMATE_CONFIRM_COST: z.preprocess(
    emptyAsUndefined,
    z.coerce
      .number({ error: 'must be an amount of at least 0, in the currency of LLM_PRICES (such as 5 or 0.5)' })
      .nonnegative('must be an amount of at least 0, in the currency of LLM_PRICES (such as 5 or 0.5)')
      .finite('must be an amount of at least 0, in the currency of LLM_PRICES (such as 5 or 0.5)')
      .optional(),
  ),
});

/** Threads for llama.cpp: one core left for the HTTP server; its own default was ~600x slower on 2 cores. */
export function defaultLocalThreads(): number {
  return Math.max(1, os.availableParallelism() - 1);
}

export function loadConfig(environment: Environment = process.env): Config {
  const parsed = environmentSchema.safeParse(environment);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => {
        const name = String(issue.path[0] ?? 'environment');
        const raw = environment[name];
        return `${name} ${issue.message}${raw === undefined ? '' : ` (got ${JSON.stringify(raw)})`}`;
      }),
    );
  }
  const variables = parsed.data;
  const problems: string[] = [];
  const provider = resolveProvider(variables, problems);
  const tls = resolveTls(variables, problems);
  const host = variables.HOST ?? '127.0.0.1';
  const security = loadSecuritySettings(environment, host, problems);
  const operationalSurface = resolveOperationalSurface(variables, problems);
  const glossaryFile =
    variables.TRANSLATION_GLOSSARY_PATH === undefined ? undefined : readTranslationGlossary(path.resolve(variables.TRANSLATION_GLOSSARY_PATH));
  if (glossaryFile !== undefined && 'problem' in glossaryFile) problems.push(glossaryFile.problem);
  const prices = parseModelPrices(variables.LLM_PRICES, problems);
  if (problems.length > 0 || provider === undefined) throw new ConfigError(problems);

  return {
    port: variables.PORT ?? 3000,
    host,
    logLevel: variables.LOG_LEVEL ?? 'info',
    provider,
    limits: {
      maxTextCharacters: variables.MAX_TEXT_CHARACTERS ?? 1_000_000,
      maxItems: variables.MAX_ITEMS ?? 10_000,
      maxItemCharacters: variables.MAX_ITEM_CHARACTERS ?? 20_000,
      maxTotalCharacters: variables.MAX_TOTAL_CHARACTERS ?? 2_000_000,
      maxLabels: variables.MAX_LABELS ?? 500,
      maxLabelCharacters: variables.MAX_LABEL_CHARACTERS ?? 200,
      bodyLimitBytes: variables.BODY_LIMIT_BYTES ?? 16 * 1024 * 1024,
    },
    upstream: {
      timeoutMilliseconds: variables.LLM_TIMEOUT_MS ?? 120_000,
      maxRetries: variables.LLM_MAX_RETRIES ?? 4,
      // A ceiling, not a setting to tune: 8 used half of a 16-slot provider; the governor finds the real limit below it.
      maxConcurrency: variables.LLM_MAX_CONCURRENCY ?? 64,
      structuredOutput: variables.LLM_STRUCTURED_OUTPUT ?? 'json_schema',
      requestsPerMinute: variables.LLM_RPM,
      tokensPerMinute: variables.LLM_TPM,
      contextWindowTokens: variables.LLM_CONTEXT_TOKENS,
      circuitBreaker: { failureThreshold: variables.LLM_BREAKER_FAILURES ?? 5, cooldownMilliseconds: variables.LLM_BREAKER_COOLDOWN_MS ?? 30_000 },
      requestShape: {
        tokenLimitParameter: variables.LLM_TOKEN_LIMIT_PARAMETER === 'auto' ? undefined : variables.LLM_TOKEN_LIMIT_PARAMETER,
        sendSamplingParameters:
          variables.LLM_SAMPLING_PARAMETERS === undefined || variables.LLM_SAMPLING_PARAMETERS === 'auto'
            ? undefined
            : variables.LLM_SAMPLING_PARAMETERS === 'on',
      },
      // The local model has no provider budget to share.
      sharedBudgetRedisUrl: variables.LLM_SHARED_BUDGET === 'off' || provider.kind === 'local' ? undefined : variables.REDIS_URL,
      batchApi: variables.LLM_BATCH_API ?? 'auto',
      // A batch takes minutes to hours: a poll a minute costs nothing and answers soon enough.
      batchPollMilliseconds: variables.LLM_BATCH_POLL_MS ?? 60_000,
    },
    // Kubernetes waits 30 s after SIGTERM before SIGKILL: 25 s leaves the close itself time.
    shutdownGraceMilliseconds: variables.SHUTDOWN_GRACE_MS ?? 25_000,
    attachmentMaxBytes: variables.ATTACHMENT_MAX_BYTES ?? defaultAttachmentMaxBytes,
    cache: resolveCache(variables),
    jobs: resolveJobs(variables),
    redisUrl: variables.REDIS_URL,
    budgetPath: path.resolve(variables.BUDGET_PATH ?? path.join(path.dirname(defaultCachePath()), 'budgets.sqlite')),
    staticDirectory: path.resolve(variables.STATIC_DIR ?? 'dist/taskpane'),
    tls,
    security,
    ...operationalSurface,
    ...(glossaryFile !== undefined && 'glossary' in glossaryFile ? { translationGlossary: glossaryFile.glossary } : {}),
    estimate: {
      prices,
      confirmAboveRows: variables.ESTIMATE_CONFIRM_ROWS ?? 500,
      ...(variables.ESTIMATE_CONFIRM_COST === undefined ? {} : { confirmAboveCost: variables.ESTIMATE_CONFIRM_COST }),
    },
  };
}

const modelPriceSchema = z
  .object({
    input: z.number().finite().nonnegative(),
    output: z.number().finite().nonnegative(),
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/u)
      .optional(),
  })
  .strict();

/**
 * LLM_PRICES: JSON such as {"gpt-4o-mini":{"input":0.15,"output":0.6}}, prices per million input and
 * output tokens by model id, with an optional ISO 4217 "currency" (default USD).
 */
function parseModelPrices(raw: string | undefined, problems: string[]): Record<string, ModelPrice> {
  if (raw === undefined) return {};
  const example = 'such as {"gpt-4o-mini":{"input":0.15,"output":0.6}} (per million tokens; optional "currency":"EUR")';
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    problems.push(`LLM_PRICES is not valid JSON: give prices per model ${example}`);
    return {};
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    problems.push(`LLM_PRICES must be a JSON object of model ids ${example}`);
    return {};
  }
  const prices: Record<string, ModelPrice> = {};
  for (const [model, value] of Object.entries(parsed)) {
    const price = modelPriceSchema.safeParse(value);
    if (!price.success) {
      problems.push(`LLM_PRICES has an invalid price for ${JSON.stringify(model)}: it needs "input" and "output" as numbers of at least 0, ${example}`);
      continue;
    }
    prices[model] = { input: price.data.input, output: price.data.output, currency: price.data.currency ?? 'USD' };
  }
  return prices;
}

function resolveJobs(variables: z.infer<typeof environmentSchema>): JobSettings {
  const budgetPath = path.resolve(variables.BUDGET_PATH ?? path.join(path.dirname(defaultCachePath()), 'budgets.sqlite'));
  return {
    storePath: path.resolve(variables.JOB_STORE_PATH ?? path.join(path.dirname(budgetPath), 'jobs.sqlite')),
    // Two days: a job started on Friday evening is still there to fetch on Sunday.
    resultTtlSeconds: variables.JOB_RESULT_TTL_SECONDS ?? 172_800,
    // 500 rows: a few upstream requests (the engine batches them further), so a lost instance redoes little.
    batchSize: variables.JOB_BATCH_SIZE ?? 500,
    // One batch at a time: the engine already runs a batch's requests in parallel, and a dying instance loses one batch.
    workerConcurrency: variables.JOB_WORKER_CONCURRENCY ?? 1,
    leaseMilliseconds: variables.JOB_LEASE_MS ?? 30_000,
    // Inside Kubernetes' 30 s between SIGTERM and SIGKILL, with time left to hand back what did not finish.
    shutdownGraceMilliseconds: variables.JOB_SHUTDOWN_GRACE_MS ?? 20_000,
  };
}

/** Default: an SQLite file beside the model cache, so a re-run after a restart costs nothing. */
export function defaultCachePath(): string {
  return path.join(os.homedir(), '.cache', 'office-llm-addin', 'results.sqlite');
}

function resolveCache(variables: Pick<z.infer<typeof environmentSchema>, 'CACHE' | 'CACHE_PATH' | 'CACHE_TTL_SECONDS' | 'REDIS_URL'>): CacheSettings {
  if (variables.CACHE === 'off') return { kind: 'off' };
  return resolveCacheStore(variables);
}

function resolveCacheStore(variables: Pick<z.infer<typeof environmentSchema>, 'CACHE_PATH' | 'CACHE_TTL_SECONDS' | 'REDIS_URL'>): CacheStoreSettings {
  // 30 days: long enough for a sheet worked on over weeks, short enough that stale labels age out.
  const ttlSeconds = variables.CACHE_TTL_SECONDS ?? 30 * 24 * 3600;
  if (variables.REDIS_URL !== undefined) return { kind: 'redis', url: variables.REDIS_URL, ttlSeconds };
  return { kind: 'sqlite', path: path.resolve(variables.CACHE_PATH ?? defaultCachePath()), ttlSeconds };
}

/** Where the result cache lives, even with CACHE=off: `npm run cache:purge` empties what earlier runs stored. */
export type CacheStoreSettings = Exclude<CacheSettings, { kind: 'off' }>;

/** The cache's store from the environment alone, so purging needs no provider settings. */
export function loadCacheStoreSettings(environment: Environment = process.env): CacheStoreSettings {
  const parsed = environmentSchema.pick({ CACHE_PATH: true, CACHE_TTL_SECONDS: true, REDIS_URL: true }).safeParse(environment);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => `${String(issue.path[0])} ${issue.message} (got ${JSON.stringify(environment[String(issue.path[0])])})`),
    );
  }
  return resolveCacheStore(parsed.data);
}

/** proxy-addr's names for address ranges, accepted in TRUST_PROXY beside addresses and CIDRs. */
const trustProxyRangeNames = new Set(['loopback', 'linklocal', 'uniquelocal']);

function resolveOperationalSurface(variables: z.infer<typeof environmentSchema>, problems: string[]): Pick<Config, 'trustProxy' | 'metricsToken'> {
  const metricsToken = variables.METRICS_TOKEN;
  // A guessable token would make /metrics public again; the value is never printed.
  if (metricsToken !== undefined && (metricsToken.length < 16 || /\s/.test(metricsToken))) {
    problems.push('METRICS_TOKEN must be at least 16 characters without spaces: use a random secret, for example from `openssl rand -hex 32`');
  }
  const trustProxy: string[] = [];
  for (const entry of (variables.TRUST_PROXY ?? '')
    .split(',')
    .map((value) => value.trim())
    .filter(Boolean)) {
    const problem = trustProxyProblem(entry);
    if (problem === undefined) trustProxy.push(entry);
    else problems.push(`TRUST_PROXY has ${JSON.stringify(entry)}: ${problem}`);
  }
  return { trustProxy, metricsToken };
}

function trustProxyProblem(entry: string): string | undefined {
  const listTheProxies = 'list the addresses or CIDRs of your reverse proxies instead, such as 10.0.0.5 or 10.0.0.0/8';
  if (/^\d+$/.test(entry)) {
    return `a hop count cannot check that a request really came through your proxy, so any client could forge X-Forwarded-For (Fastify refuses it too): ${listTheProxies}`;
  }
  if (['true', 'all', '*'].includes(entry.toLowerCase())) return `trusting every address lets any client forge its address: ${listTheProxies}`;
  if (trustProxyRangeNames.has(entry)) return undefined;
  const [address = '', prefix, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return `not an IP address, a CIDR or one of loopback, linklocal, uniquelocal: ${listTheProxies}`;
  if (prefix === undefined) return undefined;
  const bits = Number(prefix);
  const maximum = family === 4 ? 32 : 128;
  if (!/^\d+$/.test(prefix) || bits > maximum) return `the prefix length must be a whole number from 1 to ${maximum}`;
  if (bits === 0) return `a /0 range trusts every address, so any client could forge its address: ${listTheProxies}`;
  return undefined;
}

function resolveTls(variables: z.infer<typeof environmentSchema>, problems: string[]): Config['tls'] {
  const certificateFile = variables.TLS_CERT_FILE;
  const keyFile = variables.TLS_KEY_FILE;
  if (certificateFile === undefined && keyFile === undefined) return undefined;
  if (certificateFile === undefined || keyFile === undefined) {
    problems.push('TLS_CERT_FILE and TLS_KEY_FILE go together: set both for HTTPS, or neither for plain HTTP');
    return undefined;
  }
  for (const [name, file] of [
    ['TLS_CERT_FILE', certificateFile],
    ['TLS_KEY_FILE', keyFile],
  ] as const) {
    if (!existsSync(file))
      problems.push(
        `${name} points to ${file}, which does not exist: point it to a PEM file (for development, \`npm start\` makes one in ~/.office-addin-dev-certs)`,
      );
  }
  return { certificateFile: path.resolve(certificateFile), keyFile: path.resolve(keyFile) };
}

function resolveProvider(variables: z.infer<typeof environmentSchema>, problems: string[]): ProviderSettings | undefined {
  const kind: ProviderKind =
    variables.LLM_PROVIDER ??
    (variables.AZURE_OPENAI_ENDPOINT !== undefined
      ? 'azure'
      : variables.OPENAI_API_KEY !== undefined || variables.OPENAI_BASE_URL !== undefined
        ? 'openai'
        : 'local');

  if (kind === 'openai') {
    if (variables.OPENAI_API_KEY === undefined && variables.OPENAI_BASE_URL === undefined) {
      problems.push(
        'LLM_PROVIDER is openai but neither OPENAI_API_KEY nor OPENAI_BASE_URL is set: set OPENAI_API_KEY for OpenAI, or OPENAI_BASE_URL for an OpenAI-compatible server',
      );
    }
    if (variables.OPENAI_BASE_URL !== undefined && variables.LLM_MODEL === undefined) {
      problems.push('OPENAI_BASE_URL is set but LLM_MODEL is not: set LLM_MODEL to a model your server serves (for Ollama, for example qwen2.5:3b)');
    }
    return {
      kind,
      apiKey: variables.OPENAI_API_KEY,
      baseUrl: variables.OPENAI_BASE_URL,
      model: variables.LLM_MODEL ?? defaultOpenAiModel,
    };
  }

  if (kind === 'azure') {
    const missing = (['AZURE_OPENAI_ENDPOINT', 'AZURE_OPENAI_API_KEY', 'AZURE_OPENAI_DEPLOYMENT'] as const).filter((name) => variables[name] === undefined);
    for (const name of missing) problems.push(`${name} is required for Azure OpenAI: set it (see README, "Azure OpenAI")`);
    if (missing.length > 0) return undefined;
    return {
      kind,
      endpoint: variables.AZURE_OPENAI_ENDPOINT ?? '',
      apiKey: variables.AZURE_OPENAI_API_KEY ?? '',
      deployment: variables.AZURE_OPENAI_DEPLOYMENT ?? '',
      apiVersion: variables.OPENAI_API_VERSION ?? defaultAzureApiVersion,
    };
  }

  return {
    kind,
    model: variables.LOCAL_MODEL ?? defaultLocalModel,
    cacheDirectory: path.resolve(variables.LOCAL_MODEL_CACHE_DIR ?? path.join(os.homedir(), '.cache', 'office-llm-addin', 'models')),
    threads: variables.LOCAL_MODEL_THREADS ?? defaultLocalThreads(),
    contextSize: variables.LOCAL_MODEL_CONTEXT_SIZE ?? 4096,
    parallelSequences: variables.LOCAL_MODEL_PARALLEL ?? 1,
    gpu: variables.LOCAL_MODEL_GPU === 'auto' ? 'auto' : false,
    downloadStallMilliseconds: variables.LOCAL_MODEL_DOWNLOAD_STALL_MS ?? 30_000,
  };
}

/**
 * Why the server could not listen on HOST:PORT, as one line that says what to do; undefined for a
 * failure that is not the settings' fault. `npm start` checks the port with it before building too.
 */
export function listenProblem(error: unknown, host: string, port: number): string | undefined {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  switch (code) {
    case 'EADDRINUSE':
      return `Port ${port} is in use: stop the other server or set PORT=${port === 65535 ? 3001 : port + 1} (any free port).`;
    case 'EACCES':
      return `Port ${port} needs administrator rights here: set PORT to a port from 1024 up (PORT=3000).`;
    case 'EADDRNOTAVAIL':
      return `HOST ${host} is not an address of this machine: set HOST=127.0.0.1 (this machine only) or HOST=0.0.0.0 (every interface).`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `HOST ${host} cannot be resolved: set HOST to an IP address of this machine, such as 127.0.0.1.`;
    default:
      return undefined;
  }
}
