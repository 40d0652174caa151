import { createContext, useContext, type ReactNode } from 'react';
import { english, type Messages } from './messages.js';

const MessagesContext = createContext<Messages>(english);

export function MessagesProvider({ messages, children }: { messages: Messages; children: ReactNode }) {
  return <MessagesContext.Provider value={messages}>{children}</MessagesContext.Provider>;
}

export function useMessages(): Messages {
  return useContext(MessagesContext);
}
