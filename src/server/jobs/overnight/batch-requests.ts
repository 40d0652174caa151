// The requests of an overnight job are the live path's own: the operation (classify, translate) runs
// twice over models that stand in for the provider. First a capturing model records every call the
// operation makes before it waits for answers (its whole first wave: prompts, batching, schemas, the
// request shape) and each becomes one line of the batch file. When the batch is done the operation
// runs again over a replaying model that hands each call the batch's answer for the same request, so
// the operation's own checks validate every answer; a call the batch did not answer (a re-ask after an
// invalid answer, a split batch, a line that failed) goes to the live model, and an item whose line
// expired unanswered gets a per-item error. Nothing is dropped: every item ends with a result.
//
// A request is matched by its content, not by its place: the prompt's random delimiter nonce is
// replaced before hashing, so a run after a restart (another instance, hours later) finds the same ids.
import { createHash } from 'node:crypto';
import { AppError, cancelledError } from '../../errors.js';
import type { BatchLineOutcome, BatchRequestLine } from '../../providers/batch-api.js';
import { LanguageModelWrapper, type GenerateOptions, type GenerateResult, type LanguageModel, type StreamPart } from '../../providers/language-model.js';

/** `<items-0123456789abcdef>`, `</text-…>`: the delimiters of ../../operations/shared/prompt-parts.ts. */
const nonceDelimiter = /<(\/?)([a-z][a-z-]*?)-[0-9a-f]{16}>/gu;

/** The same id for the same request in every run: the messages without their nonce, and the answer's schema. */
export function requestKey(options: GenerateOptions): string {
  const canonical = JSON.stringify({
    messages: options.messages.map((message) => [message.role, message.content.replace(nonceDelimiter, '<$1$2>')]),
    format: options.responseFormat === undefined ? null : [options.responseFormat.name, options.responseFormat.schema],
  });
  return createHash('sha256').update(canonical).digest('hex').slice(0, 40);
}

/** Gives identical requests of one run their own ids, in the order the operation makes them (the same in both runs). */
class CustomIds {
  private readonly seen = new Map<string, number>();

  next(options: GenerateOptions): string {
    const key = requestKey(options);
    const ordinal = this.seen.get(key) ?? 0;
    this.seen.set(key, ordinal + 1);
    return `r-${key}-${ordinal}`;
  }
}

/** Records each call and keeps it waiting: the operation's first wave of requests, never sent live. */
export class CapturingModel extends LanguageModelWrapper {
  readonly lines: BatchRequestLine[] = [];
  private readonly ids = new CustomIds();
  private lastCallAt = 0;

  constructor(
    inner: LanguageModel,
    private readonly requestBody: (options: GenerateOptions) => Record<string, unknown>,
  ) {
    super(inner);
  }

  generate(options: GenerateOptions): Promise<GenerateResult> {
    this.lines.push({ customId: this.ids.next(options), body: this.requestBody(options) });
    this.lastCallAt = Date.now();
    return new Promise((_resolve, reject) => {
      const signal = options.signal;
      if (signal === undefined) return;
      if (signal.aborted) reject(cancelledError());
      else signal.addEventListener('abort', () => reject(cancelledError()), { once: true });
    });
  }

  // Operations that bulk jobs run (classify, translate) never stream.
  // eslint-disable-next-line require-yield
  async *stream(): AsyncIterable<StreamPart> {
    throw new AppError('INTERNAL_ERROR', 'An overnight job cannot stream.');
  }

  /** Milliseconds since the last call; 0 before the first (the operation may still be reading the cache). */
  quietFor(): number {
    return this.lastCallAt === 0 ? 0 : Date.now() - this.lastCallAt;
  }
}

/** How the replay went: requests the batch answered, and those that went live. */
export interface ReplayCounts {
  fromBatch: number;
  live: number;
  expired: number;
}

/** Answers each call from the batch's outcomes; what the batch did not answer goes live, or fails when its line expired. */
export class ReplayingModel extends LanguageModelWrapper {
  readonly counts: ReplayCounts = { fromBatch: 0, live: 0, expired: 0 };
  private readonly ids = new CustomIds();

  constructor(
    inner: LanguageModel,
    private readonly outcomes: ReadonlyMap<string, BatchLineOutcome>,
  ) {
    super(inner);
  }

  async generate(options: GenerateOptions): Promise<GenerateResult> {
    const outcome = this.outcomes.get(this.ids.next(options));
    if (outcome !== undefined && 'result' in outcome) {
      this.counts.fromBatch += 1;
      return outcome.result;
    }
    if (outcome !== undefined && isExpired(outcome.error.code)) {
      this.counts.expired += 1;
      throw new AppError(
        'PROVIDER_TIMEOUT',
        "The provider's batch window (24 hours) ended before it answered this item. Run the job again, in overnight mode or now.",
      );
    }
    // Not in the batch (a re-ask of an invalid answer, half of a refused batch) or its line failed: asked live, once more.
    this.counts.live += 1;
    return this.inner.generate(options);
  }

  stream(options: GenerateOptions): AsyncIterable<StreamPart> {
    return this.inner.stream(options);
  }
}

/** OpenAI writes unprocessed lines of an expired batch with this code; Azure the same. */
function isExpired(code: string): boolean {
  return code === 'batch_expired' || code === 'expired';
}

/**
 * Runs an operation over a capturing model until it has made its first wave of calls and waits for
 * them (no new call for `quietMilliseconds`), or finishes without any (everything cached); then
 * cancels it. Returns the batch lines.
 */
export async function captureRequests(
  model: CapturingModel,
  run: (signal: AbortSignal) => Promise<unknown>,
  { signal, quietMilliseconds = 50 }: { signal: AbortSignal; quietMilliseconds?: number },
): Promise<BatchRequestLine[]> {
  const phase = new AbortController();
  const stop = () => phase.abort();
  signal.addEventListener('abort', stop, { once: true });
  let settled = false;
  let failure: unknown;
  const running = run(AbortSignal.any([signal, phase.signal])).then(
    () => (settled = true),
    (error: unknown) => {
      settled = true;
      if (!phase.signal.aborted) failure = error;
    },
  );
  try {
    while (!settled && model.quietFor() < quietMilliseconds) {
      if (signal.aborted) throw cancelledError();
      await new Promise((resolve) => setTimeout(resolve, Math.max(5, quietMilliseconds / 5)));
    }
    phase.abort();
    await running;
  } finally {
    signal.removeEventListener('abort', stop);
  }
  if (signal.aborted) throw cancelledError();
  if (failure !== undefined) throw failure;
  return model.lines;
}
