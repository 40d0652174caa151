// Every operation of the contract. The BFF registers a route for each, the OpenAPI document describes
// each and the pane's client is typed by this list: a new operation is one file here and one line below.
import type { z } from 'zod';
import { classifyContract } from './classify.js';
import { replyContract } from './reply.js';
import { summarizeContract } from './summarize.js';
import { translateContract } from './translate.js';

export const operationContracts = {
  summarize: summarizeContract,
  translate: translateContract,
  classify: classifyContract,
  reply: replyContract,
} as const;

export type OperationName = keyof typeof operationContracts;
export type OperationRequest<Name extends OperationName> = z.infer<(typeof operationContracts)[Name]['request']>;
export type OperationResponse<Name extends OperationName> = z.infer<(typeof operationContracts)[Name]['response']>;
