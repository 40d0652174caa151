// The Word preview: the document as an editable textarea (one line per paragraph), a paragraph-range
// picker for keyboard users and tests, and Word-like margins listing tracked changes and comments.
import { Button, Field, Input, Text } from '@fluentui/react-components';
import { useState, useSyncExternalStore } from 'react';
import { lineIndexAt, lineRanges, type PreviewTextDocument } from '../../hosts/preview/preview-text-document.js';
import { usePreviewStyles } from './preview-styles.js';

export function TextDocumentView({ document: textDocument }: { document: PreviewTextDocument }) {
  const styles = usePreviewStyles();
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
    <section className={styles.document} aria-label="Sample Word document">
      <Text weight="semibold">Document1 – Word (preview)</Text>
      <textarea
        className={styles.page}
        aria-label="Document text, one paragraph per line"
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
      <div className={styles.row}>
        <Field label="From paragraph">
          <Input type="number" min={1} value={from} onChange={(_event, data) => setFrom(data.value)} data-testid="paragraph-from" />
        </Field>
        <Field label="to paragraph">
          <Input type="number" min={1} value={to} onChange={(_event, data) => setTo(data.value)} data-testid="paragraph-to" />
        </Field>
        <Button onClick={selectParagraphs} data-testid="select-paragraphs">
          Select paragraphs
        </Button>
      </div>
      <Text className={styles.margin} data-testid="word-selection">
        {state.selectionStart === state.selectionEnd
          ? `Cursor in paragraph ${firstLine}`
          : firstLine === lastLine
            ? `Selected paragraph ${firstLine}`
            : `Selected paragraphs ${firstLine}–${lastLine}`}
      </Text>
      {state.trackedChanges.length > 0 && (
        <div className={styles.margin} data-testid="word-tracked-changes">
          <Text weight="semibold">Tracked changes</Text>
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
          <Text weight="semibold">Comments</Text>
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
