// Entry of the task pane: choose the host adapter, then render the one UI for every host.
import { createRoot } from 'react-dom/client';
import { App } from './app/app.js';
import { chooseHostAdapter } from './app/choose-host-adapter.js';
import { createSettingsStore } from './shared/settings/settings.js';

async function start(): Promise<void> {
  const container = document.getElementById('root');
  if (container === null) throw new Error('The task pane page has no #root element.');
  const adapter = await chooseHostAdapter(window.location);
  document.documentElement.lang = adapter.displayLanguage;
  createRoot(container).render(<App adapter={adapter} settingsStore={createSettingsStore()} />);
}

void start();
