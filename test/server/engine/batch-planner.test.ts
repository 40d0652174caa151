// Token counting, token-budget batches and token-aware chunking.
import { planBatches } from '../../../src/server/engine/batch-planner.js';
import { splitIntoTokenChunks, truncateToTokens } from '../../../src/server/engine/token-chunks.js';
import { contextWindowForModel, createTokenCounter, encodingForModel } from '../../../src/server/engine/tokenizer.js';

describe('tokenizer per model family', () => {
  test('o200k_base for GPT-4o and newer, cl100k_base for GPT-4 and 3.5', () => {
    expect(encodingForModel('gpt-4o-mini')).toBe('o200k_base');
    expect(encodingForModel('gpt-4.1-nano')).toBe('o200k_base');
    expect(encodingForModel('o3-mini')).toBe('o200k_base');
    expect(encodingForModel('gpt-4-turbo')).toBe('cl100k_base');
    expect(encodingForModel('gpt-3.5-turbo')).toBe('cl100k_base');
    expect(contextWindowForModel('gpt-4o-mini')).toBe(128_000);
    expect(contextWindowForModel('qwen2.5:3b')).toBe(8_192);
  });

  test('counts real BPE tokens, not characters divided by four', () => {
    const o200k = createTokenCounter('gpt-4o');
    const cl100k = createTokenCounter('gpt-4');
    expect(o200k.count('Hello world')).toBe(2);
    // German and Cyrillic cost more tokens per character than English: a character estimate is off.
    const russian = 'Пожалуйста, переведите этот текст на английский язык как можно скорее.';
    expect(o200k.count(russian)).not.toBe(Math.ceil(russian.length / 4));
    expect(cl100k.count(russian)).toBeGreaterThan(o200k.count(russian));
  });
});

describe('planBatches', () => {
  const costs = (item: { input: number; output: number }) => item;

  test('keeps order and every budget: items, input tokens, answer tokens', () => {
    const items = Array.from({ length: 100 }, (_, index) => ({ id: index, input: 10 + (index % 7) * 5, output: 12 }));
    const batches = planBatches(items, costs, { maxItems: 30, maxInputTokens: 400, maxOutputTokens: 300 });
    expect(batches.flat().map((item) => item.id)).toEqual(items.map((item) => item.id));
    for (const batch of batches) {
      expect(batch.length).toBeLessThanOrEqual(25);
      expect(batch.reduce((total, item) => total + item.input, 0)).toBeLessThanOrEqual(400);
      expect(batch.reduce((total, item) => total + item.output, 0)).toBeLessThanOrEqual(300);
    }
    // Balanced: no small straggler batch at the end.
    const sizes = batches.map((batch) => batch.reduce((total, item) => total + item.input, 0));
    expect(Math.min(...sizes)).toBeGreaterThan(0.6 * Math.max(...sizes));
  });

  test('an item larger than the budget goes alone', () => {
    const batches = planBatches(
      [
        { input: 5, output: 1 },
        { input: 500, output: 1 },
        { input: 5, output: 1 },
      ],
      costs,
      { maxItems: 10, maxInputTokens: 100, maxOutputTokens: 100 },
    );
    expect(batches.map((batch) => batch.length)).toEqual([1, 1, 1]);
  });
});

describe('token chunks', () => {
  const counter = createTokenCounter('gpt-4o');
  const count = (text: string) => counter.count(text);

  test('chunks stay within the token budget, split at paragraphs, and keep every word', () => {
    const text = Array.from({ length: 60 }, (_, index) => `Paragraph ${index}. ${'The quarterly report shows growth in every region. '.repeat(12)}`).join(
      '\n\n',
    );
    const chunks = splitIntoTokenChunks(text, 800, count);
    expect(chunks.length).toBeGreaterThan(1);
    for (const chunk of chunks) expect(count(chunk)).toBeLessThanOrEqual(800 + 2);
    expect(chunks.join('\n\n').split(/\s+/)).toEqual(text.split(/\s+/));
    expect(chunks[1]!.startsWith('Paragraph')).toBe(true);
  });

  test('truncateToTokens keeps the longest start within the budget', () => {
    const text = 'word '.repeat(1000);
    const cut = truncateToTokens(text, 100, count);
    expect(count(cut)).toBeLessThanOrEqual(100);
    expect(count(text.slice(0, cut.length + 6))).toBeGreaterThan(100);
  });
});
