// Word preview: a document whose lines are paragraphs, edited in a textarea, with inline formatting, headings,
// lists and tables in a small Markdown-like syntax (preview-document-source.ts), so a translation can keep
// them: formatted paragraphs are read with span markup and written back with each span's formatting, a
// table cell's translation stays in its cell, a list item's in its item. Tracked changes and comments are
// kept beside the text so the preview can show them like Word's margin.
import { parseSpanMarkup, sameMarkers, stripSpanMarkup } from '../../contract/span-markup.js';
import {
  HostError,
  type InsertLocation,
  type TextBlock,
  type TextBlockStructure,
  type TextDocumentAccess,
  type TranslationPlacement,
  type TranslationWriteResult,
} from '../host-adapter.js';
import {
  inlinePlainText,
  inlineToMarkup,
  lineParagraphs,
  markupToInline,
  parseInline,
  parseLine,
  serializeInline,
  serializeLine,
  type DocumentLine,
} from './preview-document-source.js';
import { PreviewStore } from './preview-store.js';

export interface TrackedChange {
  original: string;
  replacement: string;
}

export interface DocumentComment {
  paragraph: string;
  comment: string;
}

export interface TextDocumentState {
  text: string;
  selectionStart: number;
  selectionEnd: number;
  trackedChanges: TrackedChange[];
  comments: DocumentComment[];
  /**
   * Paragraph sources this add-in wrote (translations placed after or as tracked replacements), so a later
   * run skips what an earlier one translated, as Word recognises its own paragraphs and revisions.
   */
  ourParagraphs: string[];
}

export function createTextDocumentStore(text: string): PreviewStore<TextDocumentState> {
  return new PreviewStore<TextDocumentState>({ text, selectionStart: 0, selectionEnd: 0, trackedChanges: [], comments: [], ourParagraphs: [] });
}

/** Index of the line holding character `offset`. */
export function lineIndexAt(text: string, offset: number): number {
  return text.slice(0, Math.max(0, offset)).split('\n').length - 1;
}

/** Character range of each line. */
export function lineRanges(text: string): { start: number; end: number }[] {
  const ranges: { start: number; end: number }[] = [];
  let start = 0;
  for (const line of text.split('\n')) {
    ranges.push({ start, end: start + line.length });
    start += line.length + 1;
  }
  return ranges;
}

// A paragraph's id: its line, and for a table row its cell and the paragraph within that cell.
const paragraphId = (line: number, cell?: number, paragraph?: number) => (cell === undefined ? `p${line}` : `p${line}c${cell}p${paragraph ?? 0}`);

interface ParagraphPlace {
  line: number;
  cell: number | undefined;
  paragraph: number | undefined;
}

function placeOf(id: string): ParagraphPlace {
  const match = /^p(\d+)(?:c(\d+)p(\d+))?$/.exec(id);
  if (match === null) throw new HostError('INVALID_ARGUMENT', `"${id}" is not a paragraph of this document; read the paragraphs again.`);
  return {
    line: Number(match[1]),
    cell: match[2] === undefined ? undefined : Number(match[2]),
    paragraph: match[3] === undefined ? undefined : Number(match[3]),
  };
}

function structureOf(line: DocumentLine): TextBlockStructure {
  switch (line.kind) {
    case 'heading':
      return { kind: 'heading', level: line.level };
    case 'list-item':
    case 'list-continuation':
      return { kind: 'list-item', level: line.level };
    case 'table-row':
      return { kind: 'table-cell' };
    default:
      return { kind: 'paragraph' };
  }
}

/** The blocks of one line, as Word reports paragraphs: plain text, span markup when formatted, and where each sits. */
function lineBlocks(lineText: string, lineIndex: number): TextBlock[] {
  const line = parseLine(lineText);
  return lineParagraphs(line).map(({ cell, paragraph, source }) => {
    const nodes = parseInline(source);
    const marked = inlineToMarkup(nodes);
    return {
      id: paragraphId(lineIndex, cell, paragraph),
      text: inlinePlainText(nodes),
      ...(marked === undefined ? {} : { markup: marked.markup }),
      structure: structureOf(line),
    };
  });
}

/** The block at a place within a line's blocks, if the line has it. */
function blockAt(lineText: string, lineIndex: number, place: ParagraphPlace): TextBlock | undefined {
  return lineBlocks(lineText, lineIndex).find((block) => {
    const candidate = placeOf(block.id);
    return candidate.cell === place.cell && candidate.paragraph === place.paragraph;
  });
}

/**
 * A translation as paragraph source. A paragraph read with markup gets markup back: with the same markers,
 * each span's formatting is mapped onto the translated words (bold stays bold); without them (the model
 * could not keep them) it is escaped plain text, written plain. A paragraph read without markup gets plain text.
 */
function translatedSource(source: string, translation: string): { source: string; plain: string } {
  const marked = inlineToMarkup(parseInline(source));
  if (marked === undefined) return { source: oneLine(translation), plain: oneLine(translation) };
  const parsed = parseSpanMarkup(translation);
  if (parsed.ok && sameMarkers(marked.markup, translation)) {
    const nodes = markupToInline(parsed.nodes, marked.table);
    return { source: oneLine(serializeInline(nodes)), plain: oneLine(inlinePlainText(nodes)) };
  }
  const plain = oneLine(stripSpanMarkup(translation));
  return { source: plain, plain };
}

// A paragraph is one line of the preview's text.
const oneLine = (text: string) => text.replace(/\r?\n/g, ' ');

export class PreviewTextDocument implements TextDocumentAccess {
  readonly translationPlacements: readonly TranslationPlacement[];

  constructor(
    readonly store: PreviewStore<TextDocumentState>,
    placements: readonly TranslationPlacement[] = ['after', 'replace-tracked', 'comment'],
  ) {
    this.translationPlacements = placements;
  }

  async readParagraphs(scope: 'selection' | 'document'): Promise<TextBlock[]> {
    const { text, selectionStart, selectionEnd } = this.store.get();
    const lines = text.split('\n');
    let first = 0;
    let last = lines.length - 1;
    if (scope === 'selection') {
      first = lineIndexAt(text, selectionStart);
      // A selection ending right at a line's start does not include that line, as in Word.
      const endOffset = selectionEnd > selectionStart && text[selectionEnd - 1] === '\n' ? selectionEnd - 1 : selectionEnd;
      last = lineIndexAt(text, endOffset);
    }
    const ours = new Set(this.store.get().ourParagraphs);
    const blocks: TextBlock[] = [];
    for (let index = first; index <= last; index += 1) {
      const line = parseLine(lines[index] ?? '');
      const paragraphs = lineParagraphs(line);
      lineBlocks(lines[index] ?? '', index).forEach((block, position) => {
        const own = paragraphs[position]?.source ?? '';
        // The paragraph after it: the next one in the same cell, or the next line.
        const next = paragraphs[position + 1];
        const following =
          line.kind === 'table-row'
            ? next !== undefined && next.cell === paragraphs[position]?.cell
              ? next.source
              : undefined
            : lineParagraphs(parseLine(lines[index + 1] ?? ''))[0]?.source;
        const alreadyTranslated = ours.has(own) || (following !== undefined && ours.has(following));
        blocks.push(alreadyTranslated ? { ...block, alreadyTranslated } : block);
      });
    }
    return blocks;
  }

  async writeTranslations(blocks: readonly TextBlock[], translations: readonly string[], placement: TranslationPlacement): Promise<TranslationWriteResult> {
    if (blocks.length !== translations.length) {
      throw new HostError('INVALID_ARGUMENT', `Got ${translations.length} translations for ${blocks.length} paragraphs; nothing was written.`);
    }
    if (!this.translationPlacements.includes(placement)) {
      throw new HostError('NOT_AVAILABLE', `This document cannot place translations as "${placement}"; choose "After each paragraph".`);
    }
    const lines = this.store.get().text.split('\n');
    const { found, changed } = findParagraphs(lines, blocks);
    if (found.length === 0) return { written: 0, changed };
    this.store.update((state) => {
      const trackedChanges: TrackedChange[] = [];
      const comments: DocumentComment[] = [];
      const written: string[] = [];
      // Bottom-up (and right to left in a row), so inserting a paragraph never moves one still to be written.
      const order = [...found].sort(
        (a, b) => b.index - a.index || (b.place.cell ?? 0) - (a.place.cell ?? 0) || (b.place.paragraph ?? 0) - (a.place.paragraph ?? 0),
      );
      for (const { index, place, position } of order) {
        const line = parseLine(lines[index] ?? '');
        const original = lineParagraphs(line).find((candidate) => candidate.cell === place.cell && candidate.paragraph === place.paragraph)?.source ?? '';
        const originalPlain = inlinePlainText(parseInline(original));
        const translated = translatedSource(original, translations[position] ?? '');
        if (placement === 'comment') {
          // A comment is plain text.
          comments.push({ paragraph: originalPlain, comment: translated.plain });
          continue;
        }
        if (placement === 'replace-tracked') trackedChanges.push({ original: originalPlain, replacement: translated.plain });
        written.push(translated.source);
        if (line.kind === 'table-row') {
          // In its own cell: after the original paragraph there, or in its place.
          const cell = line.cells[place.cell ?? 0] ?? [];
          cell.splice((place.paragraph ?? 0) + (placement === 'after' ? 1 : 0), placement === 'after' ? 0 : 1, translated.source);
          lines[index] = serializeLine(line);
        } else if (placement === 'replace-tracked') {
          lines[index] = serializeLine({ ...line, source: translated.source });
        } else {
          lines.splice(index + 1, 0, serializeLine(followingLine(line, translated.source)));
        }
      }
      // Margins list in document order, as Word does.
      return {
        ...state,
        text: lines.join('\n'),
        trackedChanges: [...state.trackedChanges, ...trackedChanges.reverse()],
        comments: [...state.comments, ...comments.reverse()],
        ourParagraphs: [...state.ourParagraphs, ...written],
      };
    });
    return { written: found.length, changed };
  }

  async insertText(text: string, location: InsertLocation): Promise<void> {
    this.store.update((state) => {
      const lines = state.text.split('\n');
      const at = location === 'start' ? 0 : location === 'end' ? lines.length : lineIndexAt(state.text, state.selectionEnd) + 1;
      const inserted = text.split('\n');
      lines.splice(at, 0, ...inserted);
      const caret = lineRanges(lines.join('\n'))[at + inserted.length - 1]?.end ?? 0;
      return { ...state, text: lines.join('\n'), selectionStart: caret, selectionEnd: caret };
    });
  }
}

/** The line a translation placed after this one gets: a heading stays a heading, a list item's translation stays in its item, unnumbered. */
function followingLine(line: Exclude<DocumentLine, { kind: 'table-row' }>, source: string): DocumentLine {
  if (line.kind === 'heading') return { kind: 'heading', level: line.level, source };
  if (line.kind === 'list-item' || line.kind === 'list-continuation') return { kind: 'list-continuation', level: line.level, source };
  return { kind: 'paragraph', source };
}

/**
 * As in Word: each block's paragraph is found again by its text (and formatting), the nearest line to
 * where it was (shifted as the lines before it moved), so lines the user added or removed elsewhere do
 * not matter. A paragraph whose own text changed is reported, never overwritten.
 */
function findParagraphs(
  lines: readonly string[],
  blocks: readonly TextBlock[],
): { found: { index: number; place: ParagraphPlace; position: number }[]; changed: string[] } {
  const found: { index: number; place: ParagraphPlace; position: number }[] = [];
  const changed: string[] = [];
  let lastMatched = -1;
  let lastOriginalLine = -1;
  let shift = 0;
  const order = blocks
    .map((block, position) => ({ block, position, place: placeOf(block.id) }))
    .sort((a, b) => a.place.line - b.place.line || (a.place.cell ?? 0) - (b.place.cell ?? 0) || (a.place.paragraph ?? 0) - (b.place.paragraph ?? 0));
  for (const { block, position, place } of order) {
    const expected = place.line + shift;
    // Cells of one table row share their line.
    const earliest = place.line === lastOriginalLine ? lastMatched : lastMatched + 1;
    let best: number | undefined;
    lines.forEach((line, candidate) => {
      if (candidate < earliest) return;
      const current = blockAt(line, candidate, place);
      if (current === undefined || current.text !== block.text || current.markup !== block.markup) return;
      if (best === undefined || Math.abs(candidate - expected) < Math.abs(best - expected)) best = candidate;
    });
    if (best === undefined) {
      changed.push(block.id);
      continue;
    }
    found.push({ index: best, place, position });
    lastMatched = best;
    lastOriginalLine = place.line;
    shift = best - place.line;
  }
  return { found, changed };
}
