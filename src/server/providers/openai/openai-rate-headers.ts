// Reads the rate-limit headers OpenAI and Azure OpenAI send with every answer, 429s included:
// x-ratelimit-{limit,remaining,reset}-{requests,tokens}. OpenAI writes the reset as a Go duration
// ("1s", "6m0s", "20ms", "1h2m3.5s"); Azure sends at least the remaining counts. Servers that send
// none (Ollama, vLLM, llama.cpp) give undefined, and the governor falls back to AIMD on 429/5xx.
import type { ProviderRateLimits, RateLimitWindow } from '../language-model.js';

export function rateLimitsFromHeaders(headers: Headers | undefined): ProviderRateLimits | undefined {
  if (headers === undefined) return undefined;
  const requests = windowFromHeaders(headers, 'requests');
  const tokens = windowFromHeaders(headers, 'tokens');
  if (requests === undefined && tokens === undefined) return undefined;
  return { requests, tokens };
}

function windowFromHeaders(headers: Headers, kind: 'requests' | 'tokens'): RateLimitWindow | undefined {
  const limit = nonNegativeNumber(headers.get(`x-ratelimit-limit-${kind}`));
  const remaining = nonNegativeNumber(headers.get(`x-ratelimit-remaining-${kind}`));
  const resetMilliseconds = durationMilliseconds(headers.get(`x-ratelimit-reset-${kind}`));
  if (limit === undefined && remaining === undefined && resetMilliseconds === undefined) return undefined;
  return { limit, remaining, resetMilliseconds };
}

function nonNegativeNumber(value: string | null): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const number = Number(value);
  return Number.isFinite(number) && number >= 0 ? number : undefined;
}

const durationUnits: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1, us: 0.001, µs: 0.001, ns: 0.000_001 };

/** A Go duration ("6m0s", "20ms", "1.5s") or plain seconds ("2", as some proxies send) in milliseconds. */
export function durationMilliseconds(value: string | null): number | undefined {
  if (value === null) return undefined;
  const text = value.trim();
  if (text === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text) * 1000;
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(h|ms|m|s|us|µs|ns)/gu)];
  // Every character must belong to a number-unit pair: anything else is not a duration we understand.
  if (parts.length === 0 || parts.map((part) => part[0]).join('') !== text) return undefined;
  return parts.reduce((total, [, amount = '0', unit = 's']) => total + Number(amount) * (durationUnits[unit] ?? 0), 0);
}
