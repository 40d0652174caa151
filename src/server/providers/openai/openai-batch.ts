// The batch API of OpenAI and Azure OpenAI through the official SDK: the JSONL file goes up with
// files.create (purpose batch), batches.create starts it, batches.retrieve polls it, and the output
// and error files come back with files.content. Azure takes the same API with the deployment as the
// model and paths without /v1. A compatible server that implements /v1/batches (a LiteLLM proxy, the
// loopback provider of the tests) is used when LLM_BATCH_API=on.
import OpenAI, { AzureOpenAI, toFile } from 'openai';
import type { Batch } from 'openai/resources/batches';
import type { AzureSettings, OpenAiSettings } from '../../config.js';
import type { BatchApi, BatchLineOutcome, BatchRequestLine, BatchState, BatchStatus } from '../batch-api.js';
import type { FinishReason, GenerateOptions } from '../language-model.js';
import { upstreamError } from './openai-errors.js';

export interface OpenAiBatchOptions {
  timeoutMilliseconds: number;
  provider: string;
  modelId: string;
  /** The live path's body for a call (OpenAiLanguageModel's), so a batch line is exactly what a live call would send. */
  requestBody: (options: GenerateOptions) => Record<string, unknown>;
}

const completionWindow = '24h';

export class OpenAiBatchApi implements BatchApi {
  readonly completionWindowHours = 24;
  private readonly client: OpenAI;
  /** Azure names the endpoint without the /v1 prefix. */
  private readonly endpoint: '/v1/chat/completions' | '/chat/completions';

  constructor(
    settings: OpenAiSettings | AzureSettings,
    private readonly options: OpenAiBatchOptions,
  ) {
    if (settings.kind === 'azure') {
      // No deployment on this client: the SDK would put /deployments/<name> before /batches, where Azure has none.
      this.client = new AzureOpenAI({ endpoint: settings.endpoint, apiKey: settings.apiKey, apiVersion: settings.apiVersion, maxRetries: 0 });
      this.endpoint = '/chat/completions';
    } else {
      this.client = new OpenAI({ apiKey: settings.apiKey ?? 'no-key-required', baseURL: settings.baseUrl ?? null, maxRetries: 0 });
      this.endpoint = '/v1/chat/completions';
    }
  }

  requestBody(options: GenerateOptions): Record<string, unknown> {
    return this.options.requestBody(options);
  }

  async submit(lines: readonly BatchRequestLine[], { signal, metadata }: { signal?: AbortSignal; metadata?: Record<string, string> }): Promise<BatchStatus> {
    const jsonl = lines.map((line) => JSON.stringify({ custom_id: line.customId, method: 'POST', url: this.endpoint, body: line.body })).join('\n');
    try {
      const file = await this.client.files.create(
        { file: await toFile(Buffer.from(`${jsonl}\n`, 'utf8'), 'requests.jsonl', { type: 'application/jsonl' }), purpose: 'batch' },
        this.requestOptions(signal),
      );
      const batch = await this.client.batches.create(
        {
          input_file_id: file.id,
          // The SDK's type lists OpenAI's spelling only; Azure's is the same endpoint without /v1.
          endpoint: this.endpoint as '/v1/chat/completions',
          completion_window: completionWindow,
          ...(metadata === undefined ? {} : { metadata }),
        },
        this.requestOptions(signal),
      );
      return toStatus(batch);
    } catch (error) {
      throw this.toAppError(error);
    }
  }

  async retrieve(batchId: string, signal?: AbortSignal): Promise<BatchStatus> {
    try {
      return toStatus(await this.client.batches.retrieve(batchId, this.requestOptions(signal)));
    } catch (error) {
      throw this.toAppError(error);
    }
  }

  async outcomes(status: BatchStatus, signal?: AbortSignal): Promise<Map<string, BatchLineOutcome>> {
    const outcomes = new Map<string, BatchLineOutcome>();
    for (const fileId of [status.outputFileId, status.errorFileId]) {
      if (fileId === undefined) continue;
      let text: string;
      try {
        text = await (await this.client.files.content(fileId, this.requestOptions(signal))).text();
      } catch (error) {
        throw this.toAppError(error);
      }
      for (const line of text.split('\n')) {
        const outcome = readOutputLine(line);
        // A line answered in the output file wins over the same id in the error file.
        if (outcome !== undefined && !(outcomes.has(outcome.customId) && 'result' in (outcomes.get(outcome.customId) ?? {}))) {
          outcomes.set(outcome.customId, outcome);
        }
      }
    }
    return outcomes;
  }

  async cancel(batchId: string): Promise<void> {
    try {
      await this.client.batches.cancel(batchId, this.requestOptions());
    } catch (error) {
      throw this.toAppError(error);
    }
  }

  private requestOptions(signal?: AbortSignal) {
    const deadline = AbortSignal.timeout(this.options.timeoutMilliseconds);
    return { signal: signal === undefined ? deadline : AbortSignal.any([signal, deadline]) };
  }

  private toAppError(error: unknown) {
    return upstreamError(error, { provider: this.options.provider, model: this.options.modelId });
  }
}

function toStatus(batch: Batch): BatchStatus {
  const errors = (batch.errors?.data ?? []).map((error) => [error.code, error.message].filter(Boolean).join(': '));
  return {
    id: batch.id,
    state: batch.status as BatchState,
    createdAt: typeof batch.created_at === 'number' ? new Date(batch.created_at * 1000) : undefined,
    expiresAt: batch.expires_at === undefined || batch.expires_at === null ? undefined : new Date(batch.expires_at * 1000),
    outputFileId: batch.output_file_id ?? undefined,
    errorFileId: batch.error_file_id ?? undefined,
    errors,
    counts: {
      total: batch.request_counts?.total ?? 0,
      completed: batch.request_counts?.completed ?? 0,
      failed: batch.request_counts?.failed ?? 0,
    },
  };
}

interface OutputLine {
  custom_id?: unknown;
  response?: { status_code?: unknown; body?: unknown } | null;
  error?: { code?: unknown; message?: unknown } | null;
}

/** One line of an output or error file: a chat completion (status 200), or why the request failed. */
export function readOutputLine(line: string): BatchLineOutcome | undefined {
  if (line.trim() === '') return undefined;
  let parsed: OutputLine;
  try {
    parsed = JSON.parse(line) as OutputLine;
  } catch {
    return undefined;
  }
  if (typeof parsed.custom_id !== 'string') return undefined;
  const customId = parsed.custom_id;
  const response = parsed.response ?? undefined;
  if (response !== undefined && response.status_code === 200 && typeof response.body === 'object' && response.body !== null) {
    const completion = response.body as OpenAI.ChatCompletion;
    const choice = completion.choices?.[0];
    return {
      customId,
      result: {
        text: choice?.message?.content ?? '',
        usage: { promptTokens: completion.usage?.prompt_tokens ?? 0, completionTokens: completion.usage?.completion_tokens ?? 0 },
        finishReason: toFinishReason(choice?.finish_reason),
      },
    };
  }
  const bodyError = (response?.body as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
  const error = parsed.error ?? bodyError;
  return {
    customId,
    error: {
      code: typeof error?.code === 'string' ? error.code : `http_${String(response?.status_code ?? 'unknown')}`,
      message: typeof error?.message === 'string' ? error.message : 'The provider did not answer this request of the batch.',
    },
  };
}

function toFinishReason(reason: string | null | undefined): FinishReason {
  if (reason === 'stop') return 'stop';
  if (reason === 'length') return 'length';
  return 'other';
}
