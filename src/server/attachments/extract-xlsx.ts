// Excel workbooks (.xlsx) with exceljs: each sheet's used range as tab-separated rows under its name, so
// a model reads a table as a table. Formulas give their last computed value (the text Excel shows).
import ExcelJS from 'exceljs';
import { damagedAttachment } from './attachment-errors.js';
import { throwIfCancelled } from './cancellation.js';
import type { ExtractedText } from './extracted-text.js';

export async function extractXlsx(name: string, content: Uint8Array, signal: AbortSignal): Promise<ExtractedText> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(Buffer.from(content.buffer, content.byteOffset, content.byteLength) as unknown as ArrayBuffer);
  } catch (error) {
    throw damagedAttachment(name, 'xlsx', error);
  }
  const sheets: string[] = [];
  const parts: string[] = [];
  for (const worksheet of workbook.worksheets) {
    throwIfCancelled(signal);
    const rows: string[] = [];
    // exceljs computes columnCount over every row on each read: read it once per sheet.
    const columnCount = worksheet.columnCount;
    worksheet.eachRow({ includeEmpty: false }, (row) => {
      const cells: string[] = [];
      for (let column = 1; column <= columnCount; column += 1) cells.push(cellText(row.getCell(column)));
      while (cells.length > 0 && cells[cells.length - 1] === '') cells.pop();
      if (cells.length > 0) rows.push(cells.join('\t'));
    });
    sheets.push(worksheet.name);
    parts.push(`## Sheet: ${worksheet.name}\n${rows.join('\n')}`);
  }
  return { kind: 'xlsx', text: parts.join('\n\n'), sheets };
}

/** The cell as Excel shows it, on one line (tabs and line breaks would break the table). */
function cellText(cell: ExcelJS.Cell): string {
  let text: string;
  try {
    text = cell.text;
  } catch {
    text = String(cell.value ?? '');
  }
  return text.replace(/[\t\r\n]+/gu, ' ').trim();
}
