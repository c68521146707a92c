import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { serve } from '@hono/node-server';

export interface Listening {
  server: Server;
  /** The bound port (the real one when 0 was asked for). */
  port: number;
  /** Stops accepting, lets requests in flight finish for `graceMs`, then cuts what is left (SSE streams). */
  close(graceMs?: number): Promise<void>;
}

/** Serves a fetch handler on host:port; a port in use is an error that says which variable to change. */
export function listen(
  fetch: (request: Request, env: never) => Response | Promise<Response>,
  { host, port, what, portVariable }: { host: string; port: number; what: string; portVariable: string },
): Promise<Listening> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: fetch as never, hostname: host, port }) as Server;
    const onError = (err: NodeJS.ErrnoException) => {
      server.close();
      if (err.code === 'EADDRINUSE') {
        reject(new Error(`${what}: port ${port} on ${host} is already in use: stop the program using it, or set ${portVariable} to a free port`));
      } else if (err.code === 'EACCES') {
        reject(new Error(`${what}: not allowed to listen on ${host}:${port}: use a port above 1023, or set ${portVariable}`));
      } else {
        reject(new Error(`${what}: cannot listen on ${host}:${port}: ${err.message}`));
      }
    };
    server.once('error', onError);
    server.once('listening', () => {
      server.removeListener('error', onError);
      resolve({
        server,
        port: (server.address() as AddressInfo).port,
        close: (graceMs = 2000) =>
          new Promise<void>((done) => {
            const timer = setTimeout(() => server.closeAllConnections(), graceMs);
            server.close(() => {
              clearTimeout(timer);
              done();
            });
            server.closeIdleConnections();
          }),
      });
    });
  });
}
