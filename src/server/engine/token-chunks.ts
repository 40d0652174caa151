// Token-aware chunking for map-reduce: splits text at the most natural boundary that fits the
// budget (paragraphs, then lines, then sentences, then words; a single over-long word is cut as a
// last resort), measuring every piece with the model's own tokenizer.
const separators = [/\n\s*\n/, /\n/, /(?<=[.!?。！？])\s+/, /\s+/];
/** Tokens of the "\n\n" that joins two pieces in a chunk. */
const joinTokens = 1;

type CountTokens = (text: string) => number;

export function splitIntoTokenChunks(text: string, maxTokens: number, countTokens: CountTokens): string[] {
  if (countTokens(text) <= maxTokens) return [text];
  return pack(splitPieces(text, maxTokens, countTokens, 0), maxTokens);
}

interface Piece {
  text: string;
  tokens: number;
}

function splitPieces(text: string, maxTokens: number, countTokens: CountTokens, level: number): Piece[] {
  const tokens = countTokens(text);
  if (tokens <= maxTokens) return [{ text, tokens }];
  const separator = separators[level];
  if (separator === undefined) {
    // No boundary left: cut by characters in proportion, then check each cut.
    const step = Math.max(1, Math.floor((text.length * maxTokens) / tokens));
    const pieces: Piece[] = [];
    for (let start = 0; start < text.length; start += step) {
      const slice = text.slice(start, start + step);
      pieces.push({ text: slice, tokens: countTokens(slice) });
    }
    return pieces;
  }
  return text
    .split(separator)
    .filter((piece) => piece.trim().length > 0)
    .flatMap((piece) => splitPieces(piece, maxTokens, countTokens, level + 1));
}

/** Token counts add up across a join to within a token, so chunks are packed by summing them. */
function pack(pieces: Piece[], maxTokens: number): string[] {
  const chunks: string[] = [];
  let current: string[] = [];
  let currentTokens = 0;
  for (const piece of pieces) {
    const joined = current.length === 0 ? piece.tokens : currentTokens + joinTokens + piece.tokens;
    if (joined <= maxTokens || current.length === 0) {
      current.push(piece.text);
      currentTokens = joined;
    } else {
      chunks.push(current.join('\n\n'));
      current = [piece.text];
      currentTokens = piece.tokens;
    }
  }
  if (current.length > 0) chunks.push(current.join('\n\n'));
  return chunks;
}

/** The longest start of `text` within `maxTokens` (binary search on its length). */
export function truncateToTokens(whole: string, maxTokens: number, countTokens: CountTokens): string {
  // No real token is 32 characters long: cutting there first keeps a 1 MB email cheap to search.
  const text = whole.length > maxTokens * 32 ? whole.slice(0, maxTokens * 32) : whole;
  if (countTokens(text) <= maxTokens) return text;
  let low = 0;
  let high = text.length;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (countTokens(text.slice(0, middle)) <= maxTokens) low = middle;
    else high = middle - 1;
  }
  return text.slice(0, low);
}

/**
 * Tokens of document text one request should carry: at most 6,000 (parallel map steps stay short,
 * and summaries keep detail), and at most a third of the context window, leaving room for the
 * instructions and the answer.
 */
export function documentTokenBudget(contextWindowTokens: number): number {
  return Math.max(256, Math.min(6_000, Math.floor(contextWindowTokens / 3)));
}
