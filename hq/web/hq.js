// hq.js: headquarters' dashboard. AntreHQ.national() draws every office live (sortable,
// filterable by region) from /ws; AntreHQ.office(code) draws one office's figures. Words come
// from the catalogue (texts.js?page=hq); figures are the server's, never recomputed here.
(function (global) {
  'use strict';
  const L = global.AntreLive;
  const lang = L.lang('antre-hq-lang');
  const t = L.translator(lang);

  function applyTexts() {
    document.documentElement.lang = lang;
    document.querySelectorAll('[data-t]').forEach(el => { el.textContent = t(el.dataset.t); });
    document.querySelectorAll('[data-tp]').forEach(el => { el.placeholder = t(el.dataset.tp); });
    const toggle = document.getElementById('lang-toggle');
    toggle.textContent = lang === 'en' ? 'Bahasa Indonesia' : 'English';
    toggle.onclick = () => {
      try { localStorage.setItem('antre-hq-lang', lang === 'en' ? 'id' : 'en'); } catch (e) { /* storage may be off */ }
      location.search = '';
    };
  }

  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }

  function time(iso) {
    if (!iso) return '—';
    const d = new Date(iso);
    return d.toLocaleString(lang === 'en' ? 'en-GB' : 'id-ID', { day: '2-digit', month: 'short', hour: '2-digit', minute: '2-digit', second: '2-digit' });
  }
  function minutes(s) { return (s / 60).toFixed(1); }

  function setConn(state) {
    const c = document.getElementById('conn');
    c.dataset.state = state;
    document.getElementById('conn-text').textContent = t(state === 'open' ? 'live' : 'reconnecting');
  }

  // stream follows /ws: onOffices(list, full) gets the full list first, then the changed ones.
  function stream(onOffices) {
    let delay = 500;
    function connect() {
      const ws = new WebSocket((location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/ws');
      ws.onopen = () => { delay = 500; setConn('open'); };
      ws.onmessage = ev => {
        const msg = JSON.parse(ev.data);
        onOffices(msg.offices || [], msg.type === 'offices');
      };
      ws.onclose = () => {
        setConn('connecting');
        setTimeout(connect, delay + Math.random() * delay);
        delay = Math.min(delay * 2, 15000);
      };
    }
    connect();
  }

  function flags(o) {
    const span = el('span');
    (o.flags || []).forEach(f => {
      const x = el('span', 'flag flag-' + f, t('flag.' + f));
      if (f === 'restored' && o.restored_note) x.title = o.restored_note;
      span.appendChild(x);
    });
    return span;
  }

  const sorters = {
    link: o => ({ online: 0, offline: 1, never: 2 })[o.link.state],
    backlog: o => o.link.backlog,
  };

  function national() {
    applyTexts();
    const offices = new Map();
    let sortKey = 'code', desc = false;
    const rows = document.getElementById('rows');
    const regionSel = document.getElementById('region');
    const search = document.getElementById('search');
    const flashed = new Set();

    function render() {
      const region = regionSel.value, q = search.value.trim().toLowerCase();
      const regions = [...new Set([...offices.values()].map(o => o.region).filter(Boolean))].sort();
      const have = [...regionSel.options].slice(1).map(o => o.value);
      if (regions.join('|') !== have.join('|')) {
        regionSel.length = 1;
        regions.forEach(r => regionSel.add(new Option(r, r)));
        regionSel.value = regions.includes(region) ? region : '';
      }
      const list = [...offices.values()].filter(o => (!regionSel.value || o.region === regionSel.value) &&
        (!q || o.code.toLowerCase().includes(q) || o.name.toLowerCase().includes(q)));
      const key = sorters[sortKey] || (o => o[sortKey]);
      list.sort((a, b) => {
        const x = key(a), y = key(b);
        const c = x < y ? -1 : x > y ? 1 : a.code < b.code ? -1 : 1;
        return desc ? -c : c;
      });
      document.querySelectorAll('th[data-sort]').forEach(th => {
        if (th.dataset.sort === sortKey) th.setAttribute('aria-sort', desc ? 'descending' : 'ascending');
        else th.removeAttribute('aria-sort');
      });
      const body = document.createDocumentFragment();
      const sum = { issued: 0, served: 0, waiting: 0, remaining: 0, online: 0 };
      list.forEach(o => {
        const tr = el('tr');
        tr.dataset.code = o.code;
        if (flashed.has(o.code)) tr.className = 'flash';
        const name = el('td', 'office');
        const a = el('a', '', o.code);
        a.href = '/offices/' + encodeURIComponent(o.code);
        name.appendChild(a);
        name.appendChild(el('div', 'muted', o.name));
        tr.appendChild(name);
        tr.appendChild(el('td', 'region', o.region || '—'));
        const link = el('td', 'link');
        link.appendChild(el('span', 'state state-' + o.link.state, t('link.' + o.link.state)));
        link.appendChild(el('div', 'muted', time(o.link.last_event_at)));
        tr.appendChild(link);
        tr.appendChild(el('td', 'num issued', o.issued_today));
        tr.appendChild(el('td', 'num served', o.served_today));
        tr.appendChild(el('td', 'num waiting', o.waiting));
        tr.appendChild(el('td', 'num remaining', o.remaining_quota));
        tr.appendChild(el('td', 'num longest', minutes(o.longest_wait_seconds)));
        const late = el('td', 'num files-late', o.files_late === null ? '—' : o.files_late);
        if (o.files_late === null) late.title = t('not_counted');
        tr.appendChild(late);
        tr.appendChild(el('td', 'num events', o.events));
        tr.appendChild(el('td', 'num backlog', o.link.backlog));
        const f = el('td', 'flags');
        f.appendChild(flags(o));
        tr.appendChild(f);
        body.appendChild(tr);
        sum.issued += o.issued_today; sum.served += o.served_today; sum.waiting += o.waiting; sum.remaining += o.remaining_quota;
        if (o.link.state === 'online') sum.online++;
      });
      rows.replaceChildren(body);
      document.getElementById('count').textContent = t('offices_count', list.length);
      const totals = document.getElementById('totals');
      totals.replaceChildren();
      [['total', list.length], ['link.online', sum.online], ['issued', sum.issued], ['served', sum.served], ['waiting', sum.waiting], ['remaining', sum.remaining]]
        .forEach(([k, v]) => { const s = el('div', 'stat stat-' + k.replace('.', '-')); s.appendChild(el('b', '', v)); s.appendChild(el('span', 'muted', t(k))); totals.appendChild(s); });
    }

    document.querySelectorAll('th[data-sort]').forEach(th => th.addEventListener('click', () => {
      if (sortKey === th.dataset.sort) desc = !desc; else { sortKey = th.dataset.sort; desc = sortKey !== 'code' && sortKey !== 'region'; }
      render();
    }));
    regionSel.addEventListener('change', render);
    search.addEventListener('input', render);
    stream((list, full) => {
      if (full) {
        offices.clear();
        // The report's date starts at the offices' business date, not the browser's.
        const newest = list.map(o => o.date).filter(Boolean).sort().pop();
        const d = document.getElementById('report-date');
        if (newest && !d.dataset.touched) { d.dataset.base = newest; d.dataset.period = ''; d.value = ''; d.dispatchEvent(new Event('input')); }
      }
      list.forEach(o => {
        const old = offices.get(o.code);
        if (!full && old && old.issued_today !== o.issued_today) {
          flashed.add(o.code);
          setTimeout(() => { flashed.delete(o.code); render(); }, 1500);
        }
        offices.set(o.code, o);
      });
      render();
    });
    report();
  }

  function report() {
    const period = document.getElementById('period'), date = document.getElementById('report-date');
    function update() {
      const today = date.dataset.base || new Date().toISOString().slice(0, 10);
      const p = period.value;
      if (!date.value || date.dataset.period !== p) date.value = p === 'day' ? today : p === 'month' ? today.slice(0, 7) : today.slice(0, 4);
      date.dataset.period = p;
      const region = document.getElementById('region').value;
      const base = '/api/v1/report?period=' + p + '&date=' + encodeURIComponent(date.value) + '&lang=' + lang + (region ? '&region=' + encodeURIComponent(region) : '');
      document.getElementById('report-csv').href = base + '&format=csv';
      document.getElementById('report-pdf').href = base + '&format=pdf';
    }
    period.addEventListener('change', update);
    date.addEventListener('input', e => { if (e.isTrusted) date.dataset.touched = '1'; update(); });
    document.getElementById('region').addEventListener('change', update);
    update();
  }

  function office(code) {
    applyTexts();
    let pending = null;
    async function load() {
      const r = await fetch('/api/v1/offices/' + encodeURIComponent(code) + '?lang=' + lang);
      if (!r.ok) { document.getElementById('office-name').textContent = t('unknown_office'); return; }
      draw(await r.json());
    }
    function draw(o) {
      document.title = o.code + ' · Antre';
      document.getElementById('office-name').textContent = o.code + ' · ' + o.name;
      document.getElementById('office-meta').textContent = [o.region, o.time_zone, t('date') + ' ' + (o.date || '—')].filter(Boolean).join(' · ');
      document.getElementById('flags').replaceChildren(flags(o));
      const figs = document.getElementById('figures');
      figs.replaceChildren();
      [['issued', o.issued_today], ['served', o.served_today], ['waiting', o.waiting], ['remaining', o.remaining_quota],
        ['no_shows', o.no_shows_today], ['longest_wait', minutes(o.longest_wait_seconds)], ['waiting_since', o.oldest_waiting_since ? time(o.oldest_waiting_since) : '—'],
        ['files_late', o.files_late === null ? '—' : o.files_late], ['events', o.events]]
        .forEach(([k, v]) => { const s = el('div', 'stat stat-' + k); s.appendChild(el('b', '', v)); s.appendChild(el('span', 'muted', t(k))); figs.appendChild(s); });
      const body = document.createDocumentFragment();
      (o.figures.groups || []).forEach(g => {
        const tr = el('tr');
        tr.dataset.group = g.group;
        const total = q => q.walkin + q.online + q.priority;
        const gname = lang === 'en' && g.name_en ? g.name_en : g.name_id;
        [[g.group + (gname ? ' · ' + gname : ''), ''], [g.quota_known ? total(g.quota) : '—', 'num quota'], [total(g.used), 'num used'],
          [g.quota_known ? total(g.remaining) : '—', 'num remaining'], [g.waiting, 'num waiting'], [g.issued, 'num issued'], [g.served, 'num served']]
          .forEach(([v, c]) => tr.appendChild(el('td', c, v)));
        body.appendChild(tr);
      });
      document.getElementById('groups').replaceChildren(body);
      const dl = document.getElementById('link');
      dl.replaceChildren();
      const gaps = (o.gaps || []).map(g => g[0] === g[1] ? g[0] : g[0] + '–' + g[1]).join(', ') || '—';
      [['link', t('link.' + o.link.state)], ['heartbeat', time(o.link.heartbeat_at)], ['last_event', time(o.link.last_event_at)],
        ['office_last_event', o.link.office_last_event], ['shipped', o.link.shipped], ['events', o.events], ['backlog', o.link.backlog],
        ['clock_skew', o.link.clock_skew_seconds], ['settings_at', time(o.link.settings_at)], ['settings_pending', o.settings_pending], ['gaps', gaps]]
        .forEach(([k, v]) => { dl.appendChild(el('dt', '', t(k))); dl.appendChild(el('dd', 'v-' + k, v)); });
    }
    stream(list => {
      if (!list.some(o => o.code === code) || pending) return;
      pending = setTimeout(() => { pending = null; load(); }, 150);
    });
    load();
  }

  global.AntreHQ = { national: national, office: office };
  // The page says which it is (no inline script: the pages' CSP runs only their own files).
  const page = document.body.dataset.page;
  if (page === 'national') national();
  if (page === 'office') office(decodeURIComponent(location.pathname.split('/').pop()));
})(window);
