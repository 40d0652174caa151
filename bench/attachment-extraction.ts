// Attachment extraction times (npx tsx bench/attachment-extraction.ts): the same real files the tests
// make (a 30-page PDF, a .docx, an .xlsx, and a 5,000-row .xlsx), each extracted several times by the
// BFF's extractors; prints the median and the slowest run. CPU time on this machine, no model involved.
import ExcelJS from 'exceljs';
import { extractAttachment } from '../src/server/attachments/attachment-extraction.js';
import { budgetXlsx, contractDocx, longReportPdf } from '../test/server/attachments/attachment-fixtures.js';

const runs = 7;

async function largeXlsx(rows: number): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Tickets');
  sheet.addRow(['Id', 'Customer', 'Subject', 'Amount']);
  for (let row = 1; row <= rows; row += 1) sheet.addRow([row, `Customer ${row % 97}`, `Ticket about order ${row} and its delivery`, row * 3.5]);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

async function measure(name: string, content: Buffer): Promise<void> {
  const times: number[] = [];
  let characters = 0;
  for (let run = 0; run < runs; run += 1) {
    const started = performance.now();
    const result = await extractAttachment({ name, content }, new AbortController().signal);
    times.push(performance.now() - started);
    characters = result.text.length;
  }
  times.sort((left, right) => left - right);
  const median = times[Math.floor(times.length / 2)] ?? 0;
  const slowest = times[times.length - 1] ?? 0;
  console.log(
    `${name.padEnd(24)} ${String(content.byteLength).padStart(9)} bytes  ${String(characters).padStart(7)} chars  median ${median.toFixed(1).padStart(7)} ms  slowest ${slowest.toFixed(1).padStart(7)} ms`,
  );
}

console.log(`Attachment extraction, ${runs} runs each (the first includes loading the library)`);
await measure('report-30-pages.pdf', await longReportPdf(30));
await measure('contract.docx', await contractDocx());
await measure('budget.xlsx', await budgetXlsx());
await measure('tickets-5000-rows.xlsx', await largeXlsx(5000));
