// Tokens of a chat request as the provider counts them for billing and rate limits.
import { tokensPerMessage, tokensPerReply } from './tokenizer.js';

export function countMessageTokens(messages: readonly { content: string }[], countTokens: (text: string) => number): number {
  let total = tokensPerReply;
  // Role and separators per message: OpenAI's published framing for its chat models.
  for (const message of messages) total += tokensPerMessage + countTokens(message.content) + 1;
  return total;
}

/**
 * The same count for pacing, cheaper: instructions (system messages) repeat from request to request
 * but for their delimiter's nonce, so they are counted line by line with each line's count kept.
 * Splitting at line ends can only keep tokens from merging, so this counts a few more than the exact
 * count, never fewer. Only instructions are kept (a bounded map in memory); document text, which sits
 * in user messages, is counted afresh each time and never kept.
 */
export class PromptTokenCounter {
  private readonly lineTokens = new Map<string, number>();

  constructor(
    private readonly countTokens: (text: string) => number,
    private readonly maxKeptLines = 4096,
  ) {}

  count(messages: readonly { role?: string; content: string }[]): number {
    let total = tokensPerReply;
    for (const message of messages) {
      total += tokensPerMessage + 1 + (message.role === 'system' ? this.countInstructions(message.content) : this.countTokens(message.content));
    }
    return total;
  }

  private countInstructions(text: string): number {
    const lines = text.split('\n');
    // Each line end is a token of its own at most.
    let total = lines.length - 1;
    for (const line of lines) {
      let tokens = this.lineTokens.get(line);
      if (tokens === undefined) {
        tokens = this.countTokens(line);
        if (this.lineTokens.size >= this.maxKeptLines) this.lineTokens.clear();
        this.lineTokens.set(line, tokens);
      }
      total += tokens;
    }
    return total;
  }
}
