/**
 * What the browser shows at the end of an OAuth install: where the app now is and how to start, or why
 * it did not install (without Slack's internals: those go to the log).
 */
import type { ExpressReceiverOptions } from '@slack/bolt';
import { escapeHtml, page } from '../../src/http/pages.ts';
import type { Logger } from '../../src/logger.ts';

type CallbackOptions = NonNullable<NonNullable<ExpressReceiverOptions['installerOptions']>['callbackOptions']>;

export function installPages(logger: Logger): CallbackOptions {
  return {
    success: (installation, _options, _req, res) => {
      const where = installation.team?.name ?? installation.enterprise?.name ?? 'your workspace';
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(
        page('HER2 Bot is installed', [
          `HER2 Bot is installed in <strong>${escapeHtml(where)}</strong>.`,
          'In any channel type <code>/her2 help</code>, or mention <code>@her2bot</code> with a question. Invite it to a channel (<code>/invite @her2bot</code>) for its daily literature digest.',
          'Research use only, not medical advice.',
        ]),
      );
    },
    failure: (error, _options, _req, res) => {
      logger.warn({ err: { name: error.name, code: error.code, message: error.message } }, 'Slack: install failed');
      res.writeHead(400, { 'content-type': 'text/html; charset=utf-8' });
      res.end(
        page('HER2 Bot could not be installed', [
          'The install could not be completed: the link may have expired or been opened in another browser.',
          'Start again from the install link. If it keeps failing, ask the server’s operator to check the log.',
        ]),
      );
    },
  };
}
