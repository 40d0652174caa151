// Browser preview: a host switcher and the editable sample document beside the task pane, sized like
// Office's pane (about 350 px); on a narrow window the document sits above the pane, which then takes the width.
import { Select, Field, Text, makeStyles, tokens } from '@fluentui/react-components';
import type { ReactNode } from 'react';
import type { PreviewHostAdapter, PreviewSampleDocument } from '../../hosts/preview/preview-host-adapter.js';
import { useMessages } from '../shared/i18n/i18n-context.js';
import { MailView } from './mail-view.js';
import { SheetView } from './sheet-view.js';
import { TextDocumentView } from './text-document-view.js';

/** Below 800 px the sample document goes above the pane instead of being squeezed beside it. */
const stacked = '@media (max-width: 799px)';

const useStyles = makeStyles({
  layout: {
    display: 'flex',
    minHeight: '100vh',
    backgroundColor: tokens.colorNeutralBackground3,
    [stacked]: { flexDirection: 'column' },
  },
  workspace: {
    flex: '1 1 auto',
    display: 'flex',
    flexDirection: 'column',
    rowGap: tokens.spacingVerticalM,
    padding: tokens.spacingHorizontalL,
    minWidth: 0,
    [stacked]: { padding: tokens.spacingHorizontalS },
  },
  switcher: { display: 'flex', columnGap: tokens.spacingHorizontalM, alignItems: 'end', flexWrap: 'wrap', minWidth: 0 },
  pane: {
    flex: '0 0 360px',
    width: '360px',
    boxSizing: 'border-box',
    backgroundColor: tokens.colorNeutralBackground1,
    borderLeft: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke1}`,
    overflowY: 'auto',
    maxHeight: '100vh',
    position: 'sticky',
    top: 0,
    // Stacked: the pane takes the page's width below the document and scrolls with the page.
    [stacked]: {
      flex: '0 0 auto',
      width: '100%',
      maxHeight: 'none',
      position: 'static',
      overflowY: 'visible',
      borderLeft: 'none',
      borderTop: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke1}`,
    },
  },
  notice: { color: tokens.colorNeutralForeground3, minWidth: 0 },
});

function navigate(change: Record<string, string | undefined>): void {
  const url = new URL(window.location.href);
  for (const [name, value] of Object.entries(change)) {
    if (value === undefined) url.searchParams.delete(name);
    else url.searchParams.set(name, value);
  }
  window.location.assign(url.toString());
}

function SampleDocumentView({ sampleDocument }: { sampleDocument: PreviewSampleDocument }) {
  switch (sampleDocument.kind) {
    case 'text-document':
      return <TextDocumentView document={sampleDocument.textDocument} />;
    case 'sheet':
      return <SheetView sheet={sampleDocument.sheet} />;
    case 'mail':
      return <MailView mail={sampleDocument.mail} />;
  }
}

export default function PreviewLayout({ adapter, children }: { adapter: PreviewHostAdapter; children: ReactNode }) {
  const styles = useStyles();
  const messages = useMessages();
  return (
    <div className={styles.layout}>
      <div className={styles.workspace} data-testid="preview-workspace">
        <div className={styles.switcher}>
          <Field label={messages.hostSwitcher}>
            <Select value={adapter.host} onChange={(_event, data) => navigate({ host: data.value, mode: undefined })} data-testid="host-switcher">
              <option value="word">Word</option>
              <option value="excel">Excel</option>
              <option value="outlook">Outlook</option>
            </Select>
          </Field>
          {adapter.sampleDocument.kind === 'mail' && (
            <Field label={messages.mailMode}>
              <Select value={adapter.sampleDocument.mail.mode} onChange={(_event, data) => navigate({ mode: data.value })} data-testid="mail-mode">
                <option value="read">{messages.previewModeRead}</option>
                <option value="compose">{messages.previewModeCompose}</option>
              </Select>
            </Field>
          )}
          <Text className={styles.notice}>{messages.previewNotice}</Text>
        </div>
        <SampleDocumentView sampleDocument={adapter.sampleDocument} />
      </div>
      <aside className={styles.pane} aria-label={messages.appTitle}>
        {children}
      </aside>
    </div>
  );
}
