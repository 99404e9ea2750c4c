// status.js: the public status of one ticket (/status/A012 or /display/status?code=A012), from
// the hub's public API, refreshed every 15 seconds.
(function () {
  'use strict';
  const L = window.AntreLive;
  const $ = (id) => document.getElementById(id);
  const lang = L.lang();
  const t = L.translator(lang);
  let info = null;

  function code() {
    const q = new URLSearchParams(location.search).get('code');
    if (q) return q.trim().toUpperCase();
    const m = location.pathname.match(/\/status\/([^/]+)$/);
    return m ? decodeURIComponent(m[1]).trim().toUpperCase() : '';
  }

  function clock(iso) {
    try {
      return new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', hour12: false, timeZone: info ? info.time_zone : undefined }).format(new Date(iso)) +
        (info ? ' ' + L.zoneLabel(info.time_zone) : '');
    } catch (e) { return ''; }
  }

  function show(v, quota) {
    $('error').hidden = true;
    $('ticket').hidden = false;
    $('code').textContent = v.code;
    const g = info && info.groups.find((x) => x.code === v.group);
    $('group').textContent = g ? v.group + ' · ' + (lang === 'en' && g.name_en ? g.name_en : g.name_id) : v.group;
    const st = $('status');
    st.className = 'status ' + v.status;
    st.textContent = t(v.status, v.counter || '');
    const waiting = v.status === 'waiting';
    $('ahead-row').hidden = $('wait-row').hidden = !waiting;
    $('ahead').textContent = t('people', v.ahead);
    $('wait').textContent = t('minutes', v.estimated_wait_minutes);
    $('issued').textContent = clock(v.issued_at);
    // What someone arriving now without a number can still get in this service: the walk-in
    // pool, the figure the kiosk, the display and the officers' console show too.
    const q = quota && quota.groups.find((x) => x.group === v.group);
    $('quota-row').hidden = !q;
    if (q) $('quota').textContent = q.remaining.walkin + ' / ' + q.quota.walkin;
    // The ticket's QR code carries its survey token (k): once served, the applicant can rate
    // the service from here.
    const k = new URLSearchParams(location.search).get('k');
    $('survey').hidden = !(k && v.status === 'done');
    if (k) $('survey').href = '/survei/' + encodeURIComponent(v.code) + '?k=' + encodeURIComponent(k);
    $('updated').textContent = t('updated', clock(new Date().toISOString()));
    document.title = t('title_page') + ' ' + v.code;
  }

  function fail(err) {
    $('ticket').hidden = true;
    const e = $('error');
    e.hidden = false;
    e.textContent = err.message;
  }

  function refresh() {
    const c = code();
    if (!c) return;
    Promise.all([L.api('GET', '/api/v1/tickets/' + encodeURIComponent(c), undefined, lang), L.api('GET', '/api/v1/quota', undefined, lang).catch(() => null)])
      .then((r) => show(r[0], r[1]), fail);
  }

  document.querySelectorAll('[data-t]').forEach((el) => { el.textContent = t(el.dataset.t); });
  document.documentElement.lang = lang;
  const toggle = $('lang-toggle');
  toggle.textContent = t('other_lang');
  toggle.addEventListener('click', (e) => {
    e.preventDefault();
    const u = new URL(location.href);
    u.searchParams.set('lang', lang === 'en' ? 'id' : 'en');
    location.href = u.toString();
  });
  $('lookup').addEventListener('submit', (e) => {
    e.preventDefault();
    const c = $('code-input').value.trim().toUpperCase();
    if (!c) return;
    const u = new URL(location.href);
    u.pathname = location.pathname.startsWith('/status/') ? '/status/' + encodeURIComponent(c) : location.pathname;
    if (!location.pathname.startsWith('/status/')) u.searchParams.set('code', c);
    location.href = u.toString();
  });
  L.api('GET', '/api/v1/office', undefined, lang).then((o) => {
    info = o;
    $('office-name').textContent = o.name;
  }, () => {}).then(refresh);
  setInterval(refresh, 15000);
})();
