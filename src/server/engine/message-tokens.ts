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
 * but for their delimiter's nonce, so they are counted line by line, each line cut at its nonces, with
 * each piece's count kept and the nonces (16 characters) counted afresh. Cutting can only keep tokens
 * from merging, so this counts a few more than the exact count, never fewer. Only instructions are
 * kept (a bounded map in memory); document text, which sits in user messages, is counted afresh each
 * time and never kept.
 */
export class PromptTokenCounter {
  private readonly pieceTokens = new Map<string, number>();

  constructor(
    private readonly countTokens: (text: string) => number,
    private readonly maxKeptPieces = 4096,
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
      // split with a capturing pattern: text pieces at even places, nonces at odd ones.
      const pieces = line.split(delimiterNonce);
      for (let index = 0; index < pieces.length; index += 1) {
        const piece = pieces[index] ?? '';
        total += index % 2 === 0 ? this.countPiece(piece) : this.countTokens(piece);
      }
    }
    return total;
  }

  private countPiece(piece: string): number {
    let tokens = this.pieceTokens.get(piece);
    if (tokens === undefined) {
      tokens = this.countTokens(piece);
      if (this.pieceTokens.size >= this.maxKeptPieces) this.pieceTokens.clear();
      this.pieceTokens.set(piece, tokens);
    }
    return tokens;
  }
}

/** A delimiter's nonce as prompt-parts writes it: `<document-0123456789abcdef>`. */
const delimiterNonce = /(?<=<\/?[a-z][a-z-]*-)([0-9a-f]{16})(?=>)/u;
