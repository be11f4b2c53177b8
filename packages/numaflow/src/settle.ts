export type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

/** Turns a rejection into a value, so promises parked for later never reject unhandled. */
export function settle<T>(promise: Promise<T>): Promise<Settled<T>> {
  return promise.then(
    (value) => ({ ok: true, value }),
    (error: unknown) => ({ ok: false, error }),
  );
}
