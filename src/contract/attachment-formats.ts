// What the BFF can read from an email attachment, as plain constants (no zod): the pane loads this at
// run time to mark attachments it should not offer (unknown kind, over the size limit) before reading
// their content with getAttachmentContentAsync. The server's answer stays authoritative: its limit is
// configuration (ATTACHMENT_MAX_BYTES) and it answers ATTACHMENT_TOO_LARGE / ATTACHMENT_UNSUPPORTED.
export const attachmentKinds = ['pdf', 'docx', 'xlsx', 'text', 'html', 'eml', 'msg'] as const;
export type AttachmentKind = (typeof attachmentKinds)[number];

/** File name endings the BFF reads, by kind (lower case, with the dot). */
export const attachmentExtensions: Readonly<Record<AttachmentKind, readonly string[]>> = {
  pdf: ['.pdf'],
  docx: ['.docx'],
  xlsx: ['.xlsx'],
  text: ['.txt', '.csv', '.tsv', '.md', '.json', '.xml', '.log'],
  html: ['.html', '.htm'],
  eml: ['.eml'],
  msg: ['.msg'],
};

/** The default per-attachment limit: 10 MB of file (decoded, not base64). */
export const defaultAttachmentMaxBytes = 10 * 1024 * 1024;

/** Attachments one summarize or reply request may carry (their text also counts against the input limit). */
export const maxAttachmentsPerRequest = 20;

/** Messages one digest (summarize with `messages`) may carry: a morning's multi-selection. */
export const maxDigestMessages = 100;

/** The kind a file name announces, or undefined when the BFF cannot read it. */
export function attachmentKindOf(fileName: string): AttachmentKind | undefined {
  const lower = fileName.toLowerCase();
  return attachmentKinds.find((kind) => attachmentExtensions[kind].some((extension) => lower.endsWith(extension)));
}
