// The Word preview's document is text the user edits, one paragraph per line, with a small Markdown-like
// syntax for what Word keeps in runs and paragraph properties, so the preview can show formatting and
// structure surviving a translation:
//   inline:  **bold**  *italic*  ~~strikethrough~~  [link text](https://…)  {{FIELD}} (an inline item kept as it is)
//   lines:   "# Heading" (## level 2 …)   "1. item" / "- item" (3 spaces more per list level)
//            "   text" (a paragraph inside the list item above, unnumbered: where a translation after an item goes)
//            "| cell | cell |" (a table row; " ¶ " separates paragraphs within one cell)
// Delimiters that do not pair up are plain text. This module parses and writes that syntax and maps inline
// formatting to the span markers of src/contract/span-markup.ts and back; it knows nothing of React.
import { escapeSpanText, type SpanNode } from '../../contract/span-markup.js';

export type InlineFormat = { kind: 'bold' } | { kind: 'italic' } | { kind: 'strikethrough' } | { kind: 'link'; href: string };

export type InlineNode =
  | { kind: 'text'; text: string }
  | { kind: 'span'; format: InlineFormat; children: InlineNode[] }
  /** An inline item (a field such as {{PAGE}}): translated around, never changed. */
  | { kind: 'field'; name: string };

const toggles: { delimiter: string; format: InlineFormat }[] = [
  { delimiter: '**', format: { kind: 'bold' } },
  { delimiter: '~~', format: { kind: 'strikethrough' } },
  { delimiter: '*', format: { kind: 'italic' } },
];

/** Parses a paragraph's inline source; never fails (unpaired delimiters stay text). */
export function parseInline(source: string): InlineNode[] {
  return parseUntil(source, 0, undefined).nodes;
}

function parseUntil(source: string, start: number, closer: string | undefined): { nodes: InlineNode[]; end: number; closed: boolean } {
  const nodes: InlineNode[] = [];
  const pushText = (text: string) => {
    const previous = nodes.at(-1);
    if (previous?.kind === 'text') previous.text += text;
    else nodes.push({ kind: 'text', text });
  };
  let position = start;
  while (position < source.length) {
    // A closing "*" must not be the start of "**" (which opens bold inside the italic span).
    if (closer !== undefined && source.startsWith(closer, position) && !(closer === '*' && source[position + 1] === '*')) {
      return { nodes, end: position + closer.length, closed: true };
    }
    if (source.startsWith('{{', position)) {
      const close = source.indexOf('}}', position + 2);
      if (close > position + 2) {
        nodes.push({ kind: 'field', name: source.slice(position + 2, close) });
        position = close + 2;
        continue;
      }
    }
    if (source[position] === '[') {
      const middle = source.indexOf('](', position + 1);
      const close = middle < 0 ? -1 : source.indexOf(')', middle + 2);
      // Link text holds no brackets, so "[de] see [the pages](…)" is text and then one link.
      if (middle > position + 1 && close > middle + 2 && !/[[\]]/.test(source.slice(position + 1, middle))) {
        nodes.push({
          kind: 'span',
          format: { kind: 'link', href: source.slice(middle + 2, close) },
          children: parseInline(source.slice(position + 1, middle)),
        });
        position = close + 1;
        continue;
      }
    }
    const toggle = toggles.find(({ delimiter }) => source.startsWith(delimiter, position));
    if (toggle !== undefined) {
      const inner = parseUntil(source, position + toggle.delimiter.length, toggle.delimiter);
      if (inner.closed && inner.nodes.length > 0) {
        nodes.push({ kind: 'span', format: toggle.format, children: inner.nodes });
        position = inner.end;
        continue;
      }
      pushText(toggle.delimiter);
      position += toggle.delimiter.length;
      continue;
    }
    pushText(source[position] ?? '');
    position += 1;
  }
  return { nodes, end: position, closed: false };
}

/** Writes inline nodes back as source. */
export function serializeInline(nodes: readonly InlineNode[]): string {
  return nodes
    .map((node) => {
      if (node.kind === 'text') return node.text;
      if (node.kind === 'field') return `{{${node.name}}}`;
      const inner = serializeInline(node.children);
      const { format } = node;
      if (format.kind === 'link') return `[${inner}](${format.href})`;
      return { bold: '**', italic: '*', strikethrough: '~~' }[format.kind] + inner + { bold: '**', italic: '*', strikethrough: '~~' }[format.kind];
    })
    .join('');
}

/** The text Word would report for the paragraph: no delimiters, a field as its name. */
export function inlinePlainText(nodes: readonly InlineNode[]): string {
  return nodes.map((node) => (node.kind === 'text' ? node.text : node.kind === 'field' ? node.name : inlinePlainText(node.children))).join('');
}

/** What a marker number stands for, to map a translation's markers back. */
export interface SpanTable {
  spans: Map<number, InlineFormat>;
  fields: Map<number, string>;
}

/** The paragraph as span markup (`<s1>…</s1>`, `<x1/>`), numbered in reading order; undefined when it has no formatting. */
export function inlineToMarkup(nodes: readonly InlineNode[]): { markup: string; table: SpanTable } | undefined {
  const table: SpanTable = { spans: new Map(), fields: new Map() };
  const write = (list: readonly InlineNode[]): string =>
    list
      .map((node) => {
        if (node.kind === 'text') return escapeSpanText(node.text);
        if (node.kind === 'field') {
          const id = table.fields.size + 1;
          table.fields.set(id, node.name);
          return `<x${id}/>`;
        }
        const id = table.spans.size + 1;
        table.spans.set(id, node.format);
        return `<s${id}>${write(node.children)}</s${id}>`;
      })
      .join('');
  const markup = write(nodes);
  return table.spans.size + table.fields.size === 0 ? undefined : { markup, table };
}

/** A translation's markup nodes back to inline nodes with each span's formatting (the markers were checked to be the source's). */
export function markupToInline(nodes: readonly SpanNode[], table: SpanTable): InlineNode[] {
  return nodes.map((node): InlineNode => {
    if (node.kind === 'text') return { kind: 'text', text: node.text };
    if (node.kind === 'item') return { kind: 'field', name: table.fields.get(node.id) ?? '' };
    return { kind: 'span', format: table.spans.get(node.id) ?? { kind: 'bold' }, children: markupToInline(node.children, table) };
  });
}

// ---------------------------------------------------------------- lines

export type DocumentLine =
  | { kind: 'paragraph'; source: string }
  | { kind: 'heading'; level: number; source: string }
  | { kind: 'list-item'; level: number; marker: string; source: string }
  /** A paragraph inside the list item above it, without a number of its own. */
  | { kind: 'list-continuation'; level: number; source: string }
  /** Cells, each a list of paragraph sources. */
  | { kind: 'table-row'; cells: string[][] };

export const cellParagraphSeparator = ' ¶ ';
const listIndent = '   ';

export function parseLine(line: string): DocumentLine {
  const heading = /^(#{1,6}) (.*)$/.exec(line);
  if (heading !== null) return { kind: 'heading', level: heading[1]?.length ?? 1, source: heading[2] ?? '' };
  const item = /^((?: {3})*)(\d+\.|-) (.*)$/.exec(line);
  if (item !== null) return { kind: 'list-item', level: (item[1]?.length ?? 0) / 3, marker: item[2] ?? '-', source: item[3] ?? '' };
  const continuation = /^((?: {3})+)(\S.*)$/.exec(line);
  if (continuation !== null) return { kind: 'list-continuation', level: (continuation[1]?.length ?? 3) / 3 - 1, source: continuation[2] ?? '' };
  const row = /^\|(.*)\|$/.exec(line);
  if (row !== null) {
    const cells = (row[1] ?? '').split('|').map((cell) =>
      cell
        .trim()
        .split(cellParagraphSeparator.trim())
        .map((paragraph) => paragraph.trim()),
    );
    return { kind: 'table-row', cells };
  }
  return { kind: 'paragraph', source: line };
}

export function serializeLine(line: DocumentLine): string {
  switch (line.kind) {
    case 'paragraph':
      return line.source;
    case 'heading':
      return `${'#'.repeat(line.level)} ${line.source}`;
    case 'list-item':
      return `${listIndent.repeat(line.level)}${line.marker} ${line.source}`;
    case 'list-continuation':
      return `${listIndent.repeat(line.level + 1)}${line.source}`;
    case 'table-row':
      return `| ${line.cells.map((cell) => cell.join(cellParagraphSeparator)).join(' | ')} |`;
  }
}

/** The paragraph sources of a line, in reading order, each with its place: cell and paragraph within it for a table row. */
export function lineParagraphs(line: DocumentLine): { cell?: number; paragraph?: number; source: string }[] {
  if (line.kind !== 'table-row') return [{ source: line.source }];
  return line.cells.flatMap((cell, cellIndex) => cell.map((source, paragraph) => ({ cell: cellIndex, paragraph, source })));
}
