/**
 * Feeds the source's events into the state. The source is started here, after subscribing, so the
 * first events (such as the embedded engine's "live") cannot be missed; the CLI stops it after exit.
 */
import { useEffect } from 'react';
import type { ResultsSource } from '../../core/results-source.js';
import type { TuiAction } from '../state/reducer.js';

export function useSource(source: ResultsSource, dispatch: (action: TuiAction) => void, clock: () => number, onStarted?: () => void): void {
  useEffect(() => {
    const unsubscribe = source.subscribe((event) => dispatch({ type: 'source', event, atMs: clock() }));
    source.start().then(onStarted, (error: unknown) => {
      const message = `could not start: ${error instanceof Error ? error.message : String(error)}`;
      dispatch({ type: 'source', event: { type: 'connection', connection: { state: 'error', message } }, atMs: clock() });
    });
    return unsubscribe;
  }, [source, dispatch, clock, onStarted]);
}
