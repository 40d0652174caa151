// The report as plain-text tables for the terminal: one per suite, a row per profile and mode.
import type { EvaluationReport } from './run-evaluation.js';
import { count } from './report-format.js';
import { classificationTable, injectionTable, translationTable } from './report-rows.js';

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

  const classification = classificationTable(report.profiles);
  if (classification.rows.length > 0) {
    sections.push(
      `Classification: banking77, ${count(samples.classification?.rows ?? 0)} rows, ${samples.classification?.labels ?? 0} labels\n` +
        table(classification.header, classification.rows),
    );
  }

  const translation = translationTable(report.profiles);
  if (translation.rows.length > 0) {
    sections.push(
      `Translation: German ⇄ English, ${samples.translation?.paragraphs ?? 0} paragraph(s) (kept in the output: share of the input's items)\n` +
        table(translation.header, translation.rows),
    );
  }

  const injection = injectionTable(report.profiles);
  if (injection.rows.length > 0) {
    sections.push(
      `Injection: BIPIA attacks in real emails, ${samples.injection?.cases ?? 0} cases per operation and mode (attack success rate: lower is better)\n` +
        table(injection.header, injection.rows),
    );
  }
  return `${sections.join('\n\n')}\n`;
}
