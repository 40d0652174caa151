// The feature tabs with Fluent's Overflow: tabs that do not fit the pane's width move into a "⋯" menu at
// the end of the row (the chosen tab always stays visible). Loaded as its own chunk (feature-tab-list.tsx).
import {
  Button,
  Menu,
  MenuItem,
  MenuList,
  MenuPopover,
  MenuTrigger,
  Overflow,
  OverflowItem,
  Tab,
  TabList,
  useIsOverflowItemVisible,
  useOverflowMenu,
} from '@fluentui/react-components';
import { useMessages } from '../shared/i18n/i18n-context.js';
import { format } from '../shared/i18n/messages.js';
import { useTabListStyles, type FeatureTabListProps } from './feature-tab-list-styles.js';
import { featureTitle, type FeatureName } from './features.js';

export default function OverflowingFeatureTabList({ features, selected, onSelect }: FeatureTabListProps) {
  const messages = useMessages();
  const styles = useTabListStyles();
  return (
    <Overflow minimumVisible={1}>
      <TabList
        className={styles.tabs}
        size="small"
        selectedValue={selected}
        onTabSelect={(_event, data) => onSelect(data.value as FeatureName)}
        aria-label={messages.featuresLabel}
      >
        {features.map((feature) => (
          // The chosen tab stays visible: it is the one the panel below belongs to.
          <OverflowItem key={feature} id={feature} priority={feature === selected ? 2 : 1}>
            <Tab className={styles.tab} value={feature} id={`tab-${feature}`} aria-controls="feature-panel">
              {featureTitle(feature, messages)}
            </Tab>
          </OverflowItem>
        ))}
        <MoreTabs features={features} onSelect={onSelect} />
      </TabList>
    </Overflow>
  );
}

/** The "more" button at the end of the tabs, listing the tabs that did not fit; absent when all fit. */
function MoreTabs({ features, onSelect }: { features: readonly FeatureName[]; onSelect: (feature: FeatureName) => void }) {
  const messages = useMessages();
  const styles = useTabListStyles();
  // The wrapper is what Overflow measures (Fluent's Button types its ref too narrowly to take it).
  const { ref, isOverflowing, overflowCount } = useOverflowMenu<HTMLSpanElement>();
  if (!isOverflowing) return null;
  return (
    <span ref={ref} className={styles.more}>
      <Menu>
        <MenuTrigger disableButtonEnhancement>
          {/* A tab among tabs for assistive technology, as Fluent's overflowing TabList does. */}
          <Button
            appearance="transparent"
            size="small"
            role="tab"
            aria-selected={false}
            aria-label={format(messages.moreTabs, { count: overflowCount })}
            data-testid="more-tabs"
          >
            ⋯
          </Button>
        </MenuTrigger>
        <MenuPopover>
          <MenuList>
            {features.map((feature) => (
              <MoreTabsItem key={feature} feature={feature} onSelect={onSelect} />
            ))}
          </MenuList>
        </MenuPopover>
      </Menu>
    </span>
  );
}

function MoreTabsItem({ feature, onSelect }: { feature: FeatureName; onSelect: (feature: FeatureName) => void }) {
  const messages = useMessages();
  const visible = useIsOverflowItemVisible(feature);
  if (visible) return null;
  return <MenuItem onClick={() => onSelect(feature)}>{featureTitle(feature, messages)}</MenuItem>;
}
