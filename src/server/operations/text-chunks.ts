// Splits long text into chunks at the most natural boundary that fits: paragraphs, then lines,
// then sentences, then words; a single over-long word is cut as a last resort.
const separators = [/\n\s*\n/, /\n/, /(?<=[.!?。！？])\s+/, /\s+/];

export function splitIntoChunks(text: string, maxCharacters: number): string[] {
  if (text.length <= maxCharacters) return [text];
  return pack(splitPieces(text, maxCharacters, 0), maxCharacters);
}

function splitPieces(text: string, maxCharacters: number, level: number): string[] {
  if (text.length <= maxCharacters) return [text];
  const separator = separators[level];
  if (separator === undefined) {
    const pieces: string[] = [];
    for (let start = 0; start < text.length; start += maxCharacters) pieces.push(text.slice(start, start + maxCharacters));
    return pieces;
  }
  return text
    .split(separator)
    .filter((piece) => piece.trim().length > 0)
    .flatMap((piece) => splitPieces(piece, maxCharacters, level + 1));
}

function pack(pieces: string[], maxCharacters: number): string[] {
  const chunks: string[] = [];
  let current = '';
  for (const piece of pieces) {
    const joined = current === '' ? piece : `${current}\n\n${piece}`;
    if (joined.length <= maxCharacters) {
      current = joined;
    } else {
      if (current !== '') chunks.push(current);
      current = piece;
    }
  }
  if (current !== '') chunks.push(current);
  return chunks;
}
