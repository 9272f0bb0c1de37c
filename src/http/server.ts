/**
 * The one HTTP server: Slack at /slack/events, Teams at /api/messages, the playground at /, and
 * GET /healthz. Surfaces add their own routes to `web`; this module owns listening and closing.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import type { Logger } from '../logger.ts';
import type { DatabaseHealth } from '../store/health.ts';

/** What /healthz tells anyone who asks; `details` only when HEALTH_DETAILS is on. */
export interface HealthStatus {
  status: 'ok';
  version: string;
  details?: {
    knowledgeBase: { version: string; date: string };
    surfaces: Record<string, string>;
    faults: Record<string, number>;
    /** Whether the store answers, when there is one. */
    database?: DatabaseHealth;
  };
}

export interface HttpServer {
  web: Express;
  /** Starts listening; resolves with the bound address (port 0 picks a free port). */
  listen(port: number, host: string): Promise<{ port: number; host: string; url: string }>;
  /**
   * Stops accepting connections, lets requests in progress finish (up to `graceMs`), then closes
   * whatever is left.
   */
  close(graceMs?: number): Promise<void>;
}

export function createHttpServer(logger: Logger, health: () => HealthStatus | Promise<HealthStatus>): HttpServer {
  const web = express();
  web.disable('x-powered-by');
  web.get('/healthz', async (_req, res) => {
    res.json(await health());
  });
  let server: Server | undefined;

  return {
    web,
    async listen(port, host) {
      // Routes added by the surfaces come first; these two answer whatever is left.
      web.use((_req, res) => {
        res.status(404).json({ error: 'not found' });
      });
      web.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
        logger.error({ err, path: req.path }, 'request failed');
        if (!res.headersSent) res.status(500).json({ error: 'internal error' });
      });
      server = createServer(web);
      await new Promise<void>((resolve, reject) => {
        server!.once('error', (err) => reject(listenError(err as NodeJS.ErrnoException, port, host)));
        server!.listen(port, host, () => resolve());
      });
      const address = server.address() as AddressInfo;
      const shownHost = host === '0.0.0.0' || host === '::' ? 'localhost' : host;
      return { port: address.port, host, url: `http://${shownHost}:${address.port}` };
    },
    async close(graceMs = 0) {
      if (!server) return;
      const s = server;
      server = undefined;
      await new Promise<void>((resolve) => {
        s.close(() => resolve());
        s.closeIdleConnections();
        if (graceMs <= 0) s.closeAllConnections();
        else setTimeout(() => s.closeAllConnections(), graceMs).unref();
      });
    },
  };
}

/** Why the server could not listen, naming the setting to change. */
export class ListenError extends Error {
  override readonly name = 'ListenError';
}

function listenError(err: NodeJS.ErrnoException, port: number, host: string): Error {
  switch (err.code) {
    case 'EADDRINUSE':
      return new ListenError(
        `PORT=${port} is already in use on ${host} (EADDRINUSE): stop the other program or set PORT to a free port`,
      );
    case 'EACCES':
      return new ListenError(`PORT=${port} needs privileges on this machine (EACCES): use a port above 1023`);
    case 'EADDRNOTAVAIL':
      return new ListenError(
        `HOST=${host} is not an address of this machine (EADDRNOTAVAIL): unset HOST or set it to one of its addresses`,
      );
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new ListenError(
        `HOST=${host} does not resolve to an address of this machine (${err.code}): unset HOST or set it to an IP address`,
      );
    default:
      return err;
  }
}
