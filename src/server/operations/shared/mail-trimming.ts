// What the model sees of an email: the message and the recent thread, without the parts that make a
// summary be about boilerplate. Signatures (the "-- " delimiter, "Sent from my iPhone", a sign-off
// followed by a contact block), legal disclaimers and notification footers at the end of each message,
// and quoted messages older than the few a summary needs are left out, and counted so the response can
// say how much. Only trailing parts of a message are trimmed: a sentence in the middle of a message
// that mentions confidentiality is the message, not a disclaimer.
import type { TrimmedCounts } from '../../../contract/mail-parts.js';

export interface MailTrimmingOptions {
  /** Quoted earlier messages kept after the newest one (the rest of the thread is left out). */
  keepQuotedMessages: number;
  /** Characters of quoted messages kept at most; older messages beyond this are left out. */
  maxQuotedCharacters: number;
}

export const defaultMailTrimming: MailTrimmingOptions = { keepQuotedMessages: 3, maxQuotedCharacters: 20_000 };

export interface TrimmedMail {
  text: string;
  trimmed: TrimmedCounts;
}

/** Lines that start an earlier, quoted message in the body (Outlook, Gmail, Apple Mail, German clients). */
const quoteHeaderPatterns: readonly RegExp[] = [
  /^-{2,}\s*(original message|ursprüngliche nachricht|forwarded message|weitergeleitete nachricht)\s*-{2,}\s*$/iu,
  /^_{10,}\s*$/u,
  /^on .{4,200}\bwrote:\s*$/iu,
  /^am .{4,200}\bschrieb .{1,200}:\s*$/iu,
  /^(from|von):\s.+$/iu,
];

/** "From:" starts a quoted message only as a header block: followed by Sent/Date/To/Subject within a few lines. */
const headerFieldPattern = /^(sent|date|to|cc|subject|gesendet|datum|an|betreff):\s/iu;

const signatureDelimiterPattern = /^--\s?$/u;
const mobileSignaturePattern =
  /^(sent from my \w[\w ]{0,30}|sent from (outlook|mail) for \w+|get outlook for \w+|von meinem \w[\w ]{0,30} gesendet|gesendet von meinem \w[\w ]{0,30})\.?\s*$/iu;
const signOffPattern =
  /^(best|kind|warm|many|best wishes|with best|regards|best regards|kind regards|warm regards|sincerely|yours sincerely|yours truly|cheers|thanks|thank you|many thanks|thanks again|mit freundlichen grüßen|freundliche grüße|viele grüße|beste grüße|liebe grüße|lg|vg|mfg|cordialement|saludos|un saludo)[,.!]?\s*$/iu;
/** A contact line of a signature block: phone, address, web, e-mail, title separators. */
const contactLinePattern = /(\+?\d[\d ()./-]{6,}\d|@[\w-]+\.\w|https?:\/\/|www\.|\b(tel|phone|mobile|mob|fax|cell|office|e-?mail|web)\b\.?:?|\|)/iu;
/** Trailing paragraphs that are legal notices or notification footers, not the message. */
const disclaimerPatterns: readonly RegExp[] = [
  /\bconfidential(ity)? (notice|information|and (may be )?privileged)\b/iu,
  /\b(intended (solely |only )?for the (use of the )?(named )?(addressee|recipient|individual|person))/iu,
  /\bif you (have received|are not the intended|received) (this|the)? ?(e-?mail|message|communication)?/iu,
  /\bthis (e-?mail|message|communication)( and any (files|attachments)[\w ]*)? (is|are|may be|may contain|contains?) (strictly )?(confidential|privileged)/iu,
  /^\s*(disclaimer|legal notice|haftungsausschluss)\b/iu,
  /\bdiese (e-?mail|nachricht) (enthält|kann) vertrauliche/iu,
  /\bunsubscribe\b|\bmanage (your )?(email )?preferences\b|\byou are receiving (this|these|notifications)\b/iu,
  /\bplease consider the environment before printing\b/iu,
];

/**
 * Trims signatures, disclaimers and the older quoted thread from a plain-text email (also one derived
 * from HTML, whose quoted parts come as header blocks or ">" lines). The text kept is in order; each
 * left-out part of the thread is replaced by one bracketed line, so the model knows the thread goes on.
 */
export function trimMail(text: string, options: MailTrimmingOptions = defaultMailTrimming): TrimmedMail {
  const trimmed: TrimmedCounts = { signatureCharacters: 0, disclaimerCharacters: 0, quotedCharacters: 0 };
  const lines = text.replace(/\r\n?/gu, '\n').split('\n');
  const messages = splitThread(lines).map((message) => trimMessage(message, trimmed));

  const kept: string[][] = [];
  let quotedCharacters = 0;
  for (const [index, message] of messages.entries()) {
    const size = message.join('\n').length;
    const withinBudget = index === 0 || (index <= options.keepQuotedMessages && quotedCharacters + size <= options.maxQuotedCharacters);
    if (!withinBudget) {
      trimmed.quotedCharacters += messages.slice(index).reduce((total, rest) => total + rest.join('\n').length, 0);
      const left = messages.length - index;
      kept.push(['', `[${left} older quoted message${left === 1 ? '' : 's'} of the thread left out]`]);
      break;
    }
    if (index > 0) quotedCharacters += size;
    kept.push(message);
  }
  return {
    text: kept
      .map((message) => message.join('\n'))
      .join('\n')
      .trim(),
    trimmed,
  };
}

/** The newest message first, then each quoted message; ">"-quoted lines are split by their depth. */
function splitThread(lines: readonly string[]): string[][] {
  const messages: string[][] = [[]];
  let depth = 0;
  for (const [index, line] of lines.entries()) {
    const lineDepth = quoteDepth(line);
    const startsQuote = isQuoteHeader(lines, index) || lineDepth > depth;
    const current = messages[messages.length - 1] ?? [];
    if (startsQuote && current.some((content) => content.trim().length > 0)) messages.push([line]);
    else current.push(line);
    depth = Math.max(depth, lineDepth);
  }
  return messages;
}

function quoteDepth(line: string): number {
  const match = /^((?:>\s?)+)/u.exec(line);
  return match === null ? 0 : (match[1] ?? '').replace(/\s/gu, '').length;
}

function isQuoteHeader(lines: readonly string[], index: number): boolean {
  const line = (lines[index] ?? '').replace(/^(>\s?)+/u, '').trim();
  if (!quoteHeaderPatterns.some((pattern) => pattern.test(line))) return false;
  if (/^(from|von):\s/iu.test(line)) {
    // A header block, not a sentence that starts with "From:".
    return lines.slice(index + 1, index + 5).some((next) => headerFieldPattern.test(next.replace(/^(>\s?)+/u, '').trim()));
  }
  return true;
}

/** One message without its trailing disclaimers and signature; the counts grow by what was left out. */
function trimMessage(message: readonly string[], trimmed: TrimmedCounts): string[] {
  let lines = [...message];
  // Disclaimers come after the signature: remove trailing notice paragraphs, then the signature, then any notice before it.
  for (let pass = 0; pass < 2; pass += 1) {
    lines = dropTrailingDisclaimers(lines, trimmed);
    lines = dropSignature(lines, trimmed);
  }
  return lines;
}

function dropTrailingDisclaimers(lines: string[], trimmed: TrimmedCounts): string[] {
  let end = lastContentLine(lines) + 1;
  for (;;) {
    const start = paragraphStart(lines, end);
    if (start <= firstContentLine(lines)) return lines.slice(0, end);
    const paragraph = lines.slice(start, end).join('\n');
    const matchAt = Math.min(...disclaimerPatterns.map((pattern) => pattern.exec(paragraph)?.index ?? Number.POSITIVE_INFINITY));
    if (!Number.isFinite(matchAt)) return lines.slice(0, end);
    // The notice starts on the line of its first phrase: the message's lines above it in the same paragraph stay.
    const cutFrom = start + paragraph.slice(0, matchAt).split('\n').length - 1;
    trimmed.disclaimerCharacters += lines.slice(cutFrom, end).join('\n').length;
    if (cutFrom > start) return lines.slice(0, cutFrom);
    end = lastContentLine(lines.slice(0, start)) + 1;
  }
}

function dropSignature(lines: string[], trimmed: TrimmedCounts): string[] {
  const first = firstContentLine(lines);
  const last = lastContentLine(lines);
  const cut = (keepTo: number): string[] => {
    const removed = lines.slice(keepTo, last + 1).join('\n');
    trimmed.signatureCharacters += removed.length;
    return lines.slice(0, keepTo);
  };
  // "-- " delimiter (RFC 3676): everything after it is the signature. Mobile footers are a signature of one line.
  for (let index = last; index > first; index -= 1) {
    const line = lines[index] ?? '';
    if (signatureDelimiterPattern.test(line)) return cut(index);
  }
  for (let index = last; index > first && index >= last - 2; index -= 1) {
    if (mobileSignaturePattern.test((lines[index] ?? '').trim())) return cut(index);
  }
  // A sign-off, a name, then a contact block: keep the sign-off and the name, drop the block.
  for (let index = last - 1; index > first && index >= last - 15; index -= 1) {
    if (!signOffPattern.test((lines[index] ?? '').trim())) continue;
    const nameLine = index + 1 + (lines[index + 1]?.trim() === '' ? 1 : 0);
    const block = lines.slice(nameLine + 1, last + 1);
    if (block.some((line) => contactLinePattern.test(line))) return cut(nameLine + 1);
    return lines;
  }
  return lines;
}

function firstContentLine(lines: readonly string[]): number {
  const index = lines.findIndex((line) => line.trim().length > 0);
  return index === -1 ? 0 : index;
}

function lastContentLine(lines: readonly string[]): number {
  for (let index = lines.length - 1; index >= 0; index -= 1) if ((lines[index] ?? '').trim().length > 0) return index;
  return -1;
}

/** The first line of the paragraph that ends before `end` (paragraphs are separated by blank lines). */
function paragraphStart(lines: readonly string[], end: number): number {
  let start = end - 1;
  while (start > 0 && (lines[start - 1] ?? '').trim().length > 0) start -= 1;
  return start;
}

/** Adds one trimming's counts to a running total (a digest trims each message). */
export function addTrimmedCounts(total: TrimmedCounts, more: TrimmedCounts): TrimmedCounts {
  return {
    signatureCharacters: total.signatureCharacters + more.signatureCharacters,
    disclaimerCharacters: total.disclaimerCharacters + more.disclaimerCharacters,
    quotedCharacters: total.quotedCharacters + more.quotedCharacters,
  };
}
