// Word documents (.docx) as plain text with mammoth: paragraphs, lists and table cells, without layout.
import mammoth from 'mammoth';
import { damagedAttachment } from './attachment-errors.js';
import type { ExtractedText } from './extracted-text.js';

export async function extractDocx(name: string, content: Uint8Array): Promise<ExtractedText> {
  try {
    const result = await mammoth.extractRawText({ buffer: Buffer.from(content.buffer, content.byteOffset, content.byteLength) });
    return { kind: 'docx', text: result.value.replace(/\n{3,}/gu, '\n\n').trim() };
  } catch (error) {
    throw damagedAttachment(name, 'docx', error);
  }
}
