/*
 * The web chat widget (served as /widget.js when WIDGET_ALLOWED_ORIGINS names the portal): one script tag on
 * the portal's page adds a floating chat button that opens the chat page of the server it came from, in a frame.
 */
(() => {
  // Filled in by the server from prompts/messages.yaml.
  const TEXT = /* widget texts */ {};
  const script = document.currentScript;
  if (!script || document.getElementById('ocop-chat-widget')) return;
  const chatUrl = new URL('/', script.src).href;

  const root = document.createElement('div');
  root.id = 'ocop-chat-widget';
  const button = document.createElement('button');
  button.type = 'button';
  button.textContent = '💬';
  button.title = TEXT.web_widget_open;
  button.setAttribute('aria-label', TEXT.web_widget_open);
  button.setAttribute('aria-expanded', 'false');
  Object.assign(button.style, {
    position: 'fixed',
    right: '16px',
    bottom: '16px',
    width: '60px',
    height: '60px',
    borderRadius: '50%',
    border: '0',
    background: '#2e7d32',
    color: '#fff',
    fontSize: '28px',
    lineHeight: '1',
    cursor: 'pointer',
    boxShadow: '0 2px 8px rgba(0,0,0,.3)',
    zIndex: '2147483647',
  });

  let frame;
  function open() {
    if (!frame) {
      frame = document.createElement('iframe');
      frame.src = chatUrl;
      frame.title = TEXT.web_title;
      Object.assign(frame.style, {
        position: 'fixed',
        right: '16px',
        bottom: '88px',
        width: 'min(400px, calc(100vw - 32px))',
        height: 'min(640px, calc(100vh - 104px))',
        border: '0',
        borderRadius: '12px',
        background: '#fff',
        boxShadow: '0 4px 16px rgba(0,0,0,.3)',
        zIndex: '2147483647',
      });
      root.appendChild(frame);
    }
    frame.style.display = 'block';
    button.textContent = '✕';
    button.title = TEXT.web_widget_close;
    button.setAttribute('aria-label', TEXT.web_widget_close);
    button.setAttribute('aria-expanded', 'true');
  }
  function close() {
    frame.style.display = 'none';
    button.textContent = '💬';
    button.title = TEXT.web_widget_open;
    button.setAttribute('aria-label', TEXT.web_widget_open);
    button.setAttribute('aria-expanded', 'false');
  }
  button.addEventListener('click', () => (frame && frame.style.display !== 'none' ? close() : open()));
  root.appendChild(button);
  document.body.appendChild(root);
})();
