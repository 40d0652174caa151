// Extraction with its limits and its cache: the file's size is checked before it is decoded, its
// SHA-256 is the cache key (in the caller's tenant partition, like every cached result), and a file
// seen before is answered from the cache without a second extraction. Text longer than the input
// limit of a summary is cut there and marked `truncated`, so the pane can say the summary covers its start.
import { createHash } from 'node:crypto';
import type { AttachmentExtractRequest, AttachmentExtractResponse } from '../../contract/attachments.js';
import { cacheKeyer, type ResultCache } from '../engine/result-cache.js';
import { attachmentTooLarge } from './attachment-errors.js';
import { extractAttachment, type AttachmentExtractor } from './attachment-extraction.js';

/** Bump when an extractor's output changes: cached extractions from before then miss. */
export const extractionVersion = 1;

export interface AttachmentSettings {
  /** The largest file read, decoded (ATTACHMENT_MAX_BYTES). */
  maxBytes: number;
  /** Text kept at most (the summary's input limit: more could not be sent anyway). */
  maxCharacters: number;
}

export interface AttachmentServiceDependencies {
  settings: AttachmentSettings;
  extract?: AttachmentExtractor;
}

type CachedExtraction = Omit<AttachmentExtractResponse, 'name' | 'sha256' | 'cached'>;

export class AttachmentService {
  private readonly extract: AttachmentExtractor;

  constructor(private readonly dependencies: AttachmentServiceDependencies) {
    this.extract = dependencies.extract ?? extractAttachment;
  }

  async extractText(request: AttachmentExtractRequest, cache: ResultCache | undefined, signal: AbortSignal): Promise<AttachmentExtractResponse> {
    const { maxBytes, maxCharacters } = this.dependencies.settings;
    const estimatedBytes = decodedBase64Bytes(request.contentBase64);
    if (estimatedBytes > maxBytes) throw attachmentTooLarge(request.name, estimatedBytes, maxBytes);
    const content = Buffer.from(request.contentBase64, 'base64');
    if (content.byteLength > maxBytes) throw attachmentTooLarge(request.name, content.byteLength, maxBytes);

    const sha256 = createHash('sha256').update(content).digest('hex');
    const key = cacheKeyer({ operation: 'attachment-extract', promptVersion: extractionVersion, modelId: '', options: { maxCharacters } })(sha256);
    const cached = (await cache?.getMany([key]))?.get(key);
    if (cached !== undefined) return { name: request.name, ...(JSON.parse(cached) as CachedExtraction), sha256, cached: true };

    const extracted = await this.extract({ name: request.name, contentType: request.contentType, content }, signal);
    const truncated = extracted.text.length > maxCharacters;
    const result: CachedExtraction = {
      kind: extracted.kind,
      text: truncated ? extracted.text.slice(0, maxCharacters) : extracted.text,
      characters: extracted.text.length,
      ...(extracted.pages === undefined ? {} : { pages: extracted.pages }),
      ...(extracted.sheets === undefined ? {} : { sheets: extracted.sheets }),
      truncated,
    };
    await cache?.setMany(new Map([[key, JSON.stringify(result)]]));
    return { name: request.name, ...result, sha256, cached: false };
  }
}

/** Bytes a base64 string decodes to, without decoding it (whitespace aside). */
export function decodedBase64Bytes(base64: string): number {
  const length = base64.replace(/\s/gu, '').length;
  const padding = base64.endsWith('==') ? 2 : base64.endsWith('=') ? 1 : 0;
  return Math.max(0, Math.floor((length * 3) / 4) - padding);
}

/** The JSON body that carries a file of `maxBytes` as base64, with room for its name and the JSON around it. */
export function attachmentBodyLimit(maxBytes: number): number {
  return Math.ceil(maxBytes / 3) * 4 + 64 * 1024;
}
