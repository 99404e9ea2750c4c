// Antre ticket kiosk page. It talks only to the kiosk runtime on this PC: the state arrives as
// server-sent events from /api/stream, a tap is one POST /api/taps. The page never sends a
// second tap while one runs, and the runtime refuses one anyway.
'use strict';
(() => {
  const ZONES = { 'Asia/Jakarta': 'WIB', 'Asia/Pontianak': 'WIB', 'Asia/Makassar': 'WITA', 'Asia/Jayapura': 'WIT' };
  const DONE_SECONDS = 12;      // the confirmation returns to the start by itself
  const HELD_SECONDS = 45;      // a held ticket's number stays longer, to be noted down
  const MESSAGE_SECONDS = 15;
  const LONG_PRESS_MS = 3000;   // holding the top-left corner this long opens the officer menu

  let lang = 'id';
  let state = null;     // the runtime's state, from the stream
  let screen = '';
  let group = null;     // the chosen group's code
  let tapId = null;     // the tap this page follows
  let shownTap = '';    // what of that tap is on screen
  let sending = false;  // a tap request is on its way
  let idleTimer = 0;
  let returnTimer = 0;
  let adminSession = null;
  let adminTimer = 0;
  let pin = '';
  let booking = '';     // the booking being checked in (its code)
  let nik = '';         // the NIK's last digits typed for it; never leaves this page but to the runtime
  let scanned = '';     // what a USB scanner (a keyboard) typed on the start screen
  let scanTimer = 0;

  const $ = (id) => document.getElementById(id);

  // t is the page's words in the current language, from the one catalogue (the kiosk.* entries,
  // loaded first by /static/texts.js?page=kiosk); {n}, {problem}… are replaced by vars. A key the
  // catalogue lacks shows as itself.
  function t(key, vars) {
    let s = window.ANTRE_TEXTS?.[lang]?.[key] ?? key;
    for (const [k, v] of Object.entries(vars || {})) s = s.replace('{' + k + '}', v);
    return s;
  }

  // h builds an element; text is always set as text, never parsed as HTML.
  function h(tag, attrs, ...kids) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === 'class') e.className = v;
      else if (k === 'onclick') e.addEventListener('click', v);
      else if (v !== undefined && v !== null && v !== false) e.setAttribute(k, v === true ? '' : v);
    }
    for (const c of kids.flat()) if (c !== null && c !== undefined) e.append(c instanceof Node ? c : String(c));
    return e;
  }

  const groupName = (g) => (lang === 'en' && g.name_en ? g.name_en : g.name_id);
  const findGroup = (code) => (state && state.groups || []).find((g) => g.code === code);
  const problemText = (ps) => (ps || []).map((p) => t('problem_' + p)).join(', ');
  const printerBlocked = () => !!(state && state.printer && state.printer.problems && state.printer.problems.length);

  // clockText formats a time of day in the office's time zone as 13:05 (with seconds when asked).
  function clockText(date, seconds) {
    const opts = { hour: '2-digit', minute: '2-digit', hour12: false };
    if (seconds) opts.second = '2-digit';
    if (state && state.time_zone) opts.timeZone = state.time_zone;
    try {
      return new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : 'id-ID', opts).format(date).replace(/\./g, ':');
    } catch (e) {
      return date.toTimeString().slice(0, seconds ? 8 : 5);
    }
  }

  function waitText(min) {
    return min >= 60 ? t('hours', { h: Math.floor(min / 60), m: min % 60 }) : t('minutes', { n: min });
  }

  // Screens

  function show(name) {
    screen = name;
    for (const s of document.querySelectorAll('.screen')) s.classList.toggle('active', s.id === 'screen-' + name);
    renderBanner();
    armIdle();
  }

  function goHome(resetLang) {
    clearTimeout(returnTimer);
    clearInterval(adminTimer);
    tapId = null;
    shownTap = '';
    group = null;
    booking = '';
    nik = '';
    if (resetLang && lang !== 'id') setLang('id');
    show(state && state.ready ? 'home' : 'connecting');
    render();
  }

  function setLang(l) {
    lang = l;
    document.documentElement.lang = l;
    document.title = t('title');
    for (const e of document.querySelectorAll('[data-t]')) e.textContent = t(e.dataset.t);
    $('lang').textContent = t('lang_button');
    tick();
    render();
    if (screen === 'category') renderCategories();
    if (screen === 'checkin') renderKeys();
    if (screen === 'nik') renderNik();
    if (tapId && state && state.tap && state.tap.id === tapId) { shownTap = ''; follow(state.tap); }
  }

  // armIdle returns to the start, in Indonesian, after a while without a touch, unless a tap is
  // running or a result is on screen (those return by themselves).
  function armIdle() {
    clearTimeout(idleTimer);
    const idle = ((state && state.idle_seconds) || 45) * 1000;
    const stay = screen === 'working' || screen === 'done' || screen === 'message' || screen === 'connecting';
    if (stay || (screen === 'home' && lang === 'id')) return;
    idleTimer = setTimeout(() => {
      if (adminSession) closeAdmin();
      goHome(true);
    }, idle);
  }

  function render() {
    if (!state) return;
    $('office').textContent = state.office || '';
    tick();
    $('footer').replaceChildren(...(state.footer || []).map((l) => h('span', null, l)));
    if (!state.ready && screen === 'home') show('connecting');
    if (state.ready && screen === 'connecting') show('home');
    $('connecting-title').textContent = state.hub && state.hub.error === 'unauthorized' ? t('unauthorized') : t('connecting');
    renderGroups();
    renderBanner();
    if (screen === 'category') renderCategories();
  }

  function renderBanner() {
    const b = $('banner');
    const visible = screen === 'home' || screen === 'category';
    if (!state || !visible || !state.ready) { b.hidden = true; return; }
    if (printerBlocked()) {
      b.className = 'banner fault';
      b.replaceChildren(t('printer_down', { problem: problemText(state.printer.problems).toLowerCase() }), h('small', null, t('printer_down_note')));
      b.hidden = false;
    } else if (!state.hub.online) {
      b.className = 'banner';
      b.replaceChildren(t('hub_offline'), h('small', null, t('hub_offline_note')));
      b.hidden = false;
    } else {
      b.hidden = true;
    }
  }

  function renderGroups() {
    const box = $('groups');
    const blocked = printerBlocked();
    const key = JSON.stringify([lang, blocked, state.groups]);
    if (box.dataset.key === key) return;
    box.dataset.key = key;
    box.classList.toggle('blocked', blocked);
    $('checkin-open').disabled = blocked;
    box.replaceChildren(...state.groups.map((g) => {
      let quota;
      if (g.exhausted) quota = h('span', { class: 'quota' }, t('exhausted'));
      else if (g.walkin === 0) quota = h('span', { class: 'quota low' }, t('only_priority', { n: g.priority }));
      else quota = h('span', { class: g.walkin <= 5 ? 'quota low' : 'quota' }, t('remaining', { n: g.walkin }));
      return h('button', {
        type: 'button',
        class: g.exhausted ? 'group exhausted' : 'group',
        'data-group': g.code,
        disabled: g.exhausted || blocked,
        'aria-disabled': g.exhausted || blocked ? 'true' : 'false',
        onclick: () => chooseGroup(g.code),
      }, h('span', { class: 'group-inner' },
        h('span', { class: 'badge' }, g.code),
        h('span', { class: 'group-text' }, h('span', { class: 'group-name' }, groupName(g)), quota)));
    }));
    box.toggleAttribute('data-many', state.groups.length > 6);
  }

  function chooseGroup(code) {
    const g = findGroup(code);
    if (!g || g.exhausted || printerBlocked() || sending || tapId) return;
    group = code;
    show('category');
    renderCategories();
  }

  function renderCategories() {
    const g = findGroup(group);
    if (!g) { goHome(false); return; }
    $('category-group').textContent = g.code + ' · ' + groupName(g);
    const none = document.querySelector('.category-none');
    none.disabled = g.walkin === 0;
    $('note-none').textContent = g.walkin === 0 ? t('walkin_gone') : t('none_note');
    $('priority-categories').replaceChildren(...(state.categories || []).map((c) => h('button', {
      type: 'button', class: 'category', 'data-category': c, disabled: g.priority === 0,
      onclick: () => takeNumber(c),
    }, h('span', { class: 'category-label' }, t('cat_' + c)), h('span', { class: 'category-note' }, g.priority === 0 ? t('priority_gone') : t('cat_note_' + c)))));
  }

  // A tap: one request; the screen then follows the tap to its end.
  function takeNumber(category) {
    if (sending || tapId || !group) return;
    send('/api/taps', { group, category, lang }, null);
  }

  // send starts a tap or a check-in at the runtime and follows it. A refusal before the tap
  // starts shows the generic failure, or, given refusedTitle, the runtime's words under it.
  async function send(path, payload, refusedTitle) {
    sending = true;
    show('working');
    showWorking(false);
    try {
      const res = await fetch(path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(payload) });
      const answer = await res.json();
      const tap = res.status === 409 ? answer.tap : answer;
      if (!tap || !tap.id) {
        if (refusedTitle && answer.error && answer.error.message) showMessage(false, refusedTitle, answer.error.message);
        else showMessage(true, t('failed_title'), t('failed_body'));
        return;
      }
      tapId = tap.id;
      follow(tap);
    } catch (e) {
      showMessage(true, t('failed_title'), t('failed_body'));
    } finally {
      sending = false;
    }
  }

  function follow(tap) {
    const key = [tap.id, tap.state, tap.retrying, lang].join('/');
    if (key === shownTap) return;
    shownTap = key;
    switch (tap.state) {
      case 'working':
        if (screen !== 'working') show('working');
        showWorking(tap.retrying);
        break;
      case 'printed':
        showDone(tap, false);
        break;
      case 'held':
        showDone(tap, true);
        break;
      case 'refused':
        showMessage(true, t('refused_title'), t('refused_body', { problem: problemText(tap.problems) }));
        break;
      default:
        showMessage(false, tap.booking ? t('checkin_refused_title') : t('failed_title'), (tap.error && tap.error.message) || t('failed_body'));
    }
  }

  function showWorking(retrying) {
    $('working-title').textContent = retrying ? t('retrying') : t('wait');
    $('working-body').textContent = retrying ? t('retrying_body') : t('wait_body');
  }

  function showDone(tap, held) {
    const tk = tap.ticket;
    $('done-label').textContent = t('your_number');
    $('done-code').textContent = tk.code;
    const g = findGroup(tk.group);
    $('done-group').textContent = tk.group + ' · ' + (lang === 'en' && tk.group_name_en ? tk.group_name_en : tk.group_name || (g ? groupName(g) : ''));
    const pr = $('done-priority');
    pr.hidden = !tk.category && tk.pool !== 'online';
    if (tk.category) pr.textContent = t('priority_chip', { c: t('cat_' + tk.category) });
    else if (tk.pool === 'online') pr.textContent = t('checkin_chip');
    const facts = [h('div', null, h('dt', null, t('ahead')), h('dd', null, tk.ahead))];
    if (tk.estimated_wait_minutes > 0) facts.push(h('div', null, h('dt', null, t('estimate')), h('dd', null, waitText(tk.estimated_wait_minutes))));
    if (tk.arrival_period) facts.push(h('div', null, h('dt', null, t('arrival')), h('dd', null, tk.arrival_period)));
    $('done-facts').replaceChildren(...facts);
    $('done-take').hidden = held;
    $('done-take').textContent = t('take');
    const note = $('done-note');
    note.hidden = !held;
    $('screen-done').classList.toggle('held', held);
    if (held) note.replaceChildren(h('strong', null, t('held_title') + ' (' + problemText(tap.problems).toLowerCase() + ')'), t('held_body'));
    show('done');
    countdown(held ? HELD_SECONDS : DONE_SECONDS);
  }

  function showMessage(fault, title, body) {
    $('message-icon').className = fault ? 'message-icon fault' : 'message-icon';
    $('message-title').textContent = title;
    $('message-body').textContent = body;
    show('message');
    clearTimeout(returnTimer);
    returnTimer = setTimeout(() => goHome(true), MESSAGE_SECONDS * 1000);
  }

  function countdown(seconds) {
    const bar = $('countdown-bar');
    bar.style.transition = 'none';
    bar.style.transform = 'scaleX(1)';
    void bar.offsetWidth;
    bar.style.transition = 'transform ' + seconds + 's linear';
    bar.style.transform = 'scaleX(0)';
    clearTimeout(returnTimer);
    returnTimer = setTimeout(() => goHome(true), seconds * 1000);
  }

  // Check-in of an online booking: the booking's code, scanned from its QR code (the scanner
  // types into the focused field and ends with Enter) or typed on the screen's keys, then the
  // last 6 digits of the NIK. The runtime issues and prints like a tap.

  // bookingCode finds the code in what was scanned or typed: the code alone, or a link that
  // ends with it.
  function bookingCode(text) {
    const m = String(text || '').trim().toUpperCase().replace(/\/+$/, '').match(/[A-Z0-9]{8,16}$/);
    return m ? m[0] : '';
  }

  function openCheckIn(text) {
    if (!state || !state.ready || printerBlocked() || sending || tapId) return;
    booking = '';
    nik = '';
    show('checkin');
    const input = $('checkin-code');
    input.value = (text || '').toUpperCase();
    input.classList.remove('bad');
    $('checkin-sub').textContent = t('checkin_code_sub');
    $('checkin-sub').classList.remove('bad');
    renderKeys();
    input.focus();
  }

  function renderKeys() {
    const input = $('checkin-code');
    const press = (f) => () => { f(); input.focus(); armIdle(); };
    const key = (label, f, cls) => h('button', { type: 'button', class: cls || '', 'data-key': label, onclick: press(f) }, label);
    const type = (c) => key(c, () => { if (input.value.length < 16) input.value += c; });
    $('checkin-keys').replaceChildren(
      ...'1234567890ABCDEFGHIJKLMNOPQRSTUVWXYZ'.split('').map(type),
      key(t('checkin_delete'), () => { input.value = input.value.slice(0, -1); }, 'key-wide'),
      key(t('clear'), () => { input.value = ''; }, 'key-wide'),
    );
  }

  function checkinNext() {
    const code = bookingCode($('checkin-code').value);
    if (!code) {
      $('checkin-code').classList.add('bad');
      $('checkin-sub').textContent = t('checkin_bad_code');
      $('checkin-sub').classList.add('bad');
      $('checkin-code').focus();
      return;
    }
    booking = code;
    nik = '';
    $('nik-booking').textContent = t('checkin_booking', { code });
    renderNik();
    show('nik');
  }

  function renderNik() {
    $('nik-dots').replaceChildren(...Array.from({ length: 6 }, (_, i) => h('span', { class: i < nik.length ? 'on' : '' })));
    const key = (label, onclick, cls) => h('button', { type: 'button', class: cls || '', onclick }, label);
    const digit = (d) => key(d, () => { if (nik.length < 6) { nik += d; renderNik(); } });
    $('nik-pad').replaceChildren(
      ...['1', '2', '3', '4', '5', '6', '7', '8', '9'].map(digit),
      key(t('clear'), () => { nik = ''; renderNik(); }, 'pin-action'),
      digit('0'),
      key(t('ok'), submitCheckIn, 'pin-action nik-ok'),
    );
  }

  function submitCheckIn() {
    if (sending || tapId || !booking || nik.length !== 6) return;
    const payload = { booking, nik_last6: nik, lang };
    nik = '';
    send('/api/checkins', payload, t('checkin_refused_title'));
  }

  // A scan on the start screen: the scanner types the code and Enter with nothing focused.
  function scanKey(e) {
    if (screen !== 'home' || e.ctrlKey || e.altKey || e.metaKey) return;
    if (e.key === 'Enter') {
      e.preventDefault(); // not a click on a focused button
      const code = bookingCode(scanned);
      scanned = '';
      if (code) { openCheckIn(code); checkinNext(); }
      return;
    }
    if (e.key.length !== 1) return;
    scanned = (scanned + e.key).slice(-200);
    clearTimeout(scanTimer);
    scanTimer = setTimeout(() => { scanned = ''; }, 500);
  }

  // The clock, in the office's time zone.
  function tick() {
    const tz = state && state.time_zone;
    const now = new Date();
    $('time').textContent = clockText(now, false) + (ZONES[tz] ? ' ' + ZONES[tz] : '');
    try {
      $('date').textContent = new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : 'id-ID',
        { ...(tz ? { timeZone: tz } : {}), weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' }).format(now);
    } catch (e) {
      $('date').textContent = now.toDateString();
    }
  }

  // Officer menu: hold the top-left corner, then enter the PIN.

  function openPin() {
    if (!state || !state.admin || tapId || sending) return;
    pin = '';
    $('pin-message').textContent = t('enter_pin');
    renderPin();
    show('pin');
  }

  function renderPin() {
    $('pin-dots').replaceChildren(...Array.from(pin, () => h('span')));
    const key = (label, onclick, cls) => h('button', { type: 'button', class: cls || '', onclick }, label);
    const digit = (d) => key(d, () => { if (pin.length < 12) { pin += d; renderPin(); } });
    $('pin-pad').replaceChildren(
      ...['1', '2', '3', '4', '5', '6', '7', '8', '9'].map(digit),
      key(t('clear'), () => { pin = ''; renderPin(); }, 'pin-action'),
      digit('0'),
      key(t('ok'), submitPin, 'pin-action'),
      key(t('cancel'), () => goHome(false), 'pin-action'),
    );
  }

  async function submitPin() {
    const res = await fetch('/api/admin/session', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ pin }) });
    pin = '';
    renderPin();
    const body = await res.json().catch(() => ({}));
    if (res.ok && body.session) {
      adminSession = body.session;
      show('admin');
      loadAdmin();
      adminTimer = setInterval(loadAdmin, 2000);
      return;
    }
    const code = body.error && body.error.code;
    $('pin-message').textContent = code === 'pin_locked' ? t('pin_locked') : code === 'admin_disabled' ? t('admin_disabled') : t('wrong_pin');
  }

  async function adminCall(method, path, body) {
    const res = await fetch(path, {
      method,
      headers: { 'Content-Type': 'application/json', 'X-Admin-Session': adminSession || '' },
      body: body ? JSON.stringify(body) : undefined,
    });
    if (res.status === 401) { adminSession = null; goHome(true); return null; }
    return res.status === 204 ? {} : res.json();
  }

  async function loadAdmin() {
    if (!adminSession || screen !== 'admin') return;
    const v = await adminCall('GET', '/api/admin');
    if (!v) return;
    const kv = (rows) => rows.flatMap(([k, val, cls]) => [h('dt', null, k), h('dd', { class: cls || '' }, val)]);
    const st = v.status || {};
    const ready = !(st.problems && st.problems.length);
    $('admin-printer').replaceChildren(...kv([
      [t('address'), v.printer],
      [t('paper'), v.paper + ' mm'],
      [t('status'), ready ? t('ready') : problemText(st.problems), ready ? 'good' : 'bad'],
      ...(st.near_end ? [[t('near_end'), '!', 'bad']] : []),
      [t('detail'), st.detail || ''],
      [t('checked'), st.checked ? clockText(new Date(st.checked), true) : '–'],
    ]));
    $('admin-hub').replaceChildren(...kv([
      [t('address'), v.hub],
      [t('status'), v.hub_online ? t('connected') : t('disconnected'), v.hub_online ? 'good' : 'bad'],
      [t('device'), v.device || '–'],
      [t('pending'), v.reports],
    ]));
    const list = (items, empty) => items.length ? items.map((it) => h('li', null,
      h('b', null, it.code),
      h('span', null, clockText(new Date(it.issued_at), false) + ' · ' +
        (it.problem ? problemText(it.problem.split(',')) : t('state_' + (it.state || ''))) +
        (it.waiting ? ' · ' + t('waiting_officer', { n: it.attempts }) : it.attempts ? ' · ' + t('attempts', { n: it.attempts }) : '')),
      h('button', { type: 'button', onclick: () => reprint(it.code) }, t('reprint')))) : [h('li', { class: 'empty' }, empty)];
    $('admin-held').replaceChildren(...list(v.held || [], t('no_held')));
    $('admin-recent').replaceChildren(...list(v.recent || [], t('no_recent')));
  }

  function showResult(r) {
    if (!r) return;
    $('admin-result').textContent = r.error ? (r.error.message || r.error.code) : r.printed ? t('printed_ok') : t('print_failed', { problem: problemText(r.problems) });
    loadAdmin();
  }

  async function reprint(code) { showResult(await adminCall('POST', '/api/admin/reprint', { code })); }

  async function closeAdmin() {
    const s = adminSession;
    adminSession = null;
    clearInterval(adminTimer);
    if (s) await fetch('/api/admin/session', { method: 'DELETE', headers: { 'X-Admin-Session': s } }).catch(() => {});
  }

  // The stream of state from the runtime.
  function connect() {
    const es = new EventSource('/api/stream');
    let lost = 0;
    // EventSource reconnects by itself; if the runtime stays away, say so instead of showing
    // buttons that cannot work.
    es.onerror = () => {
      clearTimeout(lost);
      lost = setTimeout(() => {
        if (es.readyState !== EventSource.OPEN && (screen === 'home' || screen === 'category')) {
          state = null;
          show('connecting');
        }
      }, 3000);
    };
    es.onopen = () => clearTimeout(lost);
    es.onmessage = (e) => {
      state = JSON.parse(e.data);
      if (!tapId && state.tap && state.tap.state === 'working' && screen !== 'working') {
        tapId = state.tap.id; // the page was reloaded while a tap ran: follow it
      }
      render();
      if (tapId && state.tap && state.tap.id === tapId) follow(state.tap);
    };
  }

  function wire() {
    for (const ev of ['contextmenu', 'selectstart', 'dragstart', 'dragover', 'drop', 'gesturestart', 'auxclick']) {
      document.addEventListener(ev, (e) => e.preventDefault());
    }
    document.addEventListener('keydown', (e) => {
      if (e.ctrlKey || e.altKey || e.metaKey || /^F\d+$/.test(e.key) || e.key === 'Escape') e.preventDefault();
    });
    document.addEventListener('wheel', (e) => { if (e.ctrlKey) e.preventDefault(); }, { passive: false });
    document.addEventListener('touchmove', (e) => { if (e.touches.length > 1) e.preventDefault(); }, { passive: false });
    document.addEventListener('pointerdown', armIdle, true);
    document.addEventListener('keydown', scanKey);
    $('checkin-open').addEventListener('click', () => openCheckIn(''));
    $('checkin-back').addEventListener('click', () => goHome(false));
    $('nik-back').addEventListener('click', () => goHome(false));
    $('checkin-next').addEventListener('click', checkinNext);
    $('checkin-code').addEventListener('input', (e) => { e.target.value = e.target.value.toUpperCase(); armIdle(); });
    $('checkin-code').addEventListener('keydown', (e) => { if (e.key === 'Enter') { e.preventDefault(); checkinNext(); } });

    $('lang').addEventListener('click', () => setLang(lang === 'id' ? 'en' : 'id'));
    $('back').addEventListener('click', () => goHome(false));
    document.querySelector('.category-none').addEventListener('click', () => takeNumber(''));
    $('finish').addEventListener('click', () => goHome(true));
    $('message-ok').addEventListener('click', () => goHome(true));
    $('admin-close').addEventListener('click', async () => { await closeAdmin(); goHome(true); });
    $('admin-test').addEventListener('click', async () => showResult(await adminCall('POST', '/api/admin/test-page')));

    let press = 0;
    const corner = $('admin-corner');
    corner.addEventListener('pointerdown', () => { clearTimeout(press); press = setTimeout(openPin, LONG_PRESS_MS); });
    for (const ev of ['pointerup', 'pointerleave', 'pointercancel']) corner.addEventListener(ev, () => clearTimeout(press));
  }

  wire();
  setLang('id');
  show('connecting');
  connect();
  setInterval(tick, 1000);
})();
