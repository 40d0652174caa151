// What the tab row and its placeholder share (feature-tab-list.tsx, overflowing-feature-tab-list.tsx).
import { makeStyles, tokens } from '@fluentui/react-components';
import type { FeatureName } from './features.js';

export interface FeatureTabListProps {
  features: readonly FeatureName[];
  selected: FeatureName | undefined;
  onSelect: (feature: FeatureName) => void;
}

export const useTabListStyles = makeStyles({
  // German tab names do not fit a 320 px pane on one line: instead of wrapping onto a ragged second row,
  // the tabs that do not fit go into the menu.
  tabs: { flexWrap: 'nowrap', minWidth: 0, overflow: 'hidden' },
  // Narrower than Fluent's small tab, so the four English tabs fit a 350 px pane.
  tab: { flexShrink: 0, paddingLeft: tokens.spacingHorizontalXS, paddingRight: tokens.spacingHorizontalXS },
  more: { display: 'inline-flex', alignItems: 'center', flexShrink: 0 },
  // The height of a row of small tabs, held while the row loads.
  placeholder: { minHeight: '32px' },
});
