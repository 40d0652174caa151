// A text too long for one request (a 20,000-character cell against an 8,192-token model) is split into
// parts that each fit, at the most natural boundary: paragraphs, then lines, then sentences
// (Intl.Segmenter), then words; a single over-long word is cut by characters as a last resort. The white
// space between parts is kept exactly as it was, so the translated parts join back into the text's own
// layout. Every piece is measured with the model's own tokenizer. Text with span markers splits only
// between spans (splitMarkupIntoParts), so each part carries whole spans and its own markers.
import { parseSpanMarkup } from '../../../contract/span-markup.js';

export interface TextParts {
  /** In order; none is empty, none starts or ends with white space. */
  parts: string[];
  /** `separators[i]` stands between `parts[i]` and `parts[i + 1]`, exactly as in the text. */
  separators: string[];
}

type CountTokens = (text: string) => number;

/**
 * A text as alternating content and separators: `[content, separator, content, …, content]`. Content
 * never has white space at either end; the white space lives in the separators.
 */
type Sequence = string[];

const paragraphBreak = /(\s*\n[^\S\n]*\n\s*)/u;
const lineBreak = /(\s*\n\s*)/u;
const wordBreak = /(\s+)/u;

/** Splits `text` (trimmed) into parts of at most `maxTokens` each, packing neighbours together while they fit. */
export function splitIntoParts(text: string, maxTokens: number, countTokens: CountTokens, locale?: string): TextParts {
  const core = text.trim();
  if (countTokens(core) <= maxTokens) return { parts: [core], separators: [] };
  const levels: ((content: string) => Sequence)[] = [
    (content) => content.split(paragraphBreak),
    (content) => content.split(lineBreak),
    (content) => sentences(content, locale),
    (content) => content.split(wordBreak),
  ];
  const atoms = refine(core, 0, levels, maxTokens, countTokens);
  return pack(atoms, maxTokens, countTokens);
}

/**
 * Splits marked-up text into parts of at most `maxTokens` that each hold whole spans: the text is cut fine
 * (a quarter of a part) at the usual boundaries, neighbours are joined back wherever a cut fell inside a
 * span, and the balanced pieces are packed into parts. Undefined when one span alone is longer than a
 * part: such a text cannot keep its markers in parts.
 */
export function splitMarkupIntoParts(text: string, maxTokens: number, countTokens: CountTokens, locale?: string): TextParts | undefined {
  const core = text.trim();
  if (countTokens(core) <= maxTokens) return { parts: [core], separators: [] };
  const fine = splitIntoParts(core, Math.max(8, Math.floor(maxTokens / 4)), countTokens, locale);
  const pieces: Sequence = [];
  let open: string | undefined;
  fine.parts.forEach((part, position) => {
    const separator = position === 0 ? '' : (fine.separators[position - 1] ?? ' ');
    if (open === undefined) {
      if (position > 0) pieces.push(separator);
      open = part;
    } else {
      open += separator + part;
    }
    // A prefix that parses has closed every span it opened: a boundary between spans.
    if (parseSpanMarkup(open).ok) {
      pieces.push(open);
      open = undefined;
    }
  });
  if (open !== undefined) return undefined;
  const packed = pack(pieces, maxTokens, countTokens);
  return packed.parts.some((part) => countTokens(part) > maxTokens) ? undefined : packed;
}

/** Joins translated parts with the original separators. */
export function joinParts(translatedParts: readonly string[], separators: readonly string[]): string {
  return translatedParts.map((part, index) => (index === 0 ? part : `${separators[index - 1] ?? ' '}${part}`)).join('');
}

/** Splits content at the given level and again, deeper, wherever a piece is still too long. */
function refine(content: string, level: number, levels: ((content: string) => Sequence)[], maxTokens: number, countTokens: CountTokens): Sequence {
  if (countTokens(content) <= maxTokens) return [content];
  const split = levels[level];
  if (split === undefined) return cutByCharacters(content, maxTokens, countTokens);
  const sequence = normalize(split(content));
  // This boundary does not occur in the content: try the next one.
  if (sequence.length === 1) return refine(content, level + 1, levels, maxTokens, countTokens);
  const refined: Sequence = [];
  sequence.forEach((piece, position) => {
    if (position % 2 === 1) refined.push(piece);
    else refined.push(...refine(piece, level + 1, levels, maxTokens, countTokens));
  });
  return refined;
}

/** Sentences as the platform's segmenter for the language sees them; each sentence's trailing white space becomes a separator. */
function sentences(content: string, locale: string | undefined): Sequence {
  const segmenter = new Intl.Segmenter(locale, { granularity: 'sentence' });
  const sequence: Sequence = [];
  for (const { segment } of segmenter.segment(content)) {
    const sentence = segment.trimEnd();
    if (sequence.length > 0) {
      // The previous sentence's trailing white space, with any leading white space of this one.
      const leading = segment.length - segment.trimStart().length;
      sequence[sequence.length - 1] += segment.slice(0, leading);
      sequence.push(sentence.trimStart());
    } else {
      sequence.push(sentence);
    }
    sequence.push(segment.slice(sentence.length));
  }
  sequence.pop();
  return sequence;
}

/** Cuts by code points in proportion to the tokens, checking each cut; the separators are empty. */
function cutByCharacters(content: string, maxTokens: number, countTokens: CountTokens): Sequence {
  const characters = Array.from(content);
  const sequence: Sequence = [];
  let start = 0;
  while (start < characters.length) {
    let length = Math.max(1, Math.floor((characters.length * maxTokens) / Math.max(1, countTokens(content))));
    while (length > 1 && countTokens(characters.slice(start, start + length).join('')) > maxTokens) length = Math.ceil(length / 2);
    if (sequence.length > 0) sequence.push('');
    sequence.push(characters.slice(start, start + length).join(''));
    start += length;
  }
  return sequence;
}

/** Merges empty content into its neighbouring separators, so content pieces are never empty. */
function normalize(sequence: Sequence): Sequence {
  const result: Sequence = [];
  sequence.forEach((piece, position) => {
    if (position % 2 === 1) {
      result.push(piece);
      return;
    }
    if (piece.length > 0 || result.length === 0) {
      result.push(piece);
      return;
    }
    // Empty content between two separators: the separators become one.
    const separator = result.pop() ?? '';
    const next = sequence[position + 1];
    if (next !== undefined) sequence[position + 1] = separator + next;
    else result.push(separator);
  });
  // Leading empty content (the text started with a separator) cannot happen for trimmed text; drop it anyway.
  while (result.length > 1 && result[0] === '') result.splice(0, 2);
  if (result.length % 2 === 0) result.pop();
  return result;
}

/** Packs neighbouring pieces into parts while they fit; token counts add up across a join to within a token or two. */
function pack(sequence: Sequence, maxTokens: number, countTokens: CountTokens): TextParts {
  const parts: string[] = [];
  const separators: string[] = [];
  let current = '';
  let currentTokens = 0;
  for (let position = 0; position < sequence.length; position += 2) {
    const content = sequence[position] ?? '';
    const separator = position === 0 ? '' : (sequence[position - 1] ?? '');
    const tokens = countTokens(content);
    const joinedTokens = currentTokens + countTokens(separator) + tokens;
    if (position > 0 && joinedTokens <= maxTokens) {
      current += separator + content;
      currentTokens = joinedTokens;
    } else {
      if (position > 0) {
        parts.push(current);
        separators.push(separator);
      }
      current = content;
      currentTokens = tokens;
    }
  }
  parts.push(current);
  return { parts, separators };
}
