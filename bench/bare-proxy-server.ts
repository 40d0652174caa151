// The floor of the overhead benchmark: the least a proxy can be — node:http in and out on a
// keep-alive connection, no framework, no SDK, no validation, prompts, limits, metrics or security —
// run as its own process like the real BFF. Whatever this costs over calling the provider directly is
// the price of one more HTTP hop on this machine, which no BFF can avoid; the BFF's overhead is
// reported on its own and above this floor.
import http from 'node:http';

const port = Number(process.env['PORT']);
const upstream = new URL(`${process.env['OPENAI_BASE_URL'] ?? ''}/chat/completions`);
const agent = new http.Agent({ keepAlive: true });

function readBody(message: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    message.on('data', (chunk: Buffer) => chunks.push(chunk));
    message.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    message.on('error', reject);
  });
}

const server = http.createServer((request, response) => {
  void (async () => {
    if (request.url === '/healthz') {
      response.end('{"ok":true}');
      return;
    }
    const { text } = JSON.parse(await readBody(request)) as { text: string };
    const body = JSON.stringify({ model: process.env['LLM_MODEL'] ?? 'fake-model', messages: [{ role: 'user', content: text }] });
    const answer = await new Promise<string>((resolve, reject) => {
      const outgoing = http.request(
        upstream,
        {
          method: 'POST',
          agent,
          headers: {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
            authorization: `Bearer ${process.env['OPENAI_API_KEY'] ?? ''}`,
          },
        },
        (incoming) => void readBody(incoming).then(resolve, reject),
      );
      outgoing.on('error', reject);
      outgoing.end(body);
    });
    const completion = JSON.parse(answer) as { choices: { message: { content: string } }[] };
    const reply = JSON.stringify({ summary: completion.choices[0]?.message.content ?? '' });
    response.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(reply) });
    response.end(reply);
  })().catch(() => {
    response.statusCode = 502;
    response.end();
  });
});
server.keepAliveTimeout = 30_000;
server.listen(port, '127.0.0.1');
