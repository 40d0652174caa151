// The floor of the overhead benchmark: the least a BFF can be — Fastify, one route, the openai SDK,
// no validation, prompts, limits, metrics or security — run as its own process like the real BFF.
// Whatever this costs over calling the provider directly is the price of one more HTTP hop on this
// machine; the real BFF's overhead is reported against it as well as on its own.
import Fastify from 'fastify';
import OpenAI from 'openai';

const port = Number(process.env['PORT']);
const client = new OpenAI({ apiKey: process.env['OPENAI_API_KEY'] ?? 'bench', baseURL: process.env['OPENAI_BASE_URL'], maxRetries: 0 });
const app = Fastify();
app.post('/api/v1/summarize', async (request) => {
  const { text } = request.body as { text: string };
  const completion = await client.chat.completions.create({ model: process.env['LLM_MODEL'] ?? 'fake-model', messages: [{ role: 'user', content: text }] });
  return { summary: completion.choices[0]?.message.content ?? '' };
});
app.get('/healthz', async () => ({ ok: true }));
await app.listen({ port, host: '127.0.0.1' });
