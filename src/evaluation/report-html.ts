// The report as one self-contained HTML page: no script, no external file, charts as inline SVG
// (accuracy against cost per 1,000 rows and against time, with each accuracy's 95% interval as a
// bar; attack success with and without defences), then the tables. Every text from the run (profile
// names, error messages) is escaped.
import type { ClassificationModeResult } from './classification-suite.js';
import { injectionOperations } from './injection-suite.js';
import type { EvaluationReport, ProfileReport } from './run-evaluation.js';
import { count, percent, proportionWithInterval } from './report-format.js';
import { classificationTable, injectionTable, translationTable, type ReportTable } from './report-rows.js';

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

const palette = ['#0f6cbd', '#c4314b', '#107c10', '#8764b8', '#ca5010', '#038387', '#5c2e91', '#986f0b'];

interface Point {
  profileIndex: number;
  label: string;
  mode: ClassificationModeResult['mode'];
  x: number;
  y: number;
  low: number;
  high: number;
}

const chartWidth = 560;
const chartHeight = 320;
const margin = { left: 64, right: 44, top: 16, bottom: 48 };

function niceMaximum(value: number): number {
  if (value <= 0) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 2.5, 5, 10]) if (step * magnitude >= value) return step * magnitude;
  return 10 * magnitude;
}

function formatTick(value: number): string {
  if (value === 0) return '0';
  if (Math.abs(value) >= 100) return Math.round(value).toLocaleString('en-US');
  if (Math.abs(value) >= 1) return value.toFixed(1).replace(/\.0$/, '');
  return value.toPrecision(2);
}

/** A scatter plot of accuracy (0–100%) against `xTitle`, each point with its interval. */
function scatterChart(id: string, title: string, xTitle: string, points: Point[]): string {
  const plotWidth = chartWidth - margin.left - margin.right;
  const plotHeight = chartHeight - margin.top - margin.bottom;
  const xMaximum = niceMaximum(Math.max(0, ...points.map((point) => point.x)) * 1.1);
  const xOf = (value: number) => margin.left + (value / xMaximum) * plotWidth;
  const yOf = (value: number) => margin.top + (1 - value) * plotHeight;
  const parts: string[] = [];
  for (let tick = 0; tick <= 4; tick += 1) {
    const y = yOf(tick / 4);
    parts.push(`<line x1="${margin.left}" x2="${chartWidth - margin.right}" y1="${y}" y2="${y}" class="grid"/>`);
    parts.push(`<text x="${margin.left - 8}" y="${y + 4}" text-anchor="end">${(tick * 25).toString()}%</text>`);
    const x = xOf((xMaximum * tick) / 4);
    parts.push(`<line x1="${x}" x2="${x}" y1="${margin.top}" y2="${chartHeight - margin.bottom}" class="grid"/>`);
    parts.push(`<text x="${x}" y="${chartHeight - margin.bottom + 16}" text-anchor="middle">${formatTick((xMaximum * tick) / 4)}</text>`);
  }
  parts.push(`<text x="${margin.left + plotWidth / 2}" y="${chartHeight - 8}" text-anchor="middle" class="axis-title">${escapeHtml(xTitle)}</text>`);
  parts.push(
    `<text x="14" y="${margin.top + plotHeight / 2}" text-anchor="middle" class="axis-title" transform="rotate(-90 14 ${margin.top + plotHeight / 2})">accuracy</text>`,
  );
  for (const [index, point] of points.entries()) {
    const color = palette[point.profileIndex % palette.length] ?? '#000';
    const x = xOf(point.x);
    const description = `${point.label} (${point.mode}): accuracy ${percent(point.y)} (${percent(point.low)}–${percent(point.high)}), ${xTitle} ${formatTick(point.x)}`;
    parts.push(`<g class="point" data-mode="${point.mode}"><title>${escapeHtml(description)}</title>`);
    parts.push(`<line x1="${x}" x2="${x}" y1="${yOf(point.low)}" y2="${yOf(point.high)}" stroke="${color}" stroke-width="2"/>`);
    parts.push(
      point.mode === 'batched'
        ? `<circle cx="${x}" cy="${yOf(point.y)}" r="6" fill="${color}"/>`
        : `<rect x="${x - 5}" y="${yOf(point.y) - 5}" width="10" height="10" fill="none" stroke="${color}" stroke-width="2"/>`,
    );
    // Points often share a place (same accuracy, similar cost): their labels are stacked, not overprinted.
    parts.push(`<text x="${x + 9}" y="${yOf(point.y) - 7 - (index % 4) * 11}" class="point-label">${escapeHtml(`${point.label} · ${point.mode}`)}</text></g>`);
  }
  return (
    `<figure><svg data-chart="${id}" role="img" aria-labelledby="${id}-title" viewBox="0 0 ${chartWidth} ${chartHeight}" width="${chartWidth}" height="${chartHeight}">` +
    `<title id="${id}-title">${escapeHtml(title)}</title>${parts.join('')}</svg><figcaption>${escapeHtml(title)}. ● batched engine, □ one row per request; bars: 95% interval.</figcaption></figure>`
  );
}

/** Grouped bars: attack success per operation, with and without defences, for each profile. */
function injectionChart(profiles: ProfileReport[]): string {
  const groups = profiles.flatMap((profile, profileIndex) =>
    injectionOperations
      .filter((operation) => profile.injection?.results.some((result) => result.operation === operation))
      .map((operation) => ({
        label: `${profile.name} · ${operation}`,
        profileIndex,
        defended: profile.injection?.results.find((result) => result.operation === operation && result.mode === 'defended')?.rates.successRate,
        undefended: profile.injection?.results.find((result) => result.operation === operation && result.mode === 'undefended')?.rates.successRate,
      })),
  );
  const rowHeight = 34;
  const height = margin.top + groups.length * rowHeight + 40;
  const left = 220;
  const plotWidth = chartWidth - left - margin.right;
  const parts: string[] = [];
  for (let tick = 0; tick <= 4; tick += 1) {
    const x = left + (plotWidth * tick) / 4;
    parts.push(`<line x1="${x}" x2="${x}" y1="${margin.top}" y2="${height - 36}" class="grid"/>`);
    parts.push(`<text x="${x}" y="${height - 20}" text-anchor="middle">${(tick * 25).toString()}%</text>`);
  }
  groups.forEach((group, index) => {
    const y = margin.top + index * rowHeight;
    parts.push(`<text x="${left - 8}" y="${y + 20}" text-anchor="end">${escapeHtml(group.label)}</text>`);
    const color = palette[group.profileIndex % palette.length] ?? '#000';
    for (const [offset, mode, rate] of [
      [2, 'defended', group.defended],
      [16, 'undefended', group.undefended],
    ] as const) {
      if (rate === undefined || rate.total === 0) continue;
      const width = Math.max(1, rate.value * plotWidth);
      parts.push(
        `<rect class="bar" data-mode="${mode}" x="${left}" y="${y + offset}" width="${width}" height="12" fill="${color}" fill-opacity="${mode === 'defended' ? 1 : 0.35}"><title>${escapeHtml(
          `${group.label}, ${mode}: ${proportionWithInterval(rate)} of ${rate.total}`,
        )}</title></rect>`,
      );
    }
  });
  parts.push(`<text x="${left + plotWidth / 2}" y="${height - 4}" text-anchor="middle" class="axis-title">attack success rate</text>`);
  return (
    `<figure><svg data-chart="injection" role="img" aria-labelledby="injection-title" viewBox="0 0 ${chartWidth} ${height}" width="${chartWidth}" height="${height}">` +
    `<title id="injection-title">Attack success with and without defences</title>${parts.join('')}</svg>` +
    `<figcaption>Attack success rate per operation: solid bar with the defences, pale bar without them. Lower is better.</figcaption></figure>`
  );
}

function htmlTable({ header, rows }: ReportTable): string {
  return `<table><thead><tr>${header.map((cell) => `<th scope="col">${escapeHtml(cell)}</th>`).join('')}</tr></thead><tbody>${rows
    .map((row) => `<tr>${row.map((cell) => `<td>${escapeHtml(cell)}</td>`).join('')}</tr>`)
    .join('')}</tbody></table>`;
}

export function renderReportHtml(report: EvaluationReport): string {
  const sections: string[] = [];
  const profiles = report.profiles;
  const points = profiles.flatMap((profile, profileIndex) => (profile.classification?.modes ?? []).map((mode) => ({ profile, profileIndex, mode })));
  const priced = points.length > 0 && points.every(({ mode }) => mode.costPer1000Rows !== undefined);
  const toPoint = (profileIndex: number, label: string, mode: ClassificationModeResult, x: number): Point => ({
    profileIndex,
    label,
    mode: mode.mode,
    x,
    y: mode.accuracy.value,
    low: mode.accuracy.low,
    high: mode.accuracy.high,
  });

  const problems = profiles.flatMap((profile) => [
    ...(profile.error === undefined ? [] : [`${profile.name} could not start: ${profile.error}`]),
    ...Object.entries(profile.suiteErrors).map(([suite, message]) => `${profile.name}: ${suite} failed: ${message}`),
  ]);
  if (problems.length > 0)
    sections.push(`<section class="problems"><h2>Problems</h2><ul>${problems.map((problem) => `<li>${escapeHtml(problem)}</li>`).join('')}</ul></section>`);

  if (points.length > 0) {
    const classification = report.samples.classification;
    const costPoints = points.map(({ profile, profileIndex, mode }) =>
      toPoint(
        profileIndex,
        profile.name,
        mode,
        priced ? (mode.costPer1000Rows ?? 0) : ((mode.usage.promptTokens + mode.usage.completionTokens) / mode.rows) * 1000,
      ),
    );
    const timePoints = points.map(({ profile, profileIndex, mode }) => toPoint(profileIndex, profile.name, mode, mode.secondsPer1000Rows));
    sections.push(
      `<section><h2>Classification</h2><p>banking77: ${count(classification?.rows ?? 0)} rows, ${count(classification?.labels ?? 0)} labels, the batched engine and one row per request with the same model.` +
        (priced ? '' : ' No prices configured for every profile, so the first chart shows tokens per 1,000 rows instead of cost.') +
        `</p><div class="charts">${scatterChart(
          'accuracy-cost',
          priced ? 'Accuracy against cost per 1,000 rows' : 'Accuracy against tokens per 1,000 rows',
          priced ? 'cost per 1,000 rows' : 'tokens per 1,000 rows',
          costPoints,
        )}${scatterChart('accuracy-time', 'Accuracy against time per 1,000 rows', 'seconds per 1,000 rows', timePoints)}</div>` +
        htmlTable(classificationTable(profiles)) +
        '</section>',
    );
  }

  const translated = profiles.filter((profile) => profile.translation !== undefined);
  if (translated.length > 0) {
    sections.push(
      `<section><h2>Translation</h2><p>German ⇄ English, ${count(report.samples.translation?.paragraphs ?? 0)} paragraph(s). Kept: the share of the input's numbers, URLs, listed names and glossary terms found in the output. Round-trip chrF: the German back translation against the German source (0–100, reference-free; sacrebleu's chrF2).</p>` +
        htmlTable(translationTable(translated)) +
        '</section>',
    );
  }

  const attacked = profiles.filter((profile) => profile.injection !== undefined);
  if (attacked.length > 0) {
    sections.push(
      `<section><h2>Injection resistance</h2><p>BIPIA attacks at the start, middle and end of real emails, ${count(report.samples.injection?.cases ?? 0)} cases per operation, with the operations' defences (fenced data, the data-only rule) and without them. Success: the label the attack asked for, or the code word it asked for in the answer; a lower bound.</p>` +
        injectionChart(attacked) +
        htmlTable(injectionTable(attacked)) +
        '</section>',
    );
  }

  const facts = htmlTable({
    header: ['profile', 'provider', 'model', 'prices per million tokens (input / output)'],
    rows: profiles.map((profile) => [
      profile.name,
      profile.provider ?? '–',
      profile.model ?? '–',
      profile.prices === undefined ? 'not configured' : `${profile.prices.inputPerMillionTokens} / ${profile.prices.outputPerMillionTokens}`,
    ]),
  });
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>LLM evaluation — ${escapeHtml(report.date)}</title>
<style>
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:2rem auto;max-width:1200px;padding:0 1rem;color:#242424}
h1{font-size:1.6rem}h2{font-size:1.25rem;margin-top:2.5rem;border-bottom:1px solid #d1d1d1}
table{border-collapse:collapse;margin:1rem 0;font-size:.85rem}th,td{border:1px solid #d1d1d1;padding:.3rem .5rem;text-align:left}th{background:#f5f5f5}
.charts{display:flex;flex-wrap:wrap;gap:1rem}figure{margin:0}figcaption{font-size:.8rem;color:#616161;max-width:560px}
svg text{font-size:11px;fill:#424242}svg .axis-title{font-size:12px;fill:#242424}svg .grid{stroke:#e0e0e0}svg .point-label{font-size:10px}
.problems{background:#fdf3f4;padding:.5rem 1rem}
</style></head><body>
<h1>LLM evaluation</h1>
<p>Run ${escapeHtml(report.date)} · seed ${report.seed} · Node ${escapeHtml(report.node)} · data ${escapeHtml(report.dataFolder)}${report.command === undefined ? '' : ` · <code>${escapeHtml(report.command)}</code>`}</p>
<p>Every accuracy comes with its 95% interval (Wilson): with a sample of n rows, differences inside the intervals are not evidence.</p>
${facts}
${sections.join('\n')}
</body></html>
`;
}
