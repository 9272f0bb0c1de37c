/**
 * Teams activities as our handlers read them. A correctly authenticated activity can still carry
 * fields of the wrong shape (`entities`, `membersAdded` or a query's `parameters` that are not
 * lists, `text` that is not a string): each field a handler reads is coerced here, at the edge, so
 * botbuilder and our handlers never throw a TypeError on it. An activity without the objects every
 * turn needs (`conversation`, `from`, `recipient`) is refused with 400.
 */
import type { RequestHandler } from 'express';
import { z } from 'zod';

const list = z.array(z.unknown()).catch([]);
const objects = z
  .array(z.object({}).loose())
  .catch((ctx) =>
    Array.isArray(ctx.value)
      ? (ctx.value as unknown[]).filter((v): v is Record<string, unknown> => v !== null && typeof v === 'object')
      : [],
  );
const party = z.object({ id: z.string().catch('') }).loose();

const Activity = z
  .object({
    type: z.string(),
    text: z.string().optional().catch(undefined),
    entities: objects.optional(),
    membersAdded: objects.optional(),
    membersRemoved: objects.optional(),
    attachments: list.optional(),
    conversation: party,
    from: party,
    recipient: party,
    value: z.unknown().optional(),
  })
  .loose();

const QueryValue = z
  .object({ parameters: objects.optional(), commandId: z.string().optional().catch(undefined) })
  .loose();

export function activityShape(): RequestHandler {
  return (req, res, next) => {
    const parsed = Activity.safeParse(req.body);
    if (!parsed.success) {
      res
        .status(400)
        .json({ error: 'not a Bot Framework activity (type, conversation, from and recipient are required)' });
      return;
    }
    const activity = parsed.data;
    if (activity.type === 'invoke' && activity.value && typeof activity.value === 'object') {
      activity.value = QueryValue.parse(activity.value);
    }
    req.body = activity;
    next();
  };
}
