import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';

/** Serves a fetch handler on a free loopback port; resolves with its base URL and a closer. */
export function serveFetch(fetch: (req: Request, env?: unknown) => Response | Promise<Response>) {
  return new Promise<{ url: string; close(): Promise<void> }>((resolve) => {
    const server = serve({ fetch, port: 0, hostname: '127.0.0.1' }, (info) => {
      resolve({
        url: `http://127.0.0.1:${info.port}`,
        close: () => new Promise<void>((done) => (server as unknown as Server).close(() => done())),
      });
      (server as unknown as Server).closeIdleConnections?.();
    });
  });
}

/** A third-party page on its own origin (a second port) that serves one HTML document. */
export function serveHostPage(html: (origin: string) => string) {
  return new Promise<{ url: string; close(): Promise<void> }>((resolve) => {
    const server = createServer((_, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(html(`http://127.0.0.1:${(server.address() as AddressInfo).port}`));
    });
    server.listen(0, '127.0.0.1', () => {
      resolve({
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        close: () => new Promise<void>((done) => {
          server.closeAllConnections();
          server.close(() => done());
        }),
      });
    });
  });
}
