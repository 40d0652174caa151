import type { MailMessage } from '../../hosts/host-adapter.js';

/** The message as one text for the LLM: headers that give context, then the body with its quoted thread. */
export function mailAsText(message: MailMessage): string {
  const headers = [message.subject === '' ? '' : `Subject: ${message.subject}`, message.from === '' ? '' : `From: ${message.from}`].filter(Boolean);
  return headers.length === 0 ? message.body : `${headers.join('\n')}\n\n${message.body}`;
}
