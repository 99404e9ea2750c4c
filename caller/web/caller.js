// caller.js: the officer's console. The officer logs in (the hub sets a session cookie), picks a
// counter, and calls, recalls, serves, finishes, transfers and grants dispensation through the
// hub's API; the office state (waiting counts, alerts, failed prints) follows the hub's stream.
(function () {
  'use strict';
  const L = window.AntreLive;
  const $ = (id) => document.getElementById(id);
  const STORE = 'antre.caller.';

  let lang = L.lang(STORE + 'lang');
  let t = L.translator(lang);
  let info = null; // /api/v1/office
  let me = null; // {name, role}
  let counterNo = 0;
  let current = null; // the ticket my counter holds, as the hub sent it
  let busy = false;
  let stream = null;
  let office = new L.Office(10);
  let buffered = []; // events that arrived before the office state
  let stateLoading = false;
  let stats = null;
  let connState = 'stopped';
  let downSince = 0;

  // ---- Small helpers ---------------------------------------------------------------------------

  function store(key, value) {
    try {
      if (value === undefined) return localStorage.getItem(STORE + key);
      if (value === null) localStorage.removeItem(STORE + key);
      else localStorage.setItem(STORE + key, value);
    } catch (e) { /* storage may be disabled */ }
    return null;
  }

  function api(method, path, body) { return L.api(method, path, body, lang); }

  function clock(iso) {
    if (!iso) return '—';
    try {
      return new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', hour12: false, timeZone: info ? info.time_zone : undefined }).format(new Date(iso));
    } catch (e) { return '—'; }
  }

  function groupName(code) {
    const g = info && info.groups.find((x) => x.code === code);
    if (!g) return code;
    return lang === 'en' && g.name_en ? g.name_en : g.name_id;
  }

  function applyTexts() {
    document.documentElement.lang = lang;
    document.querySelectorAll('[data-t]').forEach((el) => { el.textContent = t(el.dataset.t); });
    $('lang-toggle').textContent = t('other_lang');
  }

  let toastTimer = 0;
  function toast(msg, isError) {
    const el = $('toast');
    el.textContent = msg;
    el.className = 'toast' + (isError ? ' error' : '');
    el.hidden = false;
    clearTimeout(toastTimer);
    toastTimer = setTimeout(() => { el.hidden = true; }, isError ? 12000 : 6000);
  }

  // ---- Screens -----------------------------------------------------------------------------------

  function screen(name) {
    ['login', 'choose', 'console'].forEach((s) => { $(s).hidden = s !== name; });
    const inside = name !== 'login';
    $('who').hidden = $('logout').hidden = !inside;
    $('where').hidden = $('conn').hidden = name !== 'console';
    if (me) $('who').textContent = me.name + ' · ' + t('role_' + me.role);
    if (name === 'login') $('login-name').focus();
  }

  function loginScreen(message) {
    if (stream) stream.stop();
    stream = null;
    me = null;
    current = null;
    office = new L.Office(10);
    if (info) office.setGroupsInfo(info.groups);
    screen('login');
    const e = $('login-error');
    e.hidden = !message;
    e.textContent = message || '';
  }

  function boot() {
    applyTexts();
    api('GET', '/api/v1/office').then((o) => {
      info = o;
      $('office-name').textContent = o.name;
      office.setGroupsInfo(o.groups);
      fillSelects();
      return api('GET', '/api/v1/me');
    }).then((p) => {
      me = { name: p.name, role: p.role };
      enter();
    }, (err) => loginScreen(err.status === 401 || err.status === 403 ? '' : err.message));
  }

  // enter goes on after a log-in: staff only (every role of a person), then the counter.
  function enter() {
    if (me.role === 'kiosk' || me.role === 'display') {
      loginScreen(t('login_sub'));
      return;
    }
    const saved = Number(store('counter'));
    if (saved && info.counters.some((c) => c.number === saved)) {
      startConsole(saved);
    } else {
      chooseCounter();
    }
  }

  $('login-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const btn = $('login-submit');
    btn.disabled = true;
    api('POST', '/api/v1/login', { name: $('login-name').value.trim(), password: $('login-password').value }).then((r) => {
      $('login-password').value = '';
      me = { name: r.name, role: r.role };
      if (!info) {
        boot();
        return;
      }
      enter();
    }, (err) => {
      $('login-error').hidden = false;
      $('login-error').textContent = err.message;
    }).then(() => { btn.disabled = false; });
  });

  $('logout').addEventListener('click', () => {
    api('POST', '/api/v1/logout').catch(() => {}).then(() => loginScreen(''));
  });

  $('lang-toggle').addEventListener('click', () => {
    lang = lang === 'en' ? 'id' : 'en';
    store('lang', lang);
    t = L.translator(lang);
    applyTexts();
    fillSelects();
    if (me) screen($('console').hidden ? ($('choose').hidden ? 'login' : 'choose') : 'console');
    if (!$('choose').hidden) chooseCounter();
    renderAll();
  });

  function chooseCounter() {
    screen('choose');
    api('GET', '/api/v1/counters').then((r) => {
      const box = $('counters');
      box.textContent = '';
      r.counters.forEach((c) => {
        const b = document.createElement('button');
        b.type = 'button';
        b.dataset.counter = c.number;
        b.innerHTML = '<span class="n"></span><span class="g"></span><span class="c"></span>';
        b.querySelector('.n').textContent = c.name || t('counter', c.number);
        b.querySelector('.g').textContent = t('serves', (c.groups || []).join(', '));
        b.querySelector('.c').textContent = c.current ? t('holds', c.current.code) : t('free');
        b.addEventListener('click', () => startConsole(c.number));
        box.appendChild(b);
      });
    }, fail);
  }

  $('change-counter').addEventListener('click', () => {
    store('counter', null);
    chooseCounter();
  });

  function startConsole(n) {
    counterNo = n;
    store('counter', String(n));
    const c = info.counters.find((x) => x.number === n);
    $('counter-name').textContent = (c && c.name) || t('counter', n);
    screen('console');
    stats = loadStats();
    if (!stream) {
      stream = new L.Stream({ since: stats.lastId, onMessage: onMessage, onState: onState });
      stream.start();
    }
    refreshCurrent();
    renderAll();
  }

  // ---- Officer figures, from the stream -------------------------------------------------------
  // Served and no-show counts and service times (call to finish, as the hub measures them) of the
  // logged-in officer, kept per business date in this browser with the last event read, so a
  // reload resumes the stream where it stopped and misses nothing.

  function statsKey() { return 'stats.' + (me ? me.name : ''); }

  function loadStats() {
    let s = null;
    try { s = JSON.parse(store(statsKey()) || 'null'); } catch (e) { s = null; }
    if (!s || s.date !== info.business_date) {
      s = { date: info.business_date, lastId: s ? s.lastId : null, served: 0, totalMs: 0, timed: 0, noShow: 0, calledAt: {}, partial: false };
    }
    return s;
  }

  function saveStats() { store(statsKey(), JSON.stringify(stats)); }

  function countEvent(e) {
    if (stats.lastId != null && e.id <= stats.lastId) return;
    stats.lastId = e.id;
    const at = Date.parse(e.at);
    const mine = me && e.actor === me.name;
    switch (e.type) {
      case 'ticket.called':
      case 'ticket.recalled':
        stats.calledAt[e.ticket] = at;
        break;
      case 'ticket.finished':
        if (mine) {
          stats.served++;
          if (stats.calledAt[e.ticket]) {
            stats.totalMs += at - stats.calledAt[e.ticket];
            stats.timed++;
          }
        }
        delete stats.calledAt[e.ticket];
        break;
      case 'ticket.no_show':
        if (mine) stats.noShow++;
        delete stats.calledAt[e.ticket];
        break;
      case 'ticket.transferred':
      case 'ticket.cancelled':
        delete stats.calledAt[e.ticket];
        break;
    }
  }

  function newDay() {
    if (!office.loaded || office.businessDate === stats.date) return;
    stats = { date: office.businessDate, lastId: stats.lastId, served: 0, totalMs: 0, timed: 0, noShow: 0, calledAt: {}, partial: false };
  }

  // ---- The stream ----------------------------------------------------------------------------------

  function onMessage(msg) {
    if (msg.type === 'snapshot') {
      if (stats.lastId != null && msg.id > stats.lastId) stats.partial = true; // events went unread
      stats.lastId = msg.id;
      office.load(msg.snapshot);
      buffered = [];
      office.counters.forEach((c) => { if (c.current && c.current.called_at) stats.calledAt[c.current.code] = Date.parse(c.current.called_at); });
      newDay();
      saveStats();
      refreshCurrent();
      loadHeld();
      renderAll();
      return;
    }
    countEvent(msg);
    if (office.loaded) {
      office.apply(msg);
    } else {
      buffered.push(msg);
      loadState();
    }
    newDay();
    saveStats();
    if (msg.counter === counterNo || (current && msg.ticket === current.code)) refreshCurrent();
    renderAll();
  }

  // loadState reads the office state when the stream resumed with events only (after a reload):
  // the snapshot from the API, then the events that arrived meanwhile.
  function loadState() {
    if (stateLoading) return;
    stateLoading = true;
    api('GET', '/api/v1/state').then((s) => {
      office.load(s);
      buffered.forEach((e) => office.apply(e));
      buffered = [];
      loadHeld();
      renderAll();
    }, fail).then(() => { stateLoading = false; });
  }

  // loadHeld adds the tickets whose print failed before the state was loaded: the stream only
  // tells of the failures after it.
  function loadHeld() {
    api('GET', '/api/v1/tickets/held').then((r) => {
      office.addHeld(r.tickets);
      renderPrintFailed();
    }, fail);
  }

  function onState(s) {
    if (s !== 'open' && connState === 'open') downSince = Date.now();
    if (s === 'connecting' && connState === 'stopped') downSince = Date.now();
    connState = s;
    if (s === 'unauthorized') loginScreen(t('conn_unauthorized'));
    // A stream that resumes sends only the events after its last one, perhaps none: the state
    // then comes from the API.
    if (s === 'open' && stream && stream.lastId != null && !office.loaded) loadState();
    renderConn();
  }

  function renderConn() {
    let s = connState;
    if ((s === 'waiting' || s === 'connecting') && Date.now() - downSince > 5000) s = 'lost';
    $('conn').dataset.state = s;
    $('conn-text').textContent = t('conn_' + s);
  }
  setInterval(renderConn, 1000);

  // ---- The counter's current ticket ---------------------------------------------------------------

  let refreshTimer = 0;
  function refreshCurrent() {
    clearTimeout(refreshTimer);
    refreshTimer = setTimeout(() => {
      api('GET', '/api/v1/counters').then((r) => {
        const c = r.counters.find((x) => x.number === counterNo);
        current = c && c.current ? c.current : null;
        renderCurrent();
      }, fail);
    }, 60);
  }

  // fail shows an API refusal; a lost session goes back to the log-in.
  function fail(err) {
    if (err.status === 401) {
      loginScreen(err.message);
      return;
    }
    toast(err.message, true);
  }

  // ---- Actions ---------------------------------------------------------------------------------------

  const counterActions = {
    next: { path: 'next', ok: 'ok_next', keeps: true },
    recall: { path: 'recall', ok: 'ok_recall', keeps: true },
    no_show: { path: 'no-show', ok: 'ok_no_show', keeps: false },
    finish: { path: 'finish', ok: 'ok_finish', keeps: false },
    start: { path: 'start', ok: 'ok_start', keeps: true },
  };

  function act(name) {
    if (busy || !counterNo) return;
    const a = counterActions[name];
    if (name !== 'next' && !allowed(name)) return;
    run(api('POST', '/api/v1/counters/' + counterNo + '/' + a.path, {}).then((r) => {
      current = a.keeps ? r.ticket : null;
      toast(t(a.ok, r.code, counterNo));
    }));
  }

  // run marks the console busy while an action is in flight, so a held key or a double click
  // cannot call twice.
  function run(p) {
    busy = true;
    renderButtons();
    return p.catch(fail).then(() => {
      busy = false;
      renderCurrent();
      refreshCurrent();
    });
  }

  function allowed(name) {
    const st = current && current.status;
    switch (name) {
      case 'recall': case 'no_show': case 'start': return st === 'called';
      case 'finish': return st === 'called' || st === 'serving';
      case 'transfer': return !!current;
      default: return true;
    }
  }

  $('btn-next').addEventListener('click', () => act('next'));
  $('btn-recall').addEventListener('click', () => act('recall'));
  $('btn-noshow').addEventListener('click', () => act('no_show'));
  $('btn-finish').addEventListener('click', () => act('finish'));
  $('btn-start').addEventListener('click', () => act('start'));

  // Keys 0–4 and Enter, as on the counters' numeric keypads (antre caller uses the same keys).
  const keys = { '0': 'next', Enter: 'next', '1': 'recall', '2': 'no_show', '3': 'finish', '4': 'start' };
  document.addEventListener('keydown', (e) => {
    if ($('console').hidden || e.repeat || e.ctrlKey || e.altKey || e.metaKey) return;
    if (document.querySelector('dialog[open]')) return;
    const tag = (e.target && e.target.tagName) || '';
    if (tag === 'INPUT' || tag === 'SELECT' || tag === 'TEXTAREA') return;
    // Enter means "next" on the console's own buttons too (after a click they keep the focus);
    // elsewhere, e.g. on the log-out link, it presses the focused button.
    if (tag === 'BUTTON' && e.key === 'Enter' && !$('console').contains(e.target)) return;
    const name = keys[e.key];
    if (!name) return;
    e.preventDefault();
    act(name);
  });

  // Dialogs: each form's values go to one API call; the dialog stays open on a refusal.
  function openDialog(id, values) {
    const d = $(id);
    const f = d.querySelector('form');
    f.reset();
    f.querySelector('.error').hidden = true;
    Object.keys(values || {}).forEach((k) => { if (f.elements[k]) f.elements[k].value = values[k]; });
    d.showModal();
  }

  const dialogActions = {
    transfer: (v) => api('POST', '/api/v1/counters/' + counterNo + '/transfer', { to_group: v.to_group, to_counter: Number(v.to_counter) || 0, reason: v.reason })
      .then((r) => { current = null; return t('ok_transfer', r.code); }),
    call_code: (v) => api('POST', '/api/v1/tickets/' + encodeURIComponent(v.code.trim()) + '/call', { counter: counterNo, reason: v.reason })
      .then((r) => { current = r.ticket; return t('ok_next', r.code, counterNo); }),
    dispense: (v) => api('POST', '/api/v1/tickets/' + encodeURIComponent(v.code.trim()) + '/dispensation', { category: v.category, reason: v.reason })
      .then((r) => t('ok_dispense', r.code, t('cat_' + r.category))),
    cancel_ticket: (v) => api('POST', '/api/v1/tickets/' + encodeURIComponent(v.code) + '/cancel', { reason: v.reason })
      .then((r) => t('ok_cancel', r.code)),
  };

  document.querySelectorAll('dialog form').forEach((f) => {
    f.addEventListener('submit', (e) => {
      if (e.submitter && e.submitter.value === 'cancel') return;
      e.preventDefault();
      const values = Object.fromEntries(new FormData(f).entries());
      const err = f.querySelector('.error');
      const ok = f.querySelector('button[value="ok"]');
      ok.disabled = true;
      busy = true;
      dialogActions[f.dataset.action](values).then((msg) => {
        f.closest('dialog').close();
        toast(msg);
      }, (er) => {
        if (er.status === 401) {
          f.closest('dialog').close();
          fail(er);
          return;
        }
        err.hidden = false;
        err.textContent = er.message;
      }).then(() => {
        ok.disabled = false;
        busy = false;
        refreshCurrent();
        renderAll();
      });
    });
  });

  $('btn-transfer').addEventListener('click', () => {
    if (!allowed('transfer')) return;
    $('transfer-what').textContent = t('transfer_what', current.code);
    openDialog('dlg-transfer', { to_group: current.queue_group || current.group });
  });
  $('btn-call-code').addEventListener('click', () => openDialog('dlg-call-code'));
  $('btn-dispense').addEventListener('click', () => openDialog('dlg-dispense', current ? { code: current.code } : {}));

  function fillSelects() {
    if (!info) return;
    const g = $('transfer-group');
    g.textContent = '';
    info.groups.forEach((x) => g.add(new Option(x.code + ' · ' + (lang === 'en' && x.name_en ? x.name_en : x.name_id), x.code)));
    const c = $('transfer-counter');
    c.textContent = '';
    c.add(new Option(t('any_counter'), '0'));
    info.counters.forEach((x) => c.add(new Option(x.name || t('counter', x.number), String(x.number))));
    const cat = $('dispense-category');
    cat.textContent = '';
    info.categories.forEach((x) => cat.add(new Option(t('cat_' + x), x)));
  }

  // Reprint prints the ticket on this counter's printer through the browser, then tells the hub.
  function reprint(code) {
    const p = office.printFailed.get(code);
    const frame = $('print-frame');
    const esc = (s) => String(s).replace(/[&<>"]/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[ch]);
    const url = (info.public_url || location.origin) + '/status/' + code;
    frame.srcdoc = '<!doctype html><html><head><style>@page{margin:4mm}body{font-family:sans-serif;text-align:center;width:64mm;margin:0 auto}' +
      '.c{font-size:44px;font-weight:900;margin:6px 0}.s{font-size:11px}</style></head><body>' +
      '<div><b>' + esc(info.name) + '</b></div><div class="c">' + esc(code) + '</div><div>' + esc(groupName(p ? p.group : office.groupOfCode(code))) + '</div>' +
      '<div class="s">' + esc(t('issued_at')) + ' ' + esc(clock(p && p.at)) + ' ' + esc(L.zoneLabel(info.time_zone)) + '</div>' +
      '<div class="s">' + esc(t('slip_status')) + ': ' + esc(url) + '</div><div class="s">' + esc(t('slip_reprint')) + '</div></body></html>';
    frame.onload = () => {
      frame.onload = null;
      frame.contentWindow.print();
      run(api('POST', '/api/v1/tickets/' + encodeURIComponent(code) + '/reprint', { here: true, detail: t('reprinted_detail', counterNo, me.name) })
        .then(() => { office.settlePrint(code); toast(t('ok_reprint', code)); renderPrintFailed(); }));
    };
  }

  // ---- Drawing ----------------------------------------------------------------------------------------

  function renderCurrent() {
    const card = $('current');
    const st = current ? current.status : '';
    card.className = 'card current ' + st;
    $('cur-code').textContent = current ? current.code : '—';
    $('cur-code').classList.toggle('none', !current);
    $('cur-status').textContent = current ? t('st_' + st) : '';
    const cat = $('cur-category');
    cat.hidden = !(current && current.category);
    if (current && current.category) cat.textContent = t('cat_' + current.category);
    const grp = $('cur-group');
    grp.textContent = current ? (current.queue_group || current.group) + ' · ' + groupName(current.queue_group || current.group) : t('no_current');
    $('cur-facts').hidden = !current;
    if (current) {
      $('cur-issued').textContent = clock(current.issued_at);
      const waited = current.called_at ? Date.parse(current.called_at) - Date.parse(current.issued_at) : L.now() - Date.parse(current.issued_at);
      $('cur-waited').textContent = t('minutes', Math.max(0, Math.round(waited / 60000)));
      $('cur-called').textContent = clock(current.called_at);
      $('cur-recalls').textContent = t('times', current.recalls || 0);
      $('cur-pool').textContent = t('pool_' + current.pool);
    }
    renderButtons();
  }

  function renderButtons() {
    $('btn-next').disabled = busy;
    [['btn-recall', 'recall'], ['btn-noshow', 'no_show'], ['btn-finish', 'finish'], ['btn-start', 'start'], ['btn-transfer', 'transfer']].forEach((p) => {
      $(p[0]).disabled = busy || !allowed(p[1]);
    });
  }

  function myGroups() {
    const c = (office.loaded && office.counters.get(counterNo)) || (info && info.counters.find((x) => x.number === counterNo));
    return (c && c.groups) || [];
  }

  function renderWaiting() {
    const body = $('waiting');
    body.textContent = '';
    if (!office.loaded) return;
    const mine = myGroups();
    let total = 0;
    office.groups.forEach((g) => {
      const n = office.waitingIn(g.code);
      const r = office.remaining(g.code);
      const tr = document.createElement('tr');
      tr.dataset.group = g.code;
      if (mine.includes(g.code)) {
        tr.className = 'mine';
        total += n;
      }
      tr.innerHTML = '<td><div class="gcell"><span class="gl"></span><span class="gn"></span></div></td><td class="num w"></td>' +
        '<td class="num q"><span class="qw"></span><span class="qp"></span></td>';
      tr.querySelector('.gl').textContent = g.code;
      tr.querySelector('.gn').textContent = lang === 'en' && g.name_en ? g.name_en : g.name_id;
      tr.querySelector('.w').textContent = n;
      // The headline is what a walk-in applicant can still get, as on the kiosk and the
      // display; under it, the pools officers also hand out.
      tr.querySelector('.qw').textContent = r.left + ' / ' + r.total;
      tr.querySelector('.qp').textContent = t('quota_pools', r.pools.online.left, r.pools.online.total, r.pools.priority.left, r.pools.priority.total);
      body.appendChild(tr);
    });
    $('mine-waiting').textContent = t('mine_waiting', total);
  }

  function renderFigures() {
    if (!stats) return;
    $('fig-served').textContent = stats.served;
    $('fig-noshow').textContent = stats.noShow;
    if (stats.timed) {
      const s = Math.round(stats.totalMs / stats.timed / 1000);
      $('fig-avg').textContent = Math.floor(s / 60) + ':' + String(s % 60).padStart(2, '0');
    } else {
      $('fig-avg').textContent = '—';
    }
    $('fig-note').hidden = !stats.partial;
  }

  function renderAlerts() {
    const ul = $('alerts');
    ul.textContent = '';
    if (!office.loaded) return;
    office.alerts.forEach((a) => {
      const li = document.createElement('li');
      li.className = 'alert';
      li.innerHTML = '<span class="t"></span><span class="d"></span>';
      li.querySelector('.t').textContent = a.device + ': ' + a.message;
      li.querySelector('.d').textContent = a.kind + ' · ' + clock(new Date(a.at).toISOString());
      ul.appendChild(li);
    });
    $('alerts-card').hidden = office.alerts.size === 0;
  }

  function renderPrintFailed() {
    const ul = $('print-failed');
    ul.textContent = '';
    if (!office.loaded) return;
    office.printFailed.forEach((p) => {
      const li = document.createElement('li');
      li.dataset.code = p.code;
      li.innerHTML = '<span class="t"></span><span class="d"></span><span class="btns"><button type="button" class="reprint"></button><button type="button" class="cancel"></button></span>';
      li.querySelector('.t').textContent = p.code + ' · ' + groupName(office.groupOfCode(p.code));
      li.querySelector('.d').textContent = [p.device, p.detail, clock(p.at)].filter(Boolean).join(' · ');
      li.querySelector('.reprint').textContent = t('reprint');
      li.querySelector('.cancel').textContent = t('cancel_ticket');
      li.querySelector('.reprint').addEventListener('click', () => reprint(p.code));
      li.querySelector('.cancel').addEventListener('click', () => {
        $('cancel-what').textContent = t('cancel_what', p.code);
        openDialog('dlg-cancel', { code: p.code });
      });
      ul.appendChild(li);
    });
    $('print-failed-card').hidden = office.printFailed.size === 0;
  }

  function renderAll() {
    if ($('console').hidden) return;
    renderCurrent();
    renderWaiting();
    renderFigures();
    renderAlerts();
    renderPrintFailed();
    renderConn();
  }

  window.antreCaller = {
    state: () => connState,
    current: () => (current ? current.code : ''),
    busy: () => busy,
    stats: () => stats,
  };

  boot();
})();
