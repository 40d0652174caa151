// Tokens of a chat request as the provider counts them for billing and rate limits.
import { tokensPerMessage, tokensPerReply } from './tokenizer.js';

export function countMessageTokens(messages: readonly { content: string }[], countTokens: (text: string) => number): number {
  let total = tokensPerReply;
  // Role and separators per message: OpenAI's published framing for its chat models.
  for (const message of messages) total += tokensPerMessage + countTokens(message.content) + 1;
  return total;
}
