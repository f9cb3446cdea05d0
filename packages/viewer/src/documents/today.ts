import { createContext } from 'preact';
import { useContext } from 'preact/hooks';

/**
 * The reader's clock, for ages: an age is counted to the day the clinician reads the document, never to
 * the day it was written or shared. A context, so the clock is passed in rather than read in place.
 */
export const TodayContext = createContext<() => Date>(() => new Date());

export const useToday = (): Date => useContext(TodayContext)();
