// A loopback OpenAI-compatible provider with a provider's costs and limits, for the benchmark and
// the engine tests: latency (time to first token, then tokens per second), a concurrency limit, and
// requests-per-minute and tokens-per-minute limits that answer 429 with Retry-After. Tokens are
// counted with the real o200k_base tokenizer, and a request is charged its prompt plus max_tokens at
// admission, as OpenAI's rate limiter does. The answers come from the fake model in
// fake-openai-server.ts unless the caller supplies its own. A test double: never the product's default.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { TokenBucket } from 'limiter';
import { countMessageTokens } from '../../src/server/engine/message-tokens.js';
import { createTokenCounter } from '../../src/server/engine/tokenizer.js';
import { fakeModelAnswer, type ChatCompletionBody } from './fake-openai-server.js';

export interface SimulatorSettings {
  timeToFirstTokenMilliseconds: number;
  tokensPerSecond: number;
  /** Requests served at once; more are answered 429 at once. */
  concurrencyLimit: number;
  requestsPerMinute: number;
  tokensPerMinute: number;
  /** Seconds of budget that may be spent at once (OpenAI quantizes per-minute limits to about one second). */
  burstSeconds?: number;
  /** The answer's content; by default the fake model's. */
  answer?: (body: ChatCompletionBody) => string;
  /** Charged against TPM when a request sets no max_tokens. */
  defaultMaxTokens?: number;
}

export interface SimulatedCall {
  status: 200 | 429;
  /** Why a 429: which limit was hit. */
  limit?: 'concurrency' | 'requests' | 'tokens';
  stream: boolean;
  receivedAt: number;
  finishedAt: number;
  promptTokens: number;
  completionTokens: number;
  /** What the rate limiter charged: prompt tokens plus max_tokens. */
  chargedTokens: number;
  /** The most requests being served at once while this one ran. */
  peakConcurrency: number;
}

export interface LlmSimulator {
  baseUrl: string;
  settings: SimulatorSettings;
  calls: SimulatedCall[];
  /** Calls answered 200. */
  served(): SimulatedCall[];
  reset(): void;
  close(): Promise<void>;
}

const tokenCounter = createTokenCounter('gpt-4o-mini');

export async function startLlmSimulator(settings: SimulatorSettings): Promise<LlmSimulator> {
  const calls: SimulatedCall[] = [];
  const burstSeconds = settings.burstSeconds ?? 1;
  const requestBucket = fullBucket(settings.requestsPerMinute, burstSeconds);
  const tokenBucket = fullBucket(settings.tokensPerMinute, burstSeconds);
  let active = 0;
  let peak = 0;

  const server = createServer((incoming, response) => {
    void handle(incoming, response).catch(() => response.destroy());
  });

  async function handle(incoming: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of incoming) chunks.push(chunk as Buffer);
    const receivedAt = Date.now();
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as ChatCompletionBody;
    const stream = body.stream === true;
    const promptTokens = countMessageTokens(body.messages, (text) => tokenCounter.count(text));
    const chargedTokens = Math.min(tokenBucket.bucketSize, promptTokens + (body.max_tokens ?? settings.defaultMaxTokens ?? 1024));

    const reject = (limit: NonNullable<SimulatedCall['limit']>, waitMilliseconds: number) => {
      calls.push({
        status: 429,
        limit,
        stream,
        receivedAt,
        finishedAt: Date.now(),
        promptTokens: 0,
        completionTokens: 0,
        chargedTokens: 0,
        peakConcurrency: active,
      });
      const wait = Math.max(1, Math.ceil(waitMilliseconds));
      sendJson(
        response,
        429,
        { error: { message: `Rate limit reached (${limit}). Retry after ${wait} ms.`, type: 'rate_limit_exceeded', code: 'rate_limit_exceeded' } },
        {
          'retry-after': String(Math.ceil(wait / 1000)),
          'retry-after-ms': String(wait),
        },
      );
    };
    if (active >= settings.concurrencyLimit) return reject('concurrency', 100);
    requestBucket.drip();
    tokenBucket.drip();
    if (requestBucket.content < 1) return reject('requests', requestBucket.getWaitTime(1));
    if (tokenBucket.content < chargedTokens) return reject('tokens', tokenBucket.getWaitTime(chargedTokens));
    requestBucket.content -= 1;
    tokenBucket.content -= chargedTokens;

    active += 1;
    peak = Math.max(peak, active);
    const peakAtStart = active;
    try {
      const content = (settings.answer ?? fakeModelAnswer)(body);
      const completionTokens = tokenCounter.count(content);
      await sleep(settings.timeToFirstTokenMilliseconds);
      if (stream) await streamAnswer(response, body, content, settings.tokensPerSecond, promptTokens, completionTokens);
      else {
        await sleep((1000 * completionTokens) / settings.tokensPerSecond);
        sendJson(response, 200, {
          id: 'chatcmpl-simulated',
          object: 'chat.completion',
          created: Math.floor(Date.now() / 1000),
          model: body.model,
          choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
          usage: { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens },
        });
      }
      calls.push({
        status: 200,
        stream,
        receivedAt,
        finishedAt: Date.now(),
        promptTokens,
        completionTokens,
        chargedTokens,
        peakConcurrency: Math.max(peakAtStart, active),
      });
    } finally {
      active -= 1;
    }
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    settings,
    calls,
    served: () => calls.filter((call) => call.status === 200),
    reset: () => {
      calls.length = 0;
      peak = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Sends the answer as SSE, paced at tokensPerSecond, in pieces of about four tokens. */
async function streamAnswer(
  response: ServerResponse,
  body: ChatCompletionBody,
  content: string,
  tokensPerSecond: number,
  promptTokens: number,
  completionTokens: number,
): Promise<void> {
  response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
  const chunk = (delta: Record<string, string>, finishReason: string | null) =>
    response.write(
      `data: ${JSON.stringify({ id: 'chatcmpl-simulated', object: 'chat.completion.chunk', created: 0, model: body.model, choices: [{ index: 0, delta, finish_reason: finishReason }] })}\n\n`,
    );
  chunk({ role: 'assistant', content: '' }, null);
  const pieces = content.match(/[\s\S]{1,16}/g) ?? [''];
  const pieceDelay = (1000 * completionTokens) / tokensPerSecond / pieces.length;
  for (const piece of pieces) {
    if (response.destroyed) return;
    chunk({ content: piece }, null);
    await sleep(pieceDelay);
  }
  chunk({}, 'stop');
  if (body.stream_options?.include_usage) {
    response.write(
      `data: ${JSON.stringify({ id: 'chatcmpl-simulated', object: 'chat.completion.chunk', created: 0, model: body.model, choices: [], usage: { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens } })}\n\n`,
    );
  }
  response.end('data: [DONE]\n\n');
}

function fullBucket(perMinute: number, burstSeconds: number): TokenBucket {
  const bucketSize = Math.max(1, Math.floor((perMinute / 60) * burstSeconds));
  const bucket = new TokenBucket({ bucketSize, tokensPerInterval: perMinute, interval: 'minute' });
  bucket.content = bucketSize;
  return bucket;
}

function sendJson(response: ServerResponse, status: number, payload: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(payload);
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  response.end(text);
}

function sleep(milliseconds: number): Promise<void> {
  return milliseconds <= 0 ? Promise.resolve() : new Promise((resolve) => setTimeout(resolve, milliseconds));
}
