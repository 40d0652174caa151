// One evaluation run: every profile through the chosen suites, one after another (profiles never run
// at once, so one does not slow another's timings), into one report. A profile that cannot start (a
// bad setting, a model that does not load) is reported with its reason and the others still run.
import { ConfigError } from '../server/config.js';
import { isAppError } from '../server/errors.js';
import { runClassificationSuite, type ClassificationMode, type ClassificationSuiteResult } from './classification-suite.js';
import { loadClassificationSet, loadInjectionSet, loadTranslationSet, seededRandom, shuffle, stratifiedSample } from './data-sets.js';
import { runInjectionSuite, type InjectionOperation, type InjectionSuiteResult } from './injection-suite.js';
import type { Prices } from './metrics.js';
import { openProfile, type Environment, type Profile } from './profiles.js';
import { runTranslationSuite, type TranslationSuiteResult } from './translation-suite.js';

export type SuiteName = 'classification' | 'translation' | 'injection';
export const suiteNames: readonly SuiteName[] = ['classification', 'translation', 'injection'];

export interface EvaluationOptions {
  profiles: Profile[];
  /** The environment the profiles' variables are laid over (the CLI's own). */
  baseEnvironment: Environment;
  dataFolder: string;
  suites: readonly SuiteName[];
  /** Rows of the banking77 sample. */
  classificationRows: number;
  /** Only this many of the 77 labels (drawn with the seed), and rows of those: a cheap run, or a model with a small context. */
  classificationLabels?: number | undefined;
  classificationModes?: readonly ClassificationMode[];
  /** Paragraphs of the German document (all when undefined). */
  translationParagraphs?: number | undefined;
  injectionCases: number;
  /** The operations attacked (default: classify, summarize, translate). */
  injectionOperations?: readonly InjectionOperation[] | undefined;
  seed: number;
  signal: AbortSignal;
  onProgress?: (message: string) => void;
  /** For the report: how this run was started. */
  command?: string;
}

export interface ProfileReport {
  name: string;
  /** Filled once the provider started. */
  provider?: string;
  model?: string;
  prices?: Prices;
  /** Why the profile could not run at all. */
  error?: string;
  classification?: ClassificationSuiteResult;
  translation?: TranslationSuiteResult;
  injection?: InjectionSuiteResult;
  /** Suites that stopped with an error, and why. */
  suiteErrors: Partial<Record<SuiteName, string>>;
}

export interface EvaluationReport {
  tool: 'office-llm-addin evaluation';
  formatVersion: 1;
  /** ISO 8601, when the run started. */
  date: string;
  command?: string;
  node: string;
  seed: number;
  dataFolder: string;
  samples: {
    classification?: { rows: number; labels: number; source: string };
    translation?: { paragraphs: number; source: string };
    injection?: { cases: number; emails: number; attacks: number; source: string };
  };
  profiles: ProfileReport[];
}

export async function runEvaluation(options: EvaluationOptions): Promise<EvaluationReport> {
  const progress = options.onProgress ?? (() => undefined);
  const wants = (suite: SuiteName) => options.suites.includes(suite);
  const classification = wants('classification') ? loadClassificationSet(options.dataFolder) : undefined;
  if (classification !== undefined && options.classificationLabels !== undefined && options.classificationLabels < classification.labels.length) {
    const kept = new Set(shuffle(classification.labels, seededRandom(options.seed)).slice(0, options.classificationLabels));
    classification.labels = classification.labels.filter((label) => kept.has(label));
    classification.rows = classification.rows.filter((row) => kept.has(row.label));
  }
  const rows = classification === undefined ? [] : stratifiedSample(classification.rows, options.classificationRows, options.seed);
  const translationSet = wants('translation') ? loadTranslationSet(options.dataFolder) : undefined;
  if (translationSet !== undefined && options.translationParagraphs !== undefined) {
    translationSet.paragraphs = translationSet.paragraphs.slice(0, options.translationParagraphs);
  }
  const injectionSet = wants('injection') ? loadInjectionSet(options.dataFolder) : undefined;

  const report: EvaluationReport = {
    tool: 'office-llm-addin evaluation',
    formatVersion: 1,
    date: new Date().toISOString(),
    ...(options.command === undefined ? {} : { command: options.command }),
    node: process.version,
    seed: options.seed,
    dataFolder: options.dataFolder,
    samples: {
      ...(classification === undefined
        ? {}
        : { classification: { rows: rows.length, labels: classification.labels.length, source: 'banking77 (PolyAI, CC BY 4.0)' } }),
      ...(translationSet === undefined
        ? {}
        : { translation: { paragraphs: translationSet.paragraphs.length, source: 'llm-overview.de.md (German, the project’s own)' } }),
      ...(injectionSet === undefined
        ? {}
        : {
            injection: {
              cases: options.injectionCases,
              emails: injectionSet.emails.length,
              attacks: injectionSet.attacks.length,
              source: 'BIPIA emails and text attacks (Microsoft, MIT)',
            },
          }),
    },
    profiles: [],
  };

  for (const profile of options.profiles) {
    const profileReport: ProfileReport = { name: profile.name, suiteErrors: {} };
    report.profiles.push(profileReport);
    progress(`${profile.name}: starting the provider`);
    let session;
    try {
      session = await openProfile(profile, options.baseEnvironment, options.signal);
    } catch (error) {
      if (isAppError(error) && error.code === 'CANCELLED') throw error;
      profileReport.error = error instanceof ConfigError ? error.problems.join('; ') : describe(error);
      progress(`${profile.name}: cannot start: ${profileReport.error}`);
      continue;
    }
    try {
      profileReport.provider = session.model.provider;
      profileReport.model = session.model.modelId;
      if (session.prices !== undefined) profileReport.prices = session.prices;
      const context = { model: session.model, limits: session.config.limits, signal: options.signal };
      const attempt = async <Result>(suite: SuiteName, work: () => Promise<Result>): Promise<Result | undefined> => {
        progress(`${profile.name}: ${suite}`);
        try {
          return await work();
        } catch (error) {
          if ((isAppError(error) && error.code === 'CANCELLED') || options.signal.aborted) throw error;
          profileReport.suiteErrors[suite] = describe(error);
          progress(`${profile.name}: ${suite} failed: ${profileReport.suiteErrors[suite] ?? ''}`);
          return undefined;
        }
      };
      if (classification !== undefined) {
        const result = await attempt('classification', () =>
          runClassificationSuite(rows, classification.labels, context, session.prices, options.classificationModes),
        );
        if (result !== undefined) profileReport.classification = result;
      }
      if (translationSet !== undefined) {
        const result = await attempt('translation', () => runTranslationSuite(translationSet, context, session.prices));
        if (result !== undefined) profileReport.translation = result;
      }
      if (injectionSet !== undefined) {
        const result = await attempt('injection', () =>
          runInjectionSuite(injectionSet, options.injectionCases, context, undefined, options.injectionOperations),
        );
        if (result !== undefined) profileReport.injection = result;
      }
    } finally {
      await session.close();
    }
  }
  return report;
}

/** A failure as one line: the stable code and message of an AppError, else the error's message. */
function describe(error: unknown): string {
  if (isAppError(error)) return `${error.code}: ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}
