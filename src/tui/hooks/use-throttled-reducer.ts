/**
 * A reducer whose state is updated at once on every action but rendered at most `fps` times a second:
 * a burst of thousands of results costs thousands of cheap reductions and a handful of frames.
 *
 * Actions that only refresh what is already on screen (a clock tick, a generator status, a health
 * report; `canWait`) render at most `backgroundFps` times a second. Every Ink frame lays out and draws
 * the whole screen however little changed, so an idle screen that took each of them as it came drew
 * two or three frames a second where one shows the same.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { FrameThrottle } from '../throttle.js';

export interface ThrottledReducer<S, A> {
  /** The state of the last frame. */
  rendered: S;
  dispatch(action: A): void;
  /** The state after every action so far; key handlers read it so fast typing is not misread. */
  latest(): S;
}

export interface FrameRates<A> {
  fps: number;
  /** Frames a second for the actions `canWait` picks. */
  backgroundFps?: number;
  canWait?: (action: A) => boolean;
}

export function useThrottledReducer<S, A>(reducer: (state: S, action: A) => S, initial: () => S, rates: FrameRates<A>): ThrottledReducer<S, A> {
  const latest = useRef<S | undefined>(undefined);
  latest.current ??= initial();
  const [rendered, setRendered] = useState<S>(latest.current);
  const throttles = useRef<{ prompt: FrameThrottle; background: FrameThrottle } | undefined>(undefined);
  const flush = () => setRendered(latest.current!);
  throttles.current ??= { prompt: new FrameThrottle(1000 / rates.fps, flush), background: new FrameThrottle(1000 / (rates.backgroundFps ?? rates.fps), flush) };
  const canWait = rates.canWait;

  useEffect(
    () => () => {
      throttles.current?.prompt.cancel();
      throttles.current?.background.cancel();
    },
    [],
  );

  const dispatch = useCallback(
    (action: A) => {
      const next = reducer(latest.current!, action);
      if (next === latest.current) return;
      latest.current = next;
      // A frame drawn for either draws the latest state, so one that waits may find nothing left to do.
      if (canWait?.(action)) throttles.current!.background.request();
      else throttles.current!.prompt.request();
    },
    [reducer, canWait],
  );
  const getLatest = useCallback(() => latest.current!, []);
  return { rendered, dispatch, latest: getLatest };
}
