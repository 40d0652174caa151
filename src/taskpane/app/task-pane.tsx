// The task pane: one tab per feature the host offers; the chosen feature loads on demand.
import { Spinner, Tab, TabList, Text, Title3, makeStyles, tokens } from '@fluentui/react-components';
import { Suspense, useState } from 'react';
import type { HostAdapter } from '../../hosts/host-adapter.js';
import type { ApiClient } from '../shared/api/api-client.js';
import { useMessages } from '../shared/i18n/i18n-context.js';
import { featurePanels, featuresFor, featureTitle, type FeatureName } from './features.js';

const useStyles = makeStyles({
  pane: {
    display: 'flex',
    flexDirection: 'column',
    padding: `${tokens.spacingVerticalM} ${tokens.spacingHorizontalL}`,
    rowGap: tokens.spacingVerticalS,
    boxSizing: 'border-box',
    minWidth: 0,
  },
  body: { minHeight: '200px' },
  // German tab names do not fit a 320 px pane on one line.
  tabs: { flexWrap: 'wrap' },
});

export function TaskPane({ adapter, api }: { adapter: HostAdapter; api: ApiClient }) {
  const messages = useMessages();
  const styles = useStyles();
  const features = featuresFor(adapter);
  const [selected, setSelected] = useState<FeatureName | undefined>(features[0]);
  const Panel = selected === undefined ? undefined : featurePanels[selected];
  return (
    <main className={styles.pane} aria-labelledby="pane-title">
      <Title3 as="h1" id="pane-title">
        {messages.appTitle}
      </Title3>
      {features.length === 0 && <Text>{messages.noFeatures}</Text>}
      <TabList
        className={styles.tabs}
        size="small"
        selectedValue={selected}
        onTabSelect={(_event, data) => setSelected(data.value as FeatureName)}
        aria-label={messages.featuresLabel}
      >
        {features.map((feature) => (
          <Tab key={feature} value={feature} id={`tab-${feature}`} aria-controls="feature-panel">
            {featureTitle(feature, messages)}
          </Tab>
        ))}
      </TabList>
      <section id="feature-panel" role="tabpanel" aria-labelledby={selected === undefined ? undefined : `tab-${selected}`} className={styles.body}>
        <Suspense fallback={<Spinner size="small" label={messages.loading} />}>
          {Panel !== undefined && <Panel key={`${adapter.host}-${selected}`} adapter={adapter} api={api} />}
        </Suspense>
      </section>
    </main>
  );
}
