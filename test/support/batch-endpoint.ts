// The loopback provider's batch API, as OpenAI serves it: POST /v1/files (multipart, purpose batch)
// takes the JSONL of requests, POST /v1/batches starts a batch over it, GET /v1/batches/{id} shows it
// go validating → in_progress → completed (or failed, or expired) after configurable delays, and
// GET /v1/files/{id}/content returns the output and error files (one JSON line per request, with the
// custom_id). Answers are computed like the simulator's chat answers. A test double: never the
// product's default.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { countMessageTokens } from '../../src/server/engine/message-tokens.js';
import { createTokenCounter } from '../../src/server/engine/tokenizer.js';
import type { ChatCompletionBody } from './fake-openai-server.js';

export interface BatchEndpointSettings {
  /** How long a batch stays validating, then in progress (defaults 20 and 60 ms). */
  validatingMilliseconds?: number;
  inProgressMilliseconds?: number;
  /** How a batch ends: completed (default); failed (its input refused, nothing answered); expired (the window ran out). */
  outcome?: 'completed' | 'failed' | 'expired';
  /** With outcome expired: the requests answered before the window ran out (in file order). */
  answeredBeforeExpiry?: number;
  /** Requests that fail on their own (500 in the error file) in a completed batch. */
  failRequest?: (customId: string, position: number) => boolean;
  /** Overrides the answer of some requests (for example invalid output); undefined keeps the simulator's answer. */
  answerOverride?: (body: ChatCompletionBody, customId: string) => string | undefined;
}

export interface BatchRequestRecord {
  customId: string;
  url: string;
  body: ChatCompletionBody;
}

export interface SimulatedBatch {
  id: string;
  inputFileId: string;
  endpoint: string;
  createdAt: number;
  requests: BatchRequestRecord[];
  metadata: Record<string, string> | null;
  /** How often GET /v1/batches/{id} was asked. */
  retrievals: number;
  cancelled: boolean;
  output?: { state: 'completed' | 'failed' | 'expired'; outputFileId?: string; errorFileId?: string; completed: number; failed: number };
}

export interface BatchEndpoint {
  settings: BatchEndpointSettings;
  batches: Map<string, SimulatedBatch>;
  /** Every request line answered in any output file (a row answered twice shows up twice). */
  answeredRequests(): BatchRequestRecord[];
  handles(incoming: IncomingMessage): boolean;
  handle(incoming: IncomingMessage, response: ServerResponse): Promise<void>;
  reset(): void;
}

const tokenCounter = createTokenCounter('gpt-4o-mini');

export function createBatchEndpoint(settings: BatchEndpointSettings, answer: (body: ChatCompletionBody) => string): BatchEndpoint {
  const files = new Map<string, { purpose: string; content: string }>();
  const batches = new Map<string, SimulatedBatch>();
  const answered: BatchRequestRecord[] = [];
  let sequence = 0;
  const nextId = (prefix: string) => `${prefix}-${(sequence += 1).toString().padStart(6, '0')}`;

  const finish = (batch: SimulatedBatch): NonNullable<SimulatedBatch['output']> => {
    const outcome = settings.outcome ?? 'completed';
    if (outcome === 'failed') return { state: 'failed', completed: 0, failed: 0 };
    const outputLines: string[] = [];
    const errorLines: string[] = [];
    batch.requests.forEach((request, position) => {
      const expired = outcome === 'expired' && position >= (settings.answeredBeforeExpiry ?? 0);
      if (expired) {
        errorLines.push(
          JSON.stringify({
            id: nextId('batch_req'),
            custom_id: request.customId,
            response: null,
            error: { code: 'batch_expired', message: 'This request could not be executed before the completion window expired.' },
          }),
        );
        return;
      }
      if (settings.failRequest?.(request.customId, position) === true) {
        errorLines.push(
          JSON.stringify({
            id: nextId('batch_req'),
            custom_id: request.customId,
            response: { status_code: 500, request_id: nextId('req'), body: { error: { message: 'The server had an error.', type: 'server_error' } } },
            error: null,
          }),
        );
        return;
      }
      const content = settings.answerOverride?.(request.body, request.customId) ?? answer(request.body);
      const promptTokens = countMessageTokens(request.body.messages, (text) => tokenCounter.count(text));
      const completionTokens = tokenCounter.count(content);
      answered.push(request);
      outputLines.push(
        JSON.stringify({
          id: nextId('batch_req'),
          custom_id: request.customId,
          response: {
            status_code: 200,
            request_id: nextId('req'),
            body: {
              id: nextId('chatcmpl'),
              object: 'chat.completion',
              created: Math.floor(Date.now() / 1000),
              model: request.body.model,
              choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
              usage: { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens },
            },
          },
          error: null,
        }),
      );
    });
    const store = (lines: string[]) => {
      if (lines.length === 0) return undefined;
      const id = nextId('file');
      files.set(id, { purpose: 'batch_output', content: `${lines.join('\n')}\n` });
      return id;
    };
    const outputFileId = store(outputLines);
    const errorFileId = store(errorLines);
    return {
      state: outcome,
      ...(outputFileId === undefined ? {} : { outputFileId }),
      ...(errorFileId === undefined ? {} : { errorFileId }),
      completed: outputLines.length,
      failed: errorLines.length,
    };
  };

  const view = (batch: SimulatedBatch) => {
    const elapsed = Date.now() - batch.createdAt;
    const validating = settings.validatingMilliseconds ?? 20;
    const inProgress = settings.inProgressMilliseconds ?? 60;
    let status: string;
    if (batch.cancelled) status = 'cancelled';
    else if (elapsed < validating) status = 'validating';
    else if (settings.outcome === 'failed') {
      batch.output ??= finish(batch);
      status = 'failed';
    } else if (elapsed < validating + inProgress) status = 'in_progress';
    else {
      batch.output ??= finish(batch);
      status = batch.output.state;
    }
    const output = batch.output;
    const total = batch.requests.length;
    // While in progress, about half is done: enough for a client to estimate the rest.
    const completed = output?.completed ?? (status === 'in_progress' ? Math.floor(total / 2) : 0);
    return {
      id: batch.id,
      object: 'batch',
      endpoint: batch.endpoint,
      errors:
        status === 'failed'
          ? { object: 'list', data: [{ code: 'invalid_request', message: 'The input file could not be processed (simulated).', line: 1, param: null }] }
          : null,
      input_file_id: batch.inputFileId,
      completion_window: '24h',
      status,
      output_file_id: output?.outputFileId ?? null,
      error_file_id: output?.errorFileId ?? null,
      created_at: Math.floor(batch.createdAt / 1000),
      expires_at: Math.floor(batch.createdAt / 1000) + 24 * 3600,
      request_counts: { total, completed, failed: output?.failed ?? 0 },
      metadata: batch.metadata,
    };
  };

  async function handle(incoming: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(incoming.url ?? '/', 'http://loopback');
    const chunks: Buffer[] = [];
    for await (const chunk of incoming) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks);
    const method = incoming.method ?? 'GET';

    if (method === 'POST' && url.pathname === '/v1/files') {
      // The SDK uploads multipart/form-data; undici's Request parses it as a browser would.
      const form = await new Request('http://loopback/v1/files', {
        method: 'POST',
        headers: { 'content-type': incoming.headers['content-type'] ?? '' },
        body: raw,
      }).formData();
      const file = form.get('file');
      const purpose = form.get('purpose');
      if (typeof file === 'string' || file === null || purpose !== 'batch') {
        return sendJson(response, 400, { error: { message: 'A file with purpose batch is required.', type: 'invalid_request_error' } });
      }
      const id = nextId('file');
      files.set(id, { purpose, content: await file.text() });
      return sendJson(response, 200, { id, object: 'file', bytes: file.size, created_at: Math.floor(Date.now() / 1000), filename: file.name, purpose });
    }
    const content = /^\/v1\/files\/([^/]+)\/content$/u.exec(url.pathname);
    if (method === 'GET' && content !== null) {
      const file = files.get(content[1] ?? '');
      if (file === undefined) return sendJson(response, 404, { error: { message: 'No such file.', type: 'invalid_request_error' } });
      response.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': Buffer.byteLength(file.content) });
      response.end(file.content);
      return;
    }
    if (method === 'POST' && url.pathname === '/v1/batches') {
      const body = JSON.parse(raw.toString('utf8')) as {
        input_file_id: string;
        endpoint: string;
        completion_window: string;
        metadata?: Record<string, string>;
      };
      const file = files.get(body.input_file_id);
      if (file === undefined || body.completion_window !== '24h' || body.endpoint !== '/v1/chat/completions') {
        return sendJson(response, 400, { error: { message: 'Unknown input file, completion window or endpoint.', type: 'invalid_request_error' } });
      }
      const requests: BatchRequestRecord[] = [];
      for (const line of file.content.split('\n')) {
        if (line.trim() === '') continue;
        const parsed = JSON.parse(line) as { custom_id: string; method: string; url: string; body: ChatCompletionBody };
        if (parsed.method !== 'POST' || parsed.url !== body.endpoint || requests.some((request) => request.customId === parsed.custom_id)) {
          return sendJson(response, 400, {
            error: { message: `Line ${requests.length + 1} is not a POST to ${body.endpoint} with a unique custom_id.`, type: 'invalid_request_error' },
          });
        }
        requests.push({ customId: parsed.custom_id, url: parsed.url, body: parsed.body });
      }
      const batch: SimulatedBatch = {
        id: nextId('batch'),
        inputFileId: body.input_file_id,
        endpoint: body.endpoint,
        createdAt: Date.now(),
        requests,
        metadata: body.metadata ?? null,
        retrievals: 0,
        cancelled: false,
      };
      batches.set(batch.id, batch);
      return sendJson(response, 200, view(batch));
    }
    const batchPath = /^\/v1\/batches\/([^/]+)(\/cancel)?$/u.exec(url.pathname);
    const batch = batches.get(batchPath?.[1] ?? '');
    if (batchPath !== null && batch === undefined) return sendJson(response, 404, { error: { message: 'No such batch.', type: 'invalid_request_error' } });
    if (batch !== undefined && method === 'GET' && batchPath?.[2] === undefined) {
      batch.retrievals += 1;
      return sendJson(response, 200, view(batch));
    }
    if (batch !== undefined && method === 'POST' && batchPath?.[2] === '/cancel') {
      batch.cancelled = true;
      return sendJson(response, 200, view(batch));
    }
    sendJson(response, 404, { error: { message: `No ${method} ${url.pathname}.`, type: 'invalid_request_error' } });
  }

  return {
    settings,
    batches,
    answeredRequests: () => [...answered],
    handles: (incoming) => /^\/v1\/(files|batches)(\/|$)/u.test(new URL(incoming.url ?? '/', 'http://loopback').pathname),
    handle,
    reset: () => {
      files.clear();
      batches.clear();
      answered.length = 0;
    },
  };
}

function sendJson(response: ServerResponse, status: number, payload: unknown): void {
  const text = JSON.stringify(payload);
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  response.end(text);
}
