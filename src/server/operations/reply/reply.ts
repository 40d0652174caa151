// Drafts a reply to an email (Outlook). The message and its quoted thread are data; what the
// reply should say comes from the user's own instructions, which are not document content.
import { replyContract, type ReplyRequest, type ReplyResponse } from '../../../contract/operations/reply.js';
import type { ChatMessage } from '../../providers/language-model.js';
import { defineOperation } from '../define-operation.js';
import { generateText } from '../shared/generate-text.js';
import { checkTextLength } from '../shared/input-limits.js';
import { UsageMeter, type OperationContext } from '../shared/operation-context.js';
import { dataOnlyRule, delimiter, describeLanguage, detectLanguage, withoutControlCharacters } from '../shared/prompt-parts.js';
import { documentTokenBudget, truncateToTokens } from '../../engine/token-chunks.js';

const toneGuidance = {
  neutral: 'Use a clear, polite, neutral tone.',
  formal: 'Use a formal, courteous business tone.',
  friendly: 'Use a warm, friendly tone.',
  concise: 'Be brief: a few short sentences, no pleasantries beyond a greeting and a sign-off.',
} as const;

export async function draftReply(request: ReplyRequest, context: OperationContext): Promise<ReplyResponse> {
  checkTextLength(request.message, 'The message', 'Reply to a shorter message or select part of it.', context.limits);
  const usage = new UsageMeter();
  // The newest message is on top of a quoted thread: keep the top when the thread is too long.
  const message = truncateToTokens(withoutControlCharacters(request.message), documentTokenBudget(context.model.contextWindowTokens), (text) => context.model.countTokens(text));
  const language = request.language ?? detectLanguage(message);
  const block = delimiter('email');
  const system = [
    'You draft replies to emails on behalf of the user. Write only the body of the reply: no subject line, no quoted original.',
    toneGuidance[request.tone ?? 'neutral'],
    language === undefined
      ? 'Write in the language of the email.'
      : `Write in ${describeLanguage(language)}.`,
    request.instructions !== undefined && request.instructions.trim() !== ''
      ? `The user wants the reply to say: ${withoutControlCharacters(request.instructions.trim())}`
      : 'Answer the points the sender raised; where a decision is the user\'s to make, leave a clear placeholder in square brackets.',
    request.senderName === undefined ? 'End with a sign-off but no name.' : `Sign with the name ${JSON.stringify(request.senderName)}.`,
    'Never promise anything the user did not ask you to promise, and never invent facts.',
    dataOnlyRule(block),
  ].join('\n');
  const messages: ChatMessage[] = [
    { role: 'system', content: system },
    { role: 'user', content: block.wrap(message) },
  ];
  const reply = await generateText(context, usage, messages, {
    maxOutputTokens: 800,
    temperature: 0.4,
    emptyMessage: 'The model returned an empty reply. Try again.',
    onTextDelta: context.events?.onTextDelta,
  });
  return { reply, model: context.model.modelId, usage: usage.toUsage() };
}

export const replyOperation = defineOperation(replyContract, draftReply);
