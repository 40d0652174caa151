// The task pane: one tab per feature the host offers; the chosen feature loads on demand. An Office
// too old for the add-in gets one sentence saying so, instead of tabs that would fail.
import { Spinner, Text, Title3, makeStyles, tokens } from '@fluentui/react-components';
import { Suspense, useState } from 'react';
import type { ApiClient } from '../shared/api/api-client.js';
import { FormulaStatus, findFormulaControl } from '../../functions/index.js';
import { useMessages } from '../shared/i18n/i18n-context.js';
import { describeMissingRequirement } from './office-too-old.js';
import type { PaneHostAdapter } from './choose-host-adapter.js';
import { FeatureTabList } from './feature-tab-list.js';
import { featurePanels, featuresFor, type FeatureName } from './features.js';

const useStyles = makeStyles({
  pane: {
    display: 'flex',
    flexDirection: 'column',
    // Office's pane is about 320–350 px wide: every pixel of padding is taken from the tabs and fields.
    padding: `${tokens.spacingVerticalM} ${tokens.spacingHorizontalM}`,
    rowGap: tokens.spacingVerticalS,
    boxSizing: 'border-box',
    minWidth: 0,
  },
  body: { minHeight: '200px', minWidth: 0 },
});

export function TaskPane({ adapter, api }: { adapter: PaneHostAdapter; api: ApiClient }) {
  const messages = useMessages();
  const styles = useStyles();
  const tooOld = adapter.isPreview ? undefined : describeMissingRequirement(adapter, messages);
  if (tooOld !== undefined) {
    return (
      <main className={styles.pane} aria-labelledby="pane-title">
        <Title3 as="h1" id="pane-title">
          {messages.appTitle}
        </Title3>
        <Text role="alert" data-testid="office-too-old">
          {tooOld}
        </Text>
      </main>
    );
  }
  return <FeatureTabs adapter={adapter} api={api} />;
}

function FeatureTabs({ adapter, api }: { adapter: PaneHostAdapter; api: ApiClient }) {
  const messages = useMessages();
  const styles = useStyles();
  const features = featuresFor(adapter);
  const [selected, setSelected] = useState<FeatureName | undefined>(features[0]);
  const Panel = selected === undefined ? undefined : featurePanels[selected];
  // In Excel's shared runtime the formulas' batcher lives in this page: its waiting cells, Confirm and Stop show here.
  const formulaControl = adapter.host === 'excel' && !adapter.isPreview ? findFormulaControl() : undefined;
  return (
    <main className={styles.pane} aria-labelledby="pane-title">
      <Title3 as="h1" id="pane-title">
        {messages.appTitle}
      </Title3>
      {features.length === 0 && <Text>{messages.noFeatures}</Text>}
      {formulaControl !== undefined && <FormulaStatus control={formulaControl} />}
      <FeatureTabList features={features} selected={selected} onSelect={setSelected} />
      <section id="feature-panel" role="tabpanel" aria-labelledby={selected === undefined ? undefined : `tab-${selected}`} className={styles.body}>
        <Suspense fallback={<Spinner size="small" label={messages.loading} />}>
          {Panel !== undefined && <Panel key={`${adapter.host}-${selected}`} adapter={adapter} api={api} />}
        </Suspense>
      </section>
    </main>
  );
}
