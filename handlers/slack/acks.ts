/**
 * Acknowledging /her2 with the card itself, cheaply. The card of a cached answer is the same every
 * time, so its JSON is serialised once; in HTTP mode the ack then sends that string as
 * `application/json` instead of Bolt serialising the same object again for every request (the
 * profile of the slash-command path showed JSON.stringify, its garbage and the write as the biggest
 * costs of ours over bare Bolt). In Socket Mode the ack travels inside Bolt's own envelope, so it gets
 * the object.
 */
import type { ServerResponse } from 'node:http';
import type { AckFn, RespondArguments } from '@slack/bolt';
import type { SlackMessage } from '../../src/cards/slack.ts';

/** The name under which the receiver hands the HTTP response to listeners (Bolt's customProperties). */
export const HTTP_RESPONSE = 'her2HttpResponse';

const serialised = new WeakMap<SlackMessage, string>();

export async function ackEphemeral(
  ack: AckFn<string | RespondArguments>,
  message: SlackMessage,
  context: Record<string, unknown>,
): Promise<void> {
  const res = context[HTTP_RESPONSE] as ServerResponse | undefined;
  if (!res || res.headersSent) {
    await ack({ response_type: 'ephemeral', ...message });
    return;
  }
  let json = serialised.get(message);
  if (json === undefined) {
    json = JSON.stringify({ response_type: 'ephemeral', ...message });
    serialised.set(message, json);
  }
  res.setHeader('content-type', 'application/json');
  await ack(json);
}
