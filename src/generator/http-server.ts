/** `/healthz` (ready: the broker acknowledges) and `/livez` for Kubernetes probes, `/metrics` for Prometheus. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface HealthSource {
  health(): { healthy: boolean; details: Record<string, unknown> };
  metrics(): string;
}

export async function startHttpServer(source: HealthSource, port: number, host: string): Promise<{ port: number; close(): Promise<void> }> {
  const server: Server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    if (path === '/healthz') {
      const { healthy, details } = source.health();
      response.writeHead(healthy ? 200 : 503, { 'content-type': 'application/json' });
      return void response.end(JSON.stringify({ status: healthy ? 'ok' : 'unavailable', ...details }));
    }
    // Liveness: the process answers. /healthz also needs the broker, which a restart would not bring back.
    if (path === '/livez') {
      response.writeHead(200, { 'content-type': 'application/json' });
      return void response.end('{"status":"ok"}');
    }
    if (path === '/metrics') {
      response.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' });
      return void response.end(source.metrics());
    }
    response.writeHead(404, { 'content-type': 'text/plain' });
    response.end('not found: try /healthz, /livez or /metrics\n');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
