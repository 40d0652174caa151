// How a failure shows in a cell. Excel's own errors, never a string that could pass for an answer:
// #VALUE! when the formula's input is wrong (the user fixes the formula), #N/A with a short message when
// the answer is not available (sign-in, an outage, a limit, Stop, a confirmation the pane waits for).
// Messages are short (Excel shows them in the error tooltip) and carry the stable code for support.
import { ApiError } from '../taskpane/shared/api/api-error.js';
import { isSignInRequiredError } from '../taskpane/shared/auth/access-token-provider.js';
import { isAbortError } from '../contract/abort.js';
import { format, type Messages } from '../taskpane/shared/i18n/messages.js';

/** Codes of the formulas' own failures, beside the contract's (src/contract/error-codes.ts). */
export type FormulaErrorCode = 'CONFIRMATION_REQUIRED' | 'STOPPED' | 'SIGN_IN_REQUIRED' | 'INVALID_ARGUMENT' | 'NO_ANSWER';

/**
 * A failure of one cell or of a whole batch. `scope: 'service'` means no cell can be answered now
 * (sign-in, outage, limits): the batcher holds it for a while instead of asking again for every window.
 */
export class FormulaError extends Error {
  override readonly name = 'FormulaError';

  constructor(
    readonly code: string,
    message: string,
    readonly kind: 'invalid-input' | 'not-available',
    readonly scope: 'cell' | 'service' = 'cell',
  ) {
    super(message);
  }
}

export function isFormulaError(error: unknown): error is FormulaError {
  return error instanceof FormulaError;
}

/** The BFF's input refusals: the formula (its labels, its text) must change, so #VALUE!. */
const inputCodes = new Set(['INVALID_REQUEST', 'INVALID_JSON', 'PAYLOAD_TOO_LARGE', 'INPUT_TOO_LARGE', 'TOO_MANY_ITEMS', 'TOO_MANY_LABELS', 'EMPTY_ITEM']);

/** What went wrong, as a FormulaError with the message the cell shows. */
export function formulaErrorFrom(error: unknown, messages: Messages): FormulaError {
  if (isFormulaError(error)) return error;
  if (isAbortError(error)) return new FormulaError('STOPPED', messages.formulaStopped, 'not-available', 'service');
  if (isSignInRequiredError(error) || (error instanceof ApiError && error.status === 401)) {
    return new FormulaError('SIGN_IN_REQUIRED', messages.formulaSignIn, 'not-available', 'service');
  }
  if (error instanceof ApiError) {
    if (inputCodes.has(error.code)) return new FormulaError(error.code, format(messages.formulaInvalidInput, { code: error.code }), 'invalid-input');
    if (error.status === 403) return new FormulaError(error.code, format(messages.formulaForbidden, { code: error.code }), 'not-available', 'service');
    if (error.status === 429) return new FormulaError(error.code, format(messages.formulaLimited, { code: error.code }), 'not-available', 'service');
    return new FormulaError(error.code, format(messages.formulaUnavailable, { code: error.code }), 'not-available', 'service');
  }
  return new FormulaError('NO_ANSWER', format(messages.formulaUnavailable, { code: 'NO_ANSWER' }), 'not-available', 'service');
}

/** One item the BFF answered with an error of its own (a classify result, a translation with perItemErrors). */
export function itemError(body: { code: string; message: string } | undefined, messages: Messages): FormulaError {
  const code = body?.code ?? 'NO_ANSWER';
  if (inputCodes.has(code)) return new FormulaError(code, format(messages.formulaInvalidInput, { code }), 'invalid-input');
  return new FormulaError(code, format(messages.formulaItemFailed, { code }), 'not-available');
}

/** The Excel error a cell returns (the global CustomFunctions API, as Excel defines it). */
export function toCellError(error: FormulaError): CustomFunctions.Error {
  const code = error.kind === 'invalid-input' ? CustomFunctions.ErrorCode.invalidValue : CustomFunctions.ErrorCode.notAvailable;
  return new CustomFunctions.Error(code, error.message);
}
