// A provider's batch API (OpenAI's and Azure OpenAI's /batches): many chat-completion requests sent as
// one JSONL file, answered within a completion window (24 hours) at a discount. Overnight jobs use it;
// operations never do. Only the openai provider has one (providers/openai/openai-batch.ts).
import type { GenerateOptions, GenerateResult } from './language-model.js';

/** One request of a batch file: the live path's chat-completions body, under an id of our choosing. */
export interface BatchRequestLine {
  customId: string;
  body: Record<string, unknown>;
}

/** The provider's batch states; validating, in_progress, finalizing and cancelling are on the way to the others. */
export type BatchState = 'validating' | 'in_progress' | 'finalizing' | 'completed' | 'failed' | 'expired' | 'cancelling' | 'cancelled';

export const finishedBatchStates: readonly BatchState[] = ['completed', 'failed', 'expired', 'cancelled'];

export interface BatchStatus {
  id: string;
  state: BatchState;
  createdAt: Date | undefined;
  /** When the provider gives up on the batch (its completion window ends). */
  expiresAt: Date | undefined;
  outputFileId: string | undefined;
  errorFileId: string | undefined;
  /** Why the whole batch failed (a validation error of the input file, for example). */
  errors: string[];
  counts: { total: number; completed: number; failed: number };
}

/** What became of one request of the batch. */
export type BatchLineOutcome = { customId: string; result: GenerateResult } | { customId: string; error: { code: string; message: string } };

export interface BatchApi {
  /** The completion window asked for (OpenAI and Azure take only 24 hours). */
  readonly completionWindowHours: number;
  /** The chat-completions body the live path sends for these options: same model, token parameter, sampling and response format. */
  requestBody(options: GenerateOptions): Record<string, unknown>;
  /** Uploads the JSONL file (purpose batch) and creates the batch. */
  submit(lines: readonly BatchRequestLine[], options: { signal?: AbortSignal; metadata?: Record<string, string> }): Promise<BatchStatus>;
  retrieve(batchId: string, signal?: AbortSignal): Promise<BatchStatus>;
  /** Downloads and reads the output and error files of a finished batch: one outcome per answered or failed line. */
  outcomes(status: BatchStatus, signal?: AbortSignal): Promise<Map<string, BatchLineOutcome>>;
  cancel(batchId: string): Promise<void>;
}
