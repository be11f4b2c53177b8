/**
 * A reducer whose state is updated at once on every action but rendered at most `fps` times a second:
 * a burst of thousands of results costs thousands of cheap reductions and a handful of frames.
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

export function useThrottledReducer<S, A>(reducer: (state: S, action: A) => S, initial: () => S, fps: number): ThrottledReducer<S, A> {
  const latest = useRef<S | undefined>(undefined);
  latest.current ??= initial();
  const [rendered, setRendered] = useState<S>(latest.current);
  const throttle = useRef<FrameThrottle | undefined>(undefined);
  throttle.current ??= new FrameThrottle(1000 / fps, () => setRendered(latest.current!));

  useEffect(() => () => throttle.current?.cancel(), []);

  const dispatch = useCallback(
    (action: A) => {
      const next = reducer(latest.current!, action);
      if (next === latest.current) return;
      latest.current = next;
      throttle.current!.request();
    },
    [reducer],
  );
  const getLatest = useCallback(() => latest.current!, []);
  return { rendered, dispatch, latest: getLatest };
}
