/**
 * Tells the state the time once a second, for ages such as "12s ago" and a silent generator. It goes
 * through the reducer, so clock ticks share the frame budget with data instead of adding frames.
 */
import { useEffect } from 'react';
import type { TuiAction } from '../state/reducer.js';

export function useTicker(dispatch: (action: TuiAction) => void, clock: () => number, intervalMs = 1000): void {
  useEffect(() => {
    dispatch({ type: 'tick', atMs: clock() });
    const timer = setInterval(() => dispatch({ type: 'tick', atMs: clock() }), intervalMs);
    return () => clearInterval(timer);
  }, [dispatch, clock, intervalMs]);
}
