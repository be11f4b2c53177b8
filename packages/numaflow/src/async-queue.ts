import { InputAbortedError } from './udf-error.js';

export interface QueueFlow {
  readonly highWaterMark: number;
  /** Buffered items reached the high-water mark: stop reading input. */
  onFull(): void;
  /** Buffered items fell back to half the mark: input may flow again. */
  onRelieved(): void;
}

/** One flow for several queues fed by the same stream: it reads only while none is full. */
export function pausingFlow(stream: { pause(): void; resume(): void }, highWaterMark: number): QueueFlow {
  let fullQueues = 0;
  return {
    highWaterMark,
    onFull: () => {
      if (fullQueues++ === 0) stream.pause();
    },
    onRelieved: () => {
      if (--fullQueues === 0) stream.resume();
    },
  };
}

/**
 * Single-consumer async iterable fed by the gRPC stream, so user code sees
 * each datum as it arrives instead of a buffered batch. Buffering is bounded
 * by pausing the stream through QueueFlow.
 */
export class AsyncQueue<T> implements AsyncIterableIterator<T> {
  private items: T[] = [];
  private head = 0;
  private waiting: { resolve(r: IteratorResult<T>): void; reject(e: Error): void } | undefined;
  private closed = false;
  private failure: Error | undefined;
  private detached = false;
  private full = false;

  constructor(private readonly flow?: QueueFlow) {}

  get size(): number {
    return this.items.length - this.head;
  }

  get aborted(): boolean {
    return this.failure !== undefined;
  }

  push(item: T): void {
    if (this.closed || this.detached) return;
    if (this.waiting) return this.settle({ value: item, done: false });
    this.items.push(item);
    if (!this.full && this.flow && this.size >= this.flow.highWaterMark) {
      this.full = true;
      this.flow.onFull();
    }
  }

  /** No more input: the consumer drains what is buffered, then finishes. */
  close(): void {
    this.closed = true;
    if (this.waiting && this.size === 0) this.settle({ value: undefined, done: true });
  }

  /** Input will never be complete: the consumer's next read throws. */
  abort(reason = 'input aborted: the server is shutting down'): void {
    if (this.closed && this.size === 0) return;
    this.failure = new InputAbortedError(reason);
    this.closed = true;
    this.drop();
    const waiting = this.waiting;
    this.waiting = undefined;
    waiting?.reject(this.failure);
  }

  /** The consumer is gone; later input is discarded rather than buffered forever. */
  detach(): void {
    this.detached = true;
    this.drop();
  }

  next(): Promise<IteratorResult<T>> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.size > 0) return Promise.resolve({ value: this.take(), done: false });
    if (this.closed) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve, reject) => {
      this.waiting = { resolve, reject };
    });
  }

  return(): Promise<IteratorResult<T>> {
    this.detach();
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<T> {
    return this;
  }

  private settle(result: IteratorResult<T>): void {
    const waiting = this.waiting;
    this.waiting = undefined;
    waiting?.resolve(result);
  }

  private take(): T {
    const item = this.items[this.head] as T;
    this.items[this.head++] = undefined as T;
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    this.relieveIfDrained();
    return item;
  }

  private drop(): void {
    this.items = [];
    this.head = 0;
    this.relieveIfDrained();
  }

  private relieveIfDrained(): void {
    if (this.full && this.flow && this.size <= this.flow.highWaterMark / 2) {
      this.full = false;
      this.flow.onRelieved();
    }
  }
}
