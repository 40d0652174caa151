// The pane's features, one entry each: its lazy chunk (so the pane's first load carries only the
// shell) and its tab title. Which features a host offers, and in which order, follows the adapter's
// capabilities. A new feature is one folder under features/ and one entry here.
import { lazy, type ComponentType, type LazyExoticComponent } from 'react';
import type { HostAdapter } from '../../hosts/host-adapter.js';
import type { FeatureProps } from '../shared/feature-props.js';
import type { Messages } from '../shared/i18n/messages.js';

interface Feature {
  panel: LazyExoticComponent<ComponentType<FeatureProps>>;
  title: (messages: Messages) => string;
}

const features = {
  summarize: {
    panel: lazy(() => import(/* webpackChunkName: "summarize" */ '../features/summarize/summarize-panel.js')),
    title: (messages) => messages.tabSummarize,
  },
  translate: {
    panel: lazy(() => import(/* webpackChunkName: "translate" */ '../features/translate/translate-panel.js')),
    title: (messages) => messages.tabTranslate,
  },
  classify: {
    panel: lazy(() => import(/* webpackChunkName: "classify" */ '../features/classify/classify-panel.js')),
    title: (messages) => messages.tabClassify,
  },
  reply: {
    panel: lazy(() => import(/* webpackChunkName: "reply" */ '../features/reply/reply-panel.js')),
    title: (messages) => messages.tabReply,
  },
} satisfies Record<string, Feature>;

export type FeatureName = keyof typeof features;

export const featurePanels = Object.fromEntries(Object.entries(features).map(([name, feature]) => [name, feature.panel])) as Record<
  FeatureName,
  Feature['panel']
>;

export function featuresFor(adapter: HostAdapter): FeatureName[] {
  if (adapter.text !== undefined) return ['translate', 'summarize'];
  if (adapter.sheet !== undefined) return ['classify', 'translate'];
  if (adapter.mail !== undefined) return adapter.mail.mode === 'read' ? ['summarize', 'translate', 'classify', 'reply'] : ['translate', 'summarize'];
  return [];
}

export function featureTitle(feature: FeatureName, messages: Messages): string {
  return features[feature].title(messages);
}
