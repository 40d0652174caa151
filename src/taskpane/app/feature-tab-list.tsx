// The row of feature tabs. The pane's first load shows them plainly; the version that moves tabs which do
// not fit the pane's width into a "⋯" menu (Fluent's Overflow and Menu, with its popup positioning) is a
// chunk of its own that replaces it a moment later, keeping the pane's initial JavaScript in its budget.
import { Tab, TabList } from '@fluentui/react-components';
import { Suspense, lazy } from 'react';
import { useMessages } from '../shared/i18n/i18n-context.js';
import { useTabListStyles, type FeatureTabListProps } from './feature-tab-list-styles.js';
import { featureTitle, type FeatureName } from './features.js';

// Asked for as soon as the pane's script runs (while Office starts), so the swap usually happens before
// the row is first shown, and rarely under the user's pointer.
const overflowingFeatureTabList = import(/* webpackChunkName: "tab-overflow" */ './overflowing-feature-tab-list.js');
// A failed load is React's to report when the row renders, not an unhandled rejection before that.
overflowingFeatureTabList.catch(() => undefined);
const OverflowingFeatureTabList = lazy(() => overflowingFeatureTabList);

export function FeatureTabList(props: FeatureTabListProps) {
  return (
    <Suspense fallback={<PlainFeatureTabList {...props} />}>
      <OverflowingFeatureTabList {...props} />
    </Suspense>
  );
}

function PlainFeatureTabList({ features, selected, onSelect }: FeatureTabListProps) {
  const messages = useMessages();
  const styles = useTabListStyles();
  return (
    <TabList
      className={styles.tabs}
      size="small"
      selectedValue={selected}
      onTabSelect={(_event, data) => onSelect(data.value as FeatureName)}
      aria-label={messages.featuresLabel}
    >
      {features.map((feature) => (
        <Tab key={feature} className={styles.tab} value={feature} id={`tab-${feature}`} aria-controls="feature-panel">
          {featureTitle(feature, messages)}
        </Tab>
      ))}
    </TabList>
  );
}
