// The support messages for the benchmark and the 10,000-row tests: the banking77 data in
// ../shared/data (CC BY 4.0, PolyAI), 10,003 messages in 77 intents, sampled with replacement, seeded.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { seededRandom } from '../src/evaluation/data-sets.js';

export interface Banking77Row {
  text: string;
  label: string;
}

export function loadBanking77(folder = path.resolve('../shared/data/banking77')): { rows: Banking77Row[]; labels: string[] } {
  const labels = JSON.parse(readFileSync(path.join(folder, 'categories.json'), 'utf8')) as string[];
  const records = parse(readFileSync(path.join(folder, 'train.csv'), 'utf8'), { from_line: 2, skip_empty_lines: true, relax_column_count: true }) as string[][];
  const rows = records.filter((record) => record.length === 2).map(([text, label]) => ({ text: text ?? '', label: label ?? '' }));
  return { rows, labels };
}

// One seeded generator for the bench, the tests and the evaluation (the same seed draws the same sample).
export { seededRandom };

export function sampleWithReplacement<T>(items: readonly T[], count: number, seed: number): T[] {
  const random = seededRandom(seed);
  return Array.from({ length: count }, () => items[Math.floor(random() * items.length)] as T);
}

/**
 * Twelve broader labels over banking77's 77 intents (the benchmark's sheet has a dozen labels, as a
 * support team's would): the first group whose pattern the intent matches, in this order.
 */
const labelGroups: [string, RegExp][] = [
  ['identity_and_verification', /verify|identity|age_limit|source_of_funds/u],
  ['refunds', /refund/iu],
  ['fees_and_charges', /charge|fee/u],
  ['top_ups', /top_up|topping_up/u],
  ['transfers', /transfer|beneficiary|receiving_money/u],
  ['cash_and_atm', /cash|atm/u],
  ['exchange_and_currencies', /exchange|currenc|fiat|country_support/u],
  ['card_security', /lost_or_stolen_card|compromised|pin|passcode|swallowed/u],
  ['card_delivery_and_ordering', /card_arrival|delivery|physical_card|spare_card|getting_virtual|get_disposable|about_to_expire|activate/u],
  ['card_problems', /not_working|acceptance|declined_card|card_linking|visa_or_mastercard|apple_pay|disposable_card_limits|supported_cards/u],
  ['payments_and_statements', /payment|direct_debit|balance_not_updated/u],
  ['account_and_settings', /./u],
];

export const twelveLabels: string[] = labelGroups.map(([label]) => label);

export function twelveLabelFor(intent: string): string {
  return labelGroups.find(([, pattern]) => pattern.test(intent))?.[0] ?? 'account_and_settings';
}
