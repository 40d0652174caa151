// The row of feature tabs: the version that moves tabs which do not fit the pane's width into a "⋯" menu
// (Fluent's Overflow and Menu, with its popup positioning) is a chunk of its own, keeping the pane's
// initial JavaScript in its budget.
import { Suspense, lazy } from 'react';
import { useTabListStyles, type FeatureTabListProps } from './feature-tab-list-styles.js';

// Asked for as soon as the pane's script runs, while Office starts: the row is usually there before the pane is.
const overflowingFeatureTabList = import(/* webpackChunkName: "tab-overflow" */ './overflowing-feature-tab-list.js');
// A failed load is React's to report when the row renders, not an unhandled rejection before that.
overflowingFeatureTabList.catch(() => undefined);
const OverflowingFeatureTabList = lazy(() => overflowingFeatureTabList);

export function FeatureTabList(props: FeatureTabListProps) {
  const styles = useTabListStyles();
  // Until the row's chunk is there (a moment: it is asked for at start), an empty row of the same height
  // holds its place. A plain row that the overflow-aware one replaced under the user's pointer lost clicks.
  return (
    <Suspense fallback={<div className={styles.placeholder} aria-hidden="true" />}>
      <OverflowingFeatureTabList {...props} />
    </Suspense>
  );
}
