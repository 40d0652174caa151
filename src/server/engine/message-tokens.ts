// Tokens of a chat request as the provider counts them for billing and rate limits.
import type { ChatMessage } from '../providers/language-model.js';
import { tokensPerMessage, tokensPerReply } from './tokenizer.js';

export function countMessageTokens(messages: readonly ChatMessage[], countTokens: (text: string) => number): number {
  let total = tokensPerReply;
  for (const message of messages) total += tokensPerMessage + countTokens(message.content) + 1;
  return total;
}
