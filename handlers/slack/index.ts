/** Every Slack listener, registered in one place (mounted on Bolt by ./listeners.ts). */
import { randomUUID } from 'node:crypto';
import type { App } from '@slack/bolt';
import * as cardAction from './actions/card-action.ts';
import * as curation from './actions/curation.ts';
import * as exportWeek from './actions/export.ts';
import * as feedback from './actions/feedback.ts';
import * as share from './actions/share.ts';
import * as her2 from './commands/her2.ts';
import type { SlackDeps } from './deps.ts';
import * as appHomeOpened from './events/app-home-opened.ts';
import * as appMention from './events/app-mention.ts';
import * as directMessage from './events/direct-message.ts';
import * as linkShared from './events/link-shared.ts';
import * as workspaceRemoved from './events/workspace-removed.ts';
import { SlackListeners } from './listeners.ts';
import { eventDeduplicator } from './middleware/dedupe-events.ts';
import { normalizeSlackPayload } from './middleware/payload-shape.ts';
import { responder } from './response-url.ts';

export function register(app: App, deps: SlackDeps): void {
  // The last resort: what a listener's own guard did not catch (Bolt's middleware, a bug) is logged
  // with a correlation id, never dropped silently.
  app.error(async (error) => {
    deps.logger.error({ err: error, id: randomUUID().slice(0, 8), surface: 'slack' }, 'Slack listener failed');
  });
  const firstDelivery = eventDeduplicator({
    ...(deps.deliveries ? { shared: deps.deliveries } : {}),
    logger: deps.logger,
  });
  // Every payload is made the shape listeners read, and a repeated event is dropped, before a handler sees it.
  listenersOf(deps).mountOn(app, {
    admit: (body) => {
      normalizeSlackPayload(body);
      return firstDelivery(body);
    },
    respondVia: responder,
  });
}

/** The handlers' listeners, before they are mounted on an app. */
export function listenersOf(deps: SlackDeps): SlackListeners {
  const listeners = new SlackListeners();
  for (const module of [
    her2,
    appMention,
    directMessage,
    appHomeOpened,
    linkShared,
    workspaceRemoved,
    cardAction,
    share,
    feedback,
    curation,
    exportWeek,
  ]) {
    module.register(listeners, deps);
  }
  return listeners;
}
