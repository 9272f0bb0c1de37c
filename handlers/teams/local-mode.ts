/**
 * TEAMS_AUTH=none: Teams without authentication, for local tools (Bot Framework Emulator, Agents
 * Playground). Anyone who can call an unauthenticated endpoint can name the serviceUrl the bot replies
 * to, so this mode accepts only loopback callers naming a loopback serviceUrl, and writes nothing to
 * the store: no conversation references, no subscriptions.
 */
import type { RequestHandler } from 'express';
import { kbStamp } from '../../src/answer/answer.ts';
import type { DigestCommands } from '../../src/conversation/digest-commands.ts';
import type { Core } from '../../src/core.ts';
import { isLoopbackHost, isLoopbackUrl } from '../../src/http/loopback.ts';
import type { Logger } from '../../src/logger.ts';

/** Refuses (403) a request from another machine or one whose replies would leave this machine. */
export function loopbackOnly(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const caller = req.socket.remoteAddress ?? '';
    const serviceUrl = (req.body as { serviceUrl?: unknown } | undefined)?.serviceUrl;
    if (isLoopbackHost(caller) && isLoopbackUrl(serviceUrl)) return next();
    logger.warn(
      { loopbackCaller: isLoopbackHost(caller), loopbackServiceUrl: isLoopbackUrl(serviceUrl) },
      'Teams (TEAMS_AUTH=none): refused a request that is not from and to this machine',
    );
    res.status(403).json({ error: 'TEAMS_AUTH=none accepts only loopback callers and loopback serviceUrls' });
  };
}

const WRITES = new Set(['subscribe', 'unsubscribe', 'stop']);

/** The digest commands without the ones that write: status and preview still answer. */
export function readOnlyDigest(digest: DigestCommands | undefined, core: Core): DigestCommands | undefined {
  if (!digest) return undefined;
  return {
    async handle(request) {
      if (!WRITES.has((request.args[0] ?? '').toLowerCase())) return digest.handle(request);
      return {
        answer: {
          type: 'notice',
          title: 'Not in local mode',
          message: 'Digest subscriptions need the authenticated Teams endpoint: this server runs with TEAMS_AUTH=none.',
          details: ['Set MicrosoftAppId and MicrosoftAppPassword to subscribe a Teams channel.'],
          kb: kbStamp(core.kb),
        },
        private: true,
      };
    },
  };
}
