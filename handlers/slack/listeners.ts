/**
 * The Slack listeners, mounted on Bolt as one global middleware that hands each payload to its handler
 * by command, event type, action id or callback id.
 *
 * Why not a Bolt listener each: Bolt passes every request through every listener's middleware chain
 * (App.processEvent maps over all of them, copying the arguments for each), so each listener costs
 * every request, whatever its type. With fifteen listeners that fan-out cost a /her2 command more CPU
 * than answering it; one listener per kind of payload still cost more than a global middleware
 * (bench/slack-load.ts, profiled with --cpu-prof-dir). Handlers register here with Bolt's own
 * signatures, so a handler reads like any Bolt listener.
 */
import type {
  App,
  Middleware,
  RespondFn,
  SlackAction,
  SlackActionMiddlewareArgs,
  SlackCommandMiddlewareArgs,
  SlackEventMiddlewareArgs,
  SlackViewAction,
  SlackViewMiddlewareArgs,
} from '@slack/bolt';

type Matcher = string | RegExp;

/** The fields of a Slack payload that say which handler it is for. */
interface SlackBody {
  command?: unknown;
  type?: string;
  event?: { type: string };
  actions?: { action_id?: string }[];
  view?: { callback_id?: string };
}

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

  /**
   * Mounts the handlers as one global Bolt middleware, the last one, that hands each payload to its
   * handler and does not go on to Bolt's listener phase; what matches no handler goes on (`next()`),
   * as to an app with no listener for it. Bolt gives global middleware the same arguments as a
   * listener (command, event, action, view, ack, respond, say, client, context).
   * - `admit` sees every payload first and may drop it (false). It is part of this one middleware
   *   rather than one of its own because each Bolt middleware costs every request a copy of the
   *   arguments and an async step.
   * - `respondVia` gives handlers their `respond()` for a payload's response_url instead of Bolt's.
   */
  mountOn(
    app: App,
    options: {
      admit?: (body: Record<string, unknown>) => boolean | Promise<boolean>;
      respondVia?: (responseUrl: string) => RespondFn;
    } = {},
  ): void {
    const { admit, respondVia } = options;
    app.use(async (args) => {
      const body = args.body as Record<string, unknown>;
      if (admit) {
        const admitted = admit(body);
        if (admitted === false || (admitted !== true && !(await admitted))) return;
      }
      const handler = this.handlerFor(body as SlackBody);
      if (!handler) return args.next();
      // Bolt builds these arguments afresh for each middleware, so they are ours to change.
      if (respondVia && typeof body.response_url === 'string') {
        (args as { respond?: RespondFn }).respond = respondVia(body.response_url);
      }
      await handler(args as never);
    });
  }

  private handlerFor(body: SlackBody): Middleware<never> | undefined {
    if (typeof body.command === 'string') return this.commands.get(body.command);
    if (body.type === 'event_callback') return body.event ? this.events.get(body.event.type) : undefined;
    if (body.type === 'block_actions') {
      const id = body.actions?.[0]?.action_id;
      return this.actions.find(([m]) => matches(m, id))?.[1];
    }
    if (body.type === 'view_submission') return this.views.find(([m]) => matches(m, body.view?.callback_id))?.[1];
    return undefined;
  }
}
