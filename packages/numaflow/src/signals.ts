/** What kubelet (SIGTERM), Ctrl-C (SIGINT) and a closed terminal (SIGHUP) send to end a process. */
export const TERMINATION_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/** Calls `onSignal` on each termination signal until the returned function removes the listeners. */
export function onTerminationSignal(onSignal: (signal: NodeJS.Signals) => void): () => void {
  const handler = (signal: NodeJS.Signals) => onSignal(signal);
  for (const signal of TERMINATION_SIGNALS) process.on(signal, handler);
  return () => {
    for (const signal of TERMINATION_SIGNALS) process.off(signal, handler);
  };
}

/** Whether `promise` settles (either way) within `ms`; the timer never outlives the race. */
export async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  const settled = promise.then(
    () => true,
    () => true,
  );
  return Promise.race([settled, timeout]).finally(() => clearTimeout(timer));
}
