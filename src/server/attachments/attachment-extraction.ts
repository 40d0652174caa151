// One attachment's text: its kind from its name, checked against its first bytes (an encrypted Office
// file is an OLE compound file, not a zip), then the extractor made for that format.
import { attachmentKindOf, type AttachmentKind } from '../../contract/attachment-formats.js';
import { attachmentWithoutText, encryptedAttachment, unsupportedAttachment } from './attachment-errors.js';
import { extractDocx } from './extract-docx.js';
import { extractEml } from './extract-eml.js';
import { decodeText, extractHtml } from './extract-html.js';
import { extractMsg } from './extract-msg.js';
import { extractPdf } from './extract-pdf.js';
import { extractXlsx } from './extract-xlsx.js';
import type { ExtractedText } from './extracted-text.js';

export interface AttachmentFile {
  name: string;
  contentType?: string | undefined;
  content: Uint8Array;
}

export type AttachmentExtractor = (file: AttachmentFile, signal: AbortSignal) => Promise<ExtractedText>;

const oleCompoundFile = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
const zipFile = [0x50, 0x4b, 0x03, 0x04];
const pdfFile = [0x25, 0x50, 0x44, 0x46]; // %PDF

export const extractAttachment: AttachmentExtractor = async (file, signal) => {
  const extracted = await extractByKind(file, kindOf(file), signal);
  if (extracted.text.trim().length === 0) throw attachmentWithoutText(file.name);
  return extracted;
};

function kindOf(file: AttachmentFile): AttachmentKind {
  const byName = attachmentKindOf(file.name) ?? kindOfContentType(file.contentType);
  // The content decides where the name is wrong about a binary format.
  if (startsWith(file.content, pdfFile)) return 'pdf';
  if (byName === undefined) throw unsupportedAttachment(file.name);
  return byName;
}

function kindOfContentType(contentType: string | undefined): AttachmentKind | undefined {
  const type = contentType?.split(';')[0]?.trim().toLowerCase();
  if (type === undefined) return undefined;
  if (type === 'application/pdf') return 'pdf';
  if (type === 'application/vnd.openxmlformats-officedocument.wordprocessingml.document') return 'docx';
  if (type === 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet') return 'xlsx';
  if (type === 'text/html') return 'html';
  if (type === 'message/rfc822') return 'eml';
  if (type === 'application/vnd.ms-outlook') return 'msg';
  if (type.startsWith('text/')) return 'text';
  return undefined;
}

async function extractByKind(file: AttachmentFile, kind: AttachmentKind, signal: AbortSignal): Promise<ExtractedText> {
  switch (kind) {
    case 'pdf':
      return extractPdf(file.name, file.content, signal);
    case 'docx':
    case 'xlsx':
      // Office encrypts a protected .docx/.xlsx into an OLE container: not a zip any more.
      if (startsWith(file.content, oleCompoundFile)) throw encryptedAttachment(file.name);
      if (!startsWith(file.content, zipFile)) throw unsupportedAttachment(file.name);
      return kind === 'docx' ? extractDocx(file.name, file.content) : extractXlsx(file.name, file.content, signal);
    case 'html':
      return extractHtml(file.content);
    case 'eml':
      return extractEml(file.name, file.content);
    case 'msg':
      return extractMsg(file.name, file.content);
    case 'text':
      return { kind: 'text', text: decodeText(file.content) };
  }
}

function startsWith(content: Uint8Array, signature: readonly number[]): boolean {
  return signature.every((byte, index) => content[index] === byte);
}
