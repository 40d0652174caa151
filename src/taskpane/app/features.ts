// Which features a host offers, decided by the adapter's capabilities, and each feature's lazy chunk
// (so the pane's first load carries only the shell).
import { lazy, type ComponentType, type LazyExoticComponent } from 'react';
import type { HostAdapter } from '../../hosts/host-adapter.js';
import type { FeatureProps } from '../shared/feature-props.js';
import type { Messages } from '../shared/i18n/messages.js';

export type FeatureName = 'summarize' | 'translate' | 'classify' | 'reply';

export const featurePanels: Record<FeatureName, LazyExoticComponent<ComponentType<FeatureProps>>> = {
  summarize: lazy(() => import(/* webpackChunkName: "summarize" */ '../features/summarize/summarize-panel.js')),
  translate: lazy(() => import(/* webpackChunkName: "translate" */ '../features/translate/translate-panel.js')),
  classify: lazy(() => import(/* webpackChunkName: "classify" */ '../features/classify/classify-panel.js')),
  reply: lazy(() => import(/* webpackChunkName: "reply" */ '../features/reply/reply-panel.js')),
};

export function featuresFor(adapter: HostAdapter): FeatureName[] {
  if (adapter.text !== undefined) return ['translate', 'summarize'];
  if (adapter.sheet !== undefined) return ['classify', 'translate'];
  if (adapter.mail !== undefined) return adapter.mail.mode === 'read' ? ['summarize', 'translate', 'classify', 'reply'] : ['translate', 'summarize'];
  return [];
}

export function featureTitle(feature: FeatureName, messages: Messages): string {
  return { summarize: messages.tabSummarize, translate: messages.tabTranslate, classify: messages.tabClassify, reply: messages.tabReply }[feature];
}
