// An operation as the BFF serves it: the contract's descriptor (name, route, schemas, stream events)
// joined with the function that does the work and the most that work may cost. The HTTP layer
// registers one route per operation from these and knows nothing else about them.
import type { z } from 'zod';
import type { OperationContract } from '../../contract/operations/define-operation-contract.js';
import type { OperationContext } from './shared/operation-context.js';

/** What an estimate may look at: the model (its tokenizer, context window, batching) and the input limits. */
export type EstimateContext = Pick<OperationContext, 'model' | 'limits'>;

export interface ServerOperation<Contract extends OperationContract = OperationContract> {
  contract: Contract;
  run(request: z.infer<Contract['request']>, context: OperationContext): Promise<z.infer<Contract['response']>>;
  /**
   * The most tokens `run` should spend upstream: the prompts it will send (in the model's tokenizer)
   * plus the answer budgets (max_tokens) it will ask for. Reserved against the caller's daily budget
   * before the work starts, so it must not come out low; re-asks after invalid answers are the only
   * cost it leaves out. Checks the input limits first: an oversized request gets its 413, not a 429.
   */
  estimateTokens(request: z.infer<Contract['request']>, context: EstimateContext): number;
}

export function defineOperation<Contract extends OperationContract>(
  contract: Contract,
  run: ServerOperation<Contract>['run'],
  estimateTokens: ServerOperation<Contract>['estimateTokens'],
): ServerOperation<Contract> {
  return { contract, run, estimateTokens };
}
