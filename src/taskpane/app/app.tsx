// The app shell: theme, UI language, sign-in and settings around the task pane; in the browser preview the
// sample document sits beside it (loaded only there).
import { FluentProvider, webLightTheme } from '@fluentui/react-components';
import { lazy, Suspense, useMemo } from 'react';
import { createApiClient } from '../shared/api/api-client.js';
import { AuthProvider } from '../shared/auth/auth-context.js';
import type { AuthSession } from '../shared/auth/auth-session.js';
import { MessagesProvider } from '../shared/i18n/i18n-context.js';
import { messagesFor } from '../shared/i18n/messages.js';
import { SettingsProvider } from '../shared/settings/settings-context.js';
import type { SettingsStore } from '../shared/settings/settings.js';
import type { PaneHostAdapter } from './choose-host-adapter.js';
import { TaskPane } from './task-pane.js';

const PreviewLayout = lazy(() => import(/* webpackChunkName: "preview" */ '../preview/preview-layout.js'));

export function App({ adapter, auth, settingsStore }: { adapter: PaneHostAdapter; auth: AuthSession; settingsStore: SettingsStore }) {
  const api = useMemo(() => createApiClient({ getAccessToken: auth.getAccessToken }), [auth]);
  const messages = messagesFor(adapter.displayLanguage);
  const pane = <TaskPane adapter={adapter} api={api} />;
  return (
    <FluentProvider theme={webLightTheme} style={{ minHeight: '100vh' }}>
      <MessagesProvider messages={messages}>
        <AuthProvider auth={auth}>
          <SettingsProvider store={settingsStore} displayLanguage={adapter.displayLanguage}>
            {adapter.isPreview ? (
              <Suspense fallback={pane}>
                <PreviewLayout adapter={adapter}>{pane}</PreviewLayout>
              </Suspense>
            ) : (
              pane
            )}
          </SettingsProvider>
        </AuthProvider>
      </MessagesProvider>
    </FluentProvider>
  );
}
