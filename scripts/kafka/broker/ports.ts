/** Local TCP ports: free ones for a new broker, and whether a broker answers on one. */
import { connect, createServer } from 'node:net';
import { BROKER_HOST } from './types.js';

/** A port that was free on `host` a moment ago (bind to port 0 and release it). */
export function getFreePort(host = BROKER_HOST): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.once('error', reject);
    srv.listen({ host, port: 0, exclusive: true }, () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => (port ? resolve(port) : reject(new Error('could not get a free port'))));
    });
  });
}

/** True when `port` can be bound on `host` right now. */
export function isPortFree(port: number, host = BROKER_HOST): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.unref();
    srv.once('error', () => resolve(false));
    srv.listen({ host, port, exclusive: true }, () => srv.close(() => resolve(true)));
  });
}

/** True when something accepts TCP connections on host:port. */
export function canConnect(port: number, host = BROKER_HOST, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = connect({ host, port });
    const done = (ok: boolean): void => {
      sock.destroy();
      resolve(ok);
    };
    sock.setTimeout(timeoutMs, () => done(false));
    sock.once('connect', () => done(true));
    sock.once('error', () => done(false));
  });
}

/** `count` distinct free ports, none of `exclude`. */
export async function freePorts(count: number, exclude: number[]): Promise<number[]> {
  const out: number[] = [];
  while (out.length < count) {
    const p = await getFreePort();
    if (!out.includes(p) && !exclude.includes(p)) out.push(p);
  }
  return out;
}
