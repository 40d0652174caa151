// TextDocumentAccess over Word's JavaScript API. The user keeps working while a translation runs, so a
// write finds each paragraph again by identity, never by position: Word's own paragraph id where
// WordApi 1.6 offers it, otherwise its text plus a check of the paragraphs around it. A paragraph whose
// own text changed is skipped and reported; every other translation is written. Reads take one sync, plus
// one per 25 paragraphs for their OOXML (runs and formatting: paragraph-ooxml.ts); a write takes two (check,
// write; one write sync per 100 paragraphs), two more with tracked changes (the user's tracking mode comes back in a sync of its own, whatever
// happened to the inserts). A translation is written as OOXML rebuilt from its paragraph's own (style,
// list level, each span's run properties) with a hidden bookmark that marks it ours, so a later run over the
// document skips what is already translated; a comment is plain text.
import { escapeSpanText, stripSpanMarkup } from '../../contract/span-markup.js';
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
  paragraphPackage,
  platformXmlCodec,
  readParagraphOoxml,
  rebuildRuns,
  translationBookmarkPrefix,
  type ParagraphFormatting,
  type XmlCodec,
} from './paragraph-ooxml.js';

/** Word.run, injectable so tests can hand in a mock context. */
export type WordRun = <T>(batch: (context: Word.RequestContext) => Promise<T>) => Promise<T>;

export interface WordTextAccessOptions {
  run?: WordRun;
  /** Office.context.requirements.isSetSupported: WordApi 1.4 for comments and tracked changes, 1.6 for paragraph ids. */
  isSetSupported?: (name: string, version: string) => boolean;
  /** XML parser for paragraphs' OOXML; the browser's DOMParser by default. Without one, paragraphs are read as plain text. */
  xml?: XmlCodec;
}

/** Paragraphs whose OOXML one sync reads: a paragraph's package carries its styles, so keep each sync's payload small. */
const ooxmlParagraphsPerSync = 25;
/** Translations one write sync carries (each an OOXML package of a few kilobytes). */
const writeParagraphsPerSync = 100;

/** What a block's id carries: where the paragraph was, Word's id for it, and fingerprints of its neighbours. */
interface ParagraphIdentity {
  index: number;
  uniqueLocalId: string;
  previous: string;
  next: string;
}

/** Word needs at least this set for what every feature uses (expandTo, getFirst, styleBuiltIn, neighbours). */
export const WORD_MINIMUM_REQUIREMENT = { name: 'WordApi', version: '1.3' } as const;

export function createWordTextAccess(options: WordTextAccessOptions = {}): TextDocumentAccess {
  const run: WordRun = options.run ?? ((batch) => Word.run(batch));
  const hasWordApi14 = options.isSetSupported?.('WordApi', '1.4') ?? false;
  const hasParagraphIds = options.isSetSupported?.('WordApi', '1.6') ?? false;
  const translationPlacements: readonly TranslationPlacement[] = hasWordApi14 ? ['after', 'replace-tracked', 'comment'] : ['after'];
  const identityProperties = hasParagraphIds ? 'items/text,items/uniqueLocalId' : 'items/text';
  const readProperties = `${identityProperties},items/styleBuiltIn,items/tableNestingLevel,items/isListItem`;
  const xml = options.xml ?? platformXmlCodec();
  // What a write needs to rebuild each paragraph read (its pPr and the spans' rPr), by block id and text.
  const formattingByBlock = new Map<string, ParagraphFormatting>();
  const formattingKey = (block: TextBlock) => `${block.id}\u0000${block.text}`;
  let bookmarkCounter = 0;
  const bookmarkName = (placement: 'A' | 'R' | 'C') => `${translationBookmarkPrefix}${placement}${Date.now().toString(36)}${(bookmarkCounter++).toString(36)}`;

  /** Reads the paragraphs' OOXML in syncs of a few paragraphs each, then turns them into blocks with markup. */
  async function withFormatting(context: Word.RequestContext, paragraphs: readonly Word.Paragraph[], blocks: ReadBlock[]): Promise<TextBlock[]> {
    if (xml !== undefined) {
      for (let start = 0; start < blocks.length; start += ooxmlParagraphsPerSync) {
        const page = blocks.slice(start, start + ooxmlParagraphsPerSync);
        const results = page.map((block) => (paragraphs[block.offset] as Word.Paragraph).getOoxml());
        // One sync per page on purpose: a paragraph's package carries its styles, so all at once could pass Word's payload limit.
        // eslint-disable-next-line office-addins/no-context-sync-in-loop
        await context.sync();
        page.forEach((block, index) => {
          const read = readFormatting((results[index] as OfficeExtension.ClientResult<string>).value, block.block.text, xml);
          if (read === undefined) return;
          block.formatting = read.formatting;
          if (read.spanCount + read.itemCount > 0) block.block.markup = read.markup;
          if (read.formatting.list !== undefined && block.block.structure?.kind === 'list-item') block.block.structure.level = read.formatting.list.level;
        });
      }
    }
    // Our own translations are not source text: a paragraph we placed after its source marks that source done;
    // our tracked replacement is itself done.
    const result: TextBlock[] = [];
    const byOffset = new Map(blocks.map((entry) => [entry.offset, entry.block]));
    for (const entry of blocks) {
      const ours = entry.formatting?.ourTranslation;
      if (ours === 'after') {
        const source = byOffset.get(entry.offset - 1);
        if (source !== undefined) source.alreadyTranslated = true;
        continue;
      }
      if (ours === 'replacement' || ours === 'commented') entry.block.alreadyTranslated = true;
      if (entry.formatting !== undefined) formattingByBlock.set(formattingKey(entry.block), entry.formatting);
      result.push(entry.block);
    }
    return result;
  }

  async function readParagraphs(scope: 'selection' | 'document'): Promise<TextBlock[]> {
    return run(async (context) => {
      const body = context.document.body;
      if (scope === 'document') {
        const paragraphs = body.paragraphs;
        paragraphs.load(readProperties);
        await context.sync();
        return withFormatting(context, paragraphs.items, toBlocks(paragraphs.items, 0, undefined, undefined, hasParagraphIds));
      }
      // A collapsed selection's paragraphs are the one at the cursor. The paragraphs from the start of
      // the body through the whole first selected paragraph count its index, in the same sync (a range
      // ending exactly at a paragraph's start would leave it ambiguous whether that one counts).
      const selected = context.document.getSelection().paragraphs;
      selected.load(readProperties);
      const before = body.getRange('Start').expandTo(selected.getFirst().getRange('Whole')).paragraphs;
      before.load('items/tableNestingLevel');
      // The paragraphs just outside the selection: a later write checks them to recognise the place.
      const previous = selected.getFirst().getPreviousOrNullObject();
      previous.load('text');
      const next = selected.getLast().getNextOrNullObject();
      next.load('text');
      await context.sync();
      const blocks = toBlocks(
        selected.items,
        Math.max(0, before.items.length - 1),
        previous.isNullObject ? undefined : previous.text,
        next.isNullObject ? undefined : next.text,
        hasParagraphIds,
      );
      return withFormatting(context, selected.items, blocks);
    });
  }

  async function writeTranslations(
    blocks: readonly TextBlock[],
    translations: readonly string[],
    placement: TranslationPlacement,
  ): Promise<TranslationWriteResult> {
    if (blocks.length !== translations.length) {
      throw new HostError('INVALID_ARGUMENT', `Got ${translations.length} translations for ${blocks.length} paragraphs: they must match one to one.`);
    }
    if (!translationPlacements.includes(placement)) {
      const what = placement === 'comment' ? 'add comments' : 'make tracked changes';
      throw new HostError('NOT_AVAILABLE', `This version of Word cannot ${what}; choose "After each paragraph".`);
    }
    if (blocks.length === 0) return { written: 0, changed: [] };
    const identities = blocks.map((block) => parseIdentity(block.id));
    return run(async (context) => {
      const paragraphs = context.document.body.paragraphs;
      paragraphs.load(`${identityProperties},items/style,items/styleBuiltIn`);
      const document = context.document;
      if (placement === 'replace-tracked') document.load('changeTrackingMode');
      await context.sync();

      const { targets, changed } = findParagraphs(paragraphs.items, blocks, identities, hasParagraphIds);
      if (targets.length === 0) return { written: 0, changed };

      const placePage = (page: typeof targets) => {
        for (const { paragraph, position } of page) {
          const block = blocks[position] as TextBlock;
          const translation = translations[position] ?? '';
          const formatting = formattingByBlock.get(formattingKey(block));
          const isMarkup = block.markup !== undefined;
          if (placement === 'comment') {
            // A comment is plain text. A hidden bookmark on the source (its text untouched) says it has our comment.
            const content = paragraph.getRange('Content');
            content.insertComment(isMarkup ? stripSpanMarkup(translation) : translation);
            if (formatting !== undefined) content.insertBookmark(bookmarkName('C'));
          } else if (formatting !== undefined) {
            // Rebuilt from the paragraph's own OOXML: its pPr, each span's rPr on its translated text, inline items
            // kept; our hidden bookmark in it lets a later run recognise the translation.
            const mode = placement === 'after' ? 'new-paragraph' : 'replace-content';
            const runs = rebuildRuns(formatting, isMarkup ? translation : escapeSpanText(translation), mode);
            const ooxml = paragraphPackage(formatting, runs, mode, bookmarkName(placement === 'after' ? 'A' : 'R'));
            if (placement === 'after') paragraph.getRange('Whole').insertOoxml(ooxml, 'After');
            else paragraph.getRange('Content').insertOoxml(ooxml, 'Replace');
          } else if (placement === 'after') {
            // Each translation follows its paragraph in the same style, one paragraph for one paragraph.
            copyStyle(paragraph, paragraph.insertParagraph(oneParagraph(isMarkup ? stripSpanMarkup(translation) : translation), 'After'));
          } else {
            paragraph.insertText(oneParagraph(isMarkup ? stripSpanMarkup(translation) : translation), 'Replace');
          }
        }
      };

      // A whole document's OOXML in one request could pass Word's payload limit: a page of paragraphs per sync.
      // A page Word refuses stops the write; the pages before it stay written, as Office keeps them.
      const place = async () => {
        for (let start = 0; start < targets.length; start += writeParagraphsPerSync) {
          placePage(targets.slice(start, start + writeParagraphsPerSync));
          await syncWrite(context, 'write the translations');
        }
      };

      if (placement !== 'replace-tracked' || document.changeTrackingMode === 'TrackAll') {
        await place();
        return { written: targets.length, changed };
      }
      // Tracked, so the user reviews every replacement. The mode is switched in a sync of its own and
      // switched back in another, in a finally: an insert Word refuses (a protected range, a locked
      // content control) must not leave the user's document tracking everything.
      const previousMode = document.changeTrackingMode;
      document.changeTrackingMode = 'TrackAll';
      await syncWrite(context, 'turn on change tracking');
      try {
        await place();
      } finally {
        document.changeTrackingMode = previousMode;
        await syncWrite(context, 'restore your change-tracking setting');
      }
      return { written: targets.length, changed };
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

/** A paragraph's formatting, or none when its OOXML cannot be read: it is then translated as plain text, in its style. */
function readFormatting(packageXml: string, text: string, xml: XmlCodec): ReturnType<typeof readParagraphOoxml> {
  try {
    return readParagraphOoxml(packageXml, text, xml);
  } catch {
    return undefined;
  }
}

/** A block as read, with the offset of its paragraph among those read and, once read, its formatting. */
interface ReadBlock {
  block: TextBlock;
  offset: number;
  formatting?: ParagraphFormatting;
}

/**
 * Blocks for the non-empty paragraphs (empty ones have nothing to translate but keep their index). The
 * id records the paragraph's index, Word's id for it ('' without WordApi 1.6) and fingerprints of the
 * paragraphs before and after it.
 */
function toBlocks(
  paragraphs: readonly Word.Paragraph[],
  firstIndex: number,
  textBefore: string | undefined,
  textAfter: string | undefined,
  withIds: boolean,
): ReadBlock[] {
  const blocks: ReadBlock[] = [];
  paragraphs.forEach((paragraph, offset) => {
    if (paragraph.text.trim().length === 0) return;
    const previous = offset === 0 ? textBefore : paragraphs[offset - 1]?.text;
    const next = offset === paragraphs.length - 1 ? textAfter : paragraphs[offset + 1]?.text;
    const identity: ParagraphIdentity = {
      index: firstIndex + offset,
      uniqueLocalId: withIds ? readUniqueLocalId(paragraph) : '',
      previous: fingerprint(previous),
      next: fingerprint(next),
    };
    const block: TextBlock = { id: [identity.index, identity.uniqueLocalId, identity.previous, identity.next].join('|'), text: paragraph.text };
    const structure = structureOf(paragraph);
    if (structure !== undefined) block.structure = structure;
    blocks.push({ block, offset });
  });
  return blocks;
}

/** Where a paragraph sits: a table cell, a list item, a heading (Word's built-in heading styles), or a plain paragraph. */
function structureOf(paragraph: Word.Paragraph): TextBlockStructure | undefined {
  const read = <T>(get: () => T): T | undefined => {
    try {
      return get();
    } catch {
      // Not loaded on this Word: the structure is then unknown, not wrong.
      return undefined;
    }
  };
  if ((read(() => paragraph.tableNestingLevel) ?? 0) > 0) return { kind: 'table-cell' };
  if (read(() => paragraph.isListItem) === true) return { kind: 'list-item' };
  const heading = /^Heading(\d)$/.exec(read(() => paragraph.styleBuiltIn) ?? '');
  if (heading !== null) return { kind: 'heading', level: Number(heading[1]) };
  return undefined;
}

function readUniqueLocalId(paragraph: Word.Paragraph): string {
  try {
    const id = (paragraph as { uniqueLocalId?: unknown }).uniqueLocalId;
    return typeof id === 'string' && /^[\w-]+$/.test(id) ? id : '';
  } catch {
    // Not loaded (no WordApi 1.6): Office throws on reading a property that was not loaded.
    return '';
  }
}

function parseIdentity(id: string): ParagraphIdentity {
  const [index, uniqueLocalId, previous, next] = id.split('|');
  const position = Number(index);
  if (index === undefined || !/^\d+$/.test(index) || !Number.isSafeInteger(position) || previous === undefined || next === undefined) {
    throw new HostError('INVALID_ARGUMENT', `"${id}" is not a paragraph id from this document: read the paragraphs again.`);
  }
  return { index: position, uniqueLocalId: uniqueLocalId ?? '', previous, next };
}

/**
 * The paragraph each block was read from, in the document as it is now. With Word's paragraph ids a
 * paragraph is found wherever it moved. Without them a candidate must hold the same text, come after the
 * previous block's paragraph, and have at least one neighbour as it was; the nearest to where the shift
 * so far expects it wins (so pressing Enter above the selection moves every match by one). A paragraph
 * whose neighbours both changed too is left alone: skipping is safe, a translation in the wrong place is not.
 */
function findParagraphs(
  items: readonly Word.Paragraph[],
  blocks: readonly TextBlock[],
  identities: readonly ParagraphIdentity[],
  useIds: boolean,
): { targets: { paragraph: Word.Paragraph; position: number }[]; changed: string[] } {
  const texts = items.map((paragraph) => paragraph.text);
  const byId = new Map<string, number>();
  const byText = new Map<string, number[]>();
  texts.forEach((text, index) => {
    if (useIds) {
      const id = readUniqueLocalId(items[index] as Word.Paragraph);
      if (id !== '') byId.set(id, index);
    }
    const same = byText.get(text);
    if (same === undefined) byText.set(text, [index]);
    else same.push(index);
  });

  const order = identities.map((identity, position) => ({ identity, position })).sort((a, b) => a.identity.index - b.identity.index);
  const targets: { paragraph: Word.Paragraph; position: number }[] = [];
  const changed: string[] = [];
  let lastMatched = -1;
  let shift = 0;
  for (const { identity, position } of order) {
    const block = blocks[position] as TextBlock;
    let found: number | undefined;
    if (useIds && identity.uniqueLocalId !== '') {
      const index = byId.get(identity.uniqueLocalId);
      // Found wherever it moved; only its own text must be as it was.
      if (index !== undefined && texts[index] === block.text) found = index;
    } else {
      const expected = identity.index + shift;
      for (const candidate of byText.get(block.text) ?? []) {
        if (candidate <= lastMatched) continue;
        const neighbourKept = fingerprint(texts[candidate - 1]) === identity.previous || fingerprint(texts[candidate + 1]) === identity.next;
        if (!neighbourKept) continue;
        if (found === undefined || Math.abs(candidate - expected) < Math.abs(found - expected)) found = candidate;
      }
    }
    if (found === undefined) {
      changed.push(block.id);
      continue;
    }
    targets.push({ paragraph: items[found] as Word.Paragraph, position });
    lastMatched = found;
    shift = found - identity.index;
  }
  // Written in document order, as read.
  targets.sort((a, b) => a.position - b.position);
  return { targets, changed };
}

/** A short fingerprint of a neighbour's text (FNV-1a), so an id carries no document text. '-' for none. */
function fingerprint(text: string | undefined): string {
  if (text === undefined) return '-';
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index += 1) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(36);
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

const refusalReasons: Record<string, string> = {
  'write the translations': ': a paragraph may be protected or inside a locked content control. Translations before it may already be in place.',
  'insert the text': ' at that place: it may be protected or inside a locked content control. Choose another place.',
};

/** Office's own error text is for the console, not the pane: the HostError keeps it as the cause. */
async function syncWrite(context: Word.RequestContext, action: string): Promise<void> {
  try {
    await context.sync();
  } catch (error) {
    throw new HostError('OFFICE_CALL_FAILED', `Word could not ${action}${refusalReasons[action] ?? '.'}`, { cause: error });
  }
}
