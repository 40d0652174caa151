// The Word preview: the document as an editable textarea (one line per paragraph, formatting and structure in
// the preview's Markdown-like syntax), a paragraph-range picker for keyboard users and tests, the document as
// Word would show it (bold, italic, links, the table, the numbered list), and Word-like margins listing
// tracked changes and comments. Document text is rendered as React text, never as HTML.
import { Button, Field, Input, Text, makeStyles, tokens } from '@fluentui/react-components';
import { useState, useSyncExternalStore, type ReactNode } from 'react';
import { parseInline, parseLine, type DocumentLine, type InlineNode } from '../../hosts/preview/preview-document-source.js';
import { lineIndexAt, lineRanges, type PreviewTextDocument } from '../../hosts/preview/preview-text-document.js';
import { useMessages } from '../shared/i18n/i18n-context.js';
import { formatLocalized } from '../shared/i18n/messages.js';
import { usePreviewStyles } from './preview-styles.js';

const useLayoutStyles = makeStyles({
  rendered: {
    fontFamily: 'Calibri, "Segoe UI", sans-serif',
    fontSize: '15px',
    lineHeight: '1.5',
    padding: tokens.spacingHorizontalM,
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
    borderRadius: tokens.borderRadiusMedium,
    '& p': { margin: `0 0 ${tokens.spacingVerticalXS} 0` },
    '& table': { borderCollapse: 'collapse', margin: `${tokens.spacingVerticalXS} 0` },
    '& td': { border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke1}`, padding: `2px ${tokens.spacingHorizontalS}`, verticalAlign: 'top' },
  },
  field: { backgroundColor: tokens.colorNeutralBackground3, padding: '0 2px' },
});

/** Only web and mail links become links: document content is data, a `javascript:` target stays text. */
const safeHref = (href: string) => (/^(https?:|mailto:)/i.test(href) ? href : undefined);

function InlineView({ nodes, fieldClass }: { nodes: readonly InlineNode[]; fieldClass: string }): ReactNode {
  const fieldTitle = useMessages().previewField;
  return nodes.map((node, index) => {
    if (node.kind === 'text') return node.text;
    if (node.kind === 'field') {
      return (
        <span key={index} className={fieldClass} title={fieldTitle}>
          {node.name}
        </span>
      );
    }
    const children = <InlineView nodes={node.children} fieldClass={fieldClass} />;
    switch (node.format.kind) {
      case 'bold':
        return <strong key={index}>{children}</strong>;
      case 'italic':
        return <em key={index}>{children}</em>;
      case 'strikethrough':
        return <s key={index}>{children}</s>;
      case 'link': {
        const href = safeHref(node.format.href);
        return href === undefined ? (
          <u key={index}>{children}</u>
        ) : (
          <a key={index} href={href} target="_blank" rel="noreferrer noopener">
            {children}
          </a>
        );
      }
    }
  });
}

interface ListEntry {
  numbered: boolean;
  paragraphs: string[];
  children: ListEntry[];
}

/** Consecutive list lines as a tree: items by level, a continuation line as one more paragraph of the item above. */
function listTree(lines: readonly Extract<DocumentLine, { kind: 'list-item' | 'list-continuation' }>[]): ListEntry[] {
  const roots: ListEntry[] = [];
  const open: { level: number; entry: ListEntry }[] = [];
  for (const line of lines) {
    while (open.length > 0 && (open.at(-1)?.level ?? 0) > line.level) open.pop();
    if (line.kind === 'list-continuation' && open.at(-1)?.level === line.level) {
      open.at(-1)?.entry.paragraphs.push(line.source);
      continue;
    }
    const entry: ListEntry = { numbered: line.kind === 'list-item' && line.marker !== '-', paragraphs: [line.source], children: [] };
    const parent = open.findLast((candidate) => candidate.level < line.level);
    if (open.at(-1)?.level === line.level) open.pop();
    (parent === undefined ? roots : parent.entry.children).push(entry);
    open.push({ level: line.level, entry });
  }
  return roots;
}

function ListView({ entries, fieldClass }: { entries: readonly ListEntry[]; fieldClass: string }) {
  const items = entries.map((entry, index) => (
    <li key={index}>
      {entry.paragraphs.map((source, paragraph) => (
        <p key={paragraph}>
          <InlineView nodes={parseInline(source)} fieldClass={fieldClass} />
        </p>
      ))}
      {entry.children.length > 0 && <ListView entries={entry.children} fieldClass={fieldClass} />}
    </li>
  ));
  return entries[0]?.numbered === false ? <ul>{items}</ul> : <ol>{items}</ol>;
}

/** The document as Word shows it: consecutive table rows form a table, consecutive list lines a list. */
function RenderedDocument({ text }: { text: string }) {
  const styles = useLayoutStyles();
  const messages = useMessages();
  const lines = text.split('\n').map(parseLine);
  const blocks: ReactNode[] = [];
  for (let index = 0; index < lines.length;) {
    const line = lines[index] as DocumentLine;
    // Keyed by the first line of each block: unique, and stable while lines below change.
    const key = index;
    if (line.kind === 'table-row') {
      const rows: Extract<DocumentLine, { kind: 'table-row' }>[] = [];
      for (; lines[index]?.kind === 'table-row'; index += 1) rows.push(lines[index] as Extract<DocumentLine, { kind: 'table-row' }>);
      blocks.push(
        <table key={key}>
          <tbody>
            {rows.map((row, rowIndex) => (
              <tr key={rowIndex}>
                {row.cells.map((cell, cellIndex) => (
                  <td key={cellIndex}>
                    {cell.map((source, paragraph) => (
                      <p key={paragraph}>
                        <InlineView nodes={parseInline(source)} fieldClass={styles.field} />
                      </p>
                    ))}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>,
      );
      continue;
    }
    if (line.kind === 'list-item') {
      const items: Extract<DocumentLine, { kind: 'list-item' | 'list-continuation' }>[] = [];
      for (let next = lines[index]; next?.kind === 'list-item' || next?.kind === 'list-continuation'; next = lines[index]) {
        items.push(next);
        index += 1;
      }
      blocks.push(<ListView key={key} entries={listTree(items)} fieldClass={styles.field} />);
      continue;
    }
    const content = <InlineView nodes={parseInline(line.source)} fieldClass={styles.field} />;
    if (line.kind === 'heading') {
      const Heading = `h${Math.min(6, line.level + 2)}` as 'h3';
      blocks.push(<Heading key={key}>{content}</Heading>);
    } else {
      blocks.push(<p key={key}>{line.source === '' ? '\u00a0' : content}</p>);
    }
    index += 1;
  }
  return (
    <div className={styles.rendered} data-testid="word-rendered" aria-label={messages.previewRendered} role="document">
      {blocks}
    </div>
  );
}

export function TextDocumentView({ document: textDocument }: { document: PreviewTextDocument }) {
  const styles = usePreviewStyles();
  const messages = useMessages();
  const { store } = textDocument;
  const state = useSyncExternalStore(store.subscribe, store.get);
  const [from, setFrom] = useState('1');
  const [to, setTo] = useState('1');
  const firstLine = lineIndexAt(state.text, state.selectionStart) + 1;
  const lastLine = lineIndexAt(state.text, state.selectionEnd) + 1;

  const selectParagraphs = () => {
    const ranges = lineRanges(state.text);
    const start = ranges[Math.max(0, Number(from) - 1)]?.start ?? 0;
    const end = ranges[Math.min(ranges.length, Math.max(Number(to), Number(from))) - 1]?.end ?? start;
    store.update((current) => ({ ...current, selectionStart: start, selectionEnd: end }));
  };

  return (
    <section className={styles.document} aria-label={messages.previewDocument}>
      <Text weight="semibold">{messages.previewDocumentTitle}</Text>
      <textarea
        className={styles.page}
        aria-label={messages.previewDocumentSource}
        data-testid="word-document"
        value={state.text}
        spellCheck={false}
        onChange={(event) => {
          const { value, selectionStart, selectionEnd } = event.currentTarget;
          store.update((current) => ({ ...current, text: value, selectionStart, selectionEnd }));
        }}
        onSelect={(event) => {
          const { selectionStart, selectionEnd } = event.currentTarget;
          store.update((current) => ({ ...current, selectionStart, selectionEnd }));
        }}
      />
      <Text className={styles.margin}>{messages.previewDocumentSyntax}</Text>
      <RenderedDocument text={state.text} />
      <div className={styles.row}>
        <Field label={messages.previewFromParagraph}>
          <Input type="number" min={1} value={from} onChange={(_event, data) => setFrom(data.value)} data-testid="paragraph-from" />
        </Field>
        <Field label={messages.previewToParagraph}>
          <Input type="number" min={1} value={to} onChange={(_event, data) => setTo(data.value)} data-testid="paragraph-to" />
        </Field>
        <Button onClick={selectParagraphs} data-testid="select-paragraphs">
          {messages.previewSelectParagraphs}
        </Button>
      </div>
      <Text className={styles.margin} data-testid="word-selection">
        {state.selectionStart === state.selectionEnd
          ? formatLocalized(messages, messages.previewCursorIn, { paragraph: firstLine })
          : firstLine === lastLine
            ? formatLocalized(messages, messages.previewSelectedParagraph, { paragraph: firstLine })
            : formatLocalized(messages, messages.previewSelectedParagraphs, { first: firstLine, last: lastLine })}
      </Text>
      {state.trackedChanges.length > 0 && (
        <div className={styles.margin} data-testid="word-tracked-changes">
          <Text weight="semibold">{messages.previewTrackedChanges}</Text>
          <ul className={styles.list}>
            {state.trackedChanges.map((change, index) => (
              <li key={index}>
                <span className={styles.deleted}>{change.original}</span> → <span className={styles.inserted}>{change.replacement}</span>
              </li>
            ))}
          </ul>
        </div>
      )}
      {state.comments.length > 0 && (
        <div className={styles.margin} data-testid="word-comments">
          <Text weight="semibold">{messages.previewComments}</Text>
          <ul className={styles.list}>
            {state.comments.map((comment, index) => (
              <li key={index}>
                <q>{comment.paragraph.slice(0, 40)}…</q>: {comment.comment}
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}
