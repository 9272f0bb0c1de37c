/**
 * The Teams card, drawn by Microsoft's own `adaptivecards` renderer (served by the bot from
 * node_modules) with a host config that looks like Teams' light theme. Action.Submit and container
 * selectActions call `onAction(data.her2)`; Action.OpenUrl opens a new tab.
 */
import { h, link, openInNewTab } from './dom.js';

const FOREGROUND = {
  default: { default: '#242424', subtle: '#616161' },
  dark: { default: '#252423', subtle: '#484644' },
  light: { default: '#ffffff', subtle: '#f3f2f1' },
  accent: { default: '#5b5fc7', subtle: '#7579eb' },
  good: { default: '#237b4b', subtle: '#92c353' },
  warning: { default: '#835c00', subtle: '#c4314b' },
  attention: { default: '#c4314b', subtle: '#c4314b' },
};

/** Close to the Teams light theme that the Adaptive Cards designer ships. */
export const TEAMS_HOST_CONFIG = {
  supportsInteractivity: true,
  fontFamily: "'Segoe UI', system-ui, -apple-system, 'Helvetica Neue', sans-serif",
  spacing: { small: 8, default: 12, medium: 16, large: 20, extraLarge: 24, padding: 16 },
  separator: { lineThickness: 1, lineColor: '#e1dfdd' },
  fontSizes: { small: 12, default: 14, medium: 14, large: 18, extraLarge: 24 },
  fontWeights: { lighter: 200, default: 400, bolder: 600 },
  containerStyles: {
    default: { backgroundColor: '#ffffff', foregroundColors: FOREGROUND },
    emphasis: { backgroundColor: '#f5f5f5', foregroundColors: FOREGROUND },
  },
  actions: {
    maxActions: 6,
    spacing: 'default',
    buttonSpacing: 8,
    showCard: { actionMode: 'inline', inlineTopMargin: 16 },
    actionsOrientation: 'horizontal',
    actionAlignment: 'left',
  },
  adaptiveCard: { allowCustomStyle: true },
  factSet: {
    title: { color: 'default', size: 'default', isSubtle: false, weight: 'bolder', wrap: true, maxWidth: 150 },
    value: { color: 'default', size: 'default', isSubtle: false, weight: 'default', wrap: true },
    spacing: 8,
  },
  textBlock: { headingLevel: 2 },
};

let markdownInstalled = false;

/** The rendered card element, or an explanation when the renderer is missing or the card is invalid. */
export function renderTeamsCard(json, { onAction }) {
  const AC = window.AdaptiveCards;
  if (!AC) return h('p', { class: 'problem' }, 'The adaptivecards renderer did not load, so the card cannot be drawn.');
  if (!markdownInstalled) {
    AC.AdaptiveCard.onProcessMarkdown = (text, result) => {
      result.outputHtml = teamsMarkdown(text);
      result.didProcess = true;
    };
    markdownInstalled = true;
  }
  const card = new AC.AdaptiveCard();
  card.hostConfig = new AC.HostConfig(TEAMS_HOST_CONFIG);
  card.onExecuteAction = (action) => {
    const type = action.getJsonTypeName();
    if (type === 'Action.OpenUrl') openInNewTab(action.url);
    else if (type === 'Action.Submit' || type === 'Action.Execute') {
      const data = action.data;
      onAction(data && typeof data === 'object' && 'her2' in data ? data.her2 : data);
    }
  };
  try {
    card.parse(json);
    const element = card.render();
    if (!element) return h('p', { class: 'problem' }, 'The adaptivecards renderer drew nothing for this card.');
    return h('div', { class: 'teams-frame' }, element);
  } catch (err) {
    return h('p', { class: 'problem' }, `The adaptivecards renderer failed: ${err.message}`);
  }
}

/**
 * The markdown subset Teams renders in a TextBlock (**bold**, _italic_, [label](url), `code`, "- "
 * lists, backslash escapes), built as DOM and handed to the renderer serialized, so text is always
 * escaped and only these few tags can appear.
 */
export function teamsMarkdown(text) {
  const root = document.createElement('div');
  let list = null;
  let paragraph = null;
  for (const raw of text.split('\n')) {
    const line = raw.replace(/ {2}$/, '');
    if (/^[-*] /.test(line)) {
      paragraph = null;
      list ??= root.appendChild(h('ul'));
      list.append(h('li', {}, inline(line.slice(2))));
    } else if (line.trim() === '') {
      list = null;
      paragraph = null;
    } else {
      list = null;
      if (paragraph) paragraph.append(h('br'));
      else paragraph = root.appendChild(h('p'));
      paragraph.append(inline(line));
    }
  }
  return root.innerHTML;
}

const ESCAPABLE = '\\`*_{}[]()#+-.!>|~';

/** Inline markdown, scanning left to right; a backslash makes the next character literal. */
function inline(text) {
  const out = document.createDocumentFragment();
  let plain = '';
  const flush = () => {
    if (plain) out.append(plain);
    plain = '';
  };
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '\\' && ESCAPABLE.includes(text[i + 1] ?? '')) {
      plain += text[i + 1];
      i += 2;
      continue;
    }
    const span = delimited(text, i);
    if (span) {
      flush();
      out.append(span.node);
      i = span.end;
      continue;
    }
    plain += c;
    i += 1;
  }
  flush();
  return out;
}

/** A formatted span starting at `i`, with the index after it; or undefined. */
function delimited(text, i) {
  if (text.startsWith('**', i)) {
    const end = closing(text, i + 2, '**');
    if (end > i + 2) return { node: h('strong', {}, inline(text.slice(i + 2, end))), end: end + 2 };
  }
  const c = text[i];
  if ((c === '_' || c === '*') && !/[\p{L}\p{N}]/u.test(text[i - 1] ?? '') && /\S/.test(text[i + 1] ?? '')) {
    const end = closing(text, i + 1, c);
    if (end > i + 1 && !/[\p{L}\p{N}]/u.test(text[end + 1] ?? ''))
      return { node: h('em', {}, inline(text.slice(i + 1, end))), end: end + 1 };
  }
  if (c === '`') {
    const end = text.indexOf('`', i + 1);
    if (end > i + 1) return { node: h('code', {}, text.slice(i + 1, end)), end: end + 1 };
  }
  if (c === '[') {
    const close = closing(text, i + 1, ']');
    if (close > i && text[close + 1] === '(') {
      const end = text.indexOf(')', close + 2);
      if (end > close) {
        const label = document.createElement('span');
        label.append(inline(text.slice(i + 1, close)));
        return { node: link(text.slice(close + 2, end), label.textContent), end: end + 1 };
      }
    }
  }
  return undefined;
}

/** The index of the next unescaped `marker` from `from`, or -1. */
function closing(text, from, marker) {
  for (let j = from; j < text.length; j++) {
    if (text[j] === '\\') j += 1;
    else if (text.startsWith(marker, j)) return j;
  }
  return -1;
}
