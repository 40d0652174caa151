// A minimal stand-in for Excel's global CustomFunctions API (custom-functions-runtime), as Office
// defines it: ErrorCode's values are the error texts Excel shows, an Error carries its code and an
// optional message (Excel shows a message only for #VALUE! and #N/A), associate registers a function
// under its metadata id.
export const errorCodes = {
  invalidValue: '#VALUE!',
  notAvailable: '#N/A',
  divisionByZero: '#DIV/0!',
  invalidNumber: '#NUM!',
  nullReference: '#NULL!',
  invalidName: '#NAME?',
  invalidReference: '#REF!',
} as const;

export class CustomFunctionsErrorStandIn {
  readonly message: string | undefined;

  constructor(
    readonly code: (typeof errorCodes)[keyof typeof errorCodes],
    message?: string,
  ) {
    this.message = code === errorCodes.invalidValue || code === errorCodes.notAvailable ? message : undefined;
  }
}

export const associated = new Map<string, unknown>();

export function installCustomFunctionsStandIn(): void {
  Object.assign(globalThis, {
    CustomFunctions: {
      Error: CustomFunctionsErrorStandIn,
      ErrorCode: errorCodes,
      associate: (id: string, implementation: unknown) => associated.set(id, implementation),
    },
  });
}

/** What a cell shows: its text, or the error code and message. */
export function shown(value: unknown): string {
  if (value instanceof CustomFunctionsErrorStandIn) return value.message === undefined ? value.code : `${value.code} ${value.message}`;
  return String(value);
}
