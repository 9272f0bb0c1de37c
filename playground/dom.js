/**
 * DOM helpers. Everything the page shows is built with createElement and textContent, so no text
 * from a card, a query or a source is ever parsed as HTML.
 */

/** An element with attributes, listeners (`onclick`) and children (strings become text nodes). */
export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') el.className = value;
    else if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value);
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child !== undefined && child !== null && child !== false) el.append(child);
  }
  return el;
}

/** The URL when it is a web link the page may open, else undefined. */
export function safeUrl(url) {
  try {
    const u = new URL(String(url));
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.href : undefined;
  } catch {
    return undefined;
  }
}

export function openInNewTab(url) {
  const safe = safeUrl(url);
  if (safe) window.open(safe, '_blank', 'noopener,noreferrer');
}

/** A link that opens in a new tab, or plain text when the URL is not a web link. */
export function link(url, label) {
  const safe = safeUrl(url);
  if (!safe) return document.createTextNode(label);
  return h('a', { href: safe, target: '_blank', rel: 'noopener noreferrer' }, label);
}

/** A "Copy" button for the text `getText()` returns. */
export function copyButton(getText, label = 'Copy') {
  const button = h('button', { type: 'button', class: 'copy' }, label);
  button.addEventListener('click', async () => {
    const text = getText();
    let ok = false;
    try {
      await navigator.clipboard.writeText(text);
      ok = true;
    } catch {
      ok = copyBySelection(text);
    }
    button.textContent = ok ? 'Copied' : 'Copy failed';
    setTimeout(() => {
      button.textContent = label;
    }, 1500);
  });
  return button;
}

function copyBySelection(text) {
  const area = h('textarea', { class: 'offscreen', 'aria-hidden': 'true' });
  area.value = text;
  document.body.append(area);
  area.select();
  let ok = false;
  try {
    ok = document.execCommand('copy');
  } catch {
    ok = false;
  }
  area.remove();
  return ok;
}

/** A collapsible raw JSON payload with a Copy button. */
export function rawJson(title, value) {
  const text = typeof value === 'string' ? value : JSON.stringify(value, null, 2);
  return h(
    'details',
    { class: 'raw' },
    h('summary', {}, title),
    h(
      'div',
      { class: 'raw-bar' },
      copyButton(() => text),
    ),
    h('pre', { class: 'raw-json', tabindex: '0' }, text),
  );
}
