// HTML as readable text with html-to-text (headings, lists, tables, quotes), without images or link targets.
import { convert } from 'html-to-text';
import type { ExtractedText } from './extracted-text.js';

export function htmlToPlainText(html: string): string {
  return convert(html, {
    wordwrap: false,
    selectors: [
      { selector: 'img', format: 'skip' },
      { selector: 'a', options: { ignoreHref: true } },
      { selector: 'style', format: 'skip' },
      { selector: 'script', format: 'skip' },
    ],
  }).trim();
}

export function extractHtml(content: Uint8Array): ExtractedText {
  return { kind: 'html', text: htmlToPlainText(decodeText(content)) };
}

/** UTF-8 unless a byte-order mark says UTF-16; invalid bytes become U+FFFD rather than failing. */
export function decodeText(content: Uint8Array): string {
  if (content[0] === 0xff && content[1] === 0xfe) return new TextDecoder('utf-16le').decode(content);
  if (content[0] === 0xfe && content[1] === 0xff) return new TextDecoder('utf-16be').decode(content);
  return new TextDecoder('utf-8').decode(content);
}
