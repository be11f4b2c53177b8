/**
 * The user logic of a reduce, as Numaflow frames it: one reducer per key and window, made by a creator,
 * fed that key's datums of that window one at a time, asked for its result when the window closes.
 * The Numaflow reduce UDF and the local pipeline both make their reducers through the same creator.
 */
import type { Window } from './window.js';

export interface Reducer<In, Out> {
  /**
   * Why `datum` must not be added (it would make the result inexact), or undefined when it may be.
   * Changes nothing; callers ask before `add`.
   */
  refusal?(datum: In): string | undefined;
  add(datum: In): void;
  /**
   * The window's result for this key, or undefined when there is nothing to report. It may be asked
   * while the window is still open (the figures so far, `KeyedWindower.peekOpen`) and again at the close,
   * so it must not change the reducer.
   */
  result(): Out | undefined;
}

export type ReducerCreator<In, Out> = (key: string, window: Window) => Reducer<In, Out>;
