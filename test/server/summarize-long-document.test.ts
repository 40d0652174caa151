// A long document is summarised in bounded rounds: map steps in parallel, then reduce. A model that
// answers as long as its input (and ignores max_tokens) cannot make the reduce loop run forever.
import { countTokens } from 'gpt-tokenizer/encoding/o200k_base';
import { summarizeResponseSchema } from '../../src/contract/schemas.js';
import { maxSummaryRounds } from '../../src/server/operations/summarize/summarize.js';
import { loadBanking77 } from '../../bench/support-messages.js';
import { openAiCompatibleEnvironment, startBff } from '../support/bff.js';
import { delimitedContent, startFakeOpenAiServer, type FakeOpenAiServer } from '../support/fake-openai-server.js';
import { postJson } from '../support/http-client.js';

/** About 40 pages: support messages in paragraphs under page headings. */
function longDocument(pages: number): string {
  const { rows } = loadBanking77();
  return Array.from({ length: pages }, (_, page) => {
    const paragraphs = Array.from({ length: 6 }, (_, paragraph) =>
      rows
        .slice((page * 6 + paragraph) * 6, (page * 6 + paragraph) * 6 + 6)
        .map((row) => row.text.trim())
        .join(' '),
    );
    return `Page ${page + 1}\n\n${paragraphs.join('\n\n')}`;
  }).join('\n\n');
}

let fake: FakeOpenAiServer;
beforeAll(async () => {
  fake = await startFakeOpenAiServer();
  // A model that answers with its whole input: its notes never get shorter by themselves.
  fake.setResponder((request) => ({ kind: 'content', content: delimitedContent(request.body) }));
});
afterAll(() => fake.close());
beforeEach(() => fake.requests.splice(0));

test.each([
  ['a 128k-token model', 'gpt-4o-mini', ''],
  ['a 600-token context (LLM_CONTEXT_TOKENS)', 'gpt-4o-mini', '600'],
] as const)('%s: a model echoing its input still ends with a bounded summary, in bounded rounds', async (_name, model, contextTokens) => {
  const bff = await startBff(
    openAiCompatibleEnvironment(fake.baseUrl, { LLM_MODEL: model, CACHE: 'off', ...(contextTokens ? { LLM_CONTEXT_TOKENS: contextTokens } : {}) }),
  );
  try {
    const text = longDocument(40);
    const response = await postJson(`${bff.url}/api/v1/summarize`, { text, kind: 'document' });
    expect(response.status).toBe(200);
    const body = summarizeResponseSchema.parse(response.body);
    const mapRequests = fake.requests.filter((request) => /condense part/i.test(request.body.messages[0]!.content));
    // Each round has exactly one first part.
    const rounds = mapRequests.filter((request) => /condense part 1 of /i.test(request.body.messages[0]!.content)).length;
    expect(mapRequests.length).toBeGreaterThan(1);
    expect(rounds).toBeGreaterThanOrEqual(contextTokens ? 2 : 1);
    expect(rounds).toBeLessThanOrEqual(maxSummaryRounds);
    // Each round's material is less than half of the last: the whole work is less than twice the first round.
    const firstRound = Math.ceil(countTokens(text) / Math.max(256, Math.min(6_000, Math.floor((contextTokens ? Number(contextTokens) : 128_000) / 3))));
    expect(mapRequests.length).toBeLessThan(2 * (firstRound + 1) + maxSummaryRounds);
    // Every map step asked for at most a quarter of its chunk, and the final summary fits one request.
    for (const request of mapRequests)
      expect(request.body.max_tokens ?? (request.body as { max_completion_tokens?: number }).max_completion_tokens ?? 0).toBeLessThanOrEqual(600);
    expect(fake.requests.length).toBe(mapRequests.length + 1);
    expect(body.summary.length).toBeGreaterThan(0);
    expect(countTokens(body.summary)).toBeLessThanOrEqual(countTokens(text) / 2);
  } finally {
    await bff.close();
  }
});
