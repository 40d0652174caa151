// The HostAdapter of the browser preview: the same interface as the Office adapters, over in-memory
// sample documents that the preview views render and let the user edit and select.
import type { HostAdapter, HostName } from '../host-adapter.js';
import { PreviewMail, createMailboxStore } from './preview-mail.js';
import { PreviewSheet, createWorkbookStore } from './preview-sheet.js';
import { PreviewTextDocument, createTextDocumentStore } from './preview-text-document.js';
import {
  sampleCategories,
  sampleEmail,
  sampleLabelSheetName,
  sampleLabels,
  sampleSheetName,
  sampleText,
  sampleTicketHeader,
  sampleTickets,
} from './sample-documents.js';

/** The sample document the preview shows beside the pane, by kind, with the model its view renders and edits. */
export type PreviewSampleDocument =
  | { readonly kind: 'text-document'; readonly textDocument: PreviewTextDocument }
  | { readonly kind: 'sheet'; readonly sheet: PreviewSheet }
  | { readonly kind: 'mail'; readonly mail: PreviewMail };

export interface PreviewHostAdapter extends HostAdapter {
  readonly isPreview: true;
  /** Stated by the adapter, so the pane picks the view by `kind` without knowing the preview's classes. */
  readonly sampleDocument: PreviewSampleDocument;
}

export interface PreviewOptions {
  displayLanguage?: string;
  mailMode?: 'read' | 'compose';
  /** Sample contents; tests and the contract suite pass their own. */
  text?: string;
}

export function createPreviewHostAdapter(host: HostName, options: PreviewOptions = {}): PreviewHostAdapter {
  const displayLanguage = options.displayLanguage ?? 'en-US';
  switch (host) {
    case 'word': {
      const textDocument = new PreviewTextDocument(createTextDocumentStore(options.text ?? sampleText));
      return { host, isPreview: true, displayLanguage, text: textDocument, sampleDocument: { kind: 'text-document', textDocument } };
    }
    case 'excel': {
      const tickets = [sampleTicketHeader, ...sampleTickets.map((row) => [...row])];
      const labels = sampleLabels.map((label) => [label]);
      const store = createWorkbookStore(
        [
          { name: sampleSheetName, cells: tickets },
          { name: sampleLabelSheetName, cells: labels },
        ],
        // The message column of every ticket, below the header.
        { firstRow: 1, firstColumn: 1, rowCount: sampleTickets.length, columnCount: 1 },
      );
      const sheet = new PreviewSheet(store);
      return { host, isPreview: true, displayLanguage, sheet, sampleDocument: { kind: 'sheet', sheet } };
    }
    case 'outlook': {
      const message = options.text === undefined ? sampleEmail : { ...sampleEmail, body: options.text };
      const mail = new PreviewMail(createMailboxStore(message, [...sampleCategories], options.mailMode ?? 'read'));
      return { host, isPreview: true, displayLanguage, mail, sampleDocument: { kind: 'mail', mail } };
    }
  }
}

export function isHostName(value: string | null | undefined): value is HostName {
  return value === 'word' || value === 'excel' || value === 'outlook';
}
