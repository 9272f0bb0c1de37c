/**
 * Bolt rejects requests signed more than five minutes ago but accepts any future timestamp
 * (platforms.md §2.4). A replayed or forged request from "the future" is refused here with 401
 * before Bolt (and any listener) sees it.
 */
import type { RequestHandler } from 'express';

const FIVE_MINUTES_S = 5 * 60;

export function rejectFutureTimestamps(now: () => number = Date.now): RequestHandler {
  return (req, res, next) => {
    const header = req.headers['x-slack-request-timestamp'];
    const ts = Number(Array.isArray(header) ? header[0] : header);
    if (Number.isFinite(ts) && ts - now() / 1000 > FIVE_MINUTES_S) {
      res.status(401).send('');
      return;
    }
    next();
  };
}
