// One run of an operation at a time, with an AbortController behind the Stop button. A run's task
// returns a short note to show when it finishes; a stopped run is told apart from a failed one.
import { useCallback, useEffect, useRef, useState } from 'react';
import { isAbortError } from '../../../contract/abort.js';

export type RunStatus =
  { state: 'idle' } | { state: 'running' } | { state: 'done'; note: string | undefined } | { state: 'stopped' } | { state: 'error'; error: unknown };

export interface OperationRun {
  status: RunStatus;
  running: boolean;
  run: (task: (signal: AbortSignal) => Promise<string | undefined>) => Promise<void>;
  stop: () => void;
  fail: (error: unknown) => void;
}

export function useOperationRun(): OperationRun {
  const [status, setStatus] = useState<RunStatus>({ state: 'idle' });
  const controllerRef = useRef<AbortController | undefined>(undefined);

  const run = useCallback(async (task: (signal: AbortSignal) => Promise<string | undefined>) => {
    controllerRef.current?.abort();
    const controller = new AbortController();
    controllerRef.current = controller;
    setStatus({ state: 'running' });
    try {
      const note = await task(controller.signal);
      setStatus(controller.signal.aborted ? { state: 'stopped' } : { state: 'done', note });
    } catch (error) {
      setStatus(controller.signal.aborted || isAbortError(error) ? { state: 'stopped' } : { state: 'error', error });
    } finally {
      if (controllerRef.current === controller) controllerRef.current = undefined;
    }
  }, []);

  const stop = useCallback(() => controllerRef.current?.abort(), []);
  const fail = useCallback((error: unknown) => setStatus({ state: 'error', error }), []);
  // Leaving the pane (or switching task) stops the request, which stops the BFF and the LLM call too.
  useEffect(() => () => controllerRef.current?.abort(), []);

  return { status, running: status.state === 'running', run, stop, fail };
}
