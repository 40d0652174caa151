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

/** Labels the workbook offers for Classify, and where they come from. */
export interface WorkbookLabels {
  /** One label per entry; a remembered range address (such as "Labels!A1:A20") is one entry. */
  labels: string[];
  /** `remembered`: the labels last used with this workbook; `named-range` or `sheet`: called "Labels". */
  source: 'remembered' | 'named-range' | 'sheet';
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
  /**
   * Labels to start Classify with: those last used with this workbook (Excel: document settings), else the
   * non-empty cells of the first column of a range named "Labels", else of a sheet called "Labels";
   * undefined when the workbook has none.
   */
  suggestLabels(): Promise<WorkbookLabels | undefined>;
  /** Keeps the labels (as the user gave them: lines or a range address) with the workbook, for suggestLabels. */
  rememberLabels(labels: readonly string[]): Promise<void>;
  /**
   * A bulk run that goes on as a server job, kept with the workbook under `name` (Excel: document
   * settings) so a reopened pane continues it; undefined when there is none. Plain JSON, read back as
   * unknown: the workflow checks its shape.
   */
  recallJob(name: string): Promise<unknown>;
  /** Keeps `job` under `name`, with the worksheet of the last readSelection. */
  rememberJob(name: string, job: unknown): Promise<void>;
  forgetJob(name: string): Promise<void>;
  /**
   * This sheet access on the worksheet the job kept under `name` started on (positions there, whichever
   * sheet is active now), so a continued run reads and writes where it began; this one when none is kept.
   */
  jobSheet(name: string): Promise<SheetAccess>;
}

// ---------------------------------------------------------------- mail (Outlook)

export interface MailMessage {
  subject: string;
  from: string;
  /** Plain-text body, including the quoted thread below it (an HTML body arrives as its text). */
  body: string;
  /** Outlook's id of the message (read mode; a draft has none), so a result is applied to the message it came from. */
  id?: string | undefined;
  /** When it was received (ISO 8601), where the host knows it. */
  received?: string | undefined;
}

/** A file attached to the open message (Outlook: Mailbox 1.8). */
export interface MailAttachment {
  id: string;
  name: string;
  /** MIME type as Outlook reports it ('' when it does not). */
  contentType: string;
  /** Size in bytes, as Outlook reports it. */
  size: number;
  /** `file`: its bytes can be read; `item`: an attached email (read as .eml); `cloud`: a link to a file elsewhere, no content here. */
  kind: 'file' | 'item' | 'cloud';
  /** A picture in the body (a logo, a signature image), not a file the sender attached on purpose. */
  isInline: boolean;
}

export interface MailAttachmentAccess {
  /** The open message's attachments, in Outlook's order. */
  listAttachments(): Promise<MailAttachment[]>;
  /** The attachment's bytes as base64 (an attached email: its MIME text as .eml). */
  readAttachment(attachment: MailAttachment): Promise<{ contentBase64: string; contentType: string }>;
}

/** A message the user selected in the message list (Outlook: item multi-select, Mailbox 1.13). */
export interface SelectedMailMessage {
  id: string;
  subject: string;
}

/** Many selected messages at once: at most 100, Outlook's own limit for multi-select. */
export interface MailSelectionAccess {
  readSelectedMessages(): Promise<SelectedMailMessage[]>;
  /** Called when the user selects other messages; returns the unsubscribe function. */
  onSelectionChanged(listener: () => void): () => void;
  /**
   * Whether messages other than the open one can be read and categorised (Outlook: loadItemByIdAsync,
   * Mailbox 1.15). Without it only the subjects are known and no category can be applied to them.
   */
  readonly canReadMessages: boolean;
  /** Subject, sender, received time and plain-text body of one selected message. */
  readMessageById(id: string): Promise<MailMessage>;
  /** Applies an existing category to that message; false when the master list has no such category. */
  applyCategoryTo(id: string, name: string): Promise<boolean>;
}

/** Makes a write refuse to touch any message but the one a result was made for. */
export interface MailTarget {
  /** The `MailMessage.id` the result belongs to; the call fails with DOCUMENT_CHANGED when another message is open now. */
  expectedMessageId?: string | undefined;
}

/** How a text went into a draft: in place of the selection, or as paragraphs of its own. */
export type MailInsertion = 'replaced-selection' | 'separate-paragraphs';

export interface MailAccess {
  /** Of the item open now: a pinned pane follows the user from message to message. */
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
  applyCategory(name: string, target?: MailTarget): Promise<boolean>;
  /** Opens a reply form with this body (plain text, escaped into HTML by the adapter). */
  displayReply(body: string, target?: MailTarget): Promise<void>;
  /** The open item's id (undefined for a draft or when nothing is open). */
  currentMessageId(): string | undefined;
  /**
   * Called when the user moves to another message while the pane stays open (a pinned pane; Outlook's
   * ItemChanged, Mailbox 1.5); returns the unsubscribe function. Absent: the pane closes with its item.
   */
  onItemChanged?(listener: () => void): () => void;
  /** Attachments of the open message; absent where the host cannot read them (Outlook before Mailbox 1.8). */
  readonly attachments?: MailAttachmentAccess;
  /** Many selected messages; absent where the host has no multi-select (Outlook before Mailbox 1.13). */
  readonly selection?: MailSelectionAccess;
  /** The requirement sets this host lacks for the features above, to name them in the pane. */
  readonly missingFeatures?: readonly MailFeatureRequirement[];
}

/** A mail feature this host cannot offer, and the Outlook requirement set it needs. */
export interface MailFeatureRequirement {
  feature: 'attachments' | 'multi-select' | 'read-selected' | 'follow-mailbox';
  set: string;
  version: string;
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
