// The governor's cheaper prompt count: never below the exact count, close to it, and it keeps only
// instruction lines (never document text).
import { countMessageTokens, PromptTokenCounter } from '../../../src/server/engine/message-tokens.js';
import { createTokenCounter } from '../../../src/server/engine/tokenizer.js';
import { summaryMessages } from '../../../src/server/operations/summarize/summarize-prompt.js';

describe('PromptTokenCounter', () => {
  const tokenizer = createTokenCounter('gpt-4o-mini');

  it('counts at least the exact tokens and at most a few more, request after request', () => {
    const counted: string[] = [];
    const counter = new PromptTokenCounter((text) => {
      counted.push(text);
      return tokenizer.count(text);
    });
    for (const text of ['Die Besprechung ist am Montag.\nBitte bestätigen.', 'Status update 12: the build is green.', 'x'.repeat(500)]) {
      for (const format of ['paragraph', 'bullets'] as const) {
        const messages = summaryMessages(text, { kind: 'email', length: 'short', format, language: 'de', languageRequested: false, fromPartSummaries: false });
        const exact = countMessageTokens(messages, (content) => tokenizer.count(content));
        const quick = counter.count(messages);
        expect(quick).toBeGreaterThanOrEqual(exact);
        expect(quick - exact).toBeLessThanOrEqual(8);
      }
    }
    // The instructions' lines were counted once each; every document text was counted afresh.
    const repeatedInstructionLines = counted.filter((text, index) => counted.indexOf(text) !== index && !text.includes('<document-'));
    expect(repeatedInstructionLines.filter((text) => text.startsWith('You write faithful summaries'))).toEqual([]);
  });

  it('keeps no user message (document text) in its memory', () => {
    const counts = new Map<string, number>();
    const counter = new PromptTokenCounter((text) => {
      counts.set(text, (counts.get(text) ?? 0) + 1);
      return tokenizer.count(text);
    });
    const messages = [
      { role: 'system', content: 'Rule one.\nRule two.' },
      { role: 'user', content: 'secret document text' },
    ];
    counter.count(messages);
    counter.count(messages);
    expect(counts.get('secret document text')).toBe(2);
    expect(counts.get('Rule one.')).toBe(1);
  });
});
