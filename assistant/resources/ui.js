// The workbench's page script, run once when the page loads (gr.mount_gradio_app(js=...)). It only reads
// attributes of markup the server built from numbers and registry text; it never builds HTML.
() => {
  // The page is designed light (print-like tables, yellow highlights); a dark desktop setting must not flip it.
  document.body.classList.remove('dark');

  // [n] in an answer: scroll the 引用来源 panel to card n of that answer and highlight it. Clicking inside a
  // message also makes the panel show that message's sources, so the card may arrive a moment later (or be
  // redrawn): watch the panel briefly and apply the highlight whenever the right answer's card is there.
  const reveal = (turn, n) => {
    const list = document.querySelector('#zs-sources .zs-cites');
    if (!list || (turn !== undefined && list.dataset.zsTurn !== turn)) {
      return;
    }
    const card = list.querySelector('#zs-cite-' + n);
    if (!card || card.classList.contains('zs-cite-active')) {
      return;
    }
    list.querySelectorAll('.zs-cite-active').forEach((c) => c.classList.remove('zs-cite-active'));
    card.classList.add('zs-cite-active');
    card.scrollIntoView({ block: 'nearest' });
  };
  let watching = null;
  // The marker is <a class="zs-cite zs-cite-turn-T" href="#zs-cite-N"> (the bubble's sanitiser keeps class
  // and href, not data-* attributes).
  const showCitation = (link) => {
    const target = /^#zs-cite-(\d+)$/.exec(link.getAttribute('href') || '');
    if (!target) {
      return;
    }
    const n = target[1];
    const which = /(?:^|\s)zs-cite-turn-(\d+)(?:\s|$)/.exec(link.className);
    const turn = which ? which[1] : undefined;
    if (watching) {
      watching.disconnect();
    }
    const panel = document.getElementById('zs-sources');
    if (!panel) {
      return;
    }
    panel.querySelectorAll('.zs-cite-active').forEach((c) => c.classList.remove('zs-cite-active'));
    reveal(turn, n);
    const observer = new MutationObserver(() => reveal(turn, n));
    observer.observe(panel, { childList: true, subtree: true });
    watching = observer;
    setTimeout(() => observer.disconnect(), 5000);
  };

  // An example question in the 数据 tab's tool listing: put it into the question box on the 问答 tab.
  const askExample = (button) => {
    const box = document.querySelector('#zs-question textarea');
    const chatTab = Array.from(document.querySelectorAll('#zs-tabs [role=tab]'))
      .find((tab) => tab.textContent.trim() === '问答');
    if (!box || !chatTab) {
      return;
    }
    chatTab.click();
    box.value = button.dataset.zsAsk;
    box.dispatchEvent(new Event('input', { bubbles: true }));
    setTimeout(() => box.focus(), 0);
  };

  // Capture phase: the chat bubble's own handlers must not turn the in-page link into a navigation.
  document.addEventListener('click', (event) => {
    const target = event.target instanceof Element ? event.target : null;
    const link = target && target.closest('a.zs-cite');
    if (link) {
      event.preventDefault();
      showCitation(link);
      return;
    }
    const example = target && target.closest('[data-zs-ask]');
    if (example) {
      event.preventDefault();
      askExample(example);
    }
  }, true);
}
