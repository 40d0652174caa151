// A Word paragraph's runs as span markers, and back. Word gives a paragraph's OOXML (getOoxml, WordApi 1.1):
// its pPr and runs with their rPr. Runs with visible formatting (bold, italic, underline, strike, super/subscript,
// a character style, a highlight) or inside a hyperlink become numbered spans `<sN>…</sN>`; fields, pictures,
// content controls, inline code, breaks and notes become `<xN/>`, kept as they are. A translation with the same
// markers is rebuilt into a paragraph: the paragraph's own pPr, each span's rPr on its translated text, each
// inline item's XML unchanged. Parsing uses the DOM's XML parser (the browser's in Office; tests hand in another).
import { escapeSpanText, parseSpanMarkup, stripSpanMarkup, type SpanNode } from '../../contract/span-markup.js';

const wordNamespace = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';
const relationshipsNamespace = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const packageNamespace = 'http://schemas.microsoft.com/office/2006/xmlPackage';
const hyperlinkRelationshipType = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink';

/** An XML parser and serializer with the DOM's interfaces: DOMParser/XMLSerializer in a browser. */
export interface XmlCodec {
  parse(xml: string): Document;
  serialize(node: Node): string;
}

/** The browser's DOMParser and XMLSerializer, where they exist (always inside Office). */
export function platformXmlCodec(): XmlCodec | undefined {
  if (typeof DOMParser === 'undefined' || typeof XMLSerializer === 'undefined') return undefined;
  return { parse: (xml) => new DOMParser().parseFromString(xml, 'application/xml'), serialize: (node) => new XMLSerializer().serializeToString(node) };
}

/** A formatted span: the rPr its runs carry and, for a link, the hyperlink element's attributes. */
interface SpanFormat {
  runProperties: string;
  hyperlink?: { attributes: string; relationshipId?: string };
}

/** An inline item kept as it is; `repeatable` says whether a new paragraph may carry a copy (not a picture or a page break). */
interface InlineItem {
  xml: string;
  repeatable: boolean;
}

/** What a write needs to rebuild a paragraph: kept per block after a read, no document text in it beyond the XML. */
export interface ParagraphFormatting {
  paragraphProperties: string;
  /** rPr of the paragraph's unformatted runs (font, size), for the translated plain text. */
  baseRunProperties: string;
  spans: Map<number, SpanFormat>;
  items: Map<number, InlineItem>;
  /** Hyperlink relationships (id → target) the spans use. */
  relationships: Map<string, string>;
  /** The w:document element's namespace declarations, so copied XML keeps its prefixes. */
  namespaceDeclarations: string;
  /** A list item's numbering, and the left indent of its level (twips) for an unnumbered paragraph beside it. */
  list?: { numberingId: string; level: number; indent: string; besideProperties: string };
  /** Set when the paragraph carries our mark: a translation placed after its source, a tracked replacement, or a source we commented. */
  ourTranslation?: 'after' | 'replacement' | 'commented';
}

export interface ReadParagraph {
  /** The text with span markers; equal to the escaped text when nothing is formatted. */
  markup: string;
  spanCount: number;
  itemCount: number;
  formatting: ParagraphFormatting;
}

/** Hidden bookmarks (a leading underscore) mark the paragraphs our translations wrote, so a later run skips them. */
export const translationBookmarkPrefix = '_AiTranslation';

const significantRunProperties = ['b', 'i', 'u', 'strike', 'dstrike', 'vertAlign', 'rStyle', 'highlight'];
const monospaceFonts = /^(consolas|courier|courier new|cascadia|menlo|monaco|lucida console|source code pro|fira code)$/i;

const wordChildren = (element: Element): Element[] =>
  Array.from(element.childNodes).filter((node): node is Element => node.nodeType === 1 && (node as Element).namespaceURI === wordNamespace);
const wordChild = (element: Element, name: string): Element | undefined => wordChildren(element).find((child) => child.localName === name);
const wordAttribute = (element: Element, name: string): string | null => element.getAttributeNS(wordNamespace, name);

/** The paragraph element in a package from getOoxml: the first w:p in the body (in a cell when Word wraps it in a table). */
function findParagraph(document: Document, expectedText: string): Element | undefined {
  const paragraphs = Array.from(document.getElementsByTagNameNS(wordNamespace, 'p'));
  return paragraphs.find((paragraph) => plainTextOf(paragraph) === expectedText) ?? paragraphs[0];
}

function plainTextOf(paragraph: Element): string {
  return Array.from(paragraph.getElementsByTagNameNS(wordNamespace, 't'))
    .map((node) => node.textContent ?? '')
    .join('');
}

/** An on/off property such as <w:b/> or <w:b w:val="false"/>. */
function isOn(element: Element): boolean {
  const value = wordAttribute(element, 'val');
  if (element.localName === 'u') return value !== 'none';
  if (element.localName === 'vertAlign') return value === 'superscript' || value === 'subscript';
  return value === null || !/^(0|false|off)$/i.test(value);
}

function formattingKey(runProperties: Element | undefined): string {
  if (runProperties === undefined) return '';
  return wordChildren(runProperties)
    .filter((child) => significantRunProperties.includes(child.localName ?? '') && isOn(child))
    .map((child) => `${child.localName}=${wordAttribute(child, 'val') ?? ''}`)
    .sort()
    .join(';');
}

function isCode(runProperties: Element | undefined): boolean {
  if (runProperties === undefined) return false;
  const style = wordChild(runProperties, 'rStyle');
  if (style !== undefined && /code|verbatim/i.test(wordAttribute(style, 'val') ?? '')) return true;
  const fonts = wordChild(runProperties, 'rFonts');
  return fonts !== undefined && monospaceFonts.test(wordAttribute(fonts, 'ascii') ?? '');
}

type Piece = { kind: 'text'; text: string; key: string; runProperties: string; link?: SpanFormat['hyperlink'] } | { kind: 'item'; item: InlineItem };

/** Reads a paragraph's OOXML package into markup and what a write needs. Undefined when the package holds no paragraph. */
export function readParagraphOoxml(packageXml: string, expectedText: string, codec: XmlCodec): ReadParagraph | undefined {
  const document = codec.parse(packageXml);
  const paragraph = findParagraph(document, expectedText);
  if (paragraph === undefined) return undefined;
  const serialize = (node: Node) => codec.serialize(node);
  const pieces: Piece[] = [];
  let field: Element[] | undefined;
  let fieldDepth = 0;
  let ourTranslation: ParagraphFormatting['ourTranslation'];

  const pushItem = (xml: string, repeatable: boolean) => pieces.push({ kind: 'item', item: { xml, repeatable } });
  const runXml = (runProperties: Element | undefined, content: Element) =>
    `<w:r>${runProperties === undefined ? '' : serialize(runProperties)}${serialize(content)}</w:r>`;

  const readRun = (run: Element, link: SpanFormat['hyperlink'] | undefined) => {
    const runProperties = wordChild(run, 'rPr');
    // A complex field spans runs from fldChar begin to end: kept whole, as one item.
    if (field !== undefined) {
      field.push(run);
      for (const marker of run.getElementsByTagNameNS(wordNamespace, 'fldChar')) {
        const type = wordAttribute(marker, 'fldCharType');
        if (type === 'begin') fieldDepth += 1;
        if (type === 'end') fieldDepth -= 1;
      }
      if (fieldDepth === 0) {
        pushItem(field.map(serialize).join(''), true);
        field = undefined;
      }
      return;
    }
    const begin = Array.from(run.getElementsByTagNameNS(wordNamespace, 'fldChar')).find((marker) => wordAttribute(marker, 'fldCharType') === 'begin');
    if (begin !== undefined) {
      field = [run];
      fieldDepth = 1;
      return;
    }
    if (isCode(runProperties)) {
      pushItem(serialize(run), true);
      return;
    }
    const key = formattingKey(runProperties);
    const properties = runProperties === undefined ? '' : serialize(runProperties);
    for (const child of wordChildren(run)) {
      const name = child.localName;
      if (name === 't') pieces.push({ kind: 'text', text: child.textContent ?? '', key, runProperties: properties, ...(link === undefined ? {} : { link }) });
      else if (name === 'tab') pieces.push({ kind: 'text', text: '\t', key, runProperties: properties, ...(link === undefined ? {} : { link }) });
      else if (name === 'br' || name === 'cr') pushItem(runXml(runProperties, child), wordAttribute(child, 'type') !== 'page');
      else if (name === 'drawing' || name === 'pict' || name === 'object') pushItem(runXml(runProperties, child), false);
      else if (name === 'footnoteReference' || name === 'endnoteReference' || name === 'sym' || name === 'noBreakHyphen')
        pushItem(runXml(runProperties, child), name !== 'footnoteReference' && name !== 'endnoteReference');
    }
  };

  const readChildren = (parent: Element, link: SpanFormat['hyperlink'] | undefined) => {
    for (const child of wordChildren(parent)) {
      switch (child.localName) {
        case 'r':
          readRun(child, link);
          break;
        case 'hyperlink': {
          const relationshipId = child.getAttributeNS(relationshipsNamespace, 'id') ?? undefined;
          const attributes = Array.from(child.attributes)
            .map((attribute) => `${attribute.name}="${escapeXml(attribute.value)}"`)
            .join(' ');
          readChildren(child, { attributes, ...(relationshipId === undefined || relationshipId === '' ? {} : { relationshipId }) });
          break;
        }
        case 'fldSimple':
        case 'sdt':
          // A content control is repeated with its translation paragraph (its content is text the reader needs).
          pushItem(serialize(child), true);
          break;
        case 'ins':
        case 'smartTag':
        case 'customXml':
          readChildren(child, link);
          break;
        case 'bookmarkStart':
          if ((wordAttribute(child, 'name') ?? '').startsWith(translationBookmarkPrefix)) {
            const kind = (wordAttribute(child, 'name') ?? '').charAt(translationBookmarkPrefix.length);
            ourTranslation = kind === 'R' ? 'replacement' : kind === 'C' ? 'commented' : 'after';
          }
          break;
        default:
          // pPr is read below; deletions, proofing marks, bookmarks and comment anchors carry no text to translate.
          break;
      }
    }
  };
  readChildren(paragraph, undefined);
  if (field !== undefined) pushItem(field.map(serialize).join(''), true);

  // Consecutive pieces of the same formatting (and the same link) form one span.
  const spans = new Map<number, SpanFormat>();
  const items = new Map<number, InlineItem>();
  let markup = '';
  let spanCount = 0;
  let itemCount = 0;
  let baseRunProperties: string | undefined;
  let open: { key: string; link: SpanFormat['hyperlink'] | undefined } | undefined;
  const close = () => {
    if (open !== undefined) markup += `</s${spanCount}>`;
    open = undefined;
  };
  for (const piece of pieces) {
    if (piece.kind === 'item') {
      close();
      itemCount += 1;
      items.set(itemCount, piece.item);
      markup += `<x${itemCount}/>`;
      continue;
    }
    if (piece.key === '' && piece.link === undefined) {
      close();
      baseRunProperties ??= piece.runProperties;
      markup += escapeSpanText(piece.text);
      continue;
    }
    if (open === undefined || open.key !== piece.key || open.link !== piece.link) {
      close();
      spanCount += 1;
      spans.set(spanCount, { runProperties: piece.runProperties, ...(piece.link === undefined ? {} : { hyperlink: piece.link }) });
      markup += `<s${spanCount}>`;
      open = { key: piece.key, link: piece.link };
    }
    markup += escapeSpanText(piece.text);
  }
  close();

  const paragraphPropertiesElement = wordChild(paragraph, 'pPr');
  const relationships = readHyperlinkRelationships(document, spans);
  const formatting: ParagraphFormatting = {
    paragraphProperties: paragraphPropertiesElement === undefined ? '' : codec.serialize(withoutSectionBreak(paragraphPropertiesElement)),
    baseRunProperties: baseRunProperties ?? '',
    spans,
    items,
    relationships,
    namespaceDeclarations: namespaceDeclarationsOf(document),
    ...(ourTranslation === undefined ? {} : { ourTranslation }),
  };
  const list = readList(document, paragraphPropertiesElement);
  if (list !== undefined && paragraphPropertiesElement !== undefined) {
    formatting.list = { ...list, besideProperties: besideListItem(document, paragraphPropertiesElement, list.indent, codec) };
  }
  return { markup, spanCount, itemCount, formatting };
}

/** A paragraph that ends a section carries its sectPr: a translation must not repeat the section break. */
function withoutSectionBreak(paragraphProperties: Element): Element {
  const copy = paragraphProperties.cloneNode(true) as Element;
  for (const child of wordChildren(copy)) if (child.localName === 'sectPr') copy.removeChild(child);
  return copy;
}

function namespaceDeclarationsOf(document: Document): string {
  const root = document.getElementsByTagNameNS(wordNamespace, 'document')[0];
  if (root === undefined) return `xmlns:w="${wordNamespace}" xmlns:r="${relationshipsNamespace}"`;
  const declarations = new Map<string, string>([
    ['xmlns:w', wordNamespace],
    ['xmlns:r', relationshipsNamespace],
  ]);
  for (const attribute of Array.from(root.attributes)) {
    if (attribute.name.startsWith('xmlns:')) declarations.set(attribute.name, attribute.value);
  }
  return [...declarations].map(([name, value]) => `${name}="${escapeXml(value)}"`).join(' ');
}

function readHyperlinkRelationships(document: Document, spans: Map<number, SpanFormat>): Map<string, string> {
  const wanted = new Set([...spans.values()].flatMap((span) => (span.hyperlink?.relationshipId === undefined ? [] : [span.hyperlink.relationshipId])));
  const relationships = new Map<string, string>();
  if (wanted.size === 0) return relationships;
  for (const relationship of Array.from(document.getElementsByTagName('Relationship'))) {
    const id = relationship.getAttribute('Id') ?? '';
    if (wanted.has(id) && relationship.getAttribute('Type') === hyperlinkRelationshipType) relationships.set(id, relationship.getAttribute('Target') ?? '');
  }
  return relationships;
}

/** A list item's numbering id and level, and its level's left indent from the numbering part (Word's default step otherwise). */
function readList(document: Document, paragraphProperties: Element | undefined): { numberingId: string; level: number; indent: string } | undefined {
  const numbering = paragraphProperties === undefined ? undefined : wordChild(paragraphProperties, 'numPr');
  if (numbering === undefined) return undefined;
  const numberingId = wordAttribute(wordChild(numbering, 'numId') ?? numbering, 'val') ?? '0';
  if (numberingId === '0') return undefined;
  const level = Number(wordAttribute(wordChild(numbering, 'ilvl') ?? numbering, 'val') ?? '0') || 0;
  let indent = String(720 * (level + 1));
  const instance = Array.from(document.getElementsByTagNameNS(wordNamespace, 'num')).find((element) => wordAttribute(element, 'numId') === numberingId);
  const abstractId = instance === undefined ? undefined : wordAttribute(wordChild(instance, 'abstractNumId') ?? instance, 'val');
  const abstract = Array.from(document.getElementsByTagNameNS(wordNamespace, 'abstractNum')).find(
    (element) => wordAttribute(element, 'abstractNumId') === abstractId,
  );
  const levelDefinition =
    abstract === undefined ? undefined : wordChildren(abstract).find((child) => child.localName === 'lvl' && wordAttribute(child, 'ilvl') === String(level));
  const levelIndent = levelDefinition === undefined ? undefined : levelDefinition.getElementsByTagNameNS(wordNamespace, 'ind')[0];
  const left = levelIndent === undefined ? null : (wordAttribute(levelIndent, 'left') ?? wordAttribute(levelIndent, 'start'));
  if (left !== null && /^\d+$/.test(left)) indent = left;
  return { numberingId, level, indent };
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function textRuns(text: string, runProperties: string): string {
  if (text === '') return '';
  // Tabs stay tabs; a translation is one paragraph, so line breaks become spaces.
  return text
    .replace(/\s*[\r\n]+\s*/g, ' ')
    .split('\t')
    .map((part, index) => `${index > 0 ? '<w:tab/>' : ''}${part === '' ? '' : `<w:t xml:space="preserve">${escapeXml(part)}</w:t>`}`)
    .filter((content) => content !== '')
    .map((content) => `<w:r>${runProperties}${content}</w:r>`)
    .join('');
}

/**
 * Where the rebuilt paragraph goes: `new-paragraph` (placed after the source: a list item's numbering is left
 * off, so the source keeps its number and the next item its own; its level's indent is kept), or
 * `replace-content` (only the runs: the paragraph keeps its own properties).
 */
export type RebuildMode = 'new-paragraph' | 'replace-content';

/** The paragraph's content for a translation in markup (with the source's markers; plain text comes escaped, without any). */
export function rebuildRuns(formatting: ParagraphFormatting, translation: string, mode: RebuildMode): string {
  const parsed = parseSpanMarkup(translation);
  // Markup that does not parse (the server checks markers, so only a foreign caller sends it) is written as its text.
  if (!parsed.ok) return textRuns(stripSpanMarkup(translation), formatting.baseRunProperties);
  const render = (nodes: readonly SpanNode[], runProperties: string, insideLink: boolean): string =>
    nodes
      .map((node) => {
        if (node.kind === 'text') return textRuns(node.text, runProperties);
        if (node.kind === 'item') {
          const item = formatting.items.get(node.id);
          // A picture or page break stays with the source paragraph; a new paragraph does not repeat it.
          if (item === undefined || (mode === 'new-paragraph' && !item.repeatable)) return '';
          return item.xml;
        }
        const span = formatting.spans.get(node.id);
        if (span === undefined) return render(node.children, runProperties, insideLink);
        const content = render(node.children, span.runProperties, insideLink || span.hyperlink !== undefined);
        return span.hyperlink !== undefined && !insideLink ? `<w:hyperlink ${span.hyperlink.attributes}>${content}</w:hyperlink>` : content;
      })
      .join('');
  return render(parsed.nodes, formatting.baseRunProperties, false);
}

/** The paragraph properties for the rebuilt paragraph: beside a list item, the unnumbered ones. */
function paragraphPropertiesFor(formatting: ParagraphFormatting, mode: RebuildMode): string {
  return mode === 'new-paragraph' && formatting.list !== undefined ? formatting.list.besideProperties : formatting.paragraphProperties;
}

/** pPr for a paragraph beside a list item: no number of its own (numId 0), at the item's text indent, the rest kept. */
function besideListItem(document: Document, paragraphProperties: Element, indent: string, codec: XmlCodec): string {
  const copy = withoutSectionBreak(paragraphProperties);
  for (const child of wordChildren(copy)) if (child.localName === 'numPr' || child.localName === 'ind') copy.removeChild(child);
  const numbering = document.createElementNS(wordNamespace, 'w:numPr');
  for (const [name, value] of [
    ['w:ilvl', '0'],
    ['w:numId', '0'],
  ] as const) {
    const element = document.createElementNS(wordNamespace, name);
    element.setAttributeNS(wordNamespace, 'w:val', value);
    numbering.appendChild(element);
  }
  const indentation = document.createElementNS(wordNamespace, 'w:ind');
  indentation.setAttributeNS(wordNamespace, 'w:left', indent);
  indentation.setAttributeNS(wordNamespace, 'w:hanging', '0');
  // Schema order: pStyle, keepNext…, numPr, …, ind: after pStyle is valid for numPr; ind goes after the spacing if any.
  const style = wordChild(copy, 'pStyle');
  const afterStyle = style === undefined ? copy.firstChild : style.nextSibling;
  copy.insertBefore(numbering, afterStyle);
  const later = wordChildren(copy).find((child) =>
    ['contextualSpacing', 'mirrorIndents', 'suppressOverlap', 'jc', 'textDirection', 'textAlignment', 'outlineLvl', 'rPr', 'sectPr'].includes(
      child.localName ?? '',
    ),
  );
  copy.insertBefore(indentation, later ?? null);
  return codec.serialize(copy);
}

/** A flat OPC package with one paragraph, for insertOoxml: our hidden bookmark marks it as a translation. */
export function paragraphPackage(formatting: ParagraphFormatting, runs: string, mode: RebuildMode, bookmarkName: string): string {
  const bookmark = `<w:bookmarkStart w:id="0" w:name="${escapeXml(bookmarkName)}"/><w:bookmarkEnd w:id="0"/>`;
  const paragraph = `<w:p>${paragraphPropertiesFor(formatting, mode)}${bookmark}${runs}</w:p>`;
  const relationships = [...formatting.relationships]
    .map(([id, target]) => `<Relationship Id="${escapeXml(id)}" Type="${hyperlinkRelationshipType}" Target="${escapeXml(target)}" TargetMode="External"/>`)
    .join('');
  return (
    `<pkg:package xmlns:pkg="${packageNamespace}">` +
    `<pkg:part pkg:name="/_rels/.rels" pkg:contentType="application/vnd.openxmlformats-package.relationships+xml"><pkg:xmlData>` +
    `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>` +
    `</pkg:xmlData></pkg:part>` +
    `<pkg:part pkg:name="/word/_rels/document.xml.rels" pkg:contentType="application/vnd.openxmlformats-package.relationships+xml"><pkg:xmlData>` +
    `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${relationships}</Relationships>` +
    `</pkg:xmlData></pkg:part>` +
    `<pkg:part pkg:name="/word/document.xml" pkg:contentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"><pkg:xmlData>` +
    `<w:document ${formatting.namespaceDeclarations}><w:body>${paragraph}</w:body></w:document>` +
    `</pkg:xmlData></pkg:part></pkg:package>`
  );
}
