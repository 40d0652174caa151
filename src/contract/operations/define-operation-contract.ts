// One operation's wire contract: its name (which is also its route, POST /api/v1/<name>), its request
// and response schemas, the stream events it sends before `done`, a one-line summary and an example
// request. The BFF's routes, the OpenAPI document, the pane's typed client and the route tests are all
// driven by these, so a new operation is declared once.
import { z } from 'zod';
import { usageSchema, type Usage } from '../common-schemas.js';
import { operationPath } from '../routes.js';

/** Stream events an operation may send before `done` (an `error` event can always come instead of it). */
export type OperationStreamEvent = 'text-delta' | 'item' | 'progress';

export interface OperationContract<
  Name extends string = string,
  Request extends z.ZodType = z.ZodType,
  Response extends z.ZodType<{ usage: Usage }> = z.ZodType<{ usage: Usage }>,
> {
  name: Name;
  path: ReturnType<typeof operationPath<Name>>;
  /** One line for the OpenAPI document. */
  summary: string;
  request: Request;
  response: Response;
  streamEvents: readonly OperationStreamEvent[];
  /** A valid request: the OpenAPI example, and what the route and log-hygiene tests send. */
  example: z.input<Request>;
}

export function defineOperationContract<const Name extends string, Request extends z.ZodType, Response extends z.ZodType<{ usage: Usage }>>(
  contract: Omit<OperationContract<Name, Request, Response>, 'path'>,
): OperationContract<Name, Request, Response> {
  return { ...contract, path: operationPath(contract.name) };
}

/** Every operation's response: its own fields, then the model that answered and what the call used. */
export function operationResponseSchema<const Shape extends z.ZodRawShape>(shape: Shape) {
  return z.object({ ...shape, model: z.string(), usage: usageSchema });
}
