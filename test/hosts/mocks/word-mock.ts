// A Word document for the Word adapter's tests, built from office-addin-mock objects: paragraph
// properties must be loaded and synced before they can be read, writes are queued and applied at
// context.sync in order (as Office.js does), and syncs are counted.
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

  constructor(paragraphs: ParagraphData[], selection: { first: number; last?: number }) {
    this.paragraphs = paragraphs.map((paragraph) => ({
      text: paragraph.text,
      style: paragraph.style ?? paragraph.styleBuiltIn ?? 'Normal',
      styleBuiltIn: paragraph.styleBuiltIn ?? (paragraph.style === undefined ? 'Normal' : 'Other'),
    }));
    this.selection = { first: this.at(selection.first), last: this.at(selection.last ?? selection.first) };
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
        const inserted: WordParagraphModel = { text, style: 'Normal', styleBuiltIn: 'Normal' };
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
      for (const operation of operations) operation();
      for (const object of mocks) await object.sync();
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
        batch.operations.push(() => this.comments.push({ paragraph: first, text }));
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

  private createParagraph(batch: Batch, model: WordParagraphModel): OfficeMockObject {
    const paragraph = new OfficeMockObject({
      text: model.text,
      style: model.style,
      styleBuiltIn: model.styleBuiltIn,
      tableNestingLevel: 0,
      insertParagraph: (text: string, location: string) => {
        const inserted: WordParagraphModel = { text, style: 'Normal', styleBuiltIn: 'Normal' };
        batch.operations.push(() => {
          const index = this.paragraphs.indexOf(model);
          if (index < 0) throw new Error('insertParagraph: the paragraph is gone');
          this.paragraphs.splice(location === 'After' ? index + 1 : index, 0, inserted);
        });
        return this.createParagraph(batch, inserted);
      },
      insertText: (text: string, location: string) => {
        if (location !== 'Replace') throw new Error(`paragraph.insertText: location ${location} not modelled`);
        batch.operations.push(() => {
          if (this.changeTrackingMode !== 'Off') this.trackedChanges.push({ oldText: model.text, newText: text, mode: this.changeTrackingMode });
          model.text = text;
        });
      },
      getRange: () => this.createRange(batch, model, model),
    });
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
