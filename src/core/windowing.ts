/**
 * Keyed fixed event-time windows, closed by a watermark given from outside. Pure: time only enters as
 * arguments. Each key of each window gets its own reducer from a `ReducerCreator`.
 *
 * An event whose window already ended at the watermark is late: it is counted, never folded into a
 * closed window. Below the floor (where a restart resumed) windows were published before the restart,
 * so an event for one of them is a replay, not a late arrival.
 */
import type { Reducer, ReducerCreator } from './reducer.js';
import { windowOf, type Window } from './window.js';

export interface WindowerOptions<In, Out> {
  windowMs: number;
  keyOf: (datum: In) => string;
  create: ReducerCreator<In, Out>;
  /** Windows ending at or before this were closed (and published) before; default none. */
  floorMs?: number;
}

export type AddOutcome = 'accepted' | 'late' | 'replayed' | { refused: string };

export interface WindowResults<Out> {
  window: Window;
  /** One result per key that had one, in key order. */
  results: Out[];
}

/** A window the watermark closed: its results are final. */
export type ClosedWindow<Out> = WindowResults<Out>;

interface OpenWindow<In, Out> extends Window {
  reducers: Map<string, Reducer<In, Out>>;
}

export class KeyedWindower<In, Out> {
  private readonly open = new Map<number, OpenWindow<In, Out>>();
  private readonly floorMs: number;
  private watermarkMs: number;

  constructor(private readonly options: WindowerOptions<In, Out>) {
    if (!(options.windowMs > 0)) throw new RangeError(`window length must be positive, got ${options.windowMs} ms`);
    this.floorMs = options.floorMs ?? Number.NEGATIVE_INFINITY;
    this.watermarkMs = this.floorMs;
  }

  get watermark(): number {
    return this.watermarkMs;
  }

  get openWindows(): number {
    return this.open.size;
  }

  /** The window an event time falls in, as `add` would place it. */
  windowOf(eventTimeMs: number): Window {
    return windowOf(eventTimeMs, this.options.windowMs);
  }

  /**
   * Folds datums that share one event time (the parts of one order) into their window, all or none: an
   * order is never half counted. Does not close windows (see `advanceWatermark`).
   */
  add(eventTimeMs: number, datums: readonly In[]): AddOutcome {
    const startMs = Math.floor(eventTimeMs / this.options.windowMs) * this.options.windowMs;
    const endMs = startMs + this.options.windowMs;
    if (endMs <= this.floorMs) return 'replayed';
    if (endMs <= this.watermarkMs) return 'late';
    let open = this.open.get(startMs);
    if (!open) {
      open = { startMs, endMs, reducers: new Map() };
      this.open.set(startMs, open);
    }
    const reducers = datums.map((datum) => this.reducerFor(open, datum));
    // Asked of every part before any is added, so a refused order is not half counted either.
    for (let i = 0; i < datums.length; i++) {
      const refused = reducers[i]!.refusal?.(datums[i]!);
      if (refused !== undefined) return { refused };
    }
    for (let i = 0; i < datums.length; i++) reducers[i]!.add(datums[i]!);
    return 'accepted';
  }

  private reducerFor(open: OpenWindow<In, Out>, datum: In): Reducer<In, Out> {
    const key = this.options.keyOf(datum);
    let reducer = open.reducers.get(key);
    if (!reducer) {
      reducer = this.options.create(key, { startMs: open.startMs, endMs: open.endMs });
      open.reducers.set(key, reducer);
    }
    return reducer;
  }

  /** Moves the watermark forward (never back) and returns the windows it closed, oldest first. */
  advanceWatermark(watermarkMs: number): ClosedWindow<Out>[] {
    if (!(watermarkMs > this.watermarkMs)) return [];
    this.watermarkMs = watermarkMs;
    if (!this.anyEndsBy(watermarkMs)) return [];
    const closing = [...this.open.values()].filter((w) => w.endMs <= watermarkMs).sort((a, b) => a.startMs - b.startMs);
    return closing.map((window) => this.close(window));
  }

  /**
   * The open windows' results so far, oldest first, leaving them open: what each would give if it closed
   * now. Reducers are asked for their result as at a close, which must not change them (`Reducer.result`),
   * so a window looked into closes with the same results as one never looked into. Windows with nothing
   * to report yet are left out.
   */
  peekOpen(): WindowResults<Out>[] {
    const open = [...this.open.values()].sort((a, b) => a.startMs - b.startMs);
    return open.map((window) => this.resultsOf(window)).filter((window) => window.results.length > 0);
  }

  /** Closes every open window, as at the end of a stream. */
  flush(): ClosedWindow<Out>[] {
    const last = Math.max(...[...this.open.values()].map((w) => w.endMs), this.watermarkMs);
    return this.advanceWatermark(last);
  }

  // Called for every event, so it must not allocate.
  private anyEndsBy(ms: number): boolean {
    for (const window of this.open.values()) if (window.endMs <= ms) return true;
    return false;
  }

  private close(open: OpenWindow<In, Out>): ClosedWindow<Out> {
    this.open.delete(open.startMs);
    return this.resultsOf(open);
  }

  private resultsOf(open: OpenWindow<In, Out>): WindowResults<Out> {
    const results: Out[] = [];
    for (const key of [...open.reducers.keys()].sort()) {
      const result = open.reducers.get(key)!.result();
      if (result !== undefined) results.push(result);
    }
    return { window: { startMs: open.startMs, endMs: open.endMs }, results };
  }
}
