import { createContext } from 'preact';
import { useContext } from 'preact/hooks';

/**
 * True while the document is being printed: tables then show every row, not only the first ones (on
 * screen they grow with "Show more" to keep large documents fast).
 */
export const PrintModeContext = createContext(false);

export const usePrintMode = (): boolean => useContext(PrintModeContext);
