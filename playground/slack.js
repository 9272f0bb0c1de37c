/**
 * A Slack message (text + Block Kit blocks) drawn as HTML, close enough to Slack to judge a card's
 * layout: header, sections with mrkdwn, two-column fields, accessory buttons, context, actions and
 * dividers. Buttons with a `value` call `onAction(value)`; link buttons open a new tab.
 */
import { h, link, openInNewTab } from './dom.js';

export function renderSlackMessage(message, { onAction, ephemeral = false, thread = false }) {
  const blocks = Array.isArray(message.blocks) ? message.blocks : [];
  const body = blocks.length > 0 ? blocks.map((b) => block(b, onAction)) : [h('div', {}, mrkdwn(message.text ?? ''))];
  return h(
    'div',
    { class: 'sk-message' },
    h('div', { class: 'sk-avatar', 'aria-hidden': 'true' }, 'H2'),
    h(
      'div',
      { class: 'sk-content' },
      h(
        'div',
        { class: 'sk-meta' },
        h('span', { class: 'sk-name' }, 'her2-bot'),
        h('span', { class: 'sk-app' }, 'APP'),
        h('span', { class: 'sk-time' }, 'now'),
      ),
      ephemeral ? h('div', { class: 'sk-ephemeral' }, 'Only visible to you') : null,
      thread ? h('div', { class: 'sk-ephemeral' }, 'In the thread of your mention') : null,
      h('div', { class: 'sk-blocks' }, body),
    ),
  );
}

function block(b, onAction) {
  switch (b.type) {
    case 'header':
      return h('div', { class: 'sk-header', role: 'heading', 'aria-level': '3' }, b.text?.text ?? '');
    case 'section':
      return section(b, onAction);
    case 'context':
      return h(
        'div',
        { class: 'sk-context' },
        (b.elements ?? []).map((e) =>
          e.type === 'image' ? h('span', { class: 'sk-image-alt' }, `[${e.alt_text ?? 'image'}]`) : textObject(e),
        ),
      );
    case 'actions':
      return h(
        'div',
        { class: 'sk-actions' },
        (b.elements ?? []).map((e) => element(e, onAction)),
      );
    case 'divider':
      return h('hr', { class: 'sk-divider' });
    case 'image':
      return h('div', { class: 'sk-image-alt' }, `[image: ${b.alt_text ?? ''}]`);
    default:
      return h('div', { class: 'sk-unsupported' }, `[${b.type} block: not drawn by the playground]`);
  }
}

function section(b, onAction) {
  const main = h('div', { class: 'sk-section-main' });
  if (b.text) main.append(h('div', { class: 'sk-text' }, textObject(b.text)));
  if (Array.isArray(b.fields) && b.fields.length > 0) {
    main.append(
      h(
        'div',
        { class: 'sk-fields' },
        b.fields.map((f) => h('div', { class: 'sk-field' }, textObject(f))),
      ),
    );
  }
  const accessory = b.accessory ? h('div', { class: 'sk-accessory' }, element(b.accessory, onAction)) : null;
  return h('div', { class: 'sk-section' }, main, accessory);
}

function element(e, onAction) {
  if (e.type !== 'button') return h('span', { class: 'sk-unsupported' }, `[${e.type}]`);
  const classes = ['sk-button', e.style === 'primary' ? 'sk-primary' : '', e.style === 'danger' ? 'sk-danger' : ''];
  const button = h('button', { type: 'button', class: classes.join(' ').trim() }, e.text?.text ?? '');
  if (e.url) {
    button.title = `Opens ${e.url}`;
    button.addEventListener('click', () => openInNewTab(e.url));
  } else if (e.value !== undefined) {
    button.addEventListener('click', () => onAction(e.value));
  }
  return button;
}

function textObject(t) {
  if (!t) return '';
  if (t.type === 'mrkdwn') return h('span', { class: 'sk-mrkdwn' }, mrkdwn(t.text ?? ''));
  return h('span', {}, t.text ?? '');
}

/** Slack's three escapes; nothing else is an entity in mrkdwn. */
function unescapeSlack(s) {
  return s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/** Slack mrkdwn as DOM nodes: lines, > quotes, then the inline formatting of each line. */
export function mrkdwn(text) {
  const out = document.createDocumentFragment();
  text.split('\n').forEach((line, i) => {
    if (i > 0) out.append(h('br'));
    if (line.startsWith('>')) out.append(h('span', { class: 'sk-quote' }, inline(line.slice(1).trimStart())));
    else out.append(inline(line));
  });
  return out;
}

// Bold, italic and strike need a non-word character (or the line's edge) outside the markers.
const EDGE_L = '(?<![\\p{L}\\p{N}])';
const EDGE_R = '(?![\\p{L}\\p{N}])';
const INLINE = new RegExp(
  [
    '`(?<code>[^`]+)`',
    '<(?<angle>[^<>]+)>',
    `${EDGE_L}\\*(?<bold>[^*\\s](?:[^*]*[^*\\s])?)\\*${EDGE_R}`,
    `${EDGE_L}_(?<italic>[^_\\s](?:[^_]*[^_\\s])?)_${EDGE_R}`,
    `${EDGE_L}~(?<strike>[^~\\s](?:[^~]*[^~\\s])?)~${EDGE_R}`,
  ].join('|'),
  'gu',
);

function inline(text) {
  const out = document.createDocumentFragment();
  let last = 0;
  for (const m of text.matchAll(INLINE)) {
    out.append(unescapeSlack(text.slice(last, m.index)));
    last = m.index + m[0].length;
    const g = m.groups;
    if (g.code !== undefined) out.append(h('code', {}, unescapeSlack(g.code)));
    else if (g.angle !== undefined) out.append(angle(g.angle));
    else if (g.bold !== undefined) out.append(h('strong', {}, inline(g.bold)));
    else if (g.italic !== undefined) out.append(h('em', {}, inline(g.italic)));
    else out.append(h('s', {}, inline(g.strike)));
  }
  out.append(unescapeSlack(text.slice(last)));
  return out;
}

/** `<url|label>`, `<url>`, and the special forms Slack would turn into pings or channel links. */
function angle(content) {
  const bar = content.indexOf('|');
  const target = bar >= 0 ? content.slice(0, bar) : content;
  const label = bar >= 0 ? unescapeSlack(content.slice(bar + 1)) : '';
  if (target.startsWith('!')) return h('span', { class: 'sk-mention sk-alert' }, `@${label || target.slice(1)}`);
  if (target.startsWith('@')) return h('span', { class: 'sk-mention' }, `@${label || target.slice(1)}`);
  if (target.startsWith('#')) return h('span', { class: 'sk-mention' }, `#${label || target.slice(1)}`);
  const url = unescapeSlack(target);
  return link(url, label || url);
}
