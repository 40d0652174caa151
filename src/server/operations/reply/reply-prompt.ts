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

/** An attachment's text as the reply may use it, named by its file name. */
export interface ReplyAttachment {
  name: string;
  text: string;
  /** Cut at the budget: the model is told it sees the start only. */
  shortened: boolean;
}

/** `language`: the reply's language; undefined writes in the email's own. */
export function replyMessages(
  message: string,
  request: ReplyRequest,
  language: string | undefined,
  attachments: readonly ReplyAttachment[] = [],
): ChatMessage[] {
  const block = delimiter('email');
  const attachmentBlock = delimiter('attachment');
  const system = [
    'You draft replies to emails on behalf of the user. Write only the body of the reply: no subject line, no quoted original.',
    toneGuidance[request.tone ?? 'neutral'],
    language === undefined ? 'Write in the language of the email.' : `Write in ${describeLanguage(language)}.`,
    request.instructions !== undefined && request.instructions.trim() !== ''
      ? `The user wants the reply to say: ${withoutControlCharacters(request.instructions.trim())}`
      : "Answer the points the sender raised; where a decision is the user's to make, leave a clear placeholder in square brackets.",
    request.senderName === undefined ? 'End with a sign-off but no name.' : `Sign with the name ${JSON.stringify(request.senderName)}.`,
    'Never promise anything the user did not ask you to promise, and never invent facts.',
    ...(attachments.length === 0
      ? []
      : [
          `The email's attachments follow it, each between ${attachmentBlock.open} and ${attachmentBlock.close}, starting with a line "Attachment: <file name>". ` +
            'Use their content where the reply needs it, and name the attachment when you refer to it.',
        ]),
    dataOnlyRule(block),
    ...(attachments.length === 0 ? [] : [dataOnlyRule(attachmentBlock)]),
  ].join('\n');
  const sections = [
    block.wrap(message),
    ...attachments.map((attachment) =>
      attachmentBlock.wrap(
        `Attachment: ${withoutControlCharacters(attachment.name).replace(/\s+/gu, ' ')}${attachment.shortened ? '\n(only its start is shown)' : ''}\n\n${attachment.text}`,
      ),
    ),
  ];
  return [
    { role: 'system', content: system },
    { role: 'user', content: sections.join('\n\n') },
  ];
}
