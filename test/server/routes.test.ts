// Every route of the contract, as JSON and as a stream, through the real openai SDK against the
// loopback OpenAI-protocol server.
import { readFileSync } from 'node:fs';
import {
  classifyResponseSchema,
  healthResponseSchema,
  operationContracts,
  streamEventSchemas,
  summarizeResponseSchema,
  translateResponseSchema,
  type OperationContract,
} from '../../src/contract/schemas.js';
import { startBff, useBffWithFakeProvider } from '../support/bff.js';
import { classifyAnswerContent, classifyRequestParts, delimitedContent, fakeLabel } from '../support/fake-openai-server.js';
import { postJson, postStream } from '../support/http-client.js';

const setup = useBffWithFakeProvider();

const germanSample = readFileSync('../shared/data/samples/llm-overview.de.md', 'utf8');

describe('GET /healthz', () => {
  test('reports the provider and model, ready', async () => {
    const response = await fetch(`${setup.bff.url}/healthz`);
    expect(response.status).toBe(200);
    const body = healthResponseSchema.parse(await response.json());
    expect(body).toEqual({ status: 'ok', provider: 'openai-compatible', model: 'fake-model', ready: true });
  });
});

describe('POST /api/v1/summarize', () => {
  test('JSON: summary, model and usage; the text reaches the provider inside delimiters with the key', async () => {
    const response = await postJson(`${setup.bff.url}/api/v1/summarize`, {
      text: 'The meeting moved to Friday. Anna books the room.',
      kind: 'email',
      length: 'short',
      format: 'bullets',
    });
    expect(response.status).toBe(200);
    const body = summarizeResponseSchema.parse(response.body);
    expect(body.summary).toMatch(/^Summary \(9 words\): The meeting moved to Friday/);
    expect(body.model).toBe('fake-model');
    expect(body.usage.requests).toBe(1);
    expect(body.usage.promptTokens).toBeGreaterThan(0);
    expect(setup.fake.requests).toHaveLength(1);
    const upstream = setup.fake.requests[0]!;
    expect(upstream.headers.authorization).toBe('Bearer test-key');
    expect(delimitedContent(upstream.body)).toBe('The meeting moved to Friday. Anna books the room.');
    const system = upstream.body.messages[0]!.content;
    expect(system).toMatch(/action items/);
    expect(system).toMatch(/bullet points/);
  });

  test('writes in the input language by default, and in the asked language when given', async () => {
    await postJson(`${setup.bff.url}/api/v1/summarize`, { text: germanSample.slice(0, 3000), kind: 'document' });
    expect(setup.fake.requests[0]!.body.messages[0]!.content).toContain('Write in German (de), the language of the text');
    await postJson(`${setup.bff.url}/api/v1/summarize`, { text: germanSample.slice(0, 3000), language: 'en-GB' });
    expect(setup.fake.requests[1]!.body.messages[0]!.content).toContain('Write in British English (en-GB), whatever the language of the text');
  });

  test('streamed: text-delta events that add up to the summary, then done', async () => {
    const { status, headers, events } = await postStream(`${setup.bff.url}/api/v1/summarize`, { text: 'Alpha beta gamma delta epsilon.' });
    expect(status).toBe(200);
    expect(headers.get('content-type')).toContain('text/event-stream');
    const deltas = events.filter((event) => event.event === 'text-delta');
    expect(deltas.length).toBeGreaterThan(1);
    const done = events.at(-1)!;
    expect(done.event).toBe('done');
    const final = summarizeResponseSchema.parse(done.data);
    expect(deltas.map((event) => (event.data as { text: string }).text).join('')).toBe(final.summary);
    expect(setup.fake.requests[0]!.body.stream).toBe(true);
  });

  test('long text is mapped in chunks and reduced; only the final step streams', async () => {
    const longText = Array.from({ length: 40 }, (_, index) => `Paragraph ${index}. ${'Lorem ipsum dolor sit amet. '.repeat(30)}`).join('\n\n');
    const { events } = await postStream(`${setup.bff.url}/api/v1/summarize`, { text: longText });
    const final = summarizeResponseSchema.parse(events.at(-1)!.data);
    const streamed = setup.fake.requests.filter((request) => request.body.stream === true);
    expect(streamed).toHaveLength(1);
    expect(setup.fake.requests.length).toBeGreaterThan(2);
    expect(final.usage.requests).toBe(setup.fake.requests.length);
    expect(streamed[0]!.body.messages[0]!.content).toMatch(/summaries of consecutive parts/);
  });
});

describe('POST /api/v1/translate', () => {
  test('JSON: one translation per text, in order; blank texts unchanged and never sent', async () => {
    const texts = ['Guten Morgen, wie geht es dir heute?', '', '   ', '  Der Bericht ist fertig.\n', 'Danke schön für die schnelle Antwort.'];
    const response = await postJson(`${setup.bff.url}/api/v1/translate`, { texts, targetLanguage: 'en' });
    expect(response.status).toBe(200);
    const body = translateResponseSchema.parse(response.body);
    expect(body.translations).toEqual([
      '[en] Guten Morgen, wie geht es dir heute?',
      '',
      '   ',
      '  [en] Der Bericht ist fertig.\n',
      '[en] Danke schön für die schnelle Antwort.',
    ]);
    expect(body.detectedSourceLanguage).toBe('de');
    // Three short texts share one request.
    expect(setup.fake.requests).toHaveLength(1);
    expect(setup.fake.requests[0]!.body.response_format?.type).toBe('json_schema');
    expect(body.usage.requests).toBe(1);
  });

  test('identical texts (repeated cells) are translated once; every copy gets the answer with its own white space', async () => {
    const texts = ['Rechnung offen', 'Lieferung verspätet', 'Rechnung offen', '  Rechnung offen\n', 'Lieferung verspätet'];
    const { events } = await postStream(`${setup.bff.url}/api/v1/translate`, { texts, targetLanguage: 'en' });
    const done = translateResponseSchema.parse(events.at(-1)!.data);
    expect(done.translations).toEqual([
      '[en] Rechnung offen',
      '[en] Lieferung verspätet',
      '[en] Rechnung offen',
      '  [en] Rechnung offen\n',
      '[en] Lieferung verspätet',
    ]);
    expect(events.filter((event) => event.event === 'item')).toHaveLength(5);
    expect(setup.fake.requests).toHaveLength(1);
    expect(JSON.parse(delimitedContent(setup.fake.requests[0]!.body)) as unknown[]).toHaveLength(2);
  });

  test('long texts go alone as plain text; glossary and formality reach the instructions', async () => {
    const paragraphs = germanSample.split(/\n\s*\n/).filter((paragraph) => paragraph.trim() !== '');
    const response = await postJson(`${setup.bff.url}/api/v1/translate`, {
      texts: paragraphs,
      targetLanguage: 'en',
      sourceLanguage: 'de',
      glossary: { 'Large Language Models': 'large language models' },
      formality: 'formal',
    });
    const body = translateResponseSchema.parse(response.body);
    expect(body.translations).toHaveLength(paragraphs.length);
    body.translations.forEach((translation, index) => expect(translation).toContain(paragraphs[index]!.trim()));
    expect(body.detectedSourceLanguage).toBeUndefined();
    const system = setup.fake.requests[0]!.body.messages[0]!.content;
    expect(system).toContain('"Large Language Models" → "large language models"');
    expect(system).toContain('formal register');
    expect(system).toContain('from German (de)');
    expect(setup.fake.requests.some((request) => request.body.response_format === undefined)).toBe(true);
  });

  test('an id the model skipped is translated again on its own, never shifted onto a neighbour', async () => {
    setup.fake.setResponder((request) =>
      request.body.response_format
        ? {
            kind: 'content',
            content: JSON.stringify({
              translations: [
                { id: '2', text: 'second' },
                { id: '2', text: 'again' },
                { id: '9', text: 'ghost' },
              ],
            }),
          }
        : undefined,
    );
    const response = await postJson(`${setup.bff.url}/api/v1/translate`, { texts: ['eins', 'zwei', 'drei'], targetLanguage: 'en' });
    const body = translateResponseSchema.parse(response.body);
    // id 2 was repeated (ambiguous) and 1, 3 missing: all three asked again alone.
    expect(body.translations).toEqual(['[en] eins', '[en] zwei', '[en] drei']);
    expect(setup.fake.requests).toHaveLength(4);
  });

  test('streamed: an item event per text, progress, then done', async () => {
    const { events } = await postStream(`${setup.bff.url}/api/v1/translate`, {
      texts: ['Hallo Welt, wie geht es', '', 'Tschüss und bis morgen'],
      targetLanguage: 'fr',
    });
    const items = events.filter((event) => event.event === 'item').map((event) => event.data as { index: number; text: string });
    expect(items.map((item) => item.index).sort()).toEqual([0, 2]);
    expect(items.find((item) => item.index === 2)!.text).toBe('[fr] Tschüss und bis morgen');
    expect(events.some((event) => event.event === 'progress')).toBe(true);
    const done = translateResponseSchema.parse(events.at(-1)!.data);
    expect(events.at(-1)!.event).toBe('done');
    expect(done.translations).toEqual(['[fr] Hallo Welt, wie geht es', '', '[fr] Tschüss und bis morgen']);
  });
});

describe('POST /api/v1/classify', () => {
  const labels = ['card_arrival', 'lost_or_stolen_card', 'refund_not_showing_up'];

  test('JSON: a label from the set for every item, in order; duplicates classified once; empty items flagged', async () => {
    const items = ['My card has not arrived yet', 'I lost my card on the bus', '', 'Where is my refund? It is not showing up', 'My card has not arrived yet'];
    const response = await postJson(`${setup.bff.url}/api/v1/classify`, { items, labels });
    expect(response.status).toBe(200);
    const body = classifyResponseSchema.parse(response.body);
    expect(body.results.map((result) => result.label)).toEqual(['card_arrival', 'lost_or_stolen_card', null, 'refund_not_showing_up', 'card_arrival']);
    expect(body.results[2]!.error?.code).toBe('EMPTY_ITEM');
    expect(setup.fake.requests).toHaveLength(1);
    const upstream = setup.fake.requests[0]!.body;
    expect(upstream.response_format?.type).toBe('json_schema');
    // The answer maps each short id to a label number, each an enum of the label numbers; the labels are listed once in the prompt.
    const schema = upstream.response_format?.json_schema?.schema;
    expect(Object.keys(schema?.properties ?? {})).toEqual(['1', '2', '3']);
    expect(schema?.properties?.['1']?.enum).toEqual(labels.map((_, index) => index));
    expect(classifyRequestParts(upstream)?.labels).toEqual(labels);
    // Three unique non-empty items were sent, not five.
    expect(classifyRequestParts(upstream)?.items).toHaveLength(3);
  });

  test('labels outside the set, missing and repeated ids are asked again alone; never passed through', async () => {
    let batchAnswered = false;
    setup.fake.setResponder((request) => {
      const sent = classifyRequestParts(request.body)?.items ?? [];
      if (sent.length > 1 && !batchAnswered) {
        batchAnswered = true;
        // Item 1 gets a label outside the set, item 2 twice, item 3 nothing.
        return { kind: 'content', content: '{"1":"not_a_label","2":0,"2":0}' };
      }
      return undefined;
    });
    const response = await postJson(`${setup.bff.url}/api/v1/classify`, { items: ['card arrival late', 'card arrival?', 'lost card'], labels });
    const body = classifyResponseSchema.parse(response.body);
    expect(body.results.map((result) => result.label)).toEqual(['card_arrival', 'card_arrival', 'lost_or_stolen_card']);
    expect(setup.fake.requests).toHaveLength(4);
  });

  test('an item that keeps getting invalid answers ends as null with an error, its neighbours keep theirs', async () => {
    setup.fake.setResponder((request) => {
      const sent = classifyRequestParts(request.body)?.items ?? [];
      if (sent.some((item) => item.text === 'poison')) {
        return {
          kind: 'content',
          content: classifyAnswerContent(
            sent.map((item) => ({ id: item.id, label: item.text === 'poison' ? 'bogus' : fakeLabel(item.text, labels) })),
            labels,
          ),
        };
      }
      return undefined;
    });
    const response = await postJson(`${setup.bff.url}/api/v1/classify`, { items: ['card arrival', 'poison', 'lost card'], labels });
    const body = classifyResponseSchema.parse(response.body);
    expect(body.results[0]!.label).toBe('card_arrival');
    expect(body.results[1]).toEqual({ label: null, error: expect.objectContaining({ code: 'INVALID_MODEL_OUTPUT', retryable: true }) });
    expect(body.results[2]!.label).toBe('lost_or_stolen_card');
  });

  test('malformed JSON from the model is retried per item, not passed through', async () => {
    setup.fake.enqueue({ kind: 'content', content: '{"results": [{"id": "1", "label": "card_arr' });
    const response = await postJson(`${setup.bff.url}/api/v1/classify`, { items: ['card arrival', 'lost card'], labels });
    const body = classifyResponseSchema.parse(response.body);
    expect(body.results.map((result) => result.label)).toEqual(['card_arrival', 'lost_or_stolen_card']);
  });

  test('streamed: item and progress events, then done with every result', async () => {
    const items = Array.from({ length: 60 }, (_, index) => (index % 2 === 0 ? `card arrival ${index}` : `lost card ${index}`));
    const { events } = await postStream(`${setup.bff.url}/api/v1/classify`, { items, labels, instructions: 'Prefer card_arrival when unsure.' });
    const itemEvents = events.filter((event) => event.event === 'item').map((event) => event.data as { index: number; label: string });
    expect(itemEvents).toHaveLength(60);
    expect(new Set(itemEvents.map((event) => event.index)).size).toBe(60);
    const progress = events.filter((event) => event.event === 'progress').map((event) => event.data as { done: number; total: number });
    expect(progress.at(-1)).toEqual({ done: 60, total: 60 });
    const done = classifyResponseSchema.parse(events.at(-1)!.data);
    expect(done.results).toHaveLength(60);
    done.results.forEach((result, index) => expect(result.label).toBe(index % 2 === 0 ? 'card_arrival' : 'lost_or_stolen_card'));
    // 60 short items are far inside one batch's token budget: one request carries them all.
    expect(setup.fake.requests).toHaveLength(1);
    expect(classifyRequestParts(setup.fake.requests[0]!.body)?.items).toHaveLength(60);
    expect(setup.fake.requests[0]!.body.messages[0]!.content).toContain('Prefer card_arrival when unsure.');
  });
});

// The operation registry drives the routes: every operation of the contract answers its example as
// JSON and as a stream, with exactly the events it declares.
describe.each(Object.values(operationContracts) as OperationContract[])('operation $name (from the registry)', (contract) => {
  test('JSON: the example request answers 200 with a response its schema accepts', async () => {
    const response = await postJson(`${setup.bff.url}${contract.path}`, contract.example);
    expect(response.status).toBe(200);
    expect(contract.response.safeParse(response.body).success).toBe(true);
  });

  test('streamed: only the declared events, each valid, then done with a valid response', async () => {
    const { events } = await postStream(`${setup.bff.url}${contract.path}`, contract.example);
    const names = events.map((event) => event.event);
    expect(names.at(-1)).toBe('done');
    expect(contract.response.safeParse(events.at(-1)?.data).success).toBe(true);
    for (const event of events.slice(0, -1)) {
      expect(contract.streamEvents).toContain(event.event);
      expect(streamEventSchemas[event.event as keyof typeof streamEventSchemas].safeParse(event.data).success).toBe(true);
    }
  });

  test('an unknown field is refused with 400 naming it', async () => {
    const response = await postJson(`${setup.bff.url}${contract.path}`, { ...(contract.example as object), unknownField: 1 });
    expect(response.status).toBe(400);
    expect(JSON.stringify(response.body)).toContain('unknownField');
  });
});

describe('GET /api/v1/openapi.json', () => {
  test('describes every route with schemas generated from the contract', async () => {
    const response = await fetch(`${setup.bff.url}/api/v1/openapi.json`);
    const document = (await response.json()) as {
      openapi: string;
      paths: Record<string, unknown>;
      components: { schemas: Record<string, { properties?: Record<string, unknown>; required?: string[] }> };
    };
    expect(document.openapi).toBe('3.1.0');
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining([...Object.values(operationContracts).map((contract) => contract.path), '/healthz', '/api/v1/client-config']),
    );
    for (const contract of Object.values(operationContracts)) {
      expect(document.paths[contract.path]).toMatchObject({ post: { operationId: contract.name, summary: contract.summary } });
    }
    expect(document.components.schemas['ClassifyRequest']?.required).toEqual(['items', 'labels']);
    expect(Object.keys(document.components.schemas['TranslateRequest']?.properties ?? {})).toEqual(
      expect.arrayContaining(['texts', 'targetLanguage', 'sourceLanguage', 'glossary', 'formality']),
    );
    expect(document.components.schemas['ErrorEnvelope']).toBeDefined();
  });
});

describe('GET /metrics', () => {
  test('counts LLM requests and tokens in Prometheus text', async () => {
    await postJson(`${setup.bff.url}/api/v1/summarize`, { text: 'Count me.' });
    const text = await (await fetch(`${setup.bff.url}/metrics`)).text();
    expect(text).toMatch(/llm_requests_total\{operation="summarize"\} [1-9]/);
    expect(text).toContain('http_request_duration_seconds_bucket');
  });
});

describe('Azure OpenAI through the same SDK', () => {
  test('the deployment URL, api-version and api-key header reach the provider; all three operations answer', async () => {
    const azure = await startBff({
      AZURE_OPENAI_ENDPOINT: setup.fake.url,
      AZURE_OPENAI_API_KEY: 'azure-test-key',
      AZURE_OPENAI_DEPLOYMENT: 'gpt-4o-mini-prod',
      OPENAI_API_VERSION: '2024-10-21',
    });
    try {
      const health = (await (await fetch(`${azure.url}/healthz`)).json()) as { provider: string; model: string };
      expect(health).toMatchObject({ provider: 'azure', model: 'gpt-4o-mini-prod' });
      expect((await postJson(`${azure.url}/api/v1/summarize`, { text: 'Azure, please summarise this.' })).status).toBe(200);
      expect(
        translateResponseSchema.parse((await postJson(`${azure.url}/api/v1/translate`, { texts: ['Hallo Welt'], targetLanguage: 'en' })).body).translations,
      ).toEqual(['[en] Hallo Welt']);
      expect(
        classifyResponseSchema.parse(
          (await postJson(`${azure.url}/api/v1/classify`, { items: ['lost card'], labels: ['card_arrival', 'lost_or_stolen_card'] })).body,
        ).results[0]!.label,
      ).toBe('lost_or_stolen_card');
      expect(setup.fake.requests).toHaveLength(3);
      for (const request of setup.fake.requests) {
        expect(request.path).toBe('/openai/deployments/gpt-4o-mini-prod/chat/completions');
        expect(request.url).toContain('api-version=2024-10-21');
        expect(request.headers['api-key']).toBe('azure-test-key');
      }
    } finally {
      await azure.close();
    }
  });
});
