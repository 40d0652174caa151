// Labels as the user gives them: typed one per line, or one range address kept in the workbook.
import { normalizeLabel } from '../../contract/labels.js';
import { tryParseAddress } from '../../hosts/a1-address.js';

export function typedLabels(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
}

/**
 * The range address when the input is exactly one, such as Labels!A1:A20 or A2:A9: an address the
 * sheet adapters read. A lone bare cell ("B2") stays a label, since a label may look like one.
 */
export function labelRangeAddress(text: string): string | undefined {
  const [line, ...others] = typedLabels(text);
  if (line === undefined || others.length > 0) return undefined;
  const address = tryParseAddress(line);
  if (address === undefined) return undefined;
  return address.sheetName !== undefined || address.rowCount > 1 || address.columnCount > 1 ? line : undefined;
}

/** The first label repeated (compared as the BFF does, by the contract's normalizeLabel), if any. */
export function repeatedLabel(labels: readonly string[]): string | undefined {
  const seen = new Set<string>();
  for (const label of labels) {
    const key = normalizeLabel(label);
    if (seen.has(key)) return label;
    seen.add(key);
  }
  return undefined;
}
