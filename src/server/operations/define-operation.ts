// An operation as the BFF serves it: the contract's descriptor (name, route, schemas, stream events)
// joined with the function that does the work. The HTTP layer registers one route per operation from
// these and knows nothing else about them.
import type { z } from 'zod';
import type { OperationContract } from '../../contract/operations/define-operation-contract.js';
import type { OperationContext } from './shared/operation-context.js';

export interface ServerOperation<Contract extends OperationContract = OperationContract> {
  contract: Contract;
  run(request: z.infer<Contract['request']>, context: OperationContext): Promise<z.infer<Contract['response']>>;
}

export function defineOperation<Contract extends OperationContract>(contract: Contract, run: ServerOperation<Contract>['run']): ServerOperation<Contract> {
  return { contract, run };
}
