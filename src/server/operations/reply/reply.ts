// Drafts a reply to an email (Outlook). The message and its quoted thread are data; what the
// reply should say comes from the user's own instructions, which are not document content. The
// message is trimmed first (signature, disclaimers, the older thread: counted in `trimmed`), and the
// chosen attachments' text goes in its own named blocks, the message first in the budget.
import { replyContract, type ReplyRequest, type ReplyResponse } from '../../../contract/operations/reply.js';
import { countMessageTokens } from '../../engine/message-tokens.js';
import { defineOperation, type EstimateContext } from '../define-operation.js';
import { generateText } from '../shared/generate-text.js';
import { checkTextLength } from '../shared/input-limits.js';
import { UsageMeter, type OperationContext } from '../shared/operation-context.js';
import { detectLanguage } from '../shared/language-detection.js';
import { withoutControlCharacters } from '../shared/prompt-parts.js';
import { replyMessages } from './reply-prompt.js';
import type { Limits } from '../../config.js';
import { trimMail } from '../shared/mail-trimming.js';
import { checkCharacterCount } from '../summarize/summary-input.js';
import { documentTokenBudget, truncateToTokens } from '../../engine/token-chunks.js';

export async function draftReply(request: ReplyRequest, context: OperationContext): Promise<ReplyResponse> {
  checkReplyInput(request, context.limits);
  const usage = new UsageMeter();
  const countTokens = (text: string) => context.model.countTokens(text);
  const budget = documentTokenBudget(context.model.contextWindowTokens);
  const trimming = trimMail(withoutControlCharacters(request.message));
  const trimmedMessage = trimming.text.trim().length > 0 ? trimming.text : withoutControlCharacters(request.message);
  // The newest message is on top of a quoted thread: keep the top when the thread is too long.
  const message = truncateToTokens(trimmedMessage, budget, countTokens);
  // Attachments share what the message leaves of the budget; one cut short says so in its block.
  let remaining = Math.max(0, budget - countTokens(message));
  const attachments = (request.attachments ?? []).map((attachment, index, all) => {
    const share = Math.floor(remaining / (all.length - index));
    const text = withoutControlCharacters(attachment.text);
    const kept = truncateToTokens(text, share, countTokens);
    remaining -= countTokens(kept);
    return { name: attachment.name, text: kept, shortened: kept.length < text.length };
  });
  const language = request.language ?? detectLanguage(message);
  const messages = replyMessages(message, request, language, attachments);
  const reply = await generateText(context, usage, messages, {
    maxOutputTokens: 800,
    temperature: 0.4,
    emptyMessage: 'The model returned an empty reply. Try again.',
    onTextDelta: context.events?.onTextDelta,
  });
  return { reply, trimmed: trimming.trimmed, model: context.model.modelId, usage: usage.toUsage() };
}

/** The message and its attachments together count against the input limit. */
function checkReplyInput(request: ReplyRequest, limits: Limits): void {
  const attachments = request.attachments ?? [];
  if (attachments.length === 0) {
    checkTextLength(request.message, 'The message', 'Reply to a shorter message or select part of it.', limits);
    return;
  }
  const total = request.message.length + attachments.reduce((sum, attachment) => sum + attachment.text.length, 0);
  checkCharacterCount(total, 'The message with its attachments', 'Choose fewer attachments and try again.', limits);
}

/** The reply's answer budget, as draftReply asks for it. */
const replyTokens = 800;
/** A detected language adds "Write in German (de)." */
const detectedLanguageTokens = 8;

/** The most a reply may cost, reserved against the caller's budget: the message as sent (its top, within the document budget), the instructions and the answer budget. */
export function estimateReplyTokens(request: ReplyRequest, { model, limits }: EstimateContext): number {
  checkReplyInput(request, limits);
  const budget = documentTokenBudget(model.contextWindowTokens);
  // No token is longer than 32 characters: the top that far is all that can be sent.
  // With attachments, they fill the rest of the same budget.
  const messageTokens = request.attachments?.length
    ? budget
    : Math.min(budget, model.countTokens(withoutControlCharacters(request.message).slice(0, budget * 32)));
  const instructions = countMessageTokens(replyMessages('', request, request.language), (text) => model.countTokens(text));
  return messageTokens + instructions + (request.language === undefined ? detectedLanguageTokens : 0) + replyTokens;
}

export const replyOperation = defineOperation(replyContract, draftReply, estimateReplyTokens);
