// An attached Outlook message (.msg, an OLE compound file) with @kenjiuno/msgreader: headers and body.
import msgReaderModule from '@kenjiuno/msgreader';
import { damagedAttachment } from './attachment-errors.js';
import { mailText } from './extract-eml.js';
import { htmlToPlainText } from './extract-html.js';
import type { ExtractedText } from './extracted-text.js';

// A CommonJS module whose default export is under `default` when Node loads it from ESM.
const MsgReader = msgReaderModule.default;

export function extractMsg(name: string, content: Uint8Array): Promise<ExtractedText> {
  try {
    const view = new DataView(content.buffer, content.byteOffset, content.byteLength);
    const data = new MsgReader(view).getFileData();
    if (data.error !== undefined) throw new Error(data.error);
    const body = data.body?.trim() || (data.bodyHtml === undefined ? '' : htmlToPlainText(data.bodyHtml));
    const sender = data.senderName === undefined ? data.senderEmail : `${data.senderName}${data.senderEmail === undefined ? '' : ` <${data.senderEmail}>`}`;
    return Promise.resolve({
      kind: 'msg',
      text: mailText({
        subject: data.subject,
        from: sender,
        to: data.recipients?.map((recipient) => recipient.name ?? recipient.email ?? '').join(', '),
        date: data.messageDeliveryTime ?? data.clientSubmitTime,
        body,
        attachmentNames: (data.attachments ?? []).map((attachment) => attachment.fileName ?? attachment.name ?? 'unnamed'),
      }),
    });
  } catch (error) {
    return Promise.reject(damagedAttachment(name, 'msg', error));
  }
}
