/* The web chat page's script (served as /web/chat.js: the page's CSP admits no inline script). */
// The texts and the server's limits come from the page's JSON data blocks (data, never run as script).
const TEXT = JSON.parse(document.getElementById('texts').textContent);
const SETTINGS = JSON.parse(document.getElementById('settings').textContent);
const log = document.getElementById('log');
const form = document.getElementById('f');
const input = document.getElementById('q');
const sendButton = document.getElementById('send');
/** The transcript kept in this browser, so a reload shows it again; the newest entries only. */
const HISTORY_KEY = 'ocop-history';
const HISTORY_MAX = 100;

let userId = localStorage.getItem('ocop-user');
if (!userId) {
  userId = `web-${Math.random().toString(36).slice(2, 12)}`;
  localStorage.setItem('ocop-user', userId);
}

function loadHistory() {
  try {
    const saved = JSON.parse(localStorage.getItem(HISTORY_KEY) || '[]');
    // Whatever else is stored under the key (an older page's, an edited one) is left out, never shown broken.
    return Array.isArray(saved)
      ? saved.filter((e) => e && (e.who === 'user' || e.who === 'bot') && typeof e.text === 'string')
      : [];
  } catch (_e) {
    return [];
  }
}
let history = loadHistory();

function remember(entries) {
  history = history.concat(entries).slice(-HISTORY_MAX);
  try {
    localStorage.setItem(HISTORY_KEY, JSON.stringify(history));
  } catch (_e) {
    // A full or refused storage only loses the transcript, never the conversation.
  }
}

function fill(template, values) {
  return template.replace(/\{(\w+)\}/g, (m, k) => (k in values ? String(values[k]) : m));
}

function bubble(cls, text) {
  const div = document.createElement('div');
  div.className = `msg ${cls}`;
  div.textContent = text;
  log.appendChild(div);
  return div;
}

/** Shows the end of the conversation: called once a whole reply (text, sources, buttons) is on the page. */
function scrollToEnd() {
  log.lastElementChild?.scrollIntoView({ block: 'end' });
}

/** A bot reply; its buttons work only while it is the latest reply (`live`). */
function renderBot(reply, live) {
  const lines = reply.text.split('\n').filter((l) => !(reply.sources?.length && l.startsWith(`${TEXT.source_label}:`)));
  const div = bubble('bot', lines.join('\n').trim());
  if (reply.sources?.length) {
    const box = document.createElement('div');
    box.className = 'sources';
    box.append(`${TEXT.web_sources}:`);
    for (const s of reply.sources) {
      const a = document.createElement(s.url ? 'a' : 'span');
      if (s.url) {
        a.href = s.url;
        a.target = '_blank';
        a.rel = 'noopener';
      }
      a.className = 'source';
      a.textContent = s.doc + (s.date ? ` (${s.date})` : '');
      box.appendChild(a);
    }
    div.appendChild(box);
  }
  if (reply.buttons?.length) {
    const box = document.createElement('div');
    box.className = 'buttons';
    for (const b of reply.buttons) {
      const btn = document.createElement('button');
      btn.type = 'button';
      btn.textContent = b.label;
      if (live && b.ref) btn.onclick = () => send({ button: b.ref }, b.label);
      else btn.disabled = true;
      box.appendChild(btn);
    }
    div.appendChild(box);
  }
  return div;
}

/** Disables every earlier button (replies' and retries'); returns those that were live, to restore on failure. */
function disableOldButtons() {
  const live = [...log.querySelectorAll('.buttons button:not(:disabled), button.retry:not(:disabled)')];
  for (const btn of live) btn.disabled = true;
  return live;
}

let typing;
function setPending(on) {
  input.disabled = on;
  sendButton.disabled = on;
  if (on) {
    typing = document.createElement('div');
    typing.className = 'msg typing';
    typing.setAttribute('role', 'status');
    const dots = document.createElement('span');
    dots.className = 'dots';
    dots.setAttribute('aria-hidden', 'true');
    for (let i = 0; i < 3; i++) dots.appendChild(document.createElement('span'));
    const label = document.createElement('span');
    label.className = 'typing-text';
    label.textContent = TEXT.web_typing;
    typing.append(dots, label);
    log.appendChild(typing);
    scrollToEnd();
  } else {
    typing?.remove();
    typing = undefined;
  }
}

function newMessageId() {
  return `m${Date.now().toString(36)}${Math.random().toString(36).slice(2, 10)}`;
}

let busy = false;

/**
 * Sends a typed message or a pressed button (`shown` is what the user sees of it; none for the silent greeting).
 * A retry sends the same message id, so a message the server did answer is not answered twice.
 */
async function send(message, shown, retry) {
  if (busy) return false;
  busy = true;
  const wereLive = disableOldButtons();
  const body = { userId, ...message, messageId: retry?.messageId ?? newMessageId() };
  let userBubble = retry?.userBubble;
  if (shown && !userBubble) userBubble = bubble('user', shown);
  retry?.errorBubble.remove();
  setPending(true);
  let data;
  try {
    const res = await fetch('/api/chat', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    // 429 (too many messages from this address) comes with a polite reply of its own.
    if (!res.ok && res.status !== 429) throw new Error(String(res.status));
    data = await res.json();
  } catch (_e) {
    setPending(false);
    busy = false;
    // Nothing was said: what could be pressed before still can.
    for (const btn of wereLive) if (btn.isConnected) btn.disabled = false;
    const errorBubble = bubble('bot error', TEXT.web_error);
    const again = document.createElement('button');
    again.type = 'button';
    again.className = 'retry';
    again.textContent = TEXT.web_retry;
    again.onclick = () => send(message, shown, { messageId: body.messageId, userBubble, errorBubble });
    errorBubble.appendChild(again);
    scrollToEnd();
    return false;
  }
  setPending(false);
  busy = false;
  const entries = shown ? [{ who: 'user', text: shown }] : [];
  for (const reply of data.replies) {
    renderBot(reply, true);
    entries.push({
      who: 'bot',
      text: reply.text,
      ...(reply.sources?.length ? { sources: reply.sources } : {}),
      ...(reply.buttons?.length ? { buttons: reply.buttons.map((b) => ({ label: b.label })) } : {}),
    });
  }
  remember(entries);
  // A typed message leaves the box once it is sent (a retry too), unless something else was typed since.
  if (message.text && shown && input.value.trim() === message.text) input.value = '';
  scrollToEnd();
  return true;
}

form.addEventListener('submit', async (e) => {
  e.preventDefault();
  const text = input.value.trim();
  if (!text || busy) return;
  // The server reads at most maxMessageLength characters: a longer message is refused here, and kept to shorten.
  const length = text.normalize('NFC').length;
  if (length > SETTINGS.maxMessageLength) {
    bubble('bot error too-long', fill(TEXT.web_too_long, { length, max: SETTINGS.maxMessageLength }));
    scrollToEnd();
    return;
  }
  // The text stays in the box until it is sent: a failed send keeps it.
  await send({ text }, text);
  input.focus();
});

// A returning visitor sees the conversation so far and is sent nothing (an open form continues with the next
// message); a first visit is greeted with the menu.
if (history.length) {
  // The last reply's buttons still work (the server keeps what they refer to): someone mid-form taps on.
  history.forEach((entry, i) => {
    if (entry.who === 'user') bubble('user', entry.text);
    else renderBot(entry, i === history.length - 1);
  });
  scrollToEnd();
} else {
  send({ text: '/start' });
}
