// Real files with known text, made by the tests (never committed binaries): PDFs with pdfkit (a long
// report, a password-protected one, a scan-like one with only a drawn shape), a .docx with docx and an
// .xlsx with exceljs. Each page, paragraph and row carries a marker the tests look for.
import { Document, Packer, Paragraph, TextRun } from 'docx';
import ExcelJS from 'exceljs';
import PDFDocument from 'pdfkit';

function pdfBytes(options: PDFKit.PDFDocumentOptions, draw: (document: PDFKit.PDFDocument) => void): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const document = new PDFDocument(options);
    const chunks: Buffer[] = [];
    document.on('data', (chunk: Buffer) => chunks.push(chunk));
    document.on('end', () => resolve(Buffer.concat(chunks)));
    document.on('error', reject);
    draw(document);
    document.end();
  });
}

/** The sentence on page `page` of the long report. */
export function reportPageSentence(page: number): string {
  return `Quarterly report page ${page}: revenue in region ${page} grew by ${page + 3} percent while costs stayed flat.`;
}

/** A report of `pages` pages, each with its own sentence and some body text. */
export function longReportPdf(pages = 30): Promise<Buffer> {
  return pdfBytes({ autoFirstPage: false, info: { Title: 'Quarterly report' } }, (document) => {
    for (let page = 1; page <= pages; page += 1) {
      document.addPage();
      document.fontSize(12).text(reportPageSentence(page));
      document.moveDown().text('The team reviewed the pipeline, the hiring plan and the supplier contracts. '.repeat(8));
    }
  });
}

export function encryptedPdf(): Promise<Buffer> {
  return pdfBytes({ userPassword: 'secret', ownerPassword: 'owner-secret' }, (document) => document.text('Salary review: confidential numbers.'));
}

/** A page with only a drawn rectangle: what a scan looks like to a text extractor. */
export function imageOnlyPdf(): Promise<Buffer> {
  return pdfBytes({}, (document) => document.rect(72, 72, 300, 400).fill('#555555'));
}

export const docxParagraphs = [
  'Contract between Contoso and Fabrikam.',
  'Payment is due within 30 days of the invoice.',
  'Either party may end it with 90 days notice.',
];

export async function contractDocx(): Promise<Buffer> {
  const document = new Document({
    sections: [{ children: docxParagraphs.map((text) => new Paragraph({ children: [new TextRun(text)] })) }],
  });
  return Packer.toBuffer(document);
}

export async function budgetXlsx(): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const budget = workbook.addWorksheet('Budget');
  budget.addRow(['Item', 'Amount']);
  budget.addRow(['Servers', 1200]);
  budget.addRow(['Licences', 800]);
  budget.addRow(['Total', { formula: 'B2+B3', result: 2000 }]);
  const people = workbook.addWorksheet('People');
  people.addRow(['Name', 'Role']);
  people.addRow(['Anna', 'Lead']);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
