// How long the provider takes per request, learnt from the answers it gave: the last answers' latency
// against their completion tokens, fitted as a fixed part (queueing, time to first token) plus a part
// per token (decoding). A run estimate asks it how long a request of a given answer size will take.
// Recent answers only: a provider's speed drifts with its load through the day.

/** Answers kept: enough for a stable fit, few enough to follow a change within a run or two. */
const sampleCount = 64;

export interface PaceSample {
  seconds: number;
  completionTokens: number;
}

export interface LatencySnapshot {
  /** Answers measured (at most the window). */
  samples: number;
  /** The window's mean latency per request, in seconds; undefined before the first answer. */
  secondsPerRequest: number | undefined;
  /** The window's completion tokens per second of latency; undefined before the first answer. */
  completionTokensPerSecond: number | undefined;
}

export class UpstreamPace {
  private readonly samples: PaceSample[] = [];
  private next = 0;

  observe(seconds: number, completionTokens: number): void {
    if (!Number.isFinite(seconds) || seconds < 0) return;
    const sample = { seconds, completionTokens: Math.max(0, completionTokens) };
    if (this.samples.length < sampleCount) this.samples.push(sample);
    else this.samples[this.next] = sample;
    this.next = (this.next + 1) % sampleCount;
  }

  snapshot(): LatencySnapshot {
    const seconds = this.samples.reduce((sum, sample) => sum + sample.seconds, 0);
    const tokens = this.samples.reduce((sum, sample) => sum + sample.completionTokens, 0);
    return {
      samples: this.samples.length,
      secondsPerRequest: this.samples.length === 0 ? undefined : seconds / this.samples.length,
      completionTokensPerSecond: seconds > 0 ? tokens / seconds : undefined,
    };
  }

  /** Expected latency of a request whose answer has `completionTokens`; undefined before any answer was measured. */
  requestSeconds(completionTokens: number): number | undefined {
    const fit = linearFit(this.samples);
    if (fit !== undefined) return fit.fixed + fit.perToken * completionTokens;
    const { secondsPerRequest } = this.snapshot();
    return secondsPerRequest;
  }
}

/**
 * Least squares of latency on completion tokens, when the answers differ enough in size to tell the
 * fixed part from the per-token part and both come out non-negative; otherwise undefined (the mean serves).
 */
function linearFit(samples: readonly PaceSample[]): { fixed: number; perToken: number } | undefined {
  if (samples.length < 3) return undefined;
  const meanTokens = samples.reduce((sum, sample) => sum + sample.completionTokens, 0) / samples.length;
  const meanSeconds = samples.reduce((sum, sample) => sum + sample.seconds, 0) / samples.length;
  let covariance = 0;
  let variance = 0;
  for (const sample of samples) {
    covariance += (sample.completionTokens - meanTokens) * (sample.seconds - meanSeconds);
    variance += (sample.completionTokens - meanTokens) ** 2;
  }
  const spread = Math.sqrt(variance / samples.length);
  if (spread < Math.max(5, meanTokens * 0.1)) return undefined;
  const perToken = covariance / variance;
  const fixed = meanSeconds - perToken * meanTokens;
  return perToken >= 0 && fixed >= 0 ? { fixed, perToken } : undefined;
}
