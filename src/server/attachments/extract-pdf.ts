// PDF text, page by page, with pdf.js (through unpdf, its server build). A password-protected file
// fails with pdf.js's PasswordException; a file whose pages carry no text (a scan) is told apart from
// one that has text, so the user hears which it is.
import { getResolvedPDFJS } from 'unpdf';
import { throwIfCancelled } from './cancellation.js';
import { attachmentWithoutText, damagedAttachment, encryptedAttachment } from './attachment-errors.js';
import type { ExtractedText } from './extracted-text.js';

export async function extractPdf(name: string, content: Uint8Array, signal: AbortSignal): Promise<ExtractedText> {
  const { getDocument } = await getResolvedPDFJS();
  // pdf.js takes ownership of (detaches) the buffer it is given: hand it a copy.
  const loading = getDocument({ data: new Uint8Array(content), useSystemFonts: false, stopAtErrors: false, verbosity: 0 });
  let document: Awaited<typeof loading.promise>;
  try {
    document = await loading.promise;
  } catch (error) {
    await loading.destroy();
    if (error instanceof Error && error.name === 'PasswordException') throw encryptedAttachment(name, error);
    throw damagedAttachment(name, 'pdf', error);
  }
  try {
    const pages: string[] = [];
    for (let pageNumber = 1; pageNumber <= document.numPages; pageNumber += 1) {
      throwIfCancelled(signal);
      const page = await document.getPage(pageNumber);
      const content = await page.getTextContent();
      let pageText = '';
      for (const item of content.items) {
        if (!('str' in item)) continue;
        pageText += item.str + (item.hasEOL ? '\n' : '');
      }
      pages.push(pageText.trim());
      page.cleanup();
    }
    const text = pages.map((pageText, index) => `[Page ${index + 1}]\n${pageText}`).join('\n\n');
    if (pages.every((pageText) => pageText.length === 0)) throw attachmentWithoutText(name);
    return { kind: 'pdf', text, pages: document.numPages };
  } finally {
    await loading.destroy();
  }
}
