// TextDocumentAccess over Word's JavaScript API. A paragraph's id is its index in the document at read
// time; a write finds the paragraph by that index again and checks its text is still the same, so an
// edit made meanwhile is never overwritten. Reads take one sync; a write takes two (one to check, one to
// write everything), whatever the number of paragraphs.
import { HostError, type InsertLocation, type TextBlock, type TextDocumentAccess, type TranslationPlacement } from '../host-adapter.js';

/** Word.run, injectable so tests can hand in a mock context. */
export type WordRun = <T>(batch: (context: Word.RequestContext) => Promise<T>) => Promise<T>;

export interface WordTextAccessOptions {
  run?: WordRun;
  /** Office.context.requirements.isSetSupported; comments and tracked changes need WordApi 1.4. */
  isSetSupported?: (name: string, version: string) => boolean;
}

/** Properties a write needs of every paragraph: its text to check, its style to copy. */
const paragraphProperties = 'items/text,items/style,items/styleBuiltIn';

export function createWordTextAccess(options: WordTextAccessOptions = {}): TextDocumentAccess {
  const run: WordRun = options.run ?? ((batch) => Word.run(batch));
  const hasWordApi14 = options.isSetSupported?.('WordApi', '1.4') ?? false;
  const translationPlacements: readonly TranslationPlacement[] = hasWordApi14 ? ['after', 'replace-tracked', 'comment'] : ['after'];

  async function readParagraphs(scope: 'selection' | 'document'): Promise<TextBlock[]> {
    return run(async (context) => {
      const body = context.document.body;
      if (scope === 'document') {
        const paragraphs = body.paragraphs;
        paragraphs.load('items/text');
        await context.sync();
        return toBlocks(paragraphs.items, 0);
      }
      // A collapsed selection's paragraphs are the one at the cursor. The paragraphs from the start of
      // the body through the whole first selected paragraph count its index, in the same sync (a range
      // ending exactly at a paragraph's start would leave it ambiguous whether that one counts).
      const selected = context.document.getSelection().paragraphs;
      selected.load('items/text');
      const before = body.getRange('Start').expandTo(selected.getFirst().getRange('Whole')).paragraphs;
      before.load('items/tableNestingLevel');
      await context.sync();
      return toBlocks(selected.items, Math.max(0, before.items.length - 1));
    });
  }

  async function writeTranslations(blocks: readonly TextBlock[], translations: readonly string[], placement: TranslationPlacement): Promise<void> {
    if (blocks.length !== translations.length) {
      throw new HostError('INVALID_ARGUMENT', `Got ${translations.length} translations for ${blocks.length} paragraphs: they must match one to one.`);
    }
    if (!translationPlacements.includes(placement)) {
      throw new HostError(
        'NOT_AVAILABLE',
        `This version of Word cannot place translations as "${placement}" (it needs WordApi 1.4): place them after each paragraph instead.`,
      );
    }
    if (blocks.length === 0) return;
    const indices = blocks.map((block) => paragraphIndex(block.id));
    await run(async (context) => {
      const paragraphs = context.document.body.paragraphs;
      paragraphs.load(paragraphProperties);
      const document = context.document;
      if (placement === 'replace-tracked') document.load('changeTrackingMode');
      await context.sync();

      // Check everything before writing anything: a half-written translation is worse than none.
      const targets = indices.map((index, position) => {
        const paragraph = paragraphs.items[index];
        const block = blocks[position];
        if (paragraph === undefined || block === undefined || paragraph.text !== block.text) {
          throw new HostError('DOCUMENT_CHANGED', 'The document changed since its paragraphs were read, so nothing was written: run the translation again.');
        }
        return paragraph;
      });

      if (placement === 'after') {
        // Each translation follows its paragraph in the same style, one paragraph for one paragraph.
        targets.forEach((paragraph, position) => {
          const inserted = paragraph.insertParagraph(oneParagraph(translations[position] ?? ''), 'After');
          copyStyle(paragraph, inserted);
        });
      } else if (placement === 'replace-tracked') {
        // Tracked, so the user reviews every replacement; their own tracking setting comes back after.
        const previousMode = document.changeTrackingMode;
        document.changeTrackingMode = 'TrackAll';
        targets.forEach((paragraph, position) => {
          paragraph.insertText(oneParagraph(translations[position] ?? ''), 'Replace');
        });
        document.changeTrackingMode = previousMode;
      } else {
        targets.forEach((paragraph, position) => {
          paragraph.getRange('Content').insertComment(translations[position] ?? '');
        });
      }
      await syncWrite(context, 'write the translations');
    });
  }

  async function insertText(text: string, location: InsertLocation): Promise<void> {
    const lines = text
      .split(/\r\n|\r|\n/)
      .map((line) => line.trimEnd())
      .filter((line) => line.trim().length > 0);
    if (lines.length === 0) return;
    await run(async (context) => {
      let anchor: Word.Paragraph;
      const [first, ...rest] = lines as [string, ...string[]];
      if (location === 'start') {
        anchor = context.document.body.insertParagraph(first, 'Start');
      } else if (location === 'end') {
        anchor = context.document.body.insertParagraph(first, 'End');
      } else {
        // After the paragraph holding the cursor (or the selection's last): never inside the user's text.
        anchor = context.document.getSelection().paragraphs.getLast().insertParagraph(first, 'After');
      }
      // A summary is body text, whatever the style of the paragraph it follows (a heading, say).
      anchor.styleBuiltIn = 'Normal';
      for (const line of rest) {
        anchor = anchor.insertParagraph(line, 'After');
        anchor.styleBuiltIn = 'Normal';
      }
      await syncWrite(context, 'insert the text');
    });
  }

  return { readParagraphs, writeTranslations, insertText, translationPlacements };
}

/** Blocks for the non-empty paragraphs; empty ones have nothing to translate but keep their index. */
function toBlocks(paragraphs: readonly Word.Paragraph[], firstIndex: number): TextBlock[] {
  const blocks: TextBlock[] = [];
  paragraphs.forEach((paragraph, offset) => {
    if (paragraph.text.trim().length > 0) blocks.push({ id: String(firstIndex + offset), text: paragraph.text });
  });
  return blocks;
}

function paragraphIndex(id: string): number {
  const index = Number(id);
  if (!/^\d+$/.test(id) || !Number.isSafeInteger(index)) {
    throw new HostError('INVALID_ARGUMENT', `"${id}" is not a paragraph id from this document: read the paragraphs again.`);
  }
  return index;
}

/** A translation of one paragraph stays one paragraph: line breaks would split it into several. */
function oneParagraph(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}

/** A built-in style is set by its language-independent name; a custom one by its name. */
function copyStyle(source: Word.Paragraph, target: Word.Paragraph): void {
  if (source.styleBuiltIn !== 'Other') target.styleBuiltIn = source.styleBuiltIn;
  else target.style = source.style;
}

async function syncWrite(context: Word.RequestContext, action: string): Promise<void> {
  try {
    await context.sync();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new HostError('OFFICE_CALL_FAILED', `Word could not ${action}: ${message}`, { cause: error });
  }
}
