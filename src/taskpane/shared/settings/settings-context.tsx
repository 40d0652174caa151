import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import { defaultSettings, type Settings, type SettingsStore } from './settings.js';

interface SettingsValue {
  settings: Settings;
  updateSettings: (change: Partial<Settings>) => void;
}

const SettingsContext = createContext<SettingsValue | undefined>(undefined);

export function SettingsProvider({ store, displayLanguage, children }: { store: SettingsStore; displayLanguage: string; children: ReactNode }) {
  const [settings, setSettings] = useState<Settings>(() => ({ ...defaultSettings(displayLanguage), ...store.load() }));
  const updateSettings = useCallback(
    (change: Partial<Settings>) =>
      setSettings((current) => {
        const next = { ...current, ...change };
        store.save(next);
        return next;
      }),
    [store],
  );
  const value = useMemo(() => ({ settings, updateSettings }), [settings, updateSettings]);
  return <SettingsContext.Provider value={value}>{children}</SettingsContext.Provider>;
}

export function useSettings(): SettingsValue {
  const value = useContext(SettingsContext);
  if (value === undefined) throw new Error('useSettings needs a SettingsProvider');
  return value;
}
