// Word preview: a plain-text document whose lines are paragraphs, edited in a textarea. Tracked
// changes and comments are kept beside the text so the preview can show them like Word's margin.
import {
  HostError,
  type InsertLocation,
  type TextBlock,
  type TextDocumentAccess,
  type TranslationPlacement,
  type TranslationWriteResult,
} from '../host-adapter.js';
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
}

export function createTextDocumentStore(text: string): PreviewStore<TextDocumentState> {
  return new PreviewStore<TextDocumentState>({ text, selectionStart: 0, selectionEnd: 0, trackedChanges: [], comments: [] });
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

const paragraphId = (index: number) => `p${index}`;
const paragraphIndex = (id: string) => Number(id.slice(1));

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
    const blocks: TextBlock[] = [];
    for (let index = first; index <= last; index += 1) blocks.push({ id: paragraphId(index), text: lines[index] ?? '' });
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
    const { found, changed } = findLines(lines, blocks);
    if (found.length === 0) return { written: 0, changed };
    this.store.update((state) => {
      const trackedChanges: TrackedChange[] = [];
      const comments: DocumentComment[] = [];
      // Bottom-up, so inserting a paragraph never moves one still to be written.
      const order = [...found].sort((a, b) => b.index - a.index);
      for (const { index, position } of order) {
        const translation = translations[position] ?? '';
        if (placement === 'after') lines.splice(index + 1, 0, translation);
        else if (placement === 'replace-tracked') {
          trackedChanges.push({ original: lines[index] ?? '', replacement: translation });
          lines[index] = translation;
        } else comments.push({ paragraph: lines[index] ?? '', comment: translation });
      }
      // Margins list in document order, as Word does.
      return {
        ...state,
        text: lines.join('\n'),
        trackedChanges: [...state.trackedChanges, ...trackedChanges.reverse()],
        comments: [...state.comments, ...comments.reverse()],
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

/**
 * As in Word: each block's line is found again by its text, the nearest to where it was (shifted as the
 * lines before it moved), so lines the user added or removed elsewhere do not matter. A line whose own
 * text changed is reported, never overwritten.
 */
function findLines(lines: readonly string[], blocks: readonly TextBlock[]): { found: { index: number; position: number }[]; changed: string[] } {
  const found: { index: number; position: number }[] = [];
  const changed: string[] = [];
  let lastMatched = -1;
  let shift = 0;
  const order = blocks.map((block, position) => ({ block, position, index: paragraphIndex(block.id) })).sort((a, b) => a.index - b.index);
  for (const { block, position, index } of order) {
    const expected = index + shift;
    let best: number | undefined;
    lines.forEach((line, candidate) => {
      if (candidate <= lastMatched || line !== block.text) return;
      if (best === undefined || Math.abs(candidate - expected) < Math.abs(best - expected)) best = candidate;
    });
    if (best === undefined) {
      changed.push(block.id);
      continue;
    }
    found.push({ index: best, position });
    lastMatched = best;
    shift = best - index;
  }
  return { found, changed };
}
