// The Word host: a document offers text access only.
import type { OfficeHostAdapter } from '../host-adapter.js';
import { createWordTextAccess, type WordTextAccessOptions } from './word-text-access.js';

export interface WordHostAdapterOptions extends WordTextAccessOptions {
  displayLanguage: string;
}

export function createWordHostAdapter(options: WordHostAdapterOptions): OfficeHostAdapter {
  return {
    host: 'word',
    isPreview: false,
    displayLanguage: options.displayLanguage,
    text: createWordTextAccess(options),
  };
}
