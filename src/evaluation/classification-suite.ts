// Classification: the same rows and labels through the batched engine (all rows in one classify
// run, as the Excel pane sends a sheet: the operation packs them into token-sized requests) and one
// row per request (a classify run per row, as a naive client would), with the same model. The
// difference between the two is the measured cost, in accuracy, of batching.
import type { LabelledRow } from './data-sets.js';
import { accuracy, costOf, macroF1, type LabelledPrediction, type Prices, type Proportion } from './metrics.js';
import { failureCode, measured, runClassify, type EvaluationContext, type MeasuredUsage } from './run-operation.js';

export type ClassificationMode = 'batched' | 'per-row';

export interface ClassificationModeResult {
  mode: ClassificationMode;
  rows: number;
  accuracy: Proportion;
  macroF1: number;
  /** Rows that came back without a label (an error), counted as wrong. */
  unlabelledRows: number;
  /** Stable error codes of the unlabelled rows, with how often each came. */
  errors: Record<string, number>;
  usage: MeasuredUsage;
  wallMilliseconds: number;
  /** Undefined when the profile has no prices. */
  cost: number | undefined;
  costPer1000Rows: number | undefined;
  secondsPer1000Rows: number;
  /** Per row in sample order: the gold label and the answer (null: none). */
  predictions: LabelledPrediction[];
}

export interface ClassificationSuiteResult {
  labels: number;
  modes: ClassificationModeResult[];
}

export async function runClassificationSuite(
  rows: readonly LabelledRow[],
  labels: string[],
  context: EvaluationContext,
  prices: Prices | undefined,
  modes: readonly ClassificationMode[] = ['batched', 'per-row'],
): Promise<ClassificationSuiteResult> {
  const results: ClassificationModeResult[] = [];
  for (const mode of modes) results.push(await runMode(mode, rows, labels, context, prices));
  return { labels: labels.length, modes: results };
}

async function runMode(
  mode: ClassificationMode,
  rows: readonly LabelledRow[],
  labels: string[],
  context: EvaluationContext,
  prices: Prices | undefined,
): Promise<ClassificationModeResult> {
  const errors: Record<string, number> = {};
  const countError = (code: string, count = 1) => {
    errors[code] = (errors[code] ?? 0) + count;
  };
  const {
    result: answers,
    usage,
    wallMilliseconds,
  } = await measured(context, async (measuredContext) => {
    if (mode === 'batched') {
      try {
        const response = await runClassify({ items: rows.map((row) => row.text), labels }, measuredContext);
        return response.results.map((result) => {
          if (result.label === null) countError(result.error?.code ?? 'INTERNAL_ERROR');
          return result.label;
        });
      } catch (error) {
        // The whole run failed (the provider could serve nothing): every row is unlabelled.
        countError(failureCode(error), rows.length);
        return rows.map(() => null);
      }
    }
    // One request per row; the resilience wrapper's governor bounds how many run at once (LLM_MAX_CONCURRENCY).
    return Promise.all(
      rows.map(async (row) => {
        try {
          const response = await runClassify({ items: [row.text], labels }, measuredContext);
          const result = response.results[0];
          if (result?.label == null) countError(result?.error?.code ?? 'INTERNAL_ERROR');
          return result?.label ?? null;
        } catch (error) {
          countError(failureCode(error));
          return null;
        }
      }),
    );
  });
  const predictions = rows.map((row, index) => ({ gold: row.label, predicted: answers[index] ?? null }));
  const cost = costOf(usage.promptTokens, usage.completionTokens, prices);
  return {
    mode,
    rows: rows.length,
    accuracy: accuracy(predictions),
    macroF1: macroF1(predictions),
    unlabelledRows: predictions.filter((prediction) => prediction.predicted === null).length,
    errors,
    usage,
    wallMilliseconds,
    cost,
    costPer1000Rows: cost === undefined || rows.length === 0 ? undefined : (cost / rows.length) * 1000,
    secondsPer1000Rows: rows.length === 0 ? 0 : (wallMilliseconds / 1000 / rows.length) * 1000,
    predictions,
  };
}
