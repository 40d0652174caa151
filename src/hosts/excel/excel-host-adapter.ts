// The Excel host: a workbook offers sheet access only (no text document, no mail).
import type { HostAdapter } from '../host-adapter.js';
import { createExcelSheetAccess, type ExcelSheetAccessOptions } from './excel-sheet-access.js';

export interface ExcelHostAdapterOptions extends ExcelSheetAccessOptions {
  displayLanguage: string;
}

export function createExcelHostAdapter(options: ExcelHostAdapterOptions): HostAdapter {
  return {
    host: 'excel',
    isPreview: false,
    displayLanguage: options.displayLanguage,
    sheet: createExcelSheetAccess(options),
  };
}
