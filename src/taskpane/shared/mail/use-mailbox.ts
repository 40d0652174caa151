// A pinned pane follows the mailbox: the user moves from message to message (Outlook's ItemChanged) or
// selects several (SelectedItemsChanged). These hooks give the panes the open message's key, the
// selection, and results kept per message, so a result is shown with (and written to) only the message
// it was made for, and a run for a message the user left is stopped.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { MailAccess, MailSelectionAccess, SelectedMailMessage } from '../../../hosts/host-adapter.js';

export interface CurrentMessage {
  /** Outlook's id of the open message (undefined for a draft). */
  messageId: string | undefined;
  /** Changes with every move to another message, also between drafts without ids: key results by it. */
  key: string;
}

export function useCurrentMessage(mail: MailAccess | undefined): CurrentMessage {
  const read = useCallback((): CurrentMessage => {
    const messageId = mail?.currentMessageId();
    return { messageId, key: messageId ?? 'open-item' };
  }, [mail]);
  const [current, setCurrent] = useState<CurrentMessage>(read);
  const changes = useRef(0);
  useEffect(() => {
    setCurrent(read());
    if (mail?.onItemChanged === undefined) return undefined;
    return mail.onItemChanged(() => {
      changes.current++;
      const next = read();
      setCurrent({ messageId: next.messageId, key: next.messageId ?? `open-item-${changes.current}` });
    });
  }, [mail, read]);
  return current;
}

/** Calls `stop` when the user moves to another message, so work for the one they left ends (the BFF and the model call too). */
export function useStopWhenMessageChanges(currentKey: string, stop: () => void): void {
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    stop();
  }, [currentKey, stop]);
}

/**
 * The open message, followed as the user moves, with `stop` called on a move so work for the message
 * they left ends; `leftMessage` says a run stopped that way (for the status line) until `clearLeftMessage`.
 */
export function useRunFollowingMessage(
  mail: MailAccess | undefined,
  stop: () => void,
): { current: CurrentMessage; leftMessage: boolean; clearLeftMessage: () => void } {
  const current = useCurrentMessage(mail);
  const [leftMessage, setLeftMessage] = useState(false);
  const stopForMove = useCallback(() => {
    setLeftMessage(true);
    stop();
  }, [stop]);
  useStopWhenMessageChanges(current.key, stopForMove);
  const clearLeftMessage = useCallback(() => setLeftMessage(false), []);
  return { current, leftMessage, clearLeftMessage };
}

/** Messages selected together (multi-select), kept current as the user changes the selection. */
export function useSelectedMessages(selection: MailSelectionAccess | undefined): { messages: SelectedMailMessage[]; failed: boolean } {
  const [state, setState] = useState<{ messages: SelectedMailMessage[]; failed: boolean }>({ messages: [], failed: false });
  useEffect(() => {
    if (selection === undefined) return undefined;
    let active = true;
    const refresh = () => {
      selection.readSelectedMessages().then(
        (messages) => active && setState({ messages, failed: false }),
        (error: unknown) => {
          console.error('Reading the selected messages failed:', error);
          if (active) setState({ messages: [], failed: true });
        },
      );
    };
    refresh();
    const unsubscribe = selection.onSelectionChanged(refresh);
    return () => {
      active = false;
      unsubscribe();
    };
  }, [selection]);
  return state;
}

/**
 * A value per message: `value` is the open message's; `update(key, …)` writes to the message a run
 * started on, so a summary streaming in for the message the user left never shows on the new one.
 */
export function usePerMessage<Value>(currentKey: string, empty: Value): { value: Value; update: (key: string, change: (value: Value) => Value) => void } {
  const [values, setValues] = useState<ReadonlyMap<string, Value>>(new Map());
  const update = useCallback(
    (key: string, change: (value: Value) => Value) =>
      setValues((current) => {
        const next = new Map(current);
        next.set(key, change(current.get(key) ?? empty));
        return next;
      }),
    [empty],
  );
  return { value: values.get(currentKey) ?? empty, update };
}
