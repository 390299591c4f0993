// The channel simulator as an Express app: one HTTP server that behaves like the content systems of
// many channels at once (any channel code), plus its /_sim control surface. The demo and the tests
// talk to it over real HTTP through HttpChannelAdapter, exactly as they would to a real channel.
// State is in memory on purpose: it imitates systems outside ours, and tests reset it.
import type { AddressInfo } from 'node:net';
import express, { type ErrorRequestHandler, type Express, type RequestHandler } from 'express';
import { channelRoutes } from './channel-routes';
import { controlRoutes, type ControlContext } from './control-routes';
import { FaultBook } from './faults';
import { ChannelStore } from './store';

export interface RequestLogEntry {
  time: string;
  method: string;
  path: string;
  /** null when the client went away before an answer was sent (e.g. its timeout fired). */
  status: number | null;
  ms: number;
  channelCode?: string;
  idempotencyKey?: string;
  fault?: string;
}

export interface SimulatorOptions {
  /** Seed for rate-based faults (default 1). */
  seed?: number;
  /** Clock for publishedAt / deliveredAt. */
  now?: () => Date;
  /** Called once per request when it ends. */
  log?: (entry: RequestLogEntry) => void;
}

export const DEFAULT_SIMULATOR_SEED = 1;

function requestLogger(log: (entry: RequestLogEntry) => void): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    res.once('close', () => {
      const locals = res.locals as { channelCode?: string; fault?: string };
      log({
        time: new Date().toISOString(),
        method: req.method,
        path: req.originalUrl,
        status: res.writableFinished ? res.statusCode : null,
        ms: Number((process.hrtime.bigint() - started) / 1000n) / 1000,
        channelCode: locals.channelCode,
        idempotencyKey: req.get('idempotency-key'),
        fault: locals.fault,
      });
    });
    next();
  };
}

// Malformed JSON and oversized bodies arrive here from express.json() with a status and a type.
const BODY_ERRORS: Record<string, string> = {
  'entity.parse.failed': 'invalid_json',
  'entity.too.large': 'payload_too_large',
};

const errorHandler: ErrorRequestHandler = (
  err: { status?: number; type?: string; message?: string },
  _req,
  res,
  _next,
) => {
  if (res.headersSent) return;
  const status = typeof err.status === 'number' && err.status >= 400 && err.status < 600 ? err.status : 500;
  const error = status >= 500 ? 'internal' : (BODY_ERRORS[err.type ?? ''] ?? 'invalid_request');
  res.status(status).json({ error, message: err.message });
};

export function createSimulatorApp(options: SimulatorOptions = {}): Express {
  const now = options.now ?? (() => new Date());
  const store = new ChannelStore(now);
  let faults = new FaultBook(options.seed ?? DEFAULT_SIMULATOR_SEED);
  const ctx: ControlContext = {
    store,
    faults: () => faults,
    reset(seed) {
      store.reset();
      faults = new FaultBook(seed ?? options.seed ?? DEFAULT_SIMULATOR_SEED);
    },
  };

  const app = express();
  app.disable('x-powered-by');
  if (options.log) app.use(requestLogger(options.log));
  app.use(express.json({ limit: '1mb' }));
  app.get('/healthz', (_req, res) => {
    res.json({ ok: true });
  });
  app.use(channelRoutes(ctx));
  app.use(controlRoutes(ctx));
  app.use((_req, res) => {
    res.status(404).json({ error: 'not_found', message: 'no such route' });
  });
  app.use(errorHandler);
  return app;
}

export interface RunningSimulator {
  /** e.g. http://127.0.0.1:41234 */
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Listens on host:port (port 0 = an ephemeral port, for tests). */
export function startSimulator(
  options: SimulatorOptions & { port?: number; host?: string } = {},
): Promise<RunningSimulator> {
  const { port = 0, host = '127.0.0.1', ...appOptions } = options;
  const app = createSimulatorApp(appOptions);
  return new Promise((resolve, reject) => {
    const server = app.listen(port, host);
    server.once('error', reject);
    server.once('listening', () => {
      const address = server.address() as AddressInfo;
      const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
      resolve({
        url: `http://${urlHost}:${address.port}`,
        port: address.port,
        close: () =>
          new Promise<void>((done, fail) => {
            server.close((error) => (error ? fail(error) : done()));
            // Hung (timeout-injected) and keep-alive connections would otherwise hold close() open.
            server.closeAllConnections();
          }),
      });
    });
  });
}
