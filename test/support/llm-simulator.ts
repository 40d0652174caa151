// A loopback OpenAI-compatible provider with a provider's costs and limits, for the benchmark and
// the engine tests: latency (time to first token, then tokens per second), a concurrency limit, and
// requests-per-minute and tokens-per-minute limits that answer 429 with Retry-After. Tokens are
// counted with the real o200k_base tokenizer, and a request is charged its prompt plus max_tokens at
// admission, as OpenAI's rate limiter does. Like OpenAI it states its limits on every answer, 429s
// included (x-ratelimit-limit/remaining/reset-requests and -tokens, the reset as a duration such as
// "1s" or "20ms"; remaining and reset describe the bucket it enforces when the request arrived), and
// like OpenAI it answers 400 when a reasoning model (o-series, gpt-5) is sent max_tokens or sampling
// parameters. The answers come from the fake model in fake-openai-server.ts unless the caller
// supplies its own. A test double: never the product's default.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { TokenBucket } from 'limiter';
import { countMessageTokens } from '../../src/server/engine/message-tokens.js';
import { createTokenCounter } from '../../src/server/engine/tokenizer.js';
import { fakeModelAnswer, type ChatCompletionBody } from './fake-openai-server.js';
import { createBatchEndpoint, type BatchEndpoint, type BatchEndpointSettings } from './batch-endpoint.js';

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
  /** Sends the x-ratelimit-* headers (default true, as OpenAI and Azure OpenAI do); false: a server that sends none (vLLM, Ollama). */
  rateLimitHeaders?: boolean;
  /** Keeps every request body in `bodies` (the request-shape tests read them). */
  recordBodies?: boolean;
  /** The batch API (/v1/files, /v1/batches: batch-endpoint.ts), answered like chat calls; its requests are not in `calls`. */
  batch?: BatchEndpointSettings;
}

/** The fields of a request body the simulator reads beyond the fake model's. */
export type SimulatedRequestBody = ChatCompletionBody & {
  max_completion_tokens?: number;
  top_p?: number;
  presence_penalty?: number;
  frequency_penalty?: number;
  logprobs?: boolean;
};

export interface SimulatedCall {
  status: 200 | 400 | 429;
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
  /** The request bodies received, in order (with recordBodies). */
  bodies: SimulatedRequestBody[];
  /** Calls answered 200. */
  served(): SimulatedCall[];
  /** The batch API's files and batches. */
  batches: BatchEndpoint;
  reset(): void;
  close(): Promise<void>;
}

const tokenCounter = createTokenCounter('gpt-4o-mini');

export async function startLlmSimulator(settings: SimulatorSettings): Promise<LlmSimulator> {
  const calls: SimulatedCall[] = [];
  const bodies: SimulatedRequestBody[] = [];
  const sendsHeaders = settings.rateLimitHeaders ?? true;
  const burstSeconds = settings.burstSeconds ?? 1;
  const requestBucket = fullBucket(settings.requestsPerMinute, burstSeconds);
  const tokenBucket = fullBucket(settings.tokensPerMinute, burstSeconds);
  let active = 0;
  let peak = 0;
  const batches = createBatchEndpoint(settings.batch ?? {}, (body) => (settings.answer ?? fakeModelAnswer)(body));

  const server = createServer((incoming, response) => {
    void handle(incoming, response).catch(() => response.destroy());
  });

  async function handle(incoming: IncomingMessage, response: ServerResponse): Promise<void> {
    if (batches.handles(incoming)) return batches.handle(incoming, response);
    const chunks: Buffer[] = [];
    for await (const chunk of incoming) chunks.push(chunk as Buffer);
    const receivedAt = Date.now();
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as SimulatedRequestBody;
    if (settings.recordBodies === true) bodies.push(body);
    const stream = body.stream === true;
    const unsupported = unsupportedParameter(body);
    if (unsupported !== undefined) {
      calls.push({ status: 400, stream, receivedAt, finishedAt: Date.now(), promptTokens: 0, completionTokens: 0, chargedTokens: 0, peakConcurrency: active });
      sendJson(response, 400, { error: { ...unsupported, type: 'invalid_request_error' } });
      return;
    }
    const promptTokens = countMessageTokens(body.messages, (text) => tokenCounter.count(text));
    const chargedTokens = Math.min(tokenBucket.bucketSize, promptTokens + (body.max_completion_tokens ?? body.max_tokens ?? settings.defaultMaxTokens ?? 1024));
    // What the limits look like when the request arrives, after charging it if it is admitted (as OpenAI reports them).
    const rateLimitHeaders = (charged: { requests: number; tokens: number }): Record<string, string> =>
      sendsHeaders
        ? {
            'x-ratelimit-limit-requests': String(settings.requestsPerMinute),
            'x-ratelimit-limit-tokens': String(settings.tokensPerMinute),
            'x-ratelimit-remaining-requests': String(Math.max(0, Math.floor(requestBucket.content - charged.requests))),
            'x-ratelimit-remaining-tokens': String(Math.max(0, Math.floor(tokenBucket.content - charged.tokens))),
            'x-ratelimit-reset-requests': goDuration(refillMilliseconds(requestBucket, charged.requests)),
            'x-ratelimit-reset-tokens': goDuration(refillMilliseconds(tokenBucket, charged.tokens)),
          }
        : {};

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
          ...rateLimitHeaders({ requests: 0, tokens: 0 }),
        },
      );
    };
    requestBucket.drip();
    tokenBucket.drip();
    if (active >= settings.concurrencyLimit) return reject('concurrency', 100);
    if (requestBucket.content < 1) return reject('requests', requestBucket.getWaitTime(1));
    if (tokenBucket.content < chargedTokens) return reject('tokens', tokenBucket.getWaitTime(chargedTokens));
    // Computed at admission, sent with the answer: for a slow answer they are as old as its latency.
    const admittedHeaders = rateLimitHeaders({ requests: 1, tokens: chargedTokens });
    requestBucket.content -= 1;
    tokenBucket.content -= chargedTokens;

    active += 1;
    peak = Math.max(peak, active);
    const peakAtStart = active;
    try {
      const content = (settings.answer ?? fakeModelAnswer)(body);
      const completionTokens = tokenCounter.count(content);
      await sleep(settings.timeToFirstTokenMilliseconds);
      if (stream) await streamAnswer(response, body, content, settings.tokensPerSecond, promptTokens, completionTokens, admittedHeaders);
      else {
        await sleep((1000 * completionTokens) / settings.tokensPerSecond);
        sendJson(
          response,
          200,
          {
            id: 'chatcmpl-simulated',
            object: 'chat.completion',
            created: Math.floor(Date.now() / 1000),
            model: body.model,
            choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
            usage: { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens },
          },
          admittedHeaders,
        );
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
    bodies,
    served: () => calls.filter((call) => call.status === 200),
    batches,
    reset: () => {
      calls.length = 0;
      bodies.length = 0;
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
  headers: Record<string, string>,
): Promise<void> {
  response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive', ...headers });
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

/** Until the bucket is full again after `charged` more is taken from it. */
function refillMilliseconds(bucket: TokenBucket, charged: number): number {
  const missing = Math.max(0, bucket.bucketSize - (bucket.content - charged));
  return (missing * bucket.interval) / bucket.tokensPerInterval;
}

/** A duration as OpenAI writes it: "20ms", "1s", "6m0s", "1.5s". */
function goDuration(milliseconds: number): string {
  if (milliseconds < 1000) return `${Math.ceil(milliseconds)}ms`;
  const minutes = Math.floor(milliseconds / 60_000);
  const seconds = Number(((milliseconds - minutes * 60_000) / 1000).toFixed(3));
  return minutes > 0 ? `${minutes}m${seconds}s` : `${seconds}s`;
}

/** o1, o3-mini, o4-mini, gpt-5, gpt-5-mini…: what OpenAI's reasoning models refuse (gpt-5-chat takes sampling parameters). */
function unsupportedParameter(body: SimulatedRequestBody): { message: string; param: string; code: string } | undefined {
  const model = body.model.replace(/^.*\//u, '');
  const completionTokensOnly = /^(o\d+|gpt-5)/iu.test(model);
  const reasoning = completionTokensOnly && !/^gpt-5(\.\d+)?-chat/iu.test(model);
  if (completionTokensOnly && body.max_tokens !== undefined) {
    return {
      message: "Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.",
      param: 'max_tokens',
      code: 'unsupported_parameter',
    };
  }
  if (!reasoning) return undefined;
  for (const param of ['temperature', 'top_p', 'presence_penalty', 'frequency_penalty', 'logprobs'] as const) {
    if (body[param] !== undefined) {
      return {
        message: `Unsupported value: '${param}' does not support ${JSON.stringify(body[param])} with this model. Only the default value is supported.`,
        param,
        code: 'unsupported_value',
      };
    }
  }
  return undefined;
}

function sendJson(response: ServerResponse, status: number, payload: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(payload);
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  response.end(text);
}

function sleep(milliseconds: number): Promise<void> {
  return milliseconds <= 0 ? Promise.resolve() : new Promise((resolve) => setTimeout(resolve, milliseconds));
}
