// The API (and with it the console) served on a free local port for Chromium, and stopped again.
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** The API (and so the console at /console/) listening on a free local port, for Chromium to open. */
export async function serve(app: RequestListener): Promise<{ server: Server; baseUrl: string }> {
  const server = await new Promise<Server>((resolve) => {
    const s = createServer(app).listen(0, '127.0.0.1', () => resolve(s));
  });
  return { server, baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** Stops a server from serve(); Chromium keeps connections alive, so they are closed first. */
export async function stopServing(server: Server | undefined): Promise<void> {
  if (!server) return;
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
}
