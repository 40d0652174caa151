// The choices an operation offers, as plain constants: the zod schemas are built from them and the
// pane imports them at run time without loading zod.
export const summaryKinds = ['email', 'document', 'text'] as const;
export type SummaryKind = (typeof summaryKinds)[number];

export const summaryLengths = ['short', 'medium', 'long'] as const;
export type SummaryLength = (typeof summaryLengths)[number];

export const summaryFormats = ['paragraph', 'bullets'] as const;
export type SummaryFormat = (typeof summaryFormats)[number];

export const formalities = ['default', 'formal', 'informal'] as const;
export type Formality = (typeof formalities)[number];

export const replyTones = ['neutral', 'formal', 'friendly', 'concise'] as const;
export type ReplyTone = (typeof replyTones)[number];
