// The reply prompt: tone, language, the user's own instructions and the sign-off. The email itself only
// goes into the user message between delimiters; the user's instructions are not document content.
import type { ReplyRequest } from '../../../contract/operations/reply.js';
import type { ChatMessage } from '../../providers/language-model.js';
import { dataOnlyRule, delimiter, describeLanguage, withoutControlCharacters } from '../shared/prompt-parts.js';

const toneGuidance = {
  neutral: 'Use a clear, polite, neutral tone.',
  formal: 'Use a formal, courteous business tone.',
  friendly: 'Use a warm, friendly tone.',
  concise: 'Be brief: a few short sentences, no pleasantries beyond a greeting and a sign-off.',
} as const;

/** `language`: the reply's language; undefined writes in the email's own. */
export function replyMessages(message: string, request: ReplyRequest, language: string | undefined): ChatMessage[] {
  const block = delimiter('email');
  const system = [
    'You draft replies to emails on behalf of the user. Write only the body of the reply: no subject line, no quoted original.',
    toneGuidance[request.tone ?? 'neutral'],
    language === undefined ? 'Write in the language of the email.' : `Write in ${describeLanguage(language)}.`,
    request.instructions !== undefined && request.instructions.trim() !== ''
      ? `The user wants the reply to say: ${withoutControlCharacters(request.instructions.trim())}`
      : "Answer the points the sender raised; where a decision is the user's to make, leave a clear placeholder in square brackets.",
    request.senderName === undefined ? 'End with a sign-off but no name.' : `Sign with the name ${JSON.stringify(request.senderName)}.`,
    'Never promise anything the user did not ask you to promise, and never invent facts.',
    dataOnlyRule(block),
  ].join('\n');
  return [
    { role: 'system', content: system },
    { role: 'user', content: block.wrap(message) },
  ];
}
