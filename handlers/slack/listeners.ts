/**
 * The Slack listeners, mounted on Bolt as one listener per kind of payload (commands, events, block
 * actions, view submissions) that dispatches by event type, action id or callback id.
 *
 * Why not one Bolt listener each: Bolt passes every request through every listener's middleware
 * chain (App.processEvent maps over all of them, copying the arguments for each), so each listener
 * costs every request, whatever its type. With fifteen listeners that fan-out cost a /her2 command
 * more CPU than answering it (bench/slack-load.ts, profiled with --cpu-prof-dir). Listeners register
 * here with Bolt's own signatures, so a handler reads like any Bolt listener.
 */
import type {
  App,
  Middleware,
  SlackAction,
  SlackActionMiddlewareArgs,
  SlackCommandMiddlewareArgs,
  SlackEventMiddlewareArgs,
  SlackViewAction,
  SlackViewMiddlewareArgs,
} from '@slack/bolt';

type Matcher = string | RegExp;

const matches = (matcher: Matcher, value: string | undefined): boolean =>
  value !== undefined && (typeof matcher === 'string' ? matcher === value : matcher.test(value));

/** What the handlers registered, by name (the manifest test compares it with manifest.yml). */
export interface Registered {
  commands: string[];
  events: string[];
  actions: string[];
  views: string[];
}

export class SlackListeners {
  private readonly commands = new Map<string, Middleware<SlackCommandMiddlewareArgs>>();
  private readonly events = new Map<string, Middleware<SlackEventMiddlewareArgs>>();
  private readonly actions: [Matcher, Middleware<SlackActionMiddlewareArgs>][] = [];
  private readonly views: [Matcher, Middleware<SlackViewMiddlewareArgs>][] = [];

  command(name: string, listener: Middleware<SlackCommandMiddlewareArgs>): void {
    this.commands.set(name, listener);
  }

  event<T extends string>(type: T, listener: Middleware<SlackEventMiddlewareArgs<T>>): void {
    if (!/^[a-z_]+$/.test(type)) throw new Error(`not a Slack event type: ${type}`);
    if (this.events.has(type)) throw new Error(`two listeners for the Slack event ${type}`);
    this.events.set(type, listener as unknown as Middleware<SlackEventMiddlewareArgs>);
  }

  /** Message events (the bot's DMs), as Bolt's `app.message()` without patterns. */
  message(listener: Middleware<SlackEventMiddlewareArgs<'message'>>): void {
    this.event('message', listener);
  }

  /** A block action by its action id; the first registered match answers. */
  action<A extends SlackAction = SlackAction>(
    constraints: { action_id: Matcher },
    listener: Middleware<SlackActionMiddlewareArgs<A>>,
  ): void {
    this.actions.push([constraints.action_id, listener as unknown as Middleware<SlackActionMiddlewareArgs>]);
  }

  /** A modal's submission by its callback id. */
  view<V extends SlackViewAction = SlackViewAction>(
    callbackId: Matcher,
    listener: Middleware<SlackViewMiddlewareArgs<V>>,
  ): void {
    this.views.push([callbackId, listener as unknown as Middleware<SlackViewMiddlewareArgs>]);
  }

  get registered(): Registered {
    return {
      commands: [...this.commands.keys()],
      events: [...this.events.keys()],
      actions: this.actions.map(([m]) => String(m)),
      views: this.views.map(([m]) => String(m)),
    };
  }

  /** Registers at most one Bolt listener per kind; what matches no handler is left to Bolt as before. */
  mountOn(app: App): void {
    for (const [name, listener] of this.commands) app.command(name, listener);
    if (this.events.size > 0) {
      app.event(new RegExp(`^(?:${[...this.events.keys()].join('|')})$`), async (args) => {
        await this.events.get(args.event.type)?.(args);
      });
    }
    if (this.actions.length > 0) {
      app.action({ type: 'block_actions' }, async (args) => {
        const id = (args.action as { action_id?: string }).action_id;
        await this.actions.find(([m]) => matches(m, id))?.[1](args);
      });
    }
    if (this.views.length > 0) {
      app.view({ type: 'view_submission' }, async (args) => {
        await this.views.find(([m]) => matches(m, args.view.callback_id))?.[1](args);
      });
    }
  }
}
