// Many messages at once (an Outlook multi-selection of 100): a digest in at most a few requests with a
// line per message keyed by its id and the ones that need an answer; a skipped message asked once
// more; trimming counted. And 100 mail-sized items classified in at most 3 upstream requests through
// the classify route's batch planner, with the loopback provider counting requests.
import { existsSync, readFileSync } from 'node:fs';
import { classifyResponseSchema, summarizeResponseSchema } from '../../src/contract/schemas.js';
import { openAiCompatibleEnvironment, startBff, useBffWithFakeProvider } from '../support/bff.js';
import { delimitedContent, type ChatCompletionBody } from '../support/fake-openai-server.js';
import { postJson } from '../support/http-client.js';
import { startLlmSimulator } from '../support/llm-simulator.js';

const bipiaPath = '../shared/data/bipia/email_train.jsonl';
const realEmails = existsSync(bipiaPath)
  ? readFileSync(bipiaPath, 'utf8')
      .trim()
      .split('\n')
      .map((line) => (JSON.parse(line) as { context: string }).context)
  : [];

/** Outlook item ids are long base64 strings: the digest keys its lines by them, whatever their length. */
const itemId = (index: number) => `AAMkADk0ZTQ1${String(index).padStart(4, '0')}${'Q'.repeat(120)}=`;

/** 100 messages: the real BIPIA emails, then requests for an answer with a signature and a disclaimer. */
function selectedMessages(count = 100) {
  return Array.from({ length: count }, (_, index) => {
    const real = realEmails[index];
    if (real !== undefined && index % 2 === 0) return { id: itemId(index), subject: `Notification ${index}`, from: 'Mercury <hello@mercury.com>', text: real };
    return {
      id: itemId(index),
      subject: `Question ${index}`,
      from: `Colleague ${index} <c${index}@contoso.example>`,
      received: '2026-11-30T08:00:00Z',
      text: `Hi,\n\ncan you approve purchase order ${index} by Friday?\n\nBest regards\nColleague ${index}\nPhone +49 89 555 ${String(index).padStart(4, '0')}\n\nThis e-mail is confidential and intended solely for the addressee.`,
    };
  });
}

/** A model that answers the digest schema: a line per entry; a question needs an answer. */
function digestAnswer(body: ChatCompletionBody, skip: (text: string) => boolean = () => false): string {
  const entries = JSON.parse(delimitedContent(body)) as { id: string; text: string }[];
  return JSON.stringify({
    lines: entries
      .filter((entry) => !skip(entry.text))
      .map((entry) => {
        const question = /can you approve purchase order (\d+)/.exec(entry.text);
        return question
          ? { id: entry.id, line: `Asks to approve purchase order ${question[1]}.`, needsAnswer: true, reason: `Approve PO ${question[1]} by Friday` }
          : { id: entry.id, line: `Notice: ${entry.text.split('\n')[0]?.slice(0, 40)}`, needsAnswer: false, reason: '' };
      }),
  });
}

describe('digest', () => {
  // A 128k-token model such as gpt-4o-mini; an OpenAI-compatible server of unknown size gets 8k and more requests.
  const provider = useBffWithFakeProvider({ LLM_MODEL: 'gpt-4o-mini' });

  test('100 selected messages: one line per message keyed by its id, what needs an answer, in 2 requests', async () => {
    provider.fake.setResponder((request) => ({ kind: 'content', content: digestAnswer(request.body) }));
    const messages = selectedMessages(100);
    const response = await postJson(`${provider.bff.url}/api/v1/summarize`, { kind: 'digest', messages });
    expect(response.status).toBe(200);
    const body = summarizeResponseSchema.parse(response.body);
    const requests = provider.fake.requests.length;
    expect(requests).toBeLessThanOrEqual(3);
    expect(body.usage.requests).toBe(requests);
    expect(body.digest?.messages.map((line) => line.id)).toEqual(messages.map((message) => message.id));
    const questions = messages.filter((message) => message.subject.startsWith('Question'));
    expect(body.digest?.needsAnswer).toEqual(questions.map((message) => message.id));
    const first = body.digest?.messages.find((line) => line.id === questions[0]?.id);
    expect(first).toMatchObject({ needsAnswer: true, reason: expect.stringMatching(/^Approve PO \d+ by Friday$/) });
    expect(body.summary).toMatch(/^Needs your answer:\n- Question 1 \(Colleague 1 <c1@contoso\.example>\): Approve PO 1 by Friday/);
    // Signatures and disclaimers were not sent, and were counted.
    const sent = provider.fake.requests.map((request) => delimitedContent(request.body)).join('\n');
    expect(sent).not.toContain('Phone +49');
    expect(sent).not.toContain('intended solely for the addressee');
    expect(sent).not.toContain(itemId(1));
    expect(body.trimmed?.signatureCharacters).toBeGreaterThan(0);
    expect(body.trimmed?.disclaimerCharacters).toBeGreaterThan(0);
    process.stdout.write(`digest of 100 messages: ${requests} upstream requests\n`);
  });

  test('a message the model skips is asked again once; still skipped, its line says so instead of vanishing', async () => {
    const messages = selectedMessages(6).filter((message) => message.subject.startsWith('Question'));
    provider.fake.setResponder((request) => ({ kind: 'content', content: digestAnswer(request.body, (text) => text.includes('purchase order 3 ')) }));
    const body = summarizeResponseSchema.parse((await postJson(`${provider.bff.url}/api/v1/summarize`, { kind: 'digest', messages })).body);
    expect(provider.fake.requests).toHaveLength(2);
    expect(JSON.parse(delimitedContent(provider.fake.requests[1]!.body))).toHaveLength(1);
    expect(body.digest?.messages).toHaveLength(3);
    expect(body.digest?.messages[1]).toMatchObject({ id: itemId(3), line: '', error: { code: 'INVALID_MODEL_OUTPUT' } });
    expect(body.digest?.needsAnswer).toEqual([itemId(1), itemId(5)]);
  });

  test('a digest needs messages, and messages need the digest kind', async () => {
    const missing = await postJson(`${provider.bff.url}/api/v1/summarize`, { kind: 'digest' });
    expect(missing.status).toBe(400);
    expect(JSON.stringify(missing.body)).toContain('messages');
    const tooMany = await postJson(`${provider.bff.url}/api/v1/summarize`, { kind: 'digest', messages: selectedMessages(101) });
    expect(tooMany.status).toBe(400);
    expect(provider.fake.requests).toHaveLength(0);
  });
});

test('100 mail-sized messages are classified in at most 3 upstream requests', async () => {
  const simulator = await startLlmSimulator({
    timeToFirstTokenMilliseconds: 0,
    tokensPerSecond: 1_000_000,
    concurrencyLimit: 64,
    requestsPerMinute: 100_000,
    tokensPerMinute: 100_000_000,
  });
  const bff = await startBff(openAiCompatibleEnvironment(simulator.baseUrl, { LLM_MODEL: 'gpt-4o-mini' }));
  try {
    const items = selectedMessages(100).map((message) => `Subject: ${message.subject}\nFrom: ${message.from}\n\n${message.text}`);
    const labels = ['Needs reply', 'Notification', 'Invoice', 'Newsletter'];
    const response = await postJson(`${bff.url}/api/v1/classify`, { items, labels });
    expect(response.status).toBe(200);
    const body = classifyResponseSchema.parse(response.body);
    expect(body.results).toHaveLength(100);
    expect(body.results.every((result) => result.label !== null && labels.includes(result.label))).toBe(true);
    const served = simulator.served().length;
    expect(served).toBeLessThanOrEqual(3);
    expect(body.usage.requests).toBe(served);
    process.stdout.write(`classify of 100 messages: ${served} upstream requests\n`);
  } finally {
    await bff.close();
    await simulator.close();
  }
});
