// Labels as the user gives them: typed one per line, or one range address kept in the workbook.
const rangePattern = /^(?:'[^']+'|[^\s!]+)!\$?[A-Za-z]{1,3}\$?\d+(?::\$?[A-Za-z]{1,3}\$?\d+)?$|^\$?[A-Za-z]{1,3}\$?\d+:\$?[A-Za-z]{1,3}\$?\d+$/;

export function typedLabels(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
}

/** The range address when the input is exactly one, such as Labels!A1:A20. */
export function labelRangeAddress(text: string): string | undefined {
  const lines = typedLabels(text);
  return lines.length === 1 && rangePattern.test(lines[0] ?? '') ? lines[0] : undefined;
}

/** The first label repeated (compared as the BFF does: NFC form, trimmed), if any. */
export function repeatedLabel(labels: readonly string[]): string | undefined {
  const seen = new Set<string>();
  for (const label of labels) {
    const key = label.normalize('NFC').trim();
    if (seen.has(key)) return label;
    seen.add(key);
  }
  return undefined;
}
