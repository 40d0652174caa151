// Drafts a reply to an email (Outlook). The message and its quoted thread are data; what the
// reply should say comes from the user's own instructions, which are not document content.
import { replyContract, type ReplyRequest, type ReplyResponse } from '../../../contract/operations/reply.js';
import { countMessageTokens } from '../../engine/message-tokens.js';
import { defineOperation, type EstimateContext } from '../define-operation.js';
import { generateText } from '../shared/generate-text.js';
import { checkTextLength } from '../shared/input-limits.js';
import { UsageMeter, type OperationContext } from '../shared/operation-context.js';
import { detectLanguage, withoutControlCharacters } from '../shared/prompt-parts.js';
import { replyMessages } from './reply-prompt.js';
import { documentTokenBudget, truncateToTokens } from '../../engine/token-chunks.js';

export async function draftReply(request: ReplyRequest, context: OperationContext): Promise<ReplyResponse> {
  checkTextLength(request.message, 'The message', 'Reply to a shorter message or select part of it.', context.limits);
  const usage = new UsageMeter();
  // The newest message is on top of a quoted thread: keep the top when the thread is too long.
  const message = truncateToTokens(withoutControlCharacters(request.message), documentTokenBudget(context.model.contextWindowTokens), (text) =>
    context.model.countTokens(text),
  );
  const language = request.language ?? detectLanguage(message);
  const messages = replyMessages(message, request, language);
  const reply = await generateText(context, usage, messages, {
    maxOutputTokens: 800,
    temperature: 0.4,
    emptyMessage: 'The model returned an empty reply. Try again.',
    onTextDelta: context.events?.onTextDelta,
  });
  return { reply, model: context.model.modelId, usage: usage.toUsage() };
}

/** The reply's answer budget, as draftReply asks for it. */
const replyTokens = 800;
/** A detected language adds "Write in German (de)." */
const detectedLanguageTokens = 8;

/** The most a reply may cost, reserved against the caller's budget: the message as sent (its top, within the document budget), the instructions and the answer budget. */
export function estimateReplyTokens(request: ReplyRequest, { model, limits }: EstimateContext): number {
  checkTextLength(request.message, 'The message', 'Reply to a shorter message or select part of it.', limits);
  const budget = documentTokenBudget(model.contextWindowTokens);
  // No token is longer than 32 characters: the top that far is all that can be sent.
  const messageTokens = Math.min(budget, model.countTokens(withoutControlCharacters(request.message).slice(0, budget * 32)));
  const instructions = countMessageTokens(replyMessages('', request, request.language), (text) => model.countTokens(text));
  return messageTokens + instructions + (request.language === undefined ? detectedLanguageTokens : 0) + replyTokens;
}

export const replyOperation = defineOperation(replyContract, draftReply, estimateReplyTokens);
