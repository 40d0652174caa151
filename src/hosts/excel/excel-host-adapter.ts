// The Excel host: a workbook offers sheet access only (no text document, no mail).
import type { OfficeHostAdapter } from '../host-adapter.js';
import { createExcelSheetAccess, type ExcelSheetAccessOptions } from './excel-sheet-access.js';

export interface ExcelHostAdapterOptions extends ExcelSheetAccessOptions {
  displayLanguage: string;
}

export function createExcelHostAdapter(options: ExcelHostAdapterOptions): OfficeHostAdapter {
  return {
    host: 'excel',
    isPreview: false,
    displayLanguage: options.displayLanguage,
    sheet: createExcelSheetAccess(options),
  };
}
