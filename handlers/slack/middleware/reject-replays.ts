/**
 * Bolt accepts a correctly signed request as often as it arrives within Slack's five-minute window,
 * so a captured slash command could be replayed and answered again. Slack signs every delivery
 * afresh (a retry has a new timestamp and signature), so a signature seen before is a replay: it is
 * refused with 401 before Bolt or any listener sees it. Signatures are remembered for the window
 * (older requests Bolt refuses itself) and at most `max` of them; with `shared` (replicas on one
 * database) a replay sent to another replica is refused too.
 */
import type { RequestHandler } from 'express';
import type { Logger } from '../../../src/logger.ts';
import { firstOnEveryReplica, type SharedDeliveries } from './shared-deliveries.ts';

const WINDOW_MS = 5 * 60 * 1000;

export function rejectReplays(
  options: { max?: number; now?: () => number; shared?: SharedDeliveries; logger?: Logger } = {},
): RequestHandler {
  const max = options.max ?? 100_000;
  const now = options.now ?? Date.now;
  const seen = new Map<string, number>();
  return (req, res, next) => {
    const header = req.headers['x-slack-signature'];
    const signature = Array.isArray(header) ? header[0] : header;
    if (!signature) return next();
    const t = now();
    // Map keeps insertion order: expired entries are at the front.
    for (const [key, at] of seen) {
      if (t - at < WINDOW_MS && seen.size <= max) break;
      seen.delete(key);
    }
    if (seen.has(signature)) {
      res.status(401).send('');
      return;
    }
    seen.set(signature, t);
    if (!options.shared) return next();
    firstOnEveryReplica(options.shared, `slack-signature:${signature}`, WINDOW_MS, options.logger).then((first) => {
      if (first) next();
      else res.status(401).send('');
    }, next);
  };
}
