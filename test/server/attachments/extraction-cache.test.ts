// Extraction is cached by the file's SHA-256 in the tenant's partition of the real result cache
// (SQLite): the same file twice is one extraction; another tenant's first request extracts again.
import path from 'node:path';
import { extractAttachment, type AttachmentExtractor } from '../../../src/server/attachments/attachment-extraction.js';
import { AttachmentService } from '../../../src/server/attachments/attachment-service.js';
import { createResultCache } from '../../../src/server/engine/create-result-cache.js';
import type { ResultCache } from '../../../src/server/engine/result-cache.js';
import { contractDocx, longReportPdf } from './attachment-fixtures.js';
import { temporaryFolder } from '../../support/temporary-folder.js';

let cache: ResultCache;
beforeAll(() => {
  cache = createResultCache({ kind: 'sqlite', path: path.join(temporaryFolder('extraction-cache'), 'cache.sqlite'), ttlSeconds: 3600 });
});
afterAll(() => cache.close());

function countingService(settings = { maxBytes: 10 * 1024 * 1024, maxCharacters: 100_000 }) {
  const extracted: string[] = [];
  const extract: AttachmentExtractor = async (file, signal) => {
    extracted.push(file.name);
    return extractAttachment(file, signal);
  };
  return { service: new AttachmentService({ settings, extract }), extracted };
}

test('the same file twice (even under another name) is extracted once; another tenant extracts its own', async () => {
  const { service, extracted } = countingService();
  const contentBase64 = (await longReportPdf(3)).toString('base64');
  const signal = new AbortController().signal;
  const first = await service.extractText({ name: 'report.pdf', contentBase64 }, cache.forTenant('contoso'), signal);
  const second = await service.extractText({ name: 'report (1).pdf', contentBase64 }, cache.forTenant('contoso'), signal);
  expect(extracted).toEqual(['report.pdf']);
  expect(first.cached).toBe(false);
  expect(second).toEqual({ ...first, name: 'report (1).pdf', cached: true });

  const otherTenant = await service.extractText({ name: 'report.pdf', contentBase64 }, cache.forTenant('fabrikam'), signal);
  expect(otherTenant.cached).toBe(false);
  expect(extracted).toEqual(['report.pdf', 'report.pdf']);
});

test('text beyond the input limit is cut there and marked truncated, with the whole length counted', async () => {
  const { service } = countingService({ maxBytes: 10 * 1024 * 1024, maxCharacters: 60 });
  const result = await service.extractText(
    { name: 'contract.docx', contentBase64: (await contractDocx()).toString('base64') },
    undefined,
    new AbortController().signal,
  );
  expect(result.truncated).toBe(true);
  expect(result.text).toHaveLength(60);
  expect(result.characters).toBeGreaterThan(60);
});

test('a stopped request stops the extraction of a long PDF', async () => {
  const { service } = countingService();
  const controller = new AbortController();
  controller.abort();
  await expect(
    service.extractText({ name: 'report.pdf', contentBase64: (await longReportPdf(5)).toString('base64') }, undefined, controller.signal),
  ).rejects.toMatchObject({
    code: 'CANCELLED',
  });
});
