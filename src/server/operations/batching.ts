// Packs items into batches bounded by count and by characters, keeping their order.
export function packBatches<T>(items: T[], characters: (item: T) => number, maxItems: number, maxCharacters: number): T[][] {
  const batches: T[][] = [];
  let current: T[] = [];
  let currentCharacters = 0;
  for (const item of items) {
    const size = characters(item);
    if (current.length > 0 && (current.length >= maxItems || currentCharacters + size > maxCharacters)) {
      batches.push(current);
      current = [];
      currentCharacters = 0;
    }
    current.push(item);
    currentCharacters += size;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
