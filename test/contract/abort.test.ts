import { APIUserAbortError } from 'openai';
import { isAbortError } from '../../src/contract/abort.js';

test('isAbortError: an aborted signal, the SDK abort and the CANCELLED code; nothing else', () => {
  const controller = new AbortController();
  controller.abort();
  expect(isAbortError(controller.signal.reason)).toBe(true);
  expect(isAbortError(new DOMException('stop', 'AbortError'))).toBe(true);
  expect(isAbortError(Object.assign(new Error('x'), { name: 'APIUserAbortError' }))).toBe(true);
  expect(isAbortError(new APIUserAbortError())).toBe(true);
  expect(isAbortError(Object.assign(new Error('x'), { code: 'CANCELLED' }))).toBe(true);
  expect(isAbortError(new Error('AbortError'))).toBe(false);
  expect(isAbortError(Object.assign(new Error('x'), { code: 'PROVIDER_TIMEOUT' }))).toBe(false);
  expect(isAbortError('AbortError')).toBe(false);
  expect(isAbortError(undefined)).toBe(false);
});
