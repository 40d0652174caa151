// POST /api/v1/attachments/extract (contract/attachments.ts). Registered inside the signed-in API
// context: reading files is work on the caller's behalf, like the operations. Its body limit is sized
// for one attachment (ATTACHMENT_MAX_BYTES as base64), not the whole API's, and a body over it is
// answered ATTACHMENT_TOO_LARGE like a file over the limit. The client's disconnect stops the extraction.
import type { FastifyInstance } from 'fastify';
import { attachmentExtractPath, attachmentExtractRequestSchema } from '../../contract/attachments.js';
import type { ResultCache } from '../engine/result-cache.js';
import { AppError } from '../errors.js';
import { logError, sendError, toAppError } from '../http/error-handler.js';
import { parseBody } from '../http/validation.js';
import { formatCount } from '../operations/shared/input-limits.js';
import { attachmentBodyLimit, AttachmentService, type AttachmentServiceDependencies } from './attachment-service.js';

export interface AttachmentRouteDependencies extends AttachmentServiceDependencies {
  cache?: ResultCache;
}

export function registerAttachmentRoute(api: FastifyInstance, dependencies: AttachmentRouteDependencies): void {
  const service = new AttachmentService(dependencies);
  const bodyLimit = attachmentBodyLimit(dependencies.settings.maxBytes);
  api.post(
    attachmentExtractPath,
    {
      bodyLimit,
      errorHandler: (error, request, reply) => {
        const appError =
          (error as { code?: unknown }).code === 'FST_ERR_CTP_BODY_TOO_LARGE'
            ? new AppError(
                'ATTACHMENT_TOO_LARGE',
                `The attachment is larger than this server reads (at most ${formatCount(dependencies.settings.maxBytes)} bytes). Summarise a smaller file, or copy the part you need into the message.`,
                { details: { limit: dependencies.settings.maxBytes } },
              )
            : toAppError(error, bodyLimit);
        logError(request, appError, error);
        return sendError(reply, appError);
      },
    },
    async (request, reply) => {
      const input = parseBody(attachmentExtractRequestSchema, request.body);
      const abort = new AbortController();
      reply.raw.on('close', () => {
        if (!reply.raw.writableFinished) abort.abort();
      });
      return service.extractText(input, dependencies.cache?.forTenant(request.identity?.tenantId), abort.signal);
    },
  );
}
