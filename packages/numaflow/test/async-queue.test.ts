import { describe, expect, it } from 'vitest';
import { AsyncQueue, pausingFlow } from '../src/async-queue.js';
import { InputAbortedError } from '../src/index.js';

async function drain<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

describe('AsyncQueue', () => {
  it('delivers items pushed before and after the consumer waits, then ends on close', async () => {
    const queue = new AsyncQueue<number>();
    queue.push(1);
    const consumed = drain(queue);
    queue.push(2);
    queue.push(3);
    queue.close();
    expect(await consumed).toEqual([1, 2, 3]);
  });

  it('makes a waiting consumer throw InputAbortedError on abort', async () => {
    const queue = new AsyncQueue<number>();
    const consumed = drain(queue);
    queue.push(1);
    queue.abort();
    await expect(consumed).rejects.toBeInstanceOf(InputAbortedError);
    expect(queue.aborted).toBe(true);
  });

  it('does not abort input that was already complete and consumed', async () => {
    const queue = new AsyncQueue<number>();
    queue.push(1);
    queue.close();
    expect(await drain(queue)).toEqual([1]);
    queue.abort();
    expect(queue.aborted).toBe(false);
  });

  it('discards input once the consumer stopped reading', async () => {
    const queue = new AsyncQueue<number>();
    queue.push(1);
    for await (const _ of queue) break;
    queue.push(2);
    expect(queue.size).toBe(0);
  });

  it('pauses the shared stream while any queue is full and resumes when all are relieved', async () => {
    const calls: string[] = [];
    const flow = pausingFlow({ pause: () => calls.push('pause'), resume: () => calls.push('resume') }, 4);
    const a = new AsyncQueue<number>(flow);
    const b = new AsyncQueue<number>(flow);
    for (let i = 0; i < 4; i++) a.push(i);
    for (let i = 0; i < 4; i++) b.push(i);
    expect(calls).toEqual(['pause']);
    await a.next();
    await a.next();
    expect(calls).toEqual(['pause']);
    await b.next();
    await b.next();
    expect(calls).toEqual(['pause', 'resume']);
  });
});
