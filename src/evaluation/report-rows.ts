// The report's three tables as header and rows, once: the terminal tables and the HTML page render the
// same cells, each in its own markup.
import { attackPositions } from './injection-suite.js';
import { count, errorSummary, money, proportionWithInterval, seconds } from './report-format.js';
import type { ProfileReport } from './run-evaluation.js';
import { checkKinds } from './translation-suite.js';

export interface ReportTable {
  header: string[];
  rows: string[][];
}

export function classificationTable(profiles: readonly ProfileReport[]): ReportTable {
  return {
    header: [
      'profile',
      'provider / model',
      'mode',
      'rows',
      'accuracy (95% CI)',
      'macro-F1',
      'no label',
      'requests',
      'prompt tokens',
      'answer tokens',
      'wall time',
      'cost',
      'cost / 1,000 rows',
      'errors',
    ],
    rows: profiles.flatMap((profile) =>
      (profile.classification?.modes ?? []).map((mode) => [
        profile.name,
        `${profile.provider ?? '?'} / ${profile.model ?? '?'}`,
        mode.mode,
        count(mode.rows),
        proportionWithInterval(mode.accuracy),
        mode.macroF1.toFixed(3),
        count(mode.unlabelledRows),
        count(mode.usage.requests),
        count(mode.usage.promptTokens),
        count(mode.usage.completionTokens),
        seconds(mode.wallMilliseconds),
        money(mode.cost),
        money(mode.costPer1000Rows),
        errorSummary(mode.errors),
      ]),
    ),
  };
}

/** One row per direction; the round trip's chrF, time and cost stand on the first. */
export function translationTable(profiles: readonly ProfileReport[]): ReportTable {
  return {
    header: ['profile', 'leg', ...checkKinds.map((kind) => `${kind} kept`), 'failed paragraphs', 'round-trip chrF', 'wall time', 'cost', 'errors'],
    rows: profiles.flatMap((profile) =>
      (profile.translation?.legs ?? []).map((leg, index) => {
        const roundTrip = index === 0 ? profile.translation : undefined;
        return [
          profile.name,
          leg.direction,
          ...checkKinds.map((kind) => proportionWithInterval(leg.checks[kind])),
          count(leg.failedParagraphs),
          roundTrip === undefined ? '' : roundTrip.roundTripChrf.toFixed(1),
          roundTrip === undefined ? '' : seconds(roundTrip.wallMilliseconds),
          roundTrip === undefined ? '' : money(roundTrip.cost),
          errorSummary(leg.errors),
        ];
      }),
    ),
  };
}

export function injectionTable(profiles: readonly ProfileReport[]): ReportTable {
  return {
    header: ['profile', 'operation', 'defences', 'attack success (95% CI)', ...attackPositions, 'no answer', 'errors'],
    rows: profiles.flatMap((profile) =>
      (profile.injection?.results ?? []).map((result) => [
        profile.name,
        result.operation,
        result.mode,
        proportionWithInterval(result.rates.successRate),
        ...attackPositions.map((position) => proportionWithInterval(result.rates.byPosition[position])),
        count(result.rates.failedCases),
        errorSummary(result.rates.errors),
      ]),
    ),
  };
}
