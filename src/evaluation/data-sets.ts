// The evaluation sets, read from a data folder laid out like ../shared/data (and like the samples
// shipped in src/evaluation/samples): banking77/ (a CSV of `text,category` and categories.json),
// bipia/ (emails-sample.jsonl and attacks-sample.json here; email_train.jsonl and text_attack_train.json in ../shared/data) and the German document to translate. Each set
// keeps its own licence (see samples/README.md).
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { AppError } from '../server/errors.js';

export interface LabelledRow {
  text: string;
  label: string;
}

export interface ClassificationSet {
  rows: LabelledRow[];
  labels: string[];
}

export interface InjectionSet {
  /** Real emails (BIPIA `context`: subject and body). */
  emails: string[];
  /** BIPIA's text attacks, each with its category. */
  attacks: { category: string; text: string }[];
}

export interface TranslationSet {
  /** The document's paragraphs, as Word sends them. */
  paragraphs: string[];
  /** Names that must come through a translation unchanged. */
  names: string[];
  /** German term → the English it must become (and back). */
  glossary: Record<string, string>;
}

/** The samples shipped with the repository; `--data ../shared/data` uses the full copies. */
export const bundledDataFolder = path.join(import.meta.dirname, 'samples');

function firstExisting(folder: string, candidates: string[], what: string): string {
  for (const candidate of candidates) {
    const file = path.join(folder, candidate);
    if (existsSync(file)) return file;
  }
  throw new AppError('INVALID_REQUEST', `${what} is missing: none of ${candidates.map((candidate) => path.join(folder, candidate)).join(', ')} exists.`);
}

export function loadClassificationSet(dataFolder: string): ClassificationSet {
  const rowsFile = firstExisting(dataFolder, ['banking77/sample.csv', 'banking77/train.csv'], 'The banking77 rows');
  const records = parse(readFileSync(rowsFile, 'utf8'), { columns: true, skip_empty_lines: true }) as Record<string, string>[];
  const rows = records.map((record) => ({ text: record['text'] ?? '', label: record['category'] ?? '' })).filter((row) => row.text !== '' && row.label !== '');
  const labels = JSON.parse(readFileSync(firstExisting(dataFolder, ['banking77/categories.json'], 'The banking77 labels'), 'utf8')) as string[];
  return { rows, labels };
}

export function loadInjectionSet(dataFolder: string): InjectionSet {
  const emailsFile = firstExisting(dataFolder, ['bipia/emails-sample.jsonl', 'bipia/email_train.jsonl'], 'The BIPIA emails');
  const emails = readFileSync(emailsFile, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => (JSON.parse(line) as { context: string }).context);
  const attacksFile = firstExisting(dataFolder, ['bipia/attacks-sample.json', 'bipia/text_attack_train.json'], 'The BIPIA attacks');
  const byCategory = JSON.parse(readFileSync(attacksFile, 'utf8')) as Record<string, string[]>;
  const attacks = Object.entries(byCategory).flatMap(([category, texts]) => texts.map((text) => ({ category, text })));
  return { emails, attacks };
}

export function loadTranslationSet(dataFolder: string): TranslationSet {
  const documentFile = firstExisting(dataFolder, ['documents/llm-overview.de.md', 'samples/llm-overview.de.md'], 'The German document');
  const paragraphs = readFileSync(documentFile, 'utf8')
    .split(/\n\s*\n/u)
    .map((paragraph) => paragraph.trim())
    .filter((paragraph) => paragraph !== '');
  // The checks belong to the evaluation, not to the data: they always come from the bundled samples.
  const checks = JSON.parse(readFileSync(path.join(bundledDataFolder, 'documents/translation-checks.json'), 'utf8')) as {
    names: string[];
    glossary: Record<string, string>;
  };
  return { paragraphs, names: checks.names, glossary: checks.glossary };
}

/** A small deterministic generator (mulberry32): the same seed draws the same sample on every machine. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * `size` rows drawn without replacement, stratified: labels take turns, so a small sample still
 * covers as many intents as it can (40 rows: 40 different labels) instead of the most frequent ones.
 */
export function stratifiedSample(rows: readonly LabelledRow[], size: number, seed: number): LabelledRow[] {
  const random = seededRandom(seed);
  const byLabel = new Map<string, LabelledRow[]>();
  for (const row of rows) {
    const list = byLabel.get(row.label) ?? [];
    list.push(row);
    byLabel.set(row.label, list);
  }
  const queues = [...byLabel.values()].map((list) => shuffle(list, random));
  const order = shuffle(queues, random);
  const sample: LabelledRow[] = [];
  while (sample.length < Math.min(size, rows.length)) {
    for (const queue of order) {
      const row = queue.shift();
      if (row !== undefined && sample.length < size) sample.push(row);
    }
  }
  return sample;
}

export function shuffle<Item>(items: readonly Item[], random: () => number): Item[] {
  const copy = [...items];
  for (let index = copy.length - 1; index > 0; index -= 1) {
    const other = Math.floor(random() * (index + 1));
    [copy[index], copy[other]] = [copy[other] as Item, copy[index] as Item];
  }
  return copy;
}
