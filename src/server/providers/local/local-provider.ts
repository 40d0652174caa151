// The embedded provider: llama.cpp in-process through node-llama-cpp. It is the default when no
// remote provider is configured. The model loads (and, for a URI, downloads once into a cache
// folder) in the background, so the server answers /healthz while it does.
import {
  getLlama,
  LlamaChatSession,
  LlamaLogLevel,
  resolveModelFile,
  type Llama,
  type LlamaContext,
  type LlamaGrammar,
  type LlamaModel,
  type ChatHistoryItem,
  type GbnfJsonSchema,
} from 'node-llama-cpp';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { bulkhead, type BulkheadPolicy } from 'cockatiel';
import type { LocalSettings } from '../../config.js';
import { AppError, cancelledError, isAbortError, isAppError } from '../../errors.js';
import type { Logger } from '../../logger.js';
import type { FinishReason, GenerateOptions, GenerateResult, LanguageModel, ProviderStatus, StreamPart } from '../language-model.js';
import { AsyncQueue } from './async-queue.js';
import { abortable } from '../../resilience/abortable.js';

type LoadState =
  | { phase: 'resolving' }
  | { phase: 'downloading'; downloadedBytes: number; totalBytes: number }
  | { phase: 'loading' }
  | { phase: 'ready'; llama: Llama; model: LlamaModel; context: LlamaContext }
  | { phase: 'failed'; reason: string };

export class LocalLanguageModel implements LanguageModel {
  readonly provider = 'local';
  readonly modelId: string;
  readonly prefersSmallBatches = true;
  private state: LoadState = { phase: 'resolving' };
  private readonly loaded: Promise<void>;
  private readonly sequenceSlots: BulkheadPolicy;
  private readonly grammarCache = new Map<string, Promise<LlamaGrammar>>();
  private readonly abortLoading = new AbortController();

  constructor(
    private readonly settings: LocalSettings,
    private readonly logger: Logger,
  ) {
    this.modelId = modelIdFrom(settings.model);
    // One request per context sequence; the rest wait their turn instead of failing.
    this.sequenceSlots = bulkhead(settings.parallelSequences, Number.MAX_SAFE_INTEGER);
    this.loaded = this.load();
    // The outcome is kept in `state`; callers await `loaded` only to wait for it.
    this.loaded.catch(() => undefined);
  }

  get contextWindowTokens(): number {
    return this.state.phase === 'ready' ? this.state.context.contextSize : this.settings.contextSize;
  }

  /** The model's own tokenizer once loaded; before that no request can run, so an estimate only sizes nothing real. */
  countTokens(text: string): number {
    if (text === '') return 0;
    if (this.state.phase === 'ready') return this.state.model.tokenize(text, false).length;
    return Math.ceil(text.length / 3);
  }

  status(): ProviderStatus {
    const state = this.state;
    switch (state.phase) {
      case 'ready':
        return { ready: true, state: 'ok' };
      case 'failed':
        return { ready: false, state: 'unavailable', reason: state.reason };
      case 'downloading': {
        const percent = state.totalBytes > 0 ? Math.floor((100 * state.downloadedBytes) / state.totalBytes) : 0;
        return {
          ready: false,
          state: 'starting',
          reason: `Downloading the local model ${this.modelId} (${percent}%). Try again when it is done.`,
          retryAfterSeconds: 30,
        };
      }
      default:
        return { ready: false, state: 'starting', reason: `Loading the local model ${this.modelId}.` };
    }
  }

  async generate(options: GenerateOptions): Promise<GenerateResult> {
    const parts: string[] = [];
    let finish: GenerateResult | undefined;
    for await (const part of this.stream(options)) {
      if (part.type === 'text-delta') parts.push(part.text);
      else finish = { text: '', usage: part.usage, finishReason: part.finishReason };
    }
    return { text: parts.join(''), usage: finish?.usage ?? { promptTokens: 0, completionTokens: 0 }, finishReason: finish?.finishReason ?? 'other' };
  }

  async *stream(options: GenerateOptions): AsyncIterable<StreamPart> {
    const { context, llama } = await this.whenReady(options.signal);
    const grammar = options.responseFormat ? await this.grammarFor(llama, options.responseFormat.schema) : undefined;
    const queue = new AsyncQueue<StreamPart>();

    const run = this.sequenceSlots.execute(async () => {
      options.signal?.throwIfAborted();
      const sequence = context.getSequence();
      const session = new LlamaChatSession({ contextSequence: sequence, autoDisposeSequence: false });
      try {
        const { history, prompt } = toChatHistory(options.messages);
        session.setChatHistory(history);
        const before = sequence.tokenMeter.getState();
        const result = await session.promptWithMeta(prompt, {
          maxTokens: options.maxOutputTokens ?? Math.floor(context.contextSize / 2),
          temperature: options.temperature ?? 0,
          ...(grammar === undefined ? {} : { grammar }),
          ...(options.signal === undefined ? {} : { signal: options.signal }),
          onTextChunk: (text) => queue.push({ type: 'text-delta', text }),
        });
        const used = sequence.tokenMeter.diff(before);
        const finishReason: FinishReason =
          result.stopReason === 'maxTokens' ? 'length' : result.stopReason === 'eogToken' || result.stopReason === 'stopGenerationTrigger' ? 'stop' : 'other';
        queue.push({ type: 'finish', usage: { promptTokens: used.usedInputTokens, completionTokens: used.usedOutputTokens }, finishReason });
      } finally {
        session.dispose();
        sequence.dispose();
      }
    }, options.signal);

    run.then(
      () => queue.end(),
      (error: unknown) => queue.fail(this.toAppError(error, options.signal)),
    );
    yield* queue;
  }

  async close(): Promise<void> {
    this.abortLoading.abort();
    await this.loaded.catch(() => undefined);
    const state = this.state;
    if (state.phase === 'ready') await state.llama.dispose();
  }

  private async whenReady(signal: AbortSignal | undefined): Promise<Extract<LoadState, { phase: 'ready' }>> {
    const state = this.state;
    if (state.phase === 'ready') return state;
    if (state.phase === 'downloading' || state.phase === 'failed') {
      const status = this.status();
      throw new AppError('PROVIDER_NOT_READY', status.reason ?? 'The local model is not ready.', {
        retryable: state.phase === 'downloading',
        retryAfterSeconds: status.retryAfterSeconds,
      });
    }
    await abortable(
      this.loaded.catch(() => undefined),
      signal,
    );
    return this.whenReady(signal);
  }

  private async load(): Promise<void> {
    const settings = this.settings;
    try {
      const modelPath = await this.resolveModel();
      this.state = { phase: 'loading' };
      const llama = await getLlama({
        gpu: settings.gpu,
        build: 'never',
        logLevel: LlamaLogLevel.error,
        logger: (level, message) => {
          if (level === LlamaLogLevel.error || level === LlamaLogLevel.fatal) this.logger.warn({ llama: message.trim() }, 'llama.cpp');
        },
      });
      const model = await llama.loadModel({ modelPath });
      const context = await model.createContext({
        contextSize: Math.min(settings.contextSize, model.trainContextSize),
        sequences: settings.parallelSequences,
        threads: settings.threads,
      });
      this.state = { phase: 'ready', llama, model, context };
      this.logger.info({ model: this.modelId, threads: settings.threads, contextSize: context.contextSize }, 'local model ready');
    } catch (error) {
      const reason = this.loadFailureReason(error);
      this.state = { phase: 'failed', reason };
      this.logger.error({ model: this.modelId }, reason);
      throw error;
    }
  }

  private async resolveModel(): Promise<string> {
    const source = this.settings.model;
    if (isModelUri(source)) {
      // A model downloaded before is used without asking the network: restarts work offline.
      const cached = readDownloadIndex(this.settings.cacheDirectory)[source];
      if (cached !== undefined && existsSync(cached)) return cached;
      // The downloader retries for minutes without network; find out first, and say so quickly.
      const problem = await preflight(source, this.settings.downloadStallMilliseconds);
      if (problem !== undefined) throw new AppError('PROVIDER_NOT_READY', `${this.downloadAdvice()} (${problem})`);
      let lastLoggedDecile = -1;
      // Without network the downloader would keep retrying; give up when it makes no progress.
      const stalled = new AbortController();
      let stallTimer = setTimeout(() => stalled.abort(), this.settings.downloadStallMilliseconds);
      const downloaded = await resolveModelFile(source, {
        directory: this.settings.cacheDirectory,
        cli: process.stderr.isTTY === true,
        signal: AbortSignal.any([this.abortLoading.signal, stalled.signal]),
        onProgress: ({ downloadedSize, totalSize }) => {
          clearTimeout(stallTimer);
          stallTimer = setTimeout(() => stalled.abort(), this.settings.downloadStallMilliseconds);
          this.state = { phase: 'downloading', downloadedBytes: downloadedSize, totalBytes: totalSize };
          const decile = totalSize > 0 ? Math.floor((10 * downloadedSize) / totalSize) : 0;
          if (decile !== lastLoggedDecile) {
            lastLoggedDecile = decile;
            this.logger.info({ model: this.modelId, downloadedBytes: downloadedSize, totalBytes: totalSize, percent: decile * 10 }, 'downloading local model');
          }
        },
      }).finally(() => clearTimeout(stallTimer));
      writeDownloadIndex(this.settings.cacheDirectory, { ...readDownloadIndex(this.settings.cacheDirectory), [source]: downloaded });
      return downloaded;
    }
    const resolved = path.resolve(source);
    if (!existsSync(resolved)) {
      throw new AppError(
        'PROVIDER_NOT_READY',
        `LOCAL_MODEL points to ${resolved}, which does not exist: set LOCAL_MODEL to a GGUF file or a model URI (hf:user/repo:quant).`,
      );
    }
    return resolved;
  }

  private downloadAdvice(): string {
    return `The local model ${this.settings.model} could not be downloaded into ${this.settings.cacheDirectory}. Download a GGUF file and set LOCAL_MODEL=/path/to/model.gguf, or configure OPENAI_BASE_URL or OPENAI_API_KEY for a remote provider`;
  }

  private loadFailureReason(error: unknown): string {
    if (isAppError(error)) return error.message;
    const source = this.settings.model;
    if (isModelUri(source)) return `${this.downloadAdvice()}.`;
    return `The local model ${source} could not be loaded (${error instanceof Error ? error.message : 'unknown error'}): check that LOCAL_MODEL is a valid GGUF file.`;
  }

  private grammarFor(llama: Llama, schema: Record<string, unknown>): Promise<LlamaGrammar> {
    const key = JSON.stringify(schema);
    let grammar = this.grammarCache.get(key);
    if (grammar === undefined) {
      grammar = llama.createGrammarForJsonSchema(schema as GbnfJsonSchema as never);
      // Label sets repeat across a sheet's batches; keep a few grammars, not every one ever seen.
      if (this.grammarCache.size >= 32) this.grammarCache.delete(this.grammarCache.keys().next().value as string);
      this.grammarCache.set(key, grammar);
    }
    return grammar;
  }

  private toAppError(error: unknown, signal: AbortSignal | undefined): AppError {
    if (signal?.aborted || isAbortError(error)) return cancelledError();
    if (isAppError(error)) return error;
    const message = error instanceof Error ? error.message : '';
    if (/context|too long|exceed/i.test(message)) {
      return new AppError(
        'INPUT_TOO_LARGE',
        `The text is too long for the local model's context (${this.settings.contextSize} tokens). Select less text, or raise LOCAL_MODEL_CONTEXT_SIZE.`,
        { cause: error },
      );
    }
    return new AppError('PROVIDER_ERROR', 'The local model failed while generating. Try again.', { cause: error });
  }
}

function toChatHistory(messages: GenerateOptions['messages']): { history: ChatHistoryItem[]; prompt: string } {
  const last = messages.at(-1);
  if (last === undefined || last.role !== 'user') throw new AppError('INTERNAL_ERROR', 'A prompt must end with a user message.');
  const history: ChatHistoryItem[] = messages
    .slice(0, -1)
    .map((message) =>
      message.role === 'system'
        ? { type: 'system', text: message.content }
        : message.role === 'user'
          ? { type: 'user', text: message.content }
          : { type: 'model', response: [message.content] },
    );
  return { history, prompt: last.content };
}

export function isModelUri(source: string): boolean {
  return /^(hf:|huggingface:|https?:\/\/)/i.test(source);
}

function modelIdFrom(source: string): string {
  if (isModelUri(source)) return source.replace(/^https?:\/\/[^/]+\//i, '').replace(/\?.*$/, '');
  return path.basename(source);
}

/** Whether the model's host answers at all; undefined when it does. */
async function preflight(source: string, timeoutMilliseconds: number): Promise<string | undefined> {
  const url = /^https?:\/\//i.test(source) ? source : 'https://huggingface.co/';
  try {
    const response = await fetch(url, { method: 'HEAD', redirect: 'follow', signal: AbortSignal.timeout(timeoutMilliseconds) });
    await response.body?.cancel();
    if (response.status === 404 || response.status === 410) return `HTTP ${response.status}: no such model file`;
    return undefined;
  } catch {
    return `${new URL(url).host} cannot be reached: no network access?`;
  }
}

const downloadIndexFile = 'downloads.json';

/** Which file each model URI was downloaded to, so a restart needs no network. */
function readDownloadIndex(directory: string): Record<string, string> {
  try {
    const parsed: unknown = JSON.parse(readFileSync(path.join(directory, downloadIndexFile), 'utf8'));
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, string>) : {};
  } catch {
    return {};
  }
}

function writeDownloadIndex(directory: string, index: Record<string, string>): void {
  mkdirSync(directory, { recursive: true });
  writeFileSync(path.join(directory, downloadIndexFile), `${JSON.stringify(index, null, 2)}\n`);
}
