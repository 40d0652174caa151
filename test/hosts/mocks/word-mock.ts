// A Word document for the Word adapter's tests, built from office-addin-mock objects: paragraph
// properties must be loaded and synced before they can be read, writes are queued and applied at
// context.sync in order (as Office.js does), and syncs are counted. As in Office, a sync whose batch
// holds a refused action (a paragraph in a locked content control) keeps the actions queued before it,
// skips the ones after it and rejects. The user can act between two syncs (pressing Enter above a
// paragraph, say). Paragraph ids (uniqueLocalId) exist only when the mock plays WordApi 1.6.
import { OfficeMockObject } from 'office-addin-mock';
import type { WordRun } from '../../../src/hosts/word/word-text-access.js';

export interface ParagraphData {
  text: string;
  /** The style's (localised) name. */
  style?: string;
  /** The built-in style, or 'Other' for a custom one. */
  styleBuiltIn?: string;
}

export interface WordParagraphModel {
  text: string;
  style: string;
  styleBuiltIn: string;
  uniqueLocalId: string;
  /** Inside a content control that cannot be edited: Word refuses changes to it. */
  locked: boolean;
}

export interface WordMockOptions {
  /** Word offers paragraph ids (WordApi 1.6); without, loading uniqueLocalId fails as on older Word. */
  paragraphIds?: boolean;
}

/** What Office.js rejects a sync with when an action is refused. */
export class WordMockSyncError extends Error {
  override readonly name = 'RichApi.Error';
  constructor(readonly code: string) {
    super(`${code}: The action isn't supported in this part of the document (mock).`);
  }
}

export interface TrackedChange {
  oldText: string;
  newText: string;
  mode: string;
}

type Operation = () => void;

interface Batch {
  operations: Operation[];
  mocks: OfficeMockObject[];
}

export class WordMock {
  paragraphs: WordParagraphModel[];
  /** First and last selected paragraphs; the same one for a collapsed selection (a cursor). */
  selection: { first: WordParagraphModel; last: WordParagraphModel };
  changeTrackingMode = 'Off';
  readonly comments: { paragraph: WordParagraphModel; text: string }[] = [];
  readonly trackedChanges: TrackedChange[] = [];
  syncCount = 0;
  /** Tracking modes the document went through, one entry per change, to show it came back. */
  readonly trackingModeHistory: string[] = [];
  private readonly paragraphIds: boolean;
  private nextId = 1;
  private betweenSyncActions: (() => void)[] = [];

  constructor(paragraphs: ParagraphData[], selection: { first: number; last?: number }, options: WordMockOptions = {}) {
    this.paragraphIds = options.paragraphIds ?? false;
    this.paragraphs = paragraphs.map((paragraph) =>
      this.newModel(
        paragraph.text,
        paragraph.style ?? paragraph.styleBuiltIn ?? 'Normal',
        paragraph.styleBuiltIn ?? (paragraph.style === undefined ? 'Normal' : 'Other'),
      ),
    );
    this.selection = { first: this.at(selection.first), last: this.at(selection.last ?? selection.first) };
  }

  private newModel(text: string, style = 'Normal', styleBuiltIn = 'Normal'): WordParagraphModel {
    const id = String(this.nextId++).padStart(12, '0');
    return { text, style, styleBuiltIn, uniqueLocalId: `0000${id.slice(0, 4)}-0000-4000-8000-${id}`, locked: false };
  }

  /** The user presses Enter at the start of paragraph `index` (and may type): a new paragraph above it. */
  userInsertsParagraphBefore(index: number, text = ''): void {
    const target = this.at(index);
    this.paragraphs.splice(this.paragraphs.indexOf(target), 0, this.newModel(text, target.style, target.styleBuiltIn));
  }

  /** The user deletes paragraph `index`. */
  userDeletesParagraph(index: number): void {
    this.paragraphs.splice(this.paragraphs.indexOf(this.at(index)), 1);
  }

  /** Runs `action` right after the next context.sync, as a user working while the add-in waits. */
  betweenSyncs(action: () => void): void {
    this.betweenSyncActions.push(action);
  }

  /** Puts paragraph `index` inside a content control that cannot be edited. */
  lock(index: number): void {
    this.at(index).locked = true;
  }

  readonly run: WordRun = async (batch) => batch(this.createContext() as unknown as Word.RequestContext);

  texts(): string[] {
    return this.paragraphs.map((paragraph) => paragraph.text);
  }

  /** The user edits a paragraph between two adapter calls. */
  edit(index: number, text: string): void {
    this.at(index).text = text;
  }

  private at(index: number): WordParagraphModel {
    const paragraph = this.paragraphs[index];
    if (paragraph === undefined) throw new Error(`no paragraph ${index}`);
    return paragraph;
  }

  private createContext(): OfficeMockObject {
    const batch: Batch = { operations: [], mocks: [] };
    const body = new OfficeMockObject({
      getRange: (location: string) => {
        const paragraph = location === 'End' ? this.paragraphs[this.paragraphs.length - 1] : this.paragraphs[0];
        if (paragraph === undefined) throw new Error('empty document');
        return this.createRange(batch, paragraph, paragraph);
      },
      insertParagraph: (text: string, location: string) => {
        const inserted = this.newModel(text);
        batch.operations.push(() => {
          if (location === 'Start') this.paragraphs.unshift(inserted);
          else if (location === 'End') this.paragraphs.push(inserted);
          else throw new Error(`body.insertParagraph: bad location ${location}`);
        });
        return this.createParagraph(batch, inserted);
      },
    });
    Object.defineProperty(body, 'paragraphs', { get: () => this.createCollection(batch, [...this.paragraphs]) });
    batch.mocks.push(body);

    const document = new OfficeMockObject({
      changeTrackingMode: this.changeTrackingMode,
      getSelection: () => this.createRange(batch, this.selection.first, this.selection.last),
    });
    document['body'] = body;
    batch.mocks.push(document);
    const trackedDocument = new Proxy(document, {
      set: (target, property, value: unknown) => {
        // The adapter's assignments are writes; the mock's own loads only set its error strings.
        if (property === 'changeTrackingMode' && typeof value === 'string' && !value.startsWith('Error, ')) {
          batch.operations.push(() => {
            this.changeTrackingMode = String(value);
            this.trackingModeHistory.push(this.changeTrackingMode);
          });
        }
        return Reflect.set(target, property, value);
      },
    });

    const context = new OfficeMockObject({});
    context['document'] = trackedDocument;
    context.sync = async () => {
      this.syncCount++;
      const operations = batch.operations.splice(0);
      const mocks = batch.mocks.splice(0);
      try {
        // A refused action throws: the ones before it stay applied, the rest of the batch is dropped.
        for (const operation of operations) operation();
        for (const object of mocks) await object.sync();
      } finally {
        for (const action of this.betweenSyncActions.splice(0)) action();
      }
    };
    return context;
  }

  private createCollection(batch: Batch, paragraphs: WordParagraphModel[]) {
    const items = paragraphs.map((paragraph) => this.createParagraph(batch, paragraph));
    return {
      items,
      load: (properties: string) => {
        const names = properties.split(',').map((name) => name.trim().replace(/^items\//, ''));
        for (const item of items) item.load(names);
      },
      getFirst: () => items[0],
      getLast: () => items[items.length - 1],
    };
  }

  private createRange(batch: Batch, first: WordParagraphModel, last: WordParagraphModel): OfficeMockObject {
    const range = new OfficeMockObject({
      getRange: (location: string) => (location === 'Start' ? this.createRange(batch, first, first) : this.createRange(batch, last, last)),
      expandTo: (other: { first: WordParagraphModel; last: WordParagraphModel }) => {
        const indices = [first, last, other.first, other.last].map((paragraph) => this.paragraphs.indexOf(paragraph));
        const from = this.paragraphs[Math.min(...indices)];
        const to = this.paragraphs[Math.max(...indices)];
        if (from === undefined || to === undefined) throw new Error('expandTo: range is gone');
        return this.createRange(batch, from, to);
      },
      insertComment: (text: string) => {
        batch.operations.push(() => {
          this.refuseIfLocked(first);
          this.comments.push({ paragraph: first, text });
        });
        return new OfficeMockObject({ content: text });
      },
    });
    range['first'] = first;
    range['last'] = last;
    Object.defineProperty(range, 'paragraphs', {
      get: () => {
        const from = this.paragraphs.indexOf(first);
        const to = this.paragraphs.indexOf(last);
        return this.createCollection(batch, this.paragraphs.slice(from, to + 1));
      },
    });
    batch.mocks.push(range);
    return range;
  }

  private refuseIfLocked(model: WordParagraphModel): void {
    if (model.locked) throw new WordMockSyncError('AccessDenied');
  }

  private createNullParagraph(batch: Batch): OfficeMockObject {
    const nothing = new OfficeMockObject({ text: '' });
    Object.defineProperty(nothing, 'isNullObject', { value: true });
    batch.mocks.push(nothing);
    return nothing;
  }

  private createParagraph(batch: Batch, model: WordParagraphModel): OfficeMockObject {
    const paragraph = new OfficeMockObject({
      text: model.text,
      style: model.style,
      styleBuiltIn: model.styleBuiltIn,
      ...(this.paragraphIds ? { uniqueLocalId: model.uniqueLocalId } : {}),
      tableNestingLevel: 0,
      getPreviousOrNullObject: () => {
        const previous = this.paragraphs[this.paragraphs.indexOf(model) - 1];
        return previous === undefined ? this.createNullParagraph(batch) : this.createParagraph(batch, previous);
      },
      getNextOrNullObject: () => {
        const index = this.paragraphs.indexOf(model);
        const next = index < 0 ? undefined : this.paragraphs[index + 1];
        return next === undefined ? this.createNullParagraph(batch) : this.createParagraph(batch, next);
      },
      insertParagraph: (text: string, location: string) => {
        const inserted = this.newModel(text);
        batch.operations.push(() => {
          this.refuseIfLocked(model);
          const index = this.paragraphs.indexOf(model);
          if (index < 0) throw new Error('insertParagraph: the paragraph is gone');
          this.paragraphs.splice(location === 'After' ? index + 1 : index, 0, inserted);
        });
        return this.createParagraph(batch, inserted);
      },
      insertText: (text: string, location: string) => {
        if (location !== 'Replace') throw new Error(`paragraph.insertText: location ${location} not modelled`);
        batch.operations.push(() => {
          this.refuseIfLocked(model);
          if (this.changeTrackingMode !== 'Off') this.trackedChanges.push({ oldText: model.text, newText: text, mode: this.changeTrackingMode });
          model.text = text;
        });
      },
      getRange: () => this.createRange(batch, model, model),
    });
    Object.defineProperty(paragraph, 'isNullObject', { value: false });
    batch.mocks.push(paragraph);
    return new Proxy(paragraph, {
      set: (target, property, value: unknown) => {
        // Style assignments by the adapter are writes; the mock's own loads set error strings or the snapshot.
        if ((property === 'style' || property === 'styleBuiltIn') && typeof value === 'string' && !value.startsWith('Error, ')) {
          batch.operations.push(() => {
            if (property === 'styleBuiltIn') {
              model.styleBuiltIn = value;
              model.style = value;
            } else {
              model.style = value;
              model.styleBuiltIn = 'Other';
            }
          });
        }
        return Reflect.set(target, property, value);
      },
    });
  }
}
