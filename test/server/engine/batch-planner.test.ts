// Token counting, token-budget batches and token-aware chunking.
import { batchCount, planBatches, type TokenCosts } from '../../../src/server/engine/batch-planner.js';
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

describe("planBatches with the provider's parallel requests", () => {
  const costs = (item: TokenCosts) => item;
  const budget = { maxItems: 400, maxInputTokens: 4_000, maxOutputTokens: 1_200 };
  /** Rows of 8 to 40 prompt tokens, each answered in 5 tokens (`"123":4,`). */
  const rows = (count: number) => Array.from({ length: count }, (_, index) => ({ id: index, input: 8 + ((index * 7919) % 33), output: 5 }));
  /** Wall time of running the batches on `slots` parallel slots, each taking 400 ms plus 12.5 ms per answer token, a free slot taking the next batch. */
  const makespan = (batches: TokenCosts[][], slots: number) => {
    const free = new Array<number>(slots).fill(0);
    for (const batch of batches) {
      const earliest = free.indexOf(Math.min(...free));
      free[earliest]! += 400 + 12.5 * batch.reduce((total, item) => total + item.output, 0);
    }
    return Math.max(...free);
  };
  const totalWork = (batches: TokenCosts[][]) => batches.reduce((total, batch) => total + 400 + 12.5 * batch.reduce((sum, item) => sum + item.output, 0), 0);

  test('whole waves: the last wave fills every slot, so the run takes the total work divided by the slots', () => {
    const items = rows(6_314);
    for (const slots of [8, 16, 24]) {
      const batches = planBatches(items, costs, budget, { slots, minItemsPerBatch: 32 });
      expect(batches.flat().map((item) => item.id)).toEqual(items.map((item) => item.id));
      expect(batches.length % slots).toBe(0);
      for (const batch of batches) {
        expect(batch.length).toBeLessThanOrEqual(budget.maxItems);
        expect(batch.reduce((total, item) => total + item.input, 0)).toBeLessThanOrEqual(budget.maxInputTokens);
        expect(batch.reduce((total, item) => total + item.output, 0)).toBeLessThanOrEqual(budget.maxOutputTokens);
      }
      const answers = batches.map((batch) => batch.length);
      expect(Math.max(...answers)).toBeLessThanOrEqual(Math.ceil(1.1 * Math.min(...answers)));
      expect(makespan(batches, slots) / (totalWork(batches) / slots)).toBeLessThan(1.03);
    }
    // Packing by the budgets alone leaves a part-empty last wave: the measure above sees it.
    const byBudgetOnly = planBatches(items, costs, budget);
    expect(byBudgetOnly.length % 16).not.toBe(0);
    expect(makespan(byBudgetOnly, 16) / (totalWork(byBudgetOnly) / 16)).toBeGreaterThan(1.1);
  });

  test('fewer rows than one wave: as many batches as the slots allow, none below the minimum size', () => {
    expect(batchCount(10, 1, { slots: 16, minItemsPerBatch: 32 })).toBe(1);
    expect(batchCount(100, 1, { slots: 16, minItemsPerBatch: 32 })).toBe(3);
    expect(batchCount(1_000, 3, { slots: 16, minItemsPerBatch: 32 })).toBe(16);
    expect(batchCount(6_314, 27, { slots: 16, minItemsPerBatch: 32 })).toBe(32);
    expect(batchCount(20, 40, { slots: 16, minItemsPerBatch: 32 })).toBe(20);
    const batches = planBatches(rows(100), costs, budget, { slots: 16, minItemsPerBatch: 32 });
    expect(batches).toHaveLength(3);
    for (const batch of batches) expect([33, 34]).toContain(batch.length);
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
