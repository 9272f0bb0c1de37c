/**
 * Slack's payloads as our listeners read them. A request can be correctly signed and still malformed
 * (a test tool, an old app config, a proxy): `text` missing or an array, `links` not a list. Each field
 * a listener reads is coerced here, once, at the edge, to the type it reads or to an empty value, so a
 * listener never throws a TypeError and the user still gets an answer.
 */
import { z } from 'zod';

const Links = z
  .array(z.unknown())
  .catch([])
  .transform((links) =>
    links.filter((l): l is { url: string } => typeof (l as { url?: unknown } | null)?.url === 'string'),
  );

/** Rewrites, in place, the fields listeners read to their expected types. */
export function normalizeSlackPayload(body: Record<string, unknown>): void {
  if (!body || typeof body !== 'object') return;
  const event = body.event as Record<string, unknown> | undefined;
  if (event && typeof event === 'object') {
    if (typeof event.text !== 'string') event.text = '';
    for (const key of ['channel', 'ts']) if (key in event && typeof event[key] !== 'string') event[key] = '';
    for (const key of ['user', 'thread_ts', 'message_ts', 'team']) {
      if (key in event && typeof event[key] !== 'string') delete event[key];
    }
    if (event.type === 'link_shared') event.links = Links.parse(event.links);
  }
  if (typeof body.command === 'string') {
    for (const key of ['text', 'team_id', 'channel_id', 'user_id']) if (typeof body[key] !== 'string') body[key] = '';
  }
}
