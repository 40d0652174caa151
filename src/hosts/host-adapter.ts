// The one interface between the task pane and an Office host. React components never call
// Office.js: they receive a HostAdapter, chosen once at Office.onReady (Word, Excel, Outlook), or a
// preview adapter over an editable sample document when the pane runs outside Office.
// Each host offers the capabilities it has; a missing capability means the host cannot do it.

export type HostName = 'word' | 'excel' | 'outlook';

// ---------------------------------------------------------------- text documents (Word, Outlook compose)

/** A paragraph (Word) or a block of text; `id` lets a write find the same paragraph again. */
export interface TextBlock {
  id: string;
  text: string;
  /**
   * The text with its inline formatting as span markers, when the host can read formatting (Word):
   * `<s1>bold</s1>` around a formatted span (bold, italic, underline, strikethrough, super/subscript,
   * a hyperlink; numbered from 1 in reading order, nestable), `<x1/>` for an inline item kept as it is
   * (a field, a picture, inline code, a content control). Literal `<`, `>` and `&` are written `&lt;`,
   * `&gt;` and `&amp;`. Sent to the translate operation with `markup: 'spans'`; a translation that keeps
   * every marker is written back with each span's formatting. Absent: the block is plain text.
   */
  markup?: string | undefined;
  /** Where the paragraph sits, so a write keeps the structure: a table cell, a list item (numbering and level), a heading. */
  structure?: TextBlockStructure | undefined;
  /**
   * A translation this add-in wrote in an earlier run is already there (Word: the next paragraph is ours, or this
   * paragraph is our tracked replacement), so a run over the whole document skips it: Stop, then run again, resumes.
   */
  alreadyTranslated?: boolean | undefined;
}

export interface TextBlockStructure {
  kind: 'paragraph' | 'heading' | 'list-item' | 'table-cell';
  /** Heading level (1–9) or list level (0-based). */
  level?: number | undefined;
}

/** Where a translation goes in Word: after each paragraph, replacing it as a tracked change, or as a comment. */
export type TranslationPlacement = 'after' | 'replace-tracked' | 'comment';

/** Where a generated text (a summary) is inserted. */
export type InsertLocation = 'cursor' | 'start' | 'end';

/** What a write of translations did: paragraphs the user changed meanwhile are left alone, never overwritten. */
export interface TranslationWriteResult {
  /** Translations placed. */
  written: number;
  /** Ids of the blocks whose paragraph changed (or went) since it was read: nothing was written for them. */
  changed: string[];
}

export interface TextDocumentAccess {
  /** The selected paragraphs (or the one at the cursor when nothing is selected), or the whole document. */
  readParagraphs(scope: 'selection' | 'document'): Promise<TextBlock[]>;
  /**
   * One translation per block, in order, placed as the user chose; paragraph formatting survives.
   * Each paragraph is found again by identity (not by position), so edits elsewhere in the document do
   * not matter; a paragraph whose own text changed is skipped and reported in `changed`.
   * For a block read with `markup`, its translation is markup too (the same markers; a translation the server
   * could only give as plain text is passed escaped, with no markers, and written in the paragraph's own style).
   */
  writeTranslations(blocks: readonly TextBlock[], translations: readonly string[], placement: TranslationPlacement): Promise<TranslationWriteResult>;
  insertText(text: string, location: InsertLocation): Promise<void>;
  /** Placements this host supports (Outlook compose has no tracked changes or comments). */
  readonly translationPlacements: readonly TranslationPlacement[];
}

// ---------------------------------------------------------------- sheets (Excel)

export interface SheetSelection {
  sheetName: string;
  /** A1-style address of the selection, for display. */
  address: string;
  /** Zero-based absolute row and column of the selection's top-left cell. */
  firstRow: number;
  firstColumn: number;
  rowCount: number;
  columnCount: number;
  /** Texts of the selection's first row, to label column pickers (may be data, not headers). */
  firstRowTexts: string[];
  /** Zero-based absolute index of the first empty column to the right of the selection. */
  firstEmptyColumnToTheRight: number;
}

export interface SheetAccess {
  readSelection(): Promise<SheetSelection>;
  /**
   * Cell texts of `rowCount` rows from absolute `startRow`, for the given absolute columns, in that
   * column order. Implementations read in chunks that stay under Excel on the web's 5 MB limit.
   */
  readRows(startRow: number, rowCount: number, columns: readonly number[]): Promise<string[][]>;
  /** Texts of one column for `rowCount` rows from `startRow` ('' for an empty cell). */
  readColumn(startRow: number, rowCount: number, column: number): Promise<string[]>;
  /**
   * Writes a contiguous block of one column in one sync. `null` leaves that cell as it is. Values land
   * as text, exactly as given (Excel: the cells get the text format first, so 007 or =SUM(A1) stays text).
   * Never called for a filled cell unless the user chose to overwrite.
   */
  writeColumn(startRow: number, column: number, values: readonly (string | null)[]): Promise<void>;
  /** Non-empty texts of a range such as "Labels!A1:A20", for a label list kept in the workbook. */
  readRangeTexts(address: string): Promise<string[]>;
  /**
   * The output column a previous run used for this input column on the selection's sheet, kept with the
   * workbook (Excel: document settings), so a re-run resumes there; undefined when there is none.
   */
  recallOutputColumn(inputColumn: number): Promise<number | undefined>;
  rememberOutputColumn(inputColumn: number, outputColumn: number): Promise<void>;
}

// ---------------------------------------------------------------- mail (Outlook)

export interface MailMessage {
  subject: string;
  from: string;
  /** Plain-text body, including the quoted thread below it. */
  body: string;
}

/** How a text went into a draft: in place of the selection, or as paragraphs of its own. */
export type MailInsertion = 'replaced-selection' | 'separate-paragraphs';

export interface MailAccess {
  readonly mode: 'read' | 'compose';
  /** Read mode: the open message. Compose mode: the draft. */
  readMessage(): Promise<MailMessage>;
  /** Compose mode: the selected text ('' when nothing is selected). */
  readSelectedText(): Promise<string>;
  /**
   * Compose mode: replaces the selected text; with nothing selected, inserts the text as its own
   * paragraph(s) at the cursor, set apart from the user's words by line breaks.
   */
  insertText(text: string): Promise<MailInsertion>;
  /** The mailbox's category names (the master list). */
  listCategories(): Promise<string[]>;
  /** Applies an existing category to the open message; false when no such category exists. */
  applyCategory(name: string): Promise<boolean>;
  /** Opens a reply form with this body (plain text, escaped into HTML by the adapter). */
  displayReply(body: string): Promise<void>;
}

// ---------------------------------------------------------------- the adapter

export interface HostAdapter {
  readonly host: HostName;
  /** True for the browser preview over a sample document. */
  readonly isPreview: boolean;
  /** Office's display language (BCP 47), for the UI's own language. */
  readonly displayLanguage: string;
  readonly text?: TextDocumentAccess;
  readonly sheet?: SheetAccess;
  readonly mail?: MailAccess;
}

/** A requirement set of Office.js, such as WordApi 1.3. */
export interface RequirementSet {
  name: string;
  version: string;
}

/** An adapter over a real Office host (Word, Excel, Outlook); the preview's states `isPreview: true`. */
export interface OfficeHostAdapter extends HostAdapter {
  readonly isPreview: false;
  /**
   * Set when this Office lacks the minimum requirement set the add-in needs on this host: the adapter
   * then offers no capability, and the pane says the Office version is too old.
   */
  readonly missingRequirement?: RequirementSet;
}

// ---------------------------------------------------------------- errors

/**
 * Stable codes of host failures; the pane branches on these, never on messages.
 * DOCUMENT_CHANGED: the text changed since it was read, so nothing was overwritten (run again).
 * OFFICE_CALL_FAILED: Office refused a call. Office's own text (often minified, never for the user) goes in
 * `cause`, which the pane logs to the console; the message is a sentence the pane shows.
 */
export type HostErrorCode = 'DOCUMENT_CHANGED' | 'INVALID_ARGUMENT' | 'NOT_AVAILABLE' | 'TEXT_TOO_LONG' | 'PAYLOAD_TOO_LARGE' | 'OFFICE_CALL_FAILED';

/** The one error type host adapters throw; `message` says what happened and what to do. */
export class HostError extends Error {
  override readonly name = 'HostError';
  readonly code: HostErrorCode;

  constructor(code: HostErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
  }
}

export function isHostError(error: unknown): error is HostError {
  return error instanceof HostError;
}
