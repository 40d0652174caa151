// Span markers: a paragraph's text with its inline formatting as numbered markers, shared by the BFF (which checks
// that a translation kept them), the Word host (which writes them from runs and maps them back) and the preview.
// `<sN>…</sN>` wraps a formatted span (nestable, properly nested); `<xN/>` stands for an inline item kept as it is.
// Literal `<`, `>` and `&` are written `&lt;`, `&gt;` and `&amp;`. Pure TypeScript, no dependencies.

/** Plain text between markers, unescaped. */
export interface SpanTextNode {
  kind: 'text';
  text: string;
}

/** A formatted span `<sN>…</sN>` and what it contains. */
export interface SpanElementNode {
  kind: 'span';
  id: number;
  children: SpanNode[];
}

/** An inline item `<xN/>` (a field, a picture, inline code, a content control) kept untouched. */
export interface SpanItemNode {
  kind: 'item';
  id: number;
}

export type SpanNode = SpanTextNode | SpanElementNode | SpanItemNode;

export type SpanMarkupParseResult = { ok: true; nodes: SpanNode[] } | { ok: false; problem: string };

// One pattern for the three marker forms; anything else (including an escaped `&lt;s1&gt;`) is text.
const markerPattern = /<(\/?)s(\d+)>|<x(\d+)\/>/g;

/** Parses marked-up text into nodes; fails with a readable problem when markers are unbalanced, crossed or repeated. */
export function parseSpanMarkup(markup: string): SpanMarkupParseResult {
  const root: SpanNode[] = [];
  const open: SpanElementNode[] = [];
  const seenSpans = new Set<number>();
  const seenItems = new Set<number>();
  const current = (): SpanNode[] => open.at(-1)?.children ?? root;
  const pushText = (raw: string): void => {
    if (raw === '') return;
    const siblings = current();
    const text = unescapeSpanText(raw);
    const previous = siblings.at(-1);
    if (previous?.kind === 'text') previous.text += text;
    else siblings.push({ kind: 'text', text });
  };

  let position = 0;
  for (const match of markup.matchAll(markerPattern)) {
    pushText(markup.slice(position, match.index));
    position = match.index + match[0].length;
    const [, closing, spanDigits, itemDigits] = match;
    if (itemDigits !== undefined) {
      const id = Number(itemDigits);
      if (seenItems.has(id)) return { ok: false, problem: `the marker <x${id}/> appears more than once` };
      seenItems.add(id);
      current().push({ kind: 'item', id });
      continue;
    }
    const id = Number(spanDigits);
    if (closing === '/') {
      const innermost = open.at(-1);
      if (innermost === undefined) return { ok: false, problem: `</s${id}> closes a span that is not open` };
      if (innermost.id !== id) return { ok: false, problem: `</s${id}> closes before </s${innermost.id}>: the spans cross` };
      open.pop();
      continue;
    }
    if (seenSpans.has(id)) return { ok: false, problem: `the marker <s${id}> appears more than once` };
    seenSpans.add(id);
    const span: SpanElementNode = { kind: 'span', id, children: [] };
    current().push(span);
    open.push(span);
  }
  pushText(markup.slice(position));
  const unclosed = open.at(-1);
  if (unclosed !== undefined) return { ok: false, problem: `<s${unclosed.id}> is never closed` };
  return { ok: true, nodes: root };
}

/**
 * True when the translation has exactly the source's markers: each once, properly nested, each inside the same span
 * as in the source (so nested formatting still applies), and no new ones. Order may change: words move in translation.
 */
export function sameMarkers(source: string, translation: string): boolean {
  const sourceParsed = parseSpanMarkup(source);
  const translationParsed = parseSpanMarkup(translation);
  if (!sourceParsed.ok || !translationParsed.ok) return false;
  const sourceParents = markerParents(sourceParsed.nodes);
  const translationParents = markerParents(translationParsed.nodes);
  if (sourceParents.size !== translationParents.size) return false;
  for (const [marker, parent] of sourceParents) {
    if (translationParents.get(marker) !== parent) return false;
  }
  return true;
}

/** The plain text of marked-up text: markers removed, escapes undone. Text that does not parse loses its marker-shaped tags too. */
export function stripSpanMarkup(markup: string): string {
  return unescapeSpanText(markup.replace(markerPattern, ''));
}

/** Escapes literal text for markup mode: `&`, `<`, `>`. */
export function escapeSpanText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Undoes escapeSpanText; other `&` sequences stay as they are. */
export function unescapeSpanText(text: string): string {
  return text.replace(/&(lt|gt|amp);/g, (_entity, name: string) => (name === 'lt' ? '<' : name === 'gt' ? '>' : '&'));
}

/** Writes nodes back as marked-up text (the inverse of parseSpanMarkup). */
export function serializeSpanNodes(nodes: readonly SpanNode[]): string {
  return nodes
    .map((node) => {
      if (node.kind === 'text') return escapeSpanText(node.text);
      if (node.kind === 'item') return `<x${node.id}/>`;
      return `<s${node.id}>${serializeSpanNodes(node.children)}</s${node.id}>`;
    })
    .join('');
}

/** True when the text contains at least one marker (text without markers needs no markup mode). */
export function hasSpanMarkers(markup: string): boolean {
  return /<\/?s\d+>|<x\d+\/>/.test(markup);
}

/** The markers (`s1`, `x2`) each mapped to the span that contains it (`s1`) or '' at the top level. */
function markerParents(nodes: readonly SpanNode[], parent = '', into = new Map<string, string>()): Map<string, string> {
  for (const node of nodes) {
    if (node.kind === 'item') into.set(`x${node.id}`, parent);
    if (node.kind === 'span') {
      into.set(`s${node.id}`, parent);
      markerParents(node.children, `s${node.id}`, into);
    }
  }
  return into;
}
