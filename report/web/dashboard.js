// dashboard.js: the head of office's dashboard. It follows the hub's stream (/ws) and, on each
// event, refetches /api/v1/dashboard (at most once a second): the day's figures folded by the
// reports' rules on the hub. Files per stage come from the workflow's /api/v1/stages and its
// at-risk and late files from /api/v1/workflow/alerts; device alerts from the stream's state.
(function () {
  'use strict';
  const L = window.AntreLive;
  const $ = (id) => document.getElementById(id);
  let lang = L.lang('antre.dashboard.lang');
  let t = L.translator(lang);
  const office = new L.Office(5);
  let data = null;
  let timer = 0;
  let last = 0;
  let stream = null;
  const probe = { refreshes: 0, lastEventId: 0 };
  window.dashboardProbe = probe;

  function applyTexts() {
    document.documentElement.lang = lang;
    document.querySelectorAll('[data-t]').forEach((el) => { el.textContent = t(el.dataset.t); });
    $('lang-toggle').textContent = t('dash.other_lang');
    $('conn-text').textContent = $('conn').dataset.state === 'open' ? t('dash.live') : t('dash.offline');
  }

  function num(n) { return new Intl.NumberFormat(lang === 'en' ? 'en-GB' : 'id-ID').format(n || 0); }
  function mins(s) { return s ? t('dash.min', (s / 60).toLocaleString(lang === 'en' ? 'en-GB' : 'id-ID', { maximumFractionDigits: 1 })) : '–'; }
  // hubNow is the hub's clock: its instant in the last answer plus the time since it came.
  let hubAt = 0;
  let gotAt = 0;
  function hubNow() { return hubAt ? hubAt + (Date.now() - gotAt) : L.now(); }
  function since(iso) { return iso ? mins(Math.max(0, (hubNow() - Date.parse(iso)) / 1000)) : '–'; }
  function cell(tr, text, cls) {
    const td = document.createElement('td');
    td.textContent = text;
    if (cls) td.className = cls;
    tr.appendChild(td);
  }

  // ---- Log-in -----------------------------------------------------------------------------------
  function loginScreen(msg) {
    $('main').hidden = true;
    $('login').hidden = false;
    $('login-error').hidden = !msg;
    $('login-error').textContent = msg || '';
  }
  function enter(p) {
    if (p.role !== 'head' && p.role !== 'admin') {
      loginScreen(t('dash.forbidden'));
      return;
    }
    $('login').hidden = true;
    $('main').hidden = false;
    refresh();
    monthly();
    if (!stream) {
      stream = new L.Stream({ onMessage: onMessage, onState: onState });
      stream.start();
    }
  }
  $('login-form').addEventListener('submit', (e) => {
    e.preventDefault();
    L.api('POST', '/api/v1/login', { name: $('login-name').value.trim(), password: $('login-password').value }, lang).then((r) => {
      $('login-password').value = '';
      enter(r);
    }, (err) => loginScreen(err.message));
  });
  $('lang-toggle').addEventListener('click', () => {
    lang = lang === 'en' ? 'id' : 'en';
    try { localStorage.setItem('antre.dashboard.lang', lang); } catch (e) { /* storage may be disabled */ }
    t = L.translator(lang);
    applyTexts();
    render();
  });

  // ---- The stream -------------------------------------------------------------------------------
  function onState(s) {
    $('conn').dataset.state = s;
    $('conn-text').textContent = s === 'open' ? t('dash.live') : t('dash.offline');
  }
  function onMessage(msg) {
    if (msg.type === 'snapshot') office.load(msg.snapshot);
    else office.apply(msg);
    render();
    schedule();
  }
  // schedule refetches the figures at most once a second, the last event always followed.
  function schedule() {
    if (timer) return;
    const wait = Math.max(0, 1000 - (Date.now() - last));
    timer = setTimeout(() => { timer = 0; refresh(); }, wait);
  }

  function refresh() {
    last = Date.now();
    const none = () => null;
    Promise.all([
      L.api('GET', '/api/v1/dashboard', undefined, lang),
      L.api('GET', '/api/v1/stages', undefined, lang).catch(none),
      L.api('GET', '/api/v1/workflow/alerts', undefined, lang).catch(none),
    ]).then(([d, stages, alerts]) => {
      data = { d: d, stages: stages, alerts: alerts };
      hubAt = Date.parse(d.now);
      gotAt = Date.now();
      probe.refreshes++;
      probe.lastEventId = d.last_event_id;
      render();
    }, (err) => {
      if (err.status === 401) loginScreen('');
      else if (err.status === 403) loginScreen(t('dash.forbidden'));
    });
  }

  // ---- Drawing ----------------------------------------------------------------------------------
  function render() {
    if (!data) return;
    const d = data.d;
    $('office-name').textContent = d.office_name;
    if (!$('r-to').value) {
      $('r-from').value = d.date.slice(0, 8) + '01';
      $('r-to').value = d.date;
    }
    $('t-waiting').textContent = num(d.waiting_now);
    $('t-longest').textContent = since(d.oldest_since);
    $('t-issued').textContent = num(d.tickets.issued);
    $('t-served').textContent = num(d.tickets.served);
    $('t-noshow').textContent = num(d.tickets.no_show);
    $('t-cancelled').textContent = num(d.tickets.cancelled);
    $('updated').textContent = t('dash.updated', new Date(hubNow()).toLocaleTimeString(lang === 'en' ? 'en-GB' : 'id-ID', { timeZone: d.time_zone, hour: '2-digit', minute: '2-digit', second: '2-digit' }));

    const gb = document.querySelector('#groups tbody');
    gb.textContent = '';
    d.groups.forEach((g) => {
      const tr = document.createElement('tr');
      tr.dataset.group = g.group;
      cell(tr, g.group + ' · ' + (lang === 'en' ? g.name_en : g.name_id));
      cell(tr, num(g.waiting), 'waiting');
      cell(tr, since(g.oldest_since), g.oldest_since && (hubNow() - Date.parse(g.oldest_since)) > 7200000 ? 'late' : '');
      cell(tr, mins(g.day.waiting.median_s));
      cell(tr, mins(g.day.waiting.p90_s));
      cell(tr, mins(g.day.service.median_s));
      cell(tr, mins(g.day.service.p90_s));
      cell(tr, num(g.day.served));
      ['walkin', 'online', 'priority'].forEach((p) => cell(tr, num(g.used[p]) + ' / ' + num(g.quota[p])));
      gb.appendChild(tr);
    });

    // every counter the office has (the stream's state), with the day's service from the figures
    const cb = document.querySelector('#counters tbody');
    cb.textContent = '';
    const rows = new Map();
    if (office.loaded) office.counters.forEach((c) => rows.set(c.number, { counter: c.number, name: c.name, busy: !!c.current, ticket: c.current ? c.current.code : '', served: 0, service: {} }));
    d.counters.forEach((c) => {
      const r = rows.get(c.counter) || { counter: c.counter, name: '', busy: c.busy, ticket: c.ticket };
      rows.set(c.counter, Object.assign(r, { served: c.served, service: c.service }));
    });
    Array.from(rows.values()).sort((a, b) => a.counter - b.counter).forEach((c) => {
      const tr = document.createElement('tr');
      tr.dataset.counter = c.counter;
      cell(tr, c.name || String(c.counter));
      cell(tr, c.busy ? t('dash.busy') + ' · ' + c.ticket : t('dash.idle'), c.busy ? 'busy' : 'idle');
      cell(tr, num(c.served));
      cell(tr, mins(c.service.average_s));
      cb.appendChild(tr);
    });

    const sb = document.querySelector('#stages tbody');
    sb.textContent = '';
    ((data.stages && data.stages.stages) || []).forEach((s) => {
      const tr = document.createElement('tr');
      cell(tr, t('stage.' + s.stage));
      cell(tr, num((s.waiting || 0) + (s.in_progress || 0)));
      sb.appendChild(tr);
    });
    const files = (data.alerts && data.alerts.files) || [];
    $('f-risk').textContent = data.alerts ? num(files.filter((f) => f.level === 'at_risk').length) : '–';
    $('f-late').textContent = data.alerts ? num(files.filter((f) => f.level === 'late').length) : '–';

    let responses = 0;
    let index = '–';
    (d.satisfaction || []).forEach((s) => {
      responses += s.responses;
      if (s.index != null) index = s.index.toLocaleString(lang === 'en' ? 'en-GB' : 'id-ID', { minimumFractionDigits: 2 });
    });
    $('v-responses').textContent = num(responses);
    $('v-index').textContent = index;
    $('v-open').textContent = num(d.open_complaints);
    renderAlerts();
    chart(d.arrivals, d.finishes);
  }

  function renderAlerts() {
    const ul = $('alerts');
    ul.textContent = '';
    const list = office.loaded ? Array.from(office.alerts.values()) : [];
    if (!list.length) {
      const li = document.createElement('li');
      li.className = 'muted';
      li.textContent = t('dash.no_alerts');
      ul.appendChild(li);
    }
    list.forEach((a) => {
      const li = document.createElement('li');
      li.textContent = a.device + ': ' + (a.message || a.kind);
      ul.appendChild(li);
    });
  }

  // chart draws arrivals (bars) against finished (line) by hour, 06:00–18:00, in SVG.
  function chart(arr, fin) {
    const svg = $('chart');
    const NS = 'http://www.w3.org/2000/svg';
    svg.textContent = '';
    const x0 = 40;
    const y0 = 210;
    const w = 1340;
    const h = 180;
    const hours = [];
    for (let i = 6; i <= 18; i++) hours.push(i);
    const top = Math.max(1, ...hours.map((i) => Math.max(arr[i] || 0, fin[i] || 0)));
    const slot = w / hours.length;
    const el = (name, attrs, text) => {
      const e = document.createElementNS(NS, name);
      Object.keys(attrs).forEach((k) => e.setAttribute(k, attrs[k]));
      if (text != null) e.textContent = text;
      svg.appendChild(e);
      return e;
    };
    el('line', { x1: x0, y1: y0, x2: x0 + w, y2: y0, stroke: '#888' });
    el('line', { x1: x0, y1: y0, x2: x0, y2: y0 - h, stroke: '#888' });
    el('text', { x: x0 - 6, y: y0 - h + 4, 'text-anchor': 'end' }, String(top));
    el('text', { x: x0 - 6, y: y0 + 4, 'text-anchor': 'end' }, '0');
    const pts = [];
    hours.forEach((hr, i) => {
      const bh = h * (arr[hr] || 0) / top;
      el('rect', { class: 'arr', x: x0 + i * slot + slot * 0.15, y: y0 - bh, width: slot * 0.7, height: bh, 'data-hour': hr, 'data-n': arr[hr] || 0 });
      el('text', { x: x0 + (i + 0.5) * slot, y: y0 + 16, 'text-anchor': 'middle' }, String(hr).padStart(2, '0'));
      pts.push((x0 + (i + 0.5) * slot).toFixed(1) + ',' + (y0 - h * (fin[hr] || 0) / top).toFixed(1));
    });
    el('polyline', { class: 'fin', points: pts.join(' ') });
    el('rect', { x: x0 + w - 200, y: 4, width: 12, height: 12, class: 'arr' });
    el('text', { x: x0 + w - 184, y: 14 }, t('dash.arrivals'));
    el('line', { x1: x0 + w - 100, y1: 10, x2: x0 + w - 84, y2: 10, class: 'fin' });
    el('text', { x: x0 + w - 80, y: 14 }, t('dash.finished'));
  }

  // monthly lists the monthly reports the hub keeps, newest first, as links.
  function monthly() {
    L.api('GET', '/api/v1/reports/monthly', undefined, lang).then((r) => {
      const box = $('monthly');
      box.textContent = '';
      (r.files || []).filter((f) => f.endsWith('.pdf')).forEach((f) => {
        const a = document.createElement('a');
        a.href = '/api/v1/reports/monthly/' + f;
        a.textContent = f.slice(0, 7);
        box.appendChild(a);
      });
      if (!box.firstChild) box.textContent = '–';
    }, () => {});
  }

  // ---- The report form --------------------------------------------------------------------------
  let format = 'pdf';
  document.querySelectorAll('#report-form button').forEach((b) => b.addEventListener('click', () => { format = b.dataset.format; }));
  $('report-form').addEventListener('submit', (e) => {
    e.preventDefault();
    location.href = '/api/v1/reports?from=' + $('r-from').value + '&to=' + $('r-to').value + '&format=' + format + '&lang=' + lang;
  });

  // The waits grow without events: redraw them every 15 s; refetch every minute.
  setInterval(render, 15000);
  setInterval(() => { if (!$('main').hidden) refresh(); }, 60000);

  applyTexts();
  onState('connecting');
  L.api('GET', '/api/v1/me', undefined, lang).then(enter, (err) => loginScreen(err.status === 401 ? '' : err.message));
})();
