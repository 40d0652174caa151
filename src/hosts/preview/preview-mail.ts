// Outlook preview: one open message (read mode) or a draft (compose mode), a category master list,
// and the reply form the add-in opens. Beside the open message the preview keeps a small inbox: the
// user can open another message (a pinned pane follows: ItemChanged) or select several (multi-select);
// the open message carries sample attachments (a text file and a PDF, scripts/make-preview-attachments.mjs).
import {
  HostError,
  type MailAccess,
  type MailAttachment,
  type MailAttachmentAccess,
  type MailInsertion,
  type MailMessage,
  type MailSelectionAccess,
  type MailTarget,
} from '../host-adapter.js';
import { plainTextToHtml } from '../plain-text-to-html.js';
import { agendaTxtBase64, agendaTxtBytes, offerPdfBase64, offerPdfBytes } from './preview-mail-attachments.js';
import { PreviewStore } from './preview-store.js';

export interface PreviewAttachment extends MailAttachment {
  contentBase64: string;
}

/** A message of the preview's inbox, with what Outlook would keep on it. */
export interface PreviewInboxMessage {
  id: string;
  subject: string;
  from: string;
  received: string;
  body: string;
  categories: string[];
  attachments: PreviewAttachment[];
}

export interface MailboxState {
  mode: 'read' | 'compose';
  /** The open message (its live copy: the view edits it); written back into `inbox` when another one opens. */
  message: MailMessage;
  /** Categories of the open message. */
  appliedCategories: string[];
  /** Attachments of the open message. */
  attachments: PreviewAttachment[];
  masterCategories: string[];
  draft: string;
  draftSelectionStart: number;
  draftSelectionEnd: number;
  /** Reply forms the add-in opened: the text it gave, the HTML body Outlook got, and the message replied to. */
  replyForms: { text: string; html: string; messageId?: string | undefined }[];
  /** Texts inserted into the draft, as given. */
  insertedTexts: string[];
  /** Every message of the list, the open one included (by `openMessageId`). */
  inbox: PreviewInboxMessage[];
  openMessageId: string;
  /** Messages selected in the list (multi-select); one or none means the open message alone. */
  selectedIds: string[];
}

const openSampleId = 'preview-message-1';

export function sampleAttachments(): PreviewAttachment[] {
  return [
    {
      id: 'attachment-1',
      name: 'offer-2024-117.pdf',
      contentType: 'application/pdf',
      size: offerPdfBytes,
      kind: 'file',
      isInline: false,
      contentBase64: offerPdfBase64,
    },
    { id: 'attachment-2', name: 'agenda.txt', contentType: 'text/plain', size: agendaTxtBytes, kind: 'file', isInline: false, contentBase64: agendaTxtBase64 },
  ];
}

/** Further messages in the preview's list: a morning's mail to select several of. */
export function sampleInbox(): PreviewInboxMessage[] {
  const message = (index: number, subject: string, from: string, body: string): PreviewInboxMessage => ({
    id: `preview-message-${index}`,
    subject,
    from,
    received: `2024-02-05T0${Math.min(index, 9)}:15:00Z`,
    body,
    categories: [],
    attachments: [],
  });
  return [
    message(
      2,
      'Invoice 42 charged twice',
      'Dana Customer <dana@example.org>',
      'Hello,\nI was charged twice for invoice 42. Please refund one payment by Friday.\nDana',
    ),
    message(3, 'Team lunch on Thursday', 'Sam Lee <sam.lee@example.com>', 'Hi all,\nlunch is at 12:30 on Thursday at the usual place. No need to answer.\nSam'),
    message(
      4,
      'Urgent: server certificate expires tomorrow',
      'Ops <ops@example.com>',
      'The certificate of portal.example.com expires tomorrow. Please approve the renewal today.',
    ),
  ];
}

export function createMailboxStore(message: MailMessage, masterCategories: string[], mode: 'read' | 'compose'): PreviewStore<MailboxState> {
  const attachments = sampleAttachments();
  const open: PreviewInboxMessage = {
    id: openSampleId,
    subject: message.subject,
    from: message.from,
    received: '2024-02-05T08:00:00Z',
    body: message.body,
    categories: [],
    attachments,
  };
  return new PreviewStore<MailboxState>({
    mode,
    message: { ...message, id: openSampleId },
    appliedCategories: [],
    attachments,
    masterCategories,
    draft: '',
    draftSelectionStart: 0,
    draftSelectionEnd: 0,
    replyForms: [],
    insertedTexts: [],
    inbox: [open, ...sampleInbox()],
    openMessageId: openSampleId,
    selectedIds: [],
  });
}

/** Opens another message of the inbox, as a click in Outlook's list does; the open one's edits are kept. */
export function openPreviewMessage(store: PreviewStore<MailboxState>, id: string): void {
  store.update((state) => {
    const target = state.inbox.find((candidate) => candidate.id === id);
    if (target === undefined || id === state.openMessageId) return state;
    const inbox = state.inbox.map((entry) =>
      entry.id === state.openMessageId
        ? { ...entry, subject: state.message.subject, from: state.message.from, body: state.message.body, categories: state.appliedCategories }
        : entry,
    );
    return {
      ...state,
      inbox,
      openMessageId: id,
      message: { subject: target.subject, from: target.from, body: target.body, id, received: target.received },
      appliedCategories: target.categories,
      attachments: target.attachments,
    };
  });
}

/** Selects messages of the inbox (multi-select), in the list's order. */
export function selectPreviewMessages(store: PreviewStore<MailboxState>, ids: readonly string[]): void {
  store.update((state) => ({ ...state, selectedIds: state.inbox.map((entry) => entry.id).filter((id) => ids.includes(id)) }));
}

export class PreviewMail implements MailAccess {
  readonly attachments: MailAttachmentAccess;
  readonly selection: MailSelectionAccess;

  constructor(readonly store: PreviewStore<MailboxState>) {
    this.attachments = {
      listAttachments: async () => this.store.get().attachments.map(({ contentBase64: _content, ...attachment }) => attachment),
      readAttachment: async (attachment) => {
        const found = this.store.get().attachments.find((candidate) => candidate.id === attachment.id);
        if (found === undefined) throw new HostError('NOT_AVAILABLE', `"${attachment.name}" is no longer attached to this email.`);
        return { contentBase64: found.contentBase64, contentType: found.contentType };
      },
    };
    this.selection = {
      canReadMessages: true,
      readSelectedMessages: async () => {
        const state = this.store.get();
        return state.selectedIds.map((id) => ({ id, subject: this.inboxMessage(id)?.subject ?? '' }));
      },
      onSelectionChanged: (listener) => this.onChange((state) => state.selectedIds.join('\n'), listener),
      readMessageById: async (id) => {
        const found = this.inboxMessage(id);
        if (found === undefined) throw new HostError('NOT_AVAILABLE', 'That message is no longer in the list.');
        return { id, subject: found.subject, from: found.from, body: found.body, received: found.received };
      },
      applyCategoryTo: async (id, name) => {
        const existing = this.findCategory(name);
        if (existing === undefined) return false;
        if (id === this.store.get().openMessageId) return this.applyCategory(existing);
        this.store.update((state) => ({
          ...state,
          inbox: state.inbox.map((entry) =>
            entry.id === id && !entry.categories.includes(existing) ? { ...entry, categories: [...entry.categories, existing] } : entry,
          ),
        }));
        return true;
      },
    };
  }

  get mode(): 'read' | 'compose' {
    return this.store.get().mode;
  }

  currentMessageId(): string | undefined {
    const state = this.store.get();
    return state.mode === 'read' ? state.openMessageId : undefined;
  }

  onItemChanged(listener: () => void): () => void {
    return this.onChange((state) => state.openMessageId, listener);
  }

  async readMessage(): Promise<MailMessage> {
    const state = this.store.get();
    return state.mode === 'read' ? { ...state.message } : { subject: state.message.subject, from: '', body: state.draft };
  }

  async readSelectedText(): Promise<string> {
    const state = this.store.get();
    if (state.mode !== 'compose') return '';
    return state.draft.slice(state.draftSelectionStart, state.draftSelectionEnd);
  }

  /** As in Outlook: replaces the selection; with none, the text goes in at the cursor as lines of its own. */
  async insertText(text: string): Promise<MailInsertion> {
    if (this.store.get().mode !== 'compose') throw new HostError('NOT_AVAILABLE', 'Text can be inserted only while composing a message.');
    const { draftSelectionStart: start, draftSelectionEnd: end, draft } = this.store.get();
    const insertion: MailInsertion = end > start ? 'replaced-selection' : 'separate-paragraphs';
    let content = text;
    if (insertion === 'separate-paragraphs') {
      // A line break only where the user's text would otherwise touch the inserted lines.
      const before = start > 0 && draft[start - 1] !== '\n' ? '\n' : '';
      const after = start < draft.length && draft[start] !== '\n' ? '\n' : '';
      content = `${before}${text.trim()}${after}`;
    }
    this.store.update((state) => {
      const updated = state.draft.slice(0, start) + content + state.draft.slice(end);
      const caret = start + content.length;
      return { ...state, draft: updated, draftSelectionStart: caret, draftSelectionEnd: caret, insertedTexts: [...state.insertedTexts, text] };
    });
    return insertion;
  }

  async listCategories(): Promise<string[]> {
    return [...this.store.get().masterCategories];
  }

  async applyCategory(name: string, target: MailTarget = {}): Promise<boolean> {
    const existing = this.findCategory(name);
    if (existing === undefined) return false;
    this.requireTarget(target);
    if (!this.store.get().appliedCategories.includes(existing)) {
      this.store.update((current) => ({ ...current, appliedCategories: [...current.appliedCategories, existing] }));
    }
    return true;
  }

  async displayReply(body: string, target: MailTarget = {}): Promise<void> {
    this.requireTarget(target);
    const messageId = this.currentMessageId();
    this.store.update((state) => ({ ...state, replyForms: [...state.replyForms, { text: body, html: plainTextToHtml(body), messageId }] }));
  }

  private requireTarget(target: MailTarget): void {
    if (target.expectedMessageId !== undefined && target.expectedMessageId !== this.currentMessageId()) {
      throw new HostError('DOCUMENT_CHANGED', 'Another email is open now: nothing was applied to it. Go back to the email and run again.');
    }
  }

  private findCategory(name: string): string | undefined {
    return this.store.get().masterCategories.find((category) => category.toLowerCase() === name.trim().toLowerCase());
  }

  private inboxMessage(id: string): PreviewInboxMessage | undefined {
    const state = this.store.get();
    if (id === state.openMessageId) {
      const open = state.inbox.find((entry) => entry.id === id);
      return open === undefined ? undefined : { ...open, subject: state.message.subject, from: state.message.from, body: state.message.body };
    }
    return state.inbox.find((entry) => entry.id === id);
  }

  /** Calls `listener` when the part of the state `key` picks changes. */
  private onChange(key: (state: MailboxState) => string, listener: () => void): () => void {
    let last = key(this.store.get());
    return this.store.subscribe(() => {
      const next = key(this.store.get());
      if (next === last) return;
      last = next;
      listener();
    });
  }
}
