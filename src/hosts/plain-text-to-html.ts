// Outlook's reply forms and HTML drafts take HTML; generated text must reach them as text, never as
// markup. One escape for the Outlook adapter and the preview, so the preview shows what Outlook gets.

/** Plain text as HTML: every HTML-significant character escaped, line breaks kept as <br>. */
export function plainTextToHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;')
    .replace(/\r\n|\r|\n/g, '<br>');
}
