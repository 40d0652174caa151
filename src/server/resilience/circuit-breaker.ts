// The circuit breaker in front of the provider, one per BFF instance and shared by every request
// (cockatiel's CircuitBreakerPolicy with a ConsecutiveBreaker). After `failureThreshold` provider
// failures in a row (5xx, timeouts, dropped or refused connections) it opens: for the cool-down every
// call fails at once with 503 PROVIDER_UNAVAILABLE and Retry-After, without reaching the provider and
// without retries, so an outage costs a handful of calls instead of every batch's retries. After the
// cool-down the next call is the probe (half-open; calls arriving meanwhile wait for its outcome): its
// success closes the breaker, its failure opens it for another cool-down.
//
// What counts: only failures that say the provider cannot serve. An answer that refuses this request
// (400, 401/403, 404, 413, 429) proves the provider is up and breaks the streak, like a success; a
// client's abort says nothing about the provider and is not counted (a cancelled probe closes the
// breaker, as cockatiel treats any uncounted error; if the provider is still down, the next
// `failureThreshold` calls open it again).
import { BrokenCircuitError, circuitBreaker, ConsecutiveBreaker, handleWhen, type CircuitBreakerPolicy } from 'cockatiel';
import type { ErrorCode } from '../../contract/error-codes.js';
import { AppError, isAppError } from '../errors.js';

export interface CircuitBreakerSettings {
  /** Provider failures in a row that open the breaker (LLM_BREAKER_FAILURES). */
  failureThreshold: number;
  /** How long it stays open before one probe call may try the provider again (LLM_BREAKER_COOLDOWN_MS). */
  cooldownMilliseconds: number;
}

/** Five in a row: one call's attempts with the default four retries, never a run of sparse faults (6% each: 1 in a million). */
export const defaultCircuitBreakerSettings: CircuitBreakerSettings = { failureThreshold: 5, cooldownMilliseconds: 30_000 };

const providerFailureCodes: readonly ErrorCode[] = ['PROVIDER_ERROR', 'PROVIDER_UNAVAILABLE', 'PROVIDER_TIMEOUT'];
/** The provider answered, and refused this request: it is up. */
const providerAnsweredCodes: readonly ErrorCode[] = ['PROVIDER_RATE_LIMITED', 'PROVIDER_REJECTED_REQUEST', 'PROVIDER_AUTH_FAILED', 'INPUT_TOO_LARGE'];

/** The errors this breaker made (it is open), so the retry policy never retries them. */
const circuitOpenErrors = new WeakSet<AppError>();

export function isCircuitOpenError(error: unknown): boolean {
  return isAppError(error) && circuitOpenErrors.has(error);
}

/** A failure that says the provider cannot serve now: counted towards opening the breaker. */
export function isProviderFailure(error: unknown): boolean {
  return isAppError(error) && providerFailureCodes.includes(error.code) && !circuitOpenErrors.has(error);
}

export class ProviderCircuitBreaker {
  private readonly policy: CircuitBreakerPolicy;
  private open = false;
  private openedAt = 0;

  constructor(private readonly settings: CircuitBreakerSettings) {
    this.policy = circuitBreaker(handleWhen(isProviderFailure), {
      halfOpenAfter: settings.cooldownMilliseconds,
      breaker: new ConsecutiveBreaker(settings.failureThreshold),
    });
    this.policy.onBreak(() => {
      this.open = true;
      this.openedAt = Date.now();
    });
    // Fired just before the probe runs, so the probe itself is not refused by throwIfOpen.
    this.policy.onHalfOpen(() => (this.open = false));
    this.policy.onReset(() => (this.open = false));
  }

  /** True from the moment it opens until the probe starts. */
  get isOpen(): boolean {
    return this.open;
  }

  /**
   * Runs one provider call. While open it throws the breaker's 503 at once, before `call` (and so
   * before waiting for a governor slot); a failure that finds the breaker open afterwards (the call
   * that opened it, calls in flight then) ends as that 503 too, which the retry policy does not retry.
   */
  async execute<T>(call: () => Promise<T>): Promise<T> {
    let outcome: { value: T } | { refusal: unknown };
    try {
      outcome = await this.policy.execute(async () => {
        try {
          return { value: await call() };
        } catch (error) {
          // Returned, not thrown: cockatiel counts it as a success, which ends a run of failures.
          if (isAppError(error) && providerAnsweredCodes.includes(error.code)) return { refusal: error };
          throw error;
        }
      });
    } catch (error) {
      if (error instanceof BrokenCircuitError) throw this.openError(undefined);
      if (this.open && isProviderFailure(error)) throw this.openError(error);
      throw error;
    }
    if ('refusal' in outcome) throw outcome.refusal;
    return outcome.value;
  }

  /** For a call that waited (for a governor slot) while the breaker opened: it must not go out now. */
  throwIfOpen(): void {
    if (this.open) throw this.openError(undefined);
  }

  private openError(cause: unknown): AppError {
    const remaining = this.openedAt + this.settings.cooldownMilliseconds - Date.now();
    const seconds = Math.max(1, Math.ceil(remaining / 1000));
    const error = new AppError(
      'PROVIDER_UNAVAILABLE',
      `The LLM provider is failing, so the server has paused calls to it. Try again in ${seconds} seconds; ` +
        `if it persists, an administrator should check the provider's status.`,
      { retryAfterSeconds: seconds, cause },
    );
    circuitOpenErrors.add(error);
    return error;
  }
}
