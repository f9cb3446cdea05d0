import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import { en, type Messages } from './en.js';
import { es } from './es.js';

const LANGUAGES: Record<string, Messages> = { en, es };

/** The first of the browser's preferred languages that the viewer ships, else English. */
export const selectMessages = (preferred: readonly string[]): Messages => {
  for (const tag of preferred) {
    const messages = LANGUAGES[tag.toLowerCase().split('-')[0] ?? ''];
    if (messages) return messages;
  }
  return en;
};

export const MessagesContext = createContext<Messages>(en);

export const useMessages = (): Messages => useContext(MessagesContext);
