// A real loopback HTTP server that speaks the OpenAI chat-completions protocol (JSON and SSE), used
// through the real openai SDK. By default it answers like a small deterministic model that
// understands this project's prompts (delimited data, JSON schemas with id and label enums); tests
// queue other replies (errors, 429 with Retry-After, slow or cut streams, malformed output) to
// exercise every path. Never the product's default provider.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { labelListHeading } from '../../src/server/operations/classify/classify-prompt.js';

export interface ChatMessage {
  role: string;
  content: string;
}

export interface ChatCompletionBody {
  model: string;
  messages: ChatMessage[];
  stream?: boolean;
  stream_options?: { include_usage?: boolean };
  max_tokens?: number;
  temperature?: number;
  response_format?: { type: string; json_schema?: { name: string; schema: JsonSchema; strict?: boolean } };
}

export interface JsonSchema {
  type?: string;
  enum?: unknown[];
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  required?: string[];
  additionalProperties?: boolean;
  minimum?: number;
  maximum?: number;
}

export interface RecordedRequest {
  path: string;
  /** Path with the query string, such as Azure's ?api-version=… */
  url: string;
  headers: IncomingMessage['headers'];
  body: ChatCompletionBody;
  /** Set when the client closed the connection before the answer was complete. */
  closedByClient: boolean;
  receivedAt: number;
}

export type FakeReply =
  /** The deterministic fake model's answer (JSON or streamed, as the request asks). */
  | { kind: 'model'; delayMilliseconds?: number; chunkDelayMilliseconds?: number }
  /** This content as the assistant's answer (JSON or streamed, as the request asks). */
  | { kind: 'content'; content: string; finishReason?: string; chunkDelayMilliseconds?: number }
  /** An HTTP error with an OpenAI-style error body. */
  | { kind: 'error'; status: number; headers?: Record<string, string>; message?: string; code?: string }
  /** Destroys the socket without an answer. */
  | { kind: 'drop' }
  /** Never answers; the request stays open until the client gives up. */
  | { kind: 'hang' }
  /** Starts a stream, sends some chunks, then destroys the socket. */
  | { kind: 'cut-stream'; afterChunks: number };

export type Responder = (request: RecordedRequest) => FakeReply | undefined;

export interface FakeOpenAiServer {
  url: string;
  /** The base URL for the openai SDK / OPENAI_BASE_URL. */
  baseUrl: string;
  requests: RecordedRequest[];
  /** Replies used, in order, for the next requests; after them the responder or the model answers. */
  enqueue(...replies: FakeReply[]): void;
  setResponder(responder: Responder | undefined): void;
  /** Resolves once a request has been seen closed by its client. */
  waitForClientClose(timeoutMilliseconds?: number): Promise<RecordedRequest>;
  close(): Promise<void>;
}

export async function startFakeOpenAiServer(): Promise<FakeOpenAiServer> {
  const requests: RecordedRequest[] = [];
  const queue: FakeReply[] = [];
  let responder: Responder | undefined;
  const closeWaiters: ((request: RecordedRequest) => void)[] = [];

  const server: Server = createServer((incoming, response) => {
    void handle(incoming, response);
  });

  async function handle(incoming: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of incoming) chunks.push(chunk as Buffer);
    const path = (incoming.url ?? '').split('?')[0] ?? '';
    if (incoming.method !== 'POST' || !path.endsWith('/chat/completions')) {
      sendJson(response, 404, { error: { message: `No route ${incoming.method} ${path}`, type: 'invalid_request_error' } });
      return;
    }
    let body: ChatCompletionBody;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as ChatCompletionBody;
    } catch {
      sendJson(response, 400, { error: { message: 'Invalid JSON body', type: 'invalid_request_error' } });
      return;
    }
    const record: RecordedRequest = { path, url: incoming.url ?? '', headers: incoming.headers, body, closedByClient: false, receivedAt: Date.now() };
    requests.push(record);
    response.on('close', () => {
      if (!response.writableFinished) {
        record.closedByClient = true;
        for (const waiter of closeWaiters.splice(0)) waiter(record);
      }
    });

    const reply: FakeReply = queue.shift() ?? responder?.(record) ?? { kind: 'model' };
    await answer(reply, record, response);
  }

  async function answer(reply: FakeReply, record: RecordedRequest, response: ServerResponse): Promise<void> {
    switch (reply.kind) {
      case 'error':
        sendJson(
          response,
          reply.status,
          { error: { message: reply.message ?? `Fake error ${reply.status}`, type: 'fake_error', code: reply.code ?? null } },
          reply.headers,
        );
        return;
      case 'drop':
        response.socket?.destroy();
        return;
      case 'hang':
        return;
      case 'cut-stream': {
        startStream(response);
        const content = fakeModelAnswer(record.body);
        const pieces = splitForStreaming(content);
        for (const piece of pieces.slice(0, reply.afterChunks)) writeChunk(response, record.body, { content: piece }, null);
        // Let the client receive what was sent before the connection dies.
        if (reply.afterChunks > 0) await sleep(100);
        response.socket?.destroy();
        return;
      }
      case 'content':
        await sendCompletion(response, record.body, reply.content, reply.finishReason ?? 'stop', reply.chunkDelayMilliseconds ?? 0);
        return;
      case 'model':
        if (reply.delayMilliseconds) await sleep(reply.delayMilliseconds);
        await sendCompletion(response, record.body, fakeModelAnswer(record.body), 'stop', reply.chunkDelayMilliseconds ?? 0);
        return;
    }
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;

  return {
    url,
    baseUrl: `${url}/v1`,
    requests,
    enqueue: (...replies) => queue.push(...replies),
    setResponder: (next) => {
      responder = next;
    },
    waitForClientClose: (timeoutMilliseconds = 5000) => {
      const alreadyClosed = requests.find((request) => request.closedByClient);
      if (alreadyClosed) return Promise.resolve(alreadyClosed);
      return new Promise<RecordedRequest>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no client closed its connection in time')), timeoutMilliseconds);
        closeWaiters.push((request) => {
          clearTimeout(timer);
          resolve(request);
        });
      });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

// ---------------------------------------------------------------- the deterministic fake model

const delimitedPattern = /<([a-z]+)-([0-9a-f]{16})>\n([\s\S]*)\n<\/\1-\2>/;

/** The content between this project's nonce delimiters in the last user message. */
export function delimitedContent(body: ChatCompletionBody): string {
  const user = [...body.messages].reverse().find((message) => message.role === 'user');
  const match = delimitedPattern.exec(user?.content ?? '');
  return match?.[3] ?? user?.content ?? '';
}

function systemText(body: ChatCompletionBody): string {
  return body.messages
    .filter((message) => message.role === 'system')
    .map((message) => message.content)
    .join('\n');
}

/** The target language tag from "Translate into German (de)". */
function targetLanguage(body: ChatCompletionBody): string {
  return /Translate into [^\n]*?\(([A-Za-z-]+)\)/.exec(systemText(body))?.[1] ?? 'xx';
}

export function fakeTranslation(text: string, language: string): string {
  return `[${language}] ${text}`;
}

/** Picks the label whose words appear most in the text; ties and misses go to the first label. */
export function fakeLabel(text: string, labels: string[]): string {
  const lower = text.toLowerCase();
  let best = labels[0] ?? '';
  let bestScore = 0;
  for (const label of labels) {
    const words = label
      .toLowerCase()
      .split(/[^\p{L}\p{N}]+/u)
      .filter((word) => word.length > 2);
    const score = words.filter((word) => lower.includes(word)).length;
    if (score > bestScore) {
      best = label;
      bestScore = score;
    }
  }
  return best;
}

/** A classify request in the current format: its items (id and text, in the order sent) and its labels. */
export interface ClassifyRequestParts {
  items: { id: string; text: string }[];
  labels: string[];
}

/**
 * Reads a classify request in the current format: the numbered label list after its heading in the
 * system message, one `<id>\t<text>` line per item between the delimiters. Undefined for any other request.
 */
export function classifyRequestParts(body: ChatCompletionBody): ClassifyRequestParts | undefined {
  const lines = systemText(body).split('\n');
  const heading = lines.indexOf(labelListHeading);
  if (heading < 0) return undefined;
  const labels: string[] = [];
  for (const line of lines.slice(heading + 1)) {
    const match = /^(\d+): (".*")$/u.exec(line);
    if (match === null || Number(match[1]) !== labels.length) break;
    labels.push(JSON.parse(match[2] ?? '""') as string);
  }
  const items = delimitedContent(body)
    .split('\n')
    .flatMap((line) => {
      const tab = line.indexOf('\t');
      return tab < 0 ? [] : [{ id: line.slice(0, tab), text: line.slice(tab + 1) }];
    });
  return { items, labels };
}

/**
 * The answer content in the current format, `{"<id>": <label number>}`, for the entries in the given
 * order; repeated ids stay repeated (as a faulty model writes them). A label outside the list is
 * written as its text: the BFF must treat it as no answer.
 */
export function classifyAnswerContent(entries: { id: string; label: string }[], labels: string[]): string {
  const value = (label: string) => (labels.includes(label) ? String(labels.indexOf(label)) : JSON.stringify(label));
  return `{${entries.map(({ id, label }) => `${JSON.stringify(id)}:${value(label)}`).join(',')}}`;
}

/**
 * The model's answer to a classify request in the current format, each item labelled by `chooseLabel`
 * (for example from gold labels); undefined when the request is not a classify request.
 */
export function classifyAnswer(body: ChatCompletionBody, chooseLabel: (itemText: string, labels: string[]) => string): string | undefined {
  const parts = classifyRequestParts(body);
  if (parts === undefined) return undefined;
  return classifyAnswerContent(
    parts.items.map((item) => ({ id: item.id, label: chooseLabel(item.text, parts.labels) })),
    parts.labels,
  );
}

export function fakeModelAnswer(body: ChatCompletionBody): string {
  const classification = classifyAnswer(body, fakeLabel);
  if (classification !== undefined) return classification;
  const content = delimitedContent(body);
  const schema = body.response_format?.json_schema?.schema;
  if (schema !== undefined) return JSON.stringify(fakeStructuredAnswer(schema, content, body));
  const system = systemText(body);
  if (/translator/i.test(system)) return fakeTranslation(content, targetLanguage(body));
  if (/summar|condense/i.test(system)) {
    const words = content.split(/\s+/).filter(Boolean);
    return `Summary (${words.length} words): ${words.slice(0, 12).join(' ')}`;
  }
  return `Echo: ${content.slice(0, 200)}`;
}

/**
 * Answers any batch schema of this project's shape without knowing the operation: an object whose one
 * array holds `{id, <answer>}` for the `{id, text}` items in the data block. An answer with an enum
 * gets the best-matching choice (a label), a free-text answer the text "translated" into the target
 * language the system prompt names.
 */
function fakeStructuredAnswer(schema: JsonSchema, content: string, body: ChatCompletionBody): Record<string, unknown> {
  const [listName, listSchema] = Object.entries(schema.properties ?? {}).find(([, property]) => property.type === 'array') ?? [];
  if (listName === undefined) return {};
  const [answerName, answerSchema] = Object.entries(listSchema?.items?.properties ?? {}).find(([name]) => name !== 'id') ?? ['answer', {}];
  const choices = answerSchema.enum as string[] | undefined;
  const items = JSON.parse(content) as { id: string; text: string }[];
  return {
    [listName]: items.map((item) => ({
      id: item.id,
      [answerName]: choices === undefined ? fakeTranslation(item.text, targetLanguage(body)) : fakeLabel(item.text, choices),
    })),
  };
}

// ---------------------------------------------------------------- protocol

function usageFor(body: ChatCompletionBody, content: string) {
  const promptCharacters = body.messages.reduce((total, message) => total + message.content.length, 0);
  const prompt_tokens = Math.ceil(promptCharacters / 4);
  const completion_tokens = Math.ceil(content.length / 4);
  return { prompt_tokens, completion_tokens, total_tokens: prompt_tokens + completion_tokens };
}

async function sendCompletion(response: ServerResponse, body: ChatCompletionBody, content: string, finishReason: string, chunkDelay: number): Promise<void> {
  if (!body.stream) {
    sendJson(response, 200, {
      id: 'chatcmpl-fake',
      object: 'chat.completion',
      created: Math.floor(Date.now() / 1000),
      model: body.model,
      choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: finishReason }],
      usage: usageFor(body, content),
    });
    return;
  }
  startStream(response);
  writeChunk(response, body, { role: 'assistant', content: '' }, null);
  for (const piece of splitForStreaming(content)) {
    if (chunkDelay > 0) await sleep(chunkDelay);
    if (response.destroyed) return;
    writeChunk(response, body, { content: piece }, null);
  }
  writeChunk(response, body, {}, finishReason);
  if (body.stream_options?.include_usage) {
    response.write(
      `data: ${JSON.stringify({ id: 'chatcmpl-fake', object: 'chat.completion.chunk', created: 0, model: body.model, choices: [], usage: usageFor(body, content) })}\n\n`,
    );
  }
  response.end('data: [DONE]\n\n');
}

function startStream(response: ServerResponse): void {
  response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
}

function writeChunk(response: ServerResponse, body: ChatCompletionBody, delta: Record<string, string>, finishReason: string | null): void {
  response.write(
    `data: ${JSON.stringify({ id: 'chatcmpl-fake', object: 'chat.completion.chunk', created: 0, model: body.model, choices: [{ index: 0, delta, finish_reason: finishReason }] })}\n\n`,
  );
}

function splitForStreaming(content: string): string[] {
  const pieces = content.match(/[\s\S]{1,8}/g) ?? [];
  return pieces.length > 0 ? pieces : [''];
}

function sendJson(response: ServerResponse, status: number, payload: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(payload);
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  response.end(text);
}

function sleep(milliseconds: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, milliseconds));
}
