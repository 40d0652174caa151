// Outlook preview: one open message (read mode) or a draft (compose mode), a category master list,
// and the reply form the add-in opens.
import { HostError, type MailAccess, type MailInsertion, type MailMessage } from '../host-adapter.js';
import { plainTextToHtml } from '../plain-text-to-html.js';
import { PreviewStore } from './preview-store.js';

export interface MailboxState {
  mode: 'read' | 'compose';
  message: MailMessage;
  appliedCategories: string[];
  masterCategories: string[];
  draft: string;
  draftSelectionStart: number;
  draftSelectionEnd: number;
  /** Reply forms the add-in opened: the text it gave and the HTML body Outlook got. */
  replyForms: { text: string; html: string }[];
  /** Texts inserted into the draft, as given. */
  insertedTexts: string[];
}

export function createMailboxStore(message: MailMessage, masterCategories: string[], mode: 'read' | 'compose'): PreviewStore<MailboxState> {
  return new PreviewStore<MailboxState>({
    mode,
    message,
    appliedCategories: [],
    masterCategories,
    draft: '',
    draftSelectionStart: 0,
    draftSelectionEnd: 0,
    replyForms: [],
    insertedTexts: [],
  });
}

export class PreviewMail implements MailAccess {
  constructor(readonly store: PreviewStore<MailboxState>) {}

  get mode(): 'read' | 'compose' {
    return this.store.get().mode;
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

  async applyCategory(name: string): Promise<boolean> {
    const state = this.store.get();
    const existing = state.masterCategories.find((category) => category.toLowerCase() === name.toLowerCase());
    if (existing === undefined) return false;
    if (!state.appliedCategories.includes(existing)) {
      this.store.update((current) => ({ ...current, appliedCategories: [...current.appliedCategories, existing] }));
    }
    return true;
  }

  async displayReply(body: string): Promise<void> {
    this.store.update((state) => ({ ...state, replyForms: [...state.replyForms, { text: body, html: plainTextToHtml(body) }] }));
  }
}
