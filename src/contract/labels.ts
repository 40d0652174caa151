// Label rules both sides apply, with no dependency: the BFF's schema checks and the pane's own checks
// must agree on when two labels are the same.
const controlCharacterPattern = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/u;

/** True for C0/C1 control characters other than tab, line feed and carriage return. */
export function hasControlCharacter(text: string): boolean {
  return controlCharacterPattern.test(text);
}

/** Labels compare by Unicode NFC form and surrounding white space, so "Café" typed two ways is one label. */
export function normalizeLabel(label: string): string {
  return label.normalize('NFC').trim();
}
