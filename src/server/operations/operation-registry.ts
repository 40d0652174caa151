// Every operation the BFF serves, one per operation of the contract (the compiler checks that none is
// missing): the routes and the OpenAPI document are made from this list.
import type { OperationName, operationContracts } from '../../contract/operations/index.js';
import { classifyOperation } from './classify/classify.js';
import type { ServerOperation } from './define-operation.js';
import { replyOperation } from './reply/reply.js';
import { summarizeOperation } from './summarize/summarize.js';
import { translateOperation } from './translate/translate.js';

const operationsByName = {
  summarize: summarizeOperation,
  translate: translateOperation,
  classify: classifyOperation,
  reply: replyOperation,
} as const satisfies { [Name in OperationName]: ServerOperation<(typeof operationContracts)[Name]> };

export const serverOperations: readonly ServerOperation[] = Object.values(operationsByName);
