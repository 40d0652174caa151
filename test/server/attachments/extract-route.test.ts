// POST /api/v1/attachments/extract through the real BFF: real files made by the tests, read by the
// kept library for each format; the clear errors for encrypted, image-only, unsupported and too large
// files; the same file twice answered from the (tenant's) result cache.
import path from 'node:path';
import { attachmentExtractResponseSchema, errorEnvelopeSchema } from '../../../src/contract/schemas.js';
import { openAiCompatibleEnvironment, startBff, type RunningBff } from '../../support/bff.js';
import { startFakeOpenAiServer, type FakeOpenAiServer } from '../../support/fake-openai-server.js';
import { postJson } from '../../support/http-client.js';
import { budgetXlsx, contractDocx, docxParagraphs, encryptedPdf, imageOnlyPdf, longReportPdf, reportPageSentence } from './attachment-fixtures.js';
import { temporaryFolder } from '../../support/temporary-folder.js';

let fake: FakeOpenAiServer;
let bff: RunningBff;
beforeAll(async () => {
  fake = await startFakeOpenAiServer();
  const cachePath = path.join(temporaryFolder('attachment-cache'), 'cache.sqlite');
  bff = await startBff(openAiCompatibleEnvironment(fake.baseUrl, { CACHE_PATH: cachePath }));
});
afterAll(async () => {
  await bff.close();
  await fake.close();
});

async function extract(name: string, content: Buffer | string, contentType?: string) {
  const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  return postJson(`${bff.url}/api/v1/attachments/extract`, { name, ...(contentType ? { contentType } : {}), contentBase64: bytes.toString('base64') });
}

function errorOf(response: { status: number; body: unknown }) {
  return errorEnvelopeSchema.parse(response.body).error;
}

test('a 30-page PDF: the text of every page, the page count, its SHA-256; the second time from the cache', async () => {
  const pdf = await longReportPdf(30);
  const first = await extract('Q3 report.pdf', pdf, 'application/pdf');
  expect(first.status).toBe(200);
  const body = attachmentExtractResponseSchema.parse(first.body);
  expect(body).toMatchObject({ name: 'Q3 report.pdf', kind: 'pdf', pages: 30, truncated: false, cached: false });
  for (const page of [1, 15, 30]) expect(body.text.replace(/\s+/g, ' ')).toContain(reportPageSentence(page));
  expect(body.characters).toBe(body.text.length);
  expect(body.sha256).toMatch(/^[0-9a-f]{64}$/);

  const again = attachmentExtractResponseSchema.parse((await extract('copy of the report.pdf', pdf)).body);
  expect(again).toMatchObject({ name: 'copy of the report.pdf', cached: true, sha256: body.sha256, text: body.text, pages: 30 });
  expect(fake.requests).toHaveLength(0);
});

test('a .docx and an .xlsx: their paragraphs, and each sheet as tab-separated rows under its name', async () => {
  const docx = attachmentExtractResponseSchema.parse((await extract('contract.docx', await contractDocx())).body);
  expect(docx.kind).toBe('docx');
  for (const paragraph of docxParagraphs) expect(docx.text).toContain(paragraph);

  const xlsx = attachmentExtractResponseSchema.parse((await extract('budget.xlsx', await budgetXlsx())).body);
  expect(xlsx).toMatchObject({ kind: 'xlsx', sheets: ['Budget', 'People'] });
  expect(xlsx.text).toContain('## Sheet: Budget\nItem\tAmount\nServers\t1200\nLicences\t800\nTotal\t2000');
  expect(xlsx.text).toContain('## Sheet: People\nName\tRole\nAnna\tLead');
});

test('HTML, text and an attached .eml', async () => {
  const html = attachmentExtractResponseSchema.parse(
    (await extract('notes.html', '<html><body><h1>Agenda</h1><ul><li>Budget</li><li>Hiring</li></ul><img src="x.png"></body></html>')).body,
  );
  expect(html.kind).toBe('html');
  expect(html.text).toMatch(/AGENDA[\s\S]*Budget[\s\S]*Hiring/);

  const text = attachmentExtractResponseSchema.parse((await extract('readme.txt', 'Plain notes: ship on Friday.')).body);
  expect(text).toMatchObject({ kind: 'text', text: 'Plain notes: ship on Friday.' });

  const eml = [
    'From: Maria <maria@example.com>',
    'To: Ben <ben@example.com>',
    'Subject: Signed contract',
    'Date: Mon, 30 Nov 2026 09:00:00 +0000',
    'Content-Type: text/plain; charset=utf-8',
    '',
    'Please send the signed contract by Thursday.',
  ].join('\r\n');
  const mail = attachmentExtractResponseSchema.parse((await extract('forwarded.eml', eml)).body);
  expect(mail.kind).toBe('eml');
  expect(mail.text).toContain('Subject: Signed contract');
  expect(mail.text).toContain('From: "Maria" <maria@example.com>');
  expect(mail.text).toContain('Please send the signed contract by Thursday.');
});

test('an encrypted PDF, an image-only PDF and an unknown kind each get their own clear message', async () => {
  const encrypted = await extract('salaries.pdf', await encryptedPdf());
  expect(encrypted.status).toBe(400);
  expect(errorOf(encrypted)).toMatchObject({ code: 'ATTACHMENT_ENCRYPTED', retryable: false });
  expect(errorOf(encrypted).message).toMatch(/"salaries\.pdf" is password-protected/);

  const scan = await extract('scan.pdf', await imageOnlyPdf());
  expect(scan.status).toBe(400);
  expect(errorOf(scan)).toMatchObject({ code: 'ATTACHMENT_NO_TEXT' });
  expect(errorOf(scan).message).toContain('"scan.pdf" has no text to read — it may be a scan');

  const image = await extract('photo.png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]), 'image/png');
  expect(image.status).toBe(400);
  expect(errorOf(image)).toMatchObject({ code: 'ATTACHMENT_UNSUPPORTED' });
  expect(errorOf(image).message).toBe(
    '"photo.png": this kind of file cannot be read; supported: PDF, Word (.docx), Excel (.xlsx), text, HTML, .eml and Outlook .msg.',
  );

  // An encrypted Word file is an OLE container, not a zip.
  const protectedDocx = Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(512)]);
  expect(errorOf(await extract('protected.docx', protectedDocx)).code).toBe('ATTACHMENT_ENCRYPTED');
  expect(errorOf(await extract('empty.txt', '   \n')).code).toBe('ATTACHMENT_NO_TEXT');
  const damaged = await extract('meeting.msg', Buffer.from('not an Outlook message at all'));
  expect(errorOf(damaged)).toMatchObject({ code: 'ATTACHMENT_UNSUPPORTED', message: expect.stringContaining('"meeting.msg" could not be read as MSG') });
});

test('a file over ATTACHMENT_MAX_BYTES is answered 413 ATTACHMENT_TOO_LARGE, by its size or by the route body limit', async () => {
  const small = await startBff(openAiCompatibleEnvironment(fake.baseUrl, { ATTACHMENT_MAX_BYTES: '4096' }));
  try {
    const justOver = await postJson(`${small.url}/api/v1/attachments/extract`, { name: 'big.txt', contentBase64: Buffer.alloc(4097, 0x61).toString('base64') });
    expect(justOver.status).toBe(413);
    expect(errorOf(justOver)).toMatchObject({ code: 'ATTACHMENT_TOO_LARGE', details: { limit: 4096, actual: 4097 } });
    const farOver = await postJson(`${small.url}/api/v1/attachments/extract`, {
      name: 'huge.txt',
      contentBase64: Buffer.alloc(200_000, 0x61).toString('base64'),
    });
    expect(farOver.status).toBe(413);
    expect(errorOf(farOver).code).toBe('ATTACHMENT_TOO_LARGE');
    const fits = await postJson(`${small.url}/api/v1/attachments/extract`, { name: 'fine.txt', contentBase64: Buffer.alloc(4096, 0x61).toString('base64') });
    expect(fits.status).toBe(200);
  } finally {
    await small.close();
  }
});

test('the OpenAPI document describes the extract route and the additive summarize and reply fields', async () => {
  const document = (await (await fetch(`${bff.url}/api/v1/openapi.json`)).json()) as {
    paths: Record<string, { post?: { requestBody?: unknown } }>;
    components: { schemas: Record<string, { properties?: Record<string, unknown> }> };
  };
  expect(document.paths['/api/v1/attachments/extract']?.post?.requestBody).toBeDefined();
  const { schemas } = document.components;
  expect(Object.keys(schemas['AttachmentExtractResponse']?.properties ?? {})).toEqual(
    expect.arrayContaining(['name', 'kind', 'text', 'characters', 'pages', 'sheets', 'truncated', 'sha256', 'cached']),
  );
  expect(Object.keys(schemas['SummarizeRequest']?.properties ?? {})).toEqual(expect.arrayContaining(['text', 'kind', 'attachments', 'messages']));
  expect(Object.keys(schemas['SummarizeResponse']?.properties ?? {})).toEqual(expect.arrayContaining(['summary', 'digest', 'trimmed']));
  expect(Object.keys(schemas['ReplyRequest']?.properties ?? {})).toEqual(expect.arrayContaining(['message', 'instructions', 'attachments']));
});
