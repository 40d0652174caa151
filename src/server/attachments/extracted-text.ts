// What every extractor answers: the file's kind, its plain text, and its pages or sheets when it has them.
import type { AttachmentKind } from '../../contract/attachment-formats.js';

export interface ExtractedText {
  kind: AttachmentKind;
  text: string;
  pages?: number;
  sheets?: string[];
}
