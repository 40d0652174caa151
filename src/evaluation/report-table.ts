// The report as plain-text tables for the terminal: one per suite, a row per profile and mode.
import type { EvaluationReport } from './run-evaluation.js';
import { count, errorSummary, money, percent, proportionWithInterval, seconds } from './report-format.js';
import { attackPositions } from './injection-suite.js';
import { checkKinds } from './translation-suite.js';

function table(header: string[], rows: string[][]): string {
  const widths = header.map((cell, column) => Math.max(cell.length, ...rows.map((row) => (row[column] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((width) => '-'.repeat(width)).join('  '), ...rows.map(line)].join('\n');
}

export function formatReportTables(report: EvaluationReport): string {
  const sections: string[] = [];
  const samples = report.samples;
  sections.push(
    `Evaluation of ${report.date} (seed ${report.seed}, data ${report.dataFolder}). Intervals are 95% (Wilson).` +
      (report.command === undefined ? '' : `\nCommand: ${report.command}`),
  );
  for (const profile of report.profiles) {
    if (profile.error !== undefined) sections.push(`${profile.name}: could not start: ${profile.error}`);
    for (const [suite, message] of Object.entries(profile.suiteErrors)) sections.push(`${profile.name}: ${suite} failed: ${message}`);
  }

  const classificationRows = report.profiles.flatMap((profile) =>
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
      money(mode.costPer1000Rows),
      errorSummary(mode.errors),
    ]),
  );
  if (classificationRows.length > 0) {
    sections.push(
      `Classification: banking77, ${count(samples.classification?.rows ?? 0)} rows, ${samples.classification?.labels ?? 0} labels\n` +
        table(
          [
            'profile',
            'provider / model',
            'mode',
            'rows',
            'accuracy (95% CI)',
            'macro-F1',
            'no label',
            'requests',
            'prompt tok',
            'answer tok',
            'wall',
            'cost/1k rows',
            'errors',
          ],
          classificationRows,
        ),
    );
  }

  const translationRows = report.profiles.flatMap((profile) =>
    (profile.translation?.legs ?? []).map((leg, index) => [
      profile.name,
      leg.direction,
      ...checkKinds.map((kind) => proportionWithInterval(leg.checks[kind])),
      count(leg.failedParagraphs),
      index === 0 && profile.translation !== undefined ? profile.translation.roundTripChrf.toFixed(1) : '',
      index === 0 && profile.translation !== undefined ? seconds(profile.translation.wallMilliseconds) : '',
      index === 0 && profile.translation !== undefined ? money(profile.translation.cost) : '',
      errorSummary(leg.errors),
    ]),
  );
  if (translationRows.length > 0) {
    sections.push(
      `Translation: German ⇄ English, ${samples.translation?.paragraphs ?? 0} paragraph(s) (kept in the output: share of the input's items)\n` +
        table(['profile', 'leg', ...checkKinds, 'failed', 'round-trip chrF', 'wall', 'cost', 'errors'], translationRows),
    );
  }

  const injectionRows = report.profiles.flatMap((profile) =>
    (profile.injection?.results ?? []).map((result) => [
      profile.name,
      result.operation,
      result.mode,
      proportionWithInterval(result.rates.successRate),
      ...attackPositions.map((position) => {
        const rate = result.rates.byPosition[position];
        return rate.total === 0 ? 'n/a' : `${percent(rate.value, 0)} of ${rate.total}`;
      }),
      count(result.rates.failedCases),
      errorSummary(result.rates.errors),
    ]),
  );
  if (injectionRows.length > 0) {
    sections.push(
      `Injection: BIPIA attacks in real emails, ${samples.injection?.cases ?? 0} cases per operation and mode (attack success rate: lower is better)\n` +
        table(['profile', 'operation', 'defences', 'attack success (95% CI)', ...attackPositions, 'no answer', 'errors'], injectionRows),
    );
  }
  return `${sections.join('\n\n')}\n`;
}
