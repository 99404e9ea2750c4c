// hq.js: the office's link to headquarters (GET /api/v1/hq/link every few seconds): up or
// down and since when, what waits to be sent, the settings last received, today's figures.
(function () {
  'use strict';
  const L = window.AntreLive;
  const lang = L.lang('antre-lang');
  const t = L.translator(lang);
  document.querySelectorAll('[data-t]').forEach(e => { e.textContent = t(e.dataset.t); });
  function cell(tag, text, cls) { const e = document.createElement(tag); e.textContent = text; if (cls) e.className = cls; return e; }
  async function load() {
    const r = await fetch('/api/v1/hq/link?lang=' + lang, { credentials: 'same-origin' });
    const banner = document.getElementById('banner');
    if (r.status === 401 || r.status === 403) { document.getElementById('login').hidden = false; banner.hidden = true; return; }
    const s = await r.json();
    banner.textContent = s.message;
    banner.dataset.state = !s.linked ? 'off' : s.connected ? 'up' : 'down';
    const stats = document.getElementById('stats');
    stats.replaceChildren();
    [['issued', s.today.issued], ['served', s.today.served], ['waiting', s.today.waiting], ['remaining', s.today.remaining],
      ['backlog', s.backlog], ['shipped', s.shipped]].forEach(([k, v]) => {
      const d = cell('div', '', 'stat stat-' + k); d.appendChild(cell('b', v)); d.appendChild(cell('span', t(k))); stats.appendChild(d);
    });
    const body = document.getElementById('settings');
    body.replaceChildren();
    s.settings.forEach(x => {
      const tr = document.createElement('tr');
      [x.id, x.kind, new Date(x.received_at).toLocaleString(), x.result].forEach(v => tr.appendChild(cell('td', v)));
      body.appendChild(tr);
    });
  }
  load();
  setInterval(load, 5000);
})();
