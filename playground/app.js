/**
 * The playground page: ask the real bot as a user would, see the answer as Slack, Teams and text side
 * by side, click the cards' buttons, and preview the daily digest. Talks only to this server.
 */

import { sourcesReport } from './digest.js';
import { h } from './dom.js';
import { post, resultsView } from './results.js';

const $ = (id) => document.getElementById(id);

const VIA = {
  slash: 'as /her2: the answer is ephemeral, with Share to channel',
  mention: 'as an @-mention: the answer goes in the thread',
  plain: 'as the words after /her2',
};

// --- Ask ---------------------------------------------------------------------------------------

const ask = resultsView($('ask-results'));

async function askBot(typed) {
  ask.busy(' Asking the bot…');
  const { ok, data } = await post('/playground/api/ask', { text: typed });
  if (!ok) return ask.error(data.error ?? 'The bot did not answer.');
  const words = data.input ? `“${data.input}”` : 'nothing (help)';
  ask.show(data, `You typed “${typed}”. The bot answered ${words} ${VIA[data.via] ?? ''}.`);
}

$('ask-form').addEventListener('submit', (event) => {
  event.preventDefault();
  askBot($('ask-text').value);
});

// --- Digest ------------------------------------------------------------------------------------

const digest = resultsView($('digest-results'));

function isoDay(date) {
  const pad = (n) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

function defaultWindow() {
  const until = new Date();
  const since = new Date(until);
  since.setDate(since.getDate() - 7);
  $('digest-since').value = isoDay(since);
  $('digest-until').value = isoDay(until);
}

async function runDigest() {
  const range = { since: $('digest-since').value, until: $('digest-until').value };
  $('digest-sources').replaceChildren();
  digest.busy(' Fetching from the literature sources (this can take a while without network)…');
  $('digest-run').disabled = true;
  const { ok, status, data } = await post('/playground/api/digest', range);
  $('digest-run').disabled = false;
  if (!ok) {
    const why = status === 503 ? 'The digest is not available on this server: it was started without it.' : data.error;
    return digest.error(why ?? 'The digest dry run failed.', { clear: true });
  }
  $('digest-sources').replaceChildren(sourcesReport(data.sources ?? []));
  digest.show(data, `Digest dry run for ${data.window.since} to ${data.window.until}: what the bot would post.`);
}

$('digest-form').addEventListener('submit', (event) => {
  event.preventDefault();
  runDigest();
});

// --- Tabs and start-up -------------------------------------------------------------------------

function selectTab(name) {
  for (const tab of document.querySelectorAll('[role="tab"]')) {
    const selected = tab.dataset.tab === name;
    tab.setAttribute('aria-selected', String(selected));
    tab.tabIndex = selected ? 0 : -1;
    $(tab.getAttribute('aria-controls')).hidden = !selected;
  }
}

const tabs = [...document.querySelectorAll('[role="tab"]')];
for (const [i, tab] of tabs.entries()) {
  tab.addEventListener('click', () => selectTab(tab.dataset.tab));
  // Arrow keys move between tabs, as the ARIA tabs pattern expects.
  tab.addEventListener('keydown', (event) => {
    const step = { ArrowRight: 1, ArrowLeft: -1 }[event.key];
    if (!step) return;
    const next = tabs[(i + step + tabs.length) % tabs.length];
    selectTab(next.dataset.tab);
    next.focus();
  });
}

async function start() {
  defaultWindow();
  let info;
  try {
    info = await (await fetch('/playground/api/info')).json();
  } catch {
    ask.error('The playground server did not answer. Is the bot still running?');
    return;
  }
  $('kb-version').textContent =
    `Knowledge base ${info.knowledgeBase.version} (${info.knowledgeBase.date}) · her2-bot ${info.version}`;
  if (!info.digest) {
    $('digest-unavailable').hidden = false;
    $('digest-run').disabled = true;
  }
  $('examples').replaceChildren(
    ...info.examples.map((example) =>
      h(
        'li',
        {},
        h(
          'button',
          {
            type: 'button',
            class: 'chip',
            onclick: () => {
              $('ask-text').value = example;
              askBot(example);
            },
          },
          example,
        ),
      ),
    ),
  );
  $('ask-text').focus();
}

start();
