// A Word document for the Word adapter's tests, built from office-addin-mock objects: paragraph
// properties must be loaded and synced before they can be read, writes are queued and applied at
// context.sync in order (as Office.js does), and syncs are counted. As in Office, a sync whose batch
// holds a refused action (a paragraph in a locked content control) keeps the actions queued before it,
// skips the ones after it and rejects. The user can act between two syncs (pressing Enter above a
// paragraph, say). Paragraph ids (uniqueLocalId) exist only when the mock plays WordApi 1.6.
import { DOMParser as XmlDomParser, XMLSerializer as XmlDomSerializer } from '@xmldom/xmldom';
import { OfficeMockObject } from 'office-addin-mock';
import type { XmlCodec } from '../../../src/hosts/word/paragraph-ooxml.js';
import type { WordRun } from '../../../src/hosts/word/word-text-access.js';

/** A standards DOM for tests (Office uses the browser's DOMParser). */
export const testXmlCodec: XmlCodec = {
  parse: (xml) => new XmlDomParser().parseFromString(xml, 'application/xml') as unknown as Document,
  serialize: (node) => new XmlDomSerializer().serializeToString(node as never),
};

/** One run of a paragraph and its formatting, as Word keeps it. */
export interface RunData {
  text: string;
  bold?: boolean;
  italic?: boolean;
  underline?: boolean;
  strike?: boolean;
  vertAlign?: 'superscript' | 'subscript';
  /** Inside a hyperlink to this address. */
  link?: string;
  /** Inline code (a monospace font). */
  code?: boolean;
  /** A field with this instruction; `text` is its result. */
  field?: string;
  /** A picture with this name (no text). */
  picture?: string;
  /** Inside a content control with this tag. */
  contentControl?: string;
  pageBreak?: boolean;
}

export interface ParagraphData {
  text: string;
  /** The runs (their texts make `text`); one plain run when absent. */
  runs?: RunData[];
  /** A list item of list `id` at `level` (0-based). */
  list?: { id: number; level: number };
  /** In a table cell. */
  cell?: { table: number; row: number; column: number };
  /** The style's (localised) name. */
  style?: string;
  /** The built-in style, or 'Other' for a custom one. */
  styleBuiltIn?: string;
}

export interface WordParagraphModel {
  text: string;
  runs: RunData[];
  list?: { id: number; level: number } | undefined;
  cell?: { table: number; row: number; column: number } | undefined;
  /** Left indent in twips set by an inserted paragraph (w:ind), undefined when the style's. */
  indent?: string | undefined;
  bookmarks: string[];
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
    this.paragraphs = paragraphs.map((paragraph) => {
      const model = this.newModel(
        paragraph.text,
        paragraph.style ?? paragraph.styleBuiltIn ?? 'Normal',
        paragraph.styleBuiltIn ?? (paragraph.style === undefined ? 'Normal' : 'Other'),
      );
      if (paragraph.runs !== undefined) {
        model.runs = paragraph.runs.map((run) => ({ ...run }));
        model.text = paragraph.runs.map((run) => run.text).join('');
      }
      model.list = paragraph.list;
      model.cell = paragraph.cell;
      return model;
    });
    this.selection = { first: this.at(selection.first), last: this.at(selection.last ?? selection.first) };
  }

  private newModel(text: string, style = 'Normal', styleBuiltIn = 'Normal'): WordParagraphModel {
    const id = String(this.nextId++).padStart(12, '0');
    return { text, runs: [{ text }], style, styleBuiltIn, uniqueLocalId: `0000${id.slice(0, 4)}-0000-4000-8000-${id}`, locked: false, bookmarks: [] };
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
    const model = this.at(index);
    model.text = text;
    model.runs = [{ text }];
  }

  /**
   * Each paragraph's list label as Word numbers it: '1', '2'… per list and level (a lower level restarts the
   * higher ones), '' for a paragraph that is not numbered.
   */
  listLabels(): string[] {
    const counters = new Map<string, number>();
    return this.paragraphs.map((paragraph) => {
      if (paragraph.list === undefined) return '';
      const { id, level } = paragraph.list;
      for (const key of [...counters.keys()]) {
        const [listId, keyLevel] = key.split(':').map(Number);
        if (listId === id && (keyLevel ?? 0) > level) counters.delete(key);
      }
      const key = `${id}:${level}`;
      const next = (counters.get(key) ?? 0) + 1;
      counters.set(key, next);
      return String(next);
    });
  }

  /** Paragraph `index`'s runs, adjacent runs of the same formatting merged (Word may split runs anywhere). */
  runsOf(index: number): RunData[] {
    return mergeRuns(this.at(index).runs);
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
      insertOoxml: (ooxml: string, location: string) => {
        batch.operations.push(() => {
          this.refuseIfLocked(first);
          const inserted = paragraphsFromPackage(ooxml);
          if (location === 'After') {
            const index = this.paragraphs.indexOf(last);
            if (index < 0) throw new Error('insertOoxml: the paragraph is gone');
            const models = inserted.map((data) => {
              const model = this.newModel(data.text, data.style, data.styleBuiltIn);
              Object.assign(model, { runs: data.runs, list: data.list, indent: data.indent, bookmarks: data.bookmarks, cell: last.cell });
              return model;
            });
            this.paragraphs.splice(index + 1, 0, ...models);
          } else if (location === 'Replace') {
            // Content replaced: one paragraph's runs go into this paragraph, which keeps its own properties.
            if (first !== last || inserted.length !== 1) throw new WordMockSyncError('InvalidArgument');
            const [data] = inserted as [InsertedParagraph];
            if (this.changeTrackingMode !== 'Off') this.trackedChanges.push({ oldText: first.text, newText: data.text, mode: this.changeTrackingMode });
            first.runs = data.runs;
            first.text = data.text;
            first.bookmarks.push(...data.bookmarks);
          } else {
            throw new Error(`insertOoxml: location ${location} not modelled`);
          }
        });
      },
      insertBookmark: (name: string) => {
        batch.operations.push(() => {
          // Word keeps bookmark names unique and refuses names it cannot take.
          if (!/^_?[A-Za-z]\w{0,39}$/.test(name) || this.paragraphs.some((paragraph) => paragraph.bookmarks.includes(name)))
            throw new WordMockSyncError('InvalidArgument');
          first.bookmarks.push(name);
        });
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
      tableNestingLevel: model.cell === undefined ? 0 : 1,
      isListItem: model.list !== undefined,
      getOoxml: () => {
        // A ClientResult: its value is there after the next sync, as in Office.
        let value: string | undefined;
        batch.mocks.push({ sync: async () => void (value = paragraphPackage(model)) } as unknown as OfficeMockObject);
        return {
          get value(): string {
            if (value === undefined) throw new Error('getOoxml: value read before context.sync()');
            return value;
          },
        };
      },
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
          model.runs = [{ text }];
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

// ---------------------------------------------------------------- OOXML as Word writes and reads it (a small subset)

const w = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';
const relationshipNamespace = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

const xmlEscape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function runProperties(run: RunData): string {
  const properties = [
    run.code === true ? '<w:rFonts w:ascii="Consolas" w:hAnsi="Consolas"/>' : '',
    run.link !== undefined ? '<w:rStyle w:val="Hyperlink"/>' : '',
    run.bold === true ? '<w:b/>' : '',
    run.italic === true ? '<w:i/>' : '',
    run.strike === true ? '<w:strike/>' : '',
    run.underline === true ? '<w:u w:val="single"/>' : '',
    run.vertAlign !== undefined ? `<w:vertAlign w:val="${run.vertAlign}"/>` : '',
  ].join('');
  // Every run carries its font size, as Word writes it: formatting that is not a span must survive too.
  return `<w:rPr>${properties}<w:sz w:val="22"/></w:rPr>`;
}

/** The package Word's paragraph.getOoxml() gives: the paragraph, its hyperlinks' relationships, the list's numbering. */
function paragraphPackage(model: WordParagraphModel): string {
  const relationships: string[] = [];
  const runXml = (run: RunData): string => {
    const text = `<w:r>${runProperties(run)}<w:t xml:space="preserve">${xmlEscape(run.text)}</w:t></w:r>`;
    if (run.picture !== undefined) {
      return `<w:r><w:drawing><wp:inline xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"><wp:docPr id="1" name="${xmlEscape(run.picture)}"/></wp:inline></w:drawing></w:r>`;
    }
    if (run.pageBreak === true) return '<w:r><w:br w:type="page"/></w:r>';
    if (run.field !== undefined) return `<w:fldSimple w:instr="${xmlEscape(run.field)}">${text}</w:fldSimple>`;
    if (run.contentControl !== undefined)
      return `<w:sdt><w:sdtPr><w:tag w:val="${xmlEscape(run.contentControl)}"/></w:sdtPr><w:sdtContent>${text}</w:sdtContent></w:sdt>`;
    return text;
  };
  let content = '';
  const runs = model.runs;
  for (let index = 0; index < runs.length; index += 1) {
    const run = runs[index] as RunData;
    if (run.link === undefined) {
      content += runXml(run);
      continue;
    }
    // Adjacent runs of the same link are one hyperlink element.
    const id = `rIdLink${relationships.length + 1}`;
    relationships.push(`<Relationship Id="${id}" Type="${relationshipNamespace}/hyperlink" Target="${xmlEscape(run.link)}" TargetMode="External"/>`);
    let inner = '';
    while (index < runs.length && runs[index]?.link === run.link) inner += runXml(runs[index++] as RunData);
    index -= 1;
    content += `<w:hyperlink r:id="${id}" w:history="1">${inner}</w:hyperlink>`;
  }
  const style = model.styleBuiltIn === 'Normal' ? '' : `<w:pStyle w:val="${xmlEscape(model.styleBuiltIn === 'Other' ? model.style : model.styleBuiltIn)}"/>`;
  const numbering = model.list === undefined ? '' : `<w:numPr><w:ilvl w:val="${model.list.level}"/><w:numId w:val="${model.list.id}"/></w:numPr>`;
  const bookmarks = model.bookmarks
    .map((name, index) => `<w:bookmarkStart w:id="${index + 10}" w:name="${xmlEscape(name)}"/><w:bookmarkEnd w:id="${index + 10}"/>`)
    .join('');
  let paragraph = `<w:p><w:pPr>${style}${numbering}<w:spacing w:after="120"/></w:pPr>${bookmarks}${content}</w:p>`;
  // Word wraps a cell's paragraph in its table.
  if (model.cell !== undefined) paragraph = `<w:tbl><w:tr><w:tc>${paragraph}</w:tc></w:tr></w:tbl><w:p/>`;
  const numberingPart =
    model.list === undefined
      ? ''
      : `<pkg:part pkg:name="/word/numbering.xml" pkg:contentType="application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml"><pkg:xmlData><w:numbering xmlns:w="${w}">` +
        `<w:abstractNum w:abstractNumId="7">${[0, 1, 2].map((level) => `<w:lvl w:ilvl="${level}"><w:numFmt w:val="decimal"/><w:pPr><w:ind w:left="${360 * (level + 2)}" w:hanging="360"/></w:pPr></w:lvl>`).join('')}</w:abstractNum>` +
        `<w:num w:numId="${model.list.id}"><w:abstractNumId w:val="7"/></w:num></w:numbering></pkg:xmlData></pkg:part>`;
  return (
    `<pkg:package xmlns:pkg="http://schemas.microsoft.com/office/2006/xmlPackage">` +
    `<pkg:part pkg:name="/word/_rels/document.xml.rels" pkg:contentType="application/vnd.openxmlformats-package.relationships+xml"><pkg:xmlData>` +
    `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${relationships.join('')}</Relationships></pkg:xmlData></pkg:part>` +
    `<pkg:part pkg:name="/word/document.xml" pkg:contentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"><pkg:xmlData>` +
    `<w:document xmlns:w="${w}" xmlns:r="${relationshipNamespace}" xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml"><w:body>${paragraph}<w:sectPr/></w:body></w:document></pkg:xmlData></pkg:part>` +
    numberingPart +
    `</pkg:package>`
  );
}

interface InsertedParagraph {
  text: string;
  style: string;
  styleBuiltIn: string;
  runs: RunData[];
  list: { id: number; level: number } | undefined;
  indent: string | undefined;
  bookmarks: string[];
}

const builtInStyles = new Set(['Normal', 'Heading1', 'Heading2', 'Heading3', 'Title', 'ListParagraph']);

/** What Word makes of an inserted package: its paragraphs; a hyperlink whose relationship is missing is refused. */
function paragraphsFromPackage(ooxml: string): InsertedParagraph[] {
  const document = new XmlDomParser().parseFromString(ooxml, 'application/xml');
  const relationships = new Map<string, string>();
  for (const relationship of Array.from(document.getElementsByTagName('Relationship'))) {
    relationships.set(relationship.getAttribute('Id') ?? '', relationship.getAttribute('Target') ?? '');
  }
  const body = document.getElementsByTagNameNS(w, 'body')[0];
  if (body === undefined) throw new WordMockSyncError('InvalidArgument');
  const children = (element: { childNodes: ArrayLike<unknown> }) =>
    Array.from(element.childNodes as ArrayLike<{ nodeType: number }>).filter((node) => node.nodeType === 1) as unknown as XmlElement[];
  type XmlElement = ReturnType<typeof document.createElementNS>;
  const attribute = (element: XmlElement, name: string) => element.getAttributeNS(w, name);
  const paragraphs: InsertedParagraph[] = [];
  for (const paragraph of children(body).filter((child) => child.localName === 'p')) {
    const runs: RunData[] = [];
    const bookmarks: string[] = [];
    let style = 'Normal';
    let list: InsertedParagraph['list'];
    let indent: string | undefined;
    const readRun = (run: XmlElement, extra: Partial<RunData>) => {
      const properties = children(run).find((child) => child.localName === 'rPr');
      const flags: Partial<RunData> = { ...extra };
      for (const property of properties === undefined ? [] : children(properties)) {
        if (property.localName === 'b') flags.bold = true;
        if (property.localName === 'i') flags.italic = true;
        if (property.localName === 'strike') flags.strike = true;
        if (property.localName === 'u' && attribute(property, 'val') !== 'none') flags.underline = true;
        if (property.localName === 'vertAlign') flags.vertAlign = attribute(property, 'val') as 'superscript' | 'subscript';
        if (property.localName === 'rFonts' && attribute(property, 'ascii') === 'Consolas') flags.code = true;
      }
      for (const child of children(run)) {
        if (child.localName === 't') runs.push({ ...flags, text: child.textContent ?? '' });
        if (child.localName === 'tab') runs.push({ ...flags, text: '\t' });
        if (child.localName === 'br' && attribute(child, 'type') === 'page') runs.push({ text: '', pageBreak: true });
        if (child.localName === 'drawing') {
          const name = child.getElementsByTagNameNS('http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing', 'docPr')[0]?.getAttribute('name');
          runs.push({ text: '', picture: name ?? '' });
        }
      }
    };
    const readContainer = (container: XmlElement, extra: Partial<RunData>) => {
      for (const child of children(container)) {
        if (child.localName === 'pPr') {
          for (const property of children(child)) {
            if (property.localName === 'pStyle') style = attribute(property, 'val') ?? 'Normal';
            if (property.localName === 'numPr') {
              const numberingId = Number(attribute(children(property).find((item) => item.localName === 'numId') ?? property, 'val') ?? '0');
              const level = Number(attribute(children(property).find((item) => item.localName === 'ilvl') ?? property, 'val') ?? '0');
              list = numberingId === 0 ? undefined : { id: numberingId, level };
            }
            if (property.localName === 'ind') indent = attribute(property, 'left') ?? undefined;
          }
        } else if (child.localName === 'r') readRun(child, extra);
        else if (child.localName === 'hyperlink') {
          const target = relationships.get(child.getAttributeNS(relationshipNamespace, 'id') ?? '');
          if (target === undefined) throw new WordMockSyncError('InvalidArgument');
          readContainer(child, { ...extra, link: target });
        } else if (child.localName === 'fldSimple') readContainer(child, { ...extra, field: attribute(child, 'instr') ?? '' });
        else if (child.localName === 'sdt') {
          const tag = child.getElementsByTagNameNS(w, 'tag')[0];
          const content = children(child).find((item) => item.localName === 'sdtContent');
          if (content !== undefined) readContainer(content, { ...extra, contentControl: tag === undefined ? '' : (attribute(tag, 'val') ?? '') });
        } else if (child.localName === 'bookmarkStart') bookmarks.push(attribute(child, 'name') ?? '');
      }
    };
    readContainer(paragraph, {});
    const merged = mergeRuns(runs);
    paragraphs.push({
      text: merged.map((run) => run.text).join(''),
      style,
      styleBuiltIn: builtInStyles.has(style) ? style : 'Other',
      runs: merged,
      list,
      indent,
      bookmarks,
    });
  }
  return paragraphs;
}

/** Adjacent runs with the same formatting as one (text joined); empty text runs dropped unless they are an item. */
export function mergeRuns(runs: readonly RunData[]): RunData[] {
  const merged: RunData[] = [];
  const formattingOf = (run: RunData) => JSON.stringify({ ...run, text: undefined });
  for (const run of runs) {
    const previous = merged.at(-1);
    const isItem = run.picture !== undefined || run.pageBreak === true;
    if (run.text === '' && !isItem) continue;
    if (previous !== undefined && !isItem && formattingOf(previous) === formattingOf(run) && run.field === undefined) previous.text += run.text;
    else merged.push({ ...run });
  }
  return merged;
}
