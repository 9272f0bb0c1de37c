/**
 * A results area: the three renderings of an answer side by side (Slack, Teams, text), each with its
 * validation and raw payload, a caption saying what was asked, and Back after a button click.
 */
import { h, rawJson } from './dom.js';
import { renderSlackMessage } from './slack.js';
import { renderTeamsCard } from './teams.js';

/** POSTs JSON to this server; never throws, and gives `data.error` on failure. */
export async function post(path, body) {
  let response;
  try {
    response = await fetch(path, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
  } catch {
    return { ok: false, status: 0, data: { error: 'The playground server did not answer. Is the bot still running?' } };
  }
  let data;
  try {
    data = await response.json();
  } catch {
    data = { error: `The server answered ${response.status} without JSON.` };
  }
  return { ok: response.ok, status: response.status, data };
}

/**
 * One results area: the three renderings of an answer, a caption saying what was asked, and Back
 * to the answers before a button click.
 */
export function resultsView(container) {
  const history = [];
  const bar = h('div', { class: 'results-bar' });
  const status = h('div', { class: 'status', role: 'status', 'aria-live': 'polite' });
  const body = h('div', { class: 'surfaces' });
  container.replaceChildren(bar, status, body);

  const view = {
    busy(message) {
      status.replaceChildren(h('span', { class: 'spinner', 'aria-hidden': 'true' }), message);
    },
    /** Shows what went wrong; with `clear`, removes the previous results so they are not taken for this run's. */
    error(message, { clear = false } = {}) {
      status.replaceChildren(h('div', { class: 'alert', role: 'alert' }, message));
      if (clear) {
        history.length = 0;
        bar.replaceChildren();
        body.replaceChildren();
      }
    },
    show(result, caption, { push = true } = {}) {
      if (push) history.push({ result, caption });
      status.replaceChildren();
      const back =
        history.length > 1
          ? h('button', { type: 'button', class: 'back', onclick: () => view.back() }, '← Back')
          : null;
      bar.replaceChildren(back ?? '', h('p', { class: 'caption' }, caption), result.note ? note(result.note) : '');
      body.replaceChildren(...surfaces(result, view));
    },
    back() {
      history.pop();
      const previous = history.at(-1);
      if (previous) view.show(previous.result, previous.caption, { push: false });
    },
    async action(payload) {
      view.busy(' Asking the bot…');
      const { ok, data } = await post('/playground/api/action', { payload });
      if (!ok) return view.error(data.error ?? 'The button did not work.');
      view.show(data, `Button clicked: ${describePayload(data.payload)}`);
    },
  };
  return view;
}

function note(text) {
  return h('p', { class: 'note' }, text);
}

function describePayload(p) {
  const parts = [p.a];
  if (p.id) parts.push(p.id);
  if (p.q) parts.push(`“${p.q}”`);
  if (p.p) parts.push(`page ${p.p}`);
  return parts.join(' · ');
}

function surfaces(result, view) {
  const onAction = (payload) => view.action(payload);
  const { slack, teams, text } = result.surfaces;
  const validation = result.validation ?? { slack: [], teams: [] };
  return [
    surface(
      'Slack',
      'Block Kit, drawn by the playground',
      renderSlackMessage(slack, { onAction, ephemeral: result.via === 'slash', thread: result.via === 'mention' }),
      verdict(validation.slack, 'Within Slack’s Block Kit limits'),
      rawJson('Raw JSON (chat.postMessage)', slack),
    ),
    surface(
      'Teams',
      'Adaptive Card 1.5, drawn by Microsoft’s adaptivecards renderer',
      renderTeamsCard(teams, { onAction }),
      verdict(validation.teams, 'Parses as Adaptive Card 1.5, within Teams’ size limit'),
      rawJson('Raw JSON (Adaptive Card)', teams),
    ),
    surface(
      'Text',
      'Plain text, as the CLI prints it',
      h('pre', { class: 'text-answer', tabindex: '0' }, text),
      h('p', { class: 'ok' }, `${text.length} characters`),
      rawJson('Raw text', text),
    ),
  ];
}

function surface(name, subtitle, rendering, check, raw) {
  const id = `surface-${name.toLowerCase()}`;
  return h(
    'section',
    { class: `surface ${id}`, 'aria-labelledby': `${id}-title` },
    h('h2', { id: `${id}-title` }, name, h('span', { class: 'surface-sub' }, subtitle)),
    h('div', { class: 'surface-body' }, rendering),
    check,
    raw,
  );
}

function verdict(problems, okText) {
  if (!problems || problems.length === 0) return h('p', { class: 'ok' }, `✓ ${okText}`);
  return h(
    'div',
    { class: 'problems', role: 'alert' },
    h('p', {}, `${problems.length} problem${problems.length === 1 ? '' : 's'}:`),
    h(
      'ul',
      {},
      problems.map((p) => h('li', {}, p)),
    ),
  );
}
