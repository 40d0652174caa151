// npm run eval -- --profile openai:gpt-4o-mini --profile local [--rows 200] [--injection-cases 75]
//   [--paragraphs N] [--suites classification,translation,injection] [--data folder] [--out folder] [--seed 1]
// Runs the BFF's operations through each profile's provider on the evaluation sets, prints the tables
// and writes report.json and report.html. See README "Which provider and model: npm run eval".
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { bundledDataFolder } from '../src/evaluation/data-sets.js';
import { injectionOperations, type InjectionOperation } from '../src/evaluation/injection-suite.js';
import { environmentProfile, parseProfile, redactSecrets } from '../src/evaluation/profiles.js';
import { renderReportHtml } from '../src/evaluation/report-html.js';
import { formatReportTables } from '../src/evaluation/report-table.js';
import { runEvaluation, suiteNames, type SuiteName } from '../src/evaluation/run-evaluation.js';
import { isAppError } from '../src/server/errors.js';

const usage = `Usage: npm run eval -- --profile <profile> [--profile <profile> …] [options]

Profiles (each a set of the BFF's environment variables, laid over this shell's):
  openai:<model>  azure:<deployment>  local[:<gguf path or model URI>]  ollama:<model>
  compatible:<model>@<base URL>   or KEY=VALUE pairs; add ,KEY=VALUE to any of them, e.g.
  --profile "openai:gpt-4o-mini,LLM_PRICE_INPUT_PER_MTOK=0.15,LLM_PRICE_OUTPUT_PER_MTOK=0.60"
  Without --profile: one profile from this shell's environment, as npm run serve would use it.

Options:
  --rows N             banking77 rows (default 200; the bundled sample has 770)
  --labels N           only N of the 77 labels, and rows of those (a cheaper run; a model with a small context)
  --injection-cases N  attack cases per operation and mode (default 75: every BIPIA attack once)
  --injection-operations LIST  comma-separated: ${injectionOperations.join(',')} (default: all)
  --paragraphs N       paragraphs of the German document (default: all)
  --suites LIST        comma-separated: ${suiteNames.join(',')} (default: all)
  --data FOLDER        data folder (default: the bundled samples; ../shared/data has the full sets)
  --out FOLDER         where report.json and report.html go (default: eval-results/<date>)
  --seed N             sample seed (default 1)
`;

function positiveInteger(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0) throw new Error(`--${name} must be a whole number ≥ 0 (got ${JSON.stringify(value)}).`);
  return parsed;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      profile: { type: 'string', multiple: true },
      rows: { type: 'string' },
      labels: { type: 'string' },
      'injection-operations': { type: 'string' },
      'injection-cases': { type: 'string' },
      paragraphs: { type: 'string' },
      suites: { type: 'string' },
      data: { type: 'string' },
      out: { type: 'string' },
      seed: { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    process.stdout.write(usage);
    return 0;
  }
  const suites = (values.suites?.split(',').map((suite) => suite.trim()) ?? [...suiteNames]) as SuiteName[];
  const unknown = suites.filter((suite) => !suiteNames.includes(suite));
  if (unknown.length > 0) throw new Error(`Unknown suite ${unknown.join(', ')}: choose from ${suiteNames.join(', ')}.`);
  const operations = (values['injection-operations']?.split(',').map((operation) => operation.trim()) ?? [...injectionOperations]) as InjectionOperation[];
  const unknownOperations = operations.filter((operation) => !injectionOperations.includes(operation));
  if (unknownOperations.length > 0) throw new Error(`Unknown operation ${unknownOperations.join(', ')}: choose from ${injectionOperations.join(', ')}.`);
  const profiles = values.profile === undefined ? [environmentProfile] : values.profile.map(parseProfile);
  const date = new Date();
  const outputFolder = path.resolve(values.out ?? path.join('eval-results', date.toISOString().replace(/[:.]/g, '-')));

  const controller = new AbortController();
  process.once('SIGINT', () => {
    process.stderr.write('Stopping…\n');
    controller.abort();
  });
  const report = await runEvaluation({
    profiles,
    baseEnvironment: process.env,
    dataFolder: path.resolve(values.data ?? bundledDataFolder),
    suites,
    classificationRows: positiveInteger(values.rows, 'rows', 200),
    classificationLabels: values.labels === undefined ? undefined : positiveInteger(values.labels, 'labels', 77),
    injectionCases: positiveInteger(values['injection-cases'], 'injection-cases', 75),
    injectionOperations: operations,
    translationParagraphs: values.paragraphs === undefined ? undefined : positiveInteger(values.paragraphs, 'paragraphs', 0),
    seed: positiveInteger(values.seed, 'seed', 1),
    signal: controller.signal,
    command: redactSecrets(`npm run eval -- ${process.argv.slice(2).join(' ')}`.trim()),
    onProgress: (message) => process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${message}\n`),
  });
  mkdirSync(outputFolder, { recursive: true });
  writeFileSync(path.join(outputFolder, 'report.json'), `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(path.join(outputFolder, 'report.html'), renderReportHtml(report));
  process.stdout.write(formatReportTables(report));
  process.stdout.write(`\nReport: ${path.join(outputFolder, 'report.html')} (and report.json)\n`);
  return report.profiles.some((profile) => profile.error !== undefined || Object.keys(profile.suiteErrors).length > 0) ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${isAppError(error) ? `${error.code}: ${error.message}` : error instanceof Error ? error.message : String(error)}\n\n${usage}`);
    process.exit(2);
  },
);
