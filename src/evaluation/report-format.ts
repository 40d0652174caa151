// Numbers as the report shows them, shared by the console table and the HTML page.
import type { Proportion } from './metrics.js';

export const percent = (value: number, digits = 1): string => `${(value * 100).toFixed(digits)}%`;

/** "92.5% (88.1–95.4)": the value and its 95% interval. */
export const proportionWithInterval = (proportion: Proportion): string =>
  proportion.total === 0 ? 'n/a' : `${percent(proportion.value)} (${percent(proportion.low)}–${percent(proportion.high)})`;

export const money = (value: number | undefined): string => (value === undefined ? 'no prices' : `${value < 0.01 ? value.toFixed(5) : value.toFixed(4)}`);

export const seconds = (milliseconds: number): string => `${(milliseconds / 1000).toFixed(milliseconds < 10_000 ? 2 : 1)} s`;

export const count = (value: number): string => value.toLocaleString('en-US');

/** "PROVIDER_TIMEOUT ×3, INVALID_MODEL_OUTPUT ×1", or "–". */
export const errorSummary = (errors: Record<string, number>): string => {
  const entries = Object.entries(errors);
  return entries.length === 0 ? '–' : entries.map(([code, times]) => `${code} ×${times}`).join(', ');
};
