/* The web chat page's script (served as /web/chat.js: the page's CSP admits no inline script). */
// The texts come from the page's JSON data block (data, never run as script).
const TEXT = JSON.parse(document.getElementById('texts').textContent);
const log = document.getElementById('log');
const input = document.getElementById('q');
let userId = localStorage.getItem('ocop-user');
if (!userId) {
  userId = `web-${Math.random().toString(36).slice(2, 12)}`;
  localStorage.setItem('ocop-user', userId);
}

function add(cls, text) {
  const div = document.createElement('div');
  div.className = `msg ${cls}`;
  div.textContent = text;
  log.appendChild(div);
  log.scrollTop = log.scrollHeight;
  return div;
}

function render(reply) {
  const lines = reply.text.split('\n').filter((l) => !(reply.sources?.length && l.startsWith(`${TEXT.source_label}:`)));
  const div = add('bot', lines.join('\n').trim());
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
      btn.onclick = () => send({ button: b.ref }, b.label);
      box.appendChild(btn);
    }
    div.appendChild(box);
  }
}

async function send(message, shown) {
  add('user', shown || message.text);
  try {
    const res = await fetch('/api/chat', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userId, ...message }),
    });
    // 429 (too many messages from this address) comes with a polite reply of its own.
    if (!res.ok && res.status !== 429) throw new Error(String(res.status));
    const data = await res.json();
    data.replies.forEach(render);
  } catch (_e) {
    add('bot error', TEXT.web_error);
  }
}

document.getElementById('f').addEventListener('submit', (e) => {
  e.preventDefault();
  const text = input.value.trim();
  if (!text) return;
  input.value = '';
  send({ text });
});
send({ text: '/start' }, '👋');
