// The public booking page (GET /booking): choose an office, a service, a day and an arrival
// period, give NIK, name and phone, confirm with the SMS code, and keep the booking code and
// its QR code; a booking is moved once or cancelled with a code again. Plain script, no
// framework: it must load on a slow 3G phone.
(function () {
  'use strict';
  const L = window.AntreLive;
  const lang = L.lang('antre-booking-lang');
  const t = L.translator(lang);
  const $ = (id) => document.getElementById(id);
  let offices = [];
  let pending = null; // {request, action}

  document.documentElement.lang = lang;
  document.querySelectorAll('[data-t]').forEach((el) => { el.textContent = t(el.dataset.t); });
  $('lang-toggle').textContent = t('lang_other');
  $('lang-toggle').onclick = () => {
    try { localStorage.setItem('antre-booking-lang', lang === 'en' ? 'id' : 'en'); } catch (e) { /* storage may be off */ }
    const u = new URL(location.href);
    u.searchParams.set('lang', lang === 'en' ? 'id' : 'en');
    location.href = u.toString();
  };

  // call sends a JSON request and resolves to the answer; a refusal rejects with the answer's
  // message, code and next free dates.
  function call(method, path, body) {
    const init = { method: method, cache: 'no-store', headers: {} };
    if (body) {
      init.headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    return fetch(path + (path.includes('?') ? '&' : '?') + 'lang=' + lang, init).then((r) => r.json().catch(() => ({})).then((j) => {
      if (r.ok) return j;
      const e = new Error((j.error && j.error.message) || ('HTTP ' + r.status));
      e.code = j.error && j.error.code;
      e.next = (j.error && j.error.next_free) || [];
      throw e;
    }), () => { throw new Error(t('unreachable')); });
  }

  function say(text, ok) {
    $('msg').textContent = text || '';
    $('msg').className = ok ? 'ok' : '';
  }
  function fail(e) {
    say(e.code === 'full' && e.next.length ? e.message + ' ' + t('next_free', e.next.map(day).join(', ')) : e.message);
  }
  function day(d) {
    const x = new Date(d + 'T00:00:00');
    return x.toLocaleDateString(lang === 'en' ? 'en-GB' : 'id-ID', { weekday: 'short', day: 'numeric', month: 'short' });
  }
  function option(sel, value, text) {
    const o = document.createElement('option');
    o.value = value;
    o.textContent = text;
    sel.appendChild(o);
  }
  function office() { return offices.find((o) => o.office === $('office').value); }

  function fillOffice() {
    const o = office();
    $('group').textContent = '';
    $('date').textContent = '';
    if (!o) return;
    o.groups.forEach((g) => option($('group'), g.group, g.group + ' · ' + (lang === 'en' && g.name_en ? g.name_en : g.name_id)));
    o.dates.forEach((d) => option($('date'), d, day(d)));
    loadSlots();
  }

  function loadSlots() {
    const box = $('periods');
    box.querySelectorAll('label').forEach((l) => l.remove());
    if (!$('office').value || !$('date').value) return;
    call('GET', '/api/v1/slots?office=' + encodeURIComponent($('office').value) + '&date=' + $('date').value).then((slots) => {
      let first = true;
      slots.filter((s) => s.group === $('group').value).forEach((s) => {
        const l = document.createElement('label');
        const i = document.createElement('input');
        i.type = 'radio';
        i.name = 'period';
        i.value = s.period;
        i.disabled = s.free <= 0;
        if (!i.disabled && first) { i.checked = true; first = false; }
        l.appendChild(i);
        l.appendChild(document.createTextNode(s.period.replace('-', ':00–') + ':00 · ' + (s.free > 0 ? t('free', s.free) : t('full_short'))));
        box.appendChild(l);
      });
      say(first ? t('day_full') : '');
    }, fail);
  }

  function verify(answer, action) {
    pending = { request: answer.request, action: action };
    $('verify').hidden = false;
    $('code').value = '';
    $('code').focus();
    say(t('code_sent'), true);
  }

  $('office').onchange = fillOffice;
  $('group').onchange = loadSlots;
  $('date').onchange = loadSlots;
  $('choose').onsubmit = (ev) => {
    ev.preventDefault();
    const p = document.querySelector('input[name=period]:checked');
    if (!p) { say(t('day_full')); return; }
    $('send').disabled = true;
    call('POST', '/api/v1/bookings', {
      office: $('office').value, date: $('date').value, period: p.value, group: $('group').value,
      nik: $('nik').value.trim(), name: $('name').value.trim(), phone: $('phone').value.trim(),
    }).then((a) => verify(a, 'book'), fail).finally(() => { $('send').disabled = false; });
  };
  $('verify').onsubmit = (ev) => {
    ev.preventDefault();
    if (!pending) return;
    $('confirm').disabled = true;
    call('POST', '/api/v1/bookings/' + pending.request + '/confirm', { code: $('code').value.trim() }).then((b) => {
      const action = pending.action;
      pending = null;
      $('verify').hidden = true;
      show(b);
      say(action === 'cancel' ? t('cancelled') : t('done'), true);
    }, (e) => { fail(e); if (e.code === 'full') loadSlots(); }).finally(() => { $('confirm').disabled = false; });
  };

  function show(b) {
    $('ticket').hidden = false;
    $('choose').hidden = true;
    $('bcode').textContent = b.booking;
    $('qr').src = '/api/v1/bookings/' + b.booking + '/qr.png';
    const o = offices.find((x) => x.office === b.office);
    const rows = [[t('office'), o ? o.name : b.office], [t('date'), day(b.date)], [t('period'), b.period.replace('-', ':00–') + ':00'],
      [t('group'), b.group], [t('name'), b.name], [t('state'), t('state_' + b.state)]];
    $('details').textContent = '';
    rows.forEach(([k, v]) => {
      const dt = document.createElement('dt');
      dt.textContent = k;
      const dd = document.createElement('dd');
      dd.textContent = v;
      $('details').append(dt, dd);
    });
    $('actions').hidden = b.state !== 'active';
    $('move-open').hidden = !!b.moved_from;
    $('change').hidden = true;
    $('mdate').textContent = '';
    if (o) o.dates.forEach((d) => option($('mdate'), d, day(d)));
    try { localStorage.setItem('antre-booking', b.booking); } catch (e) { /* storage may be off */ }
  }

  let change = 'cancel';
  $('move-open').onclick = () => { change = 'move'; $('change').hidden = false; $('move-fields').hidden = false; };
  $('cancel-open').onclick = () => { change = 'cancel'; $('change').hidden = false; $('move-fields').hidden = true; };
  $('change').onsubmit = (ev) => {
    ev.preventDefault();
    const body = { nik: $('cnik').value.trim() };
    if (change === 'move') { body.date = $('mdate').value; body.period = $('mperiod').value; }
    call('POST', '/api/v1/bookings/' + $('bcode').textContent + '/' + change, body).then((a) => verify(a, change), fail);
  };
  $('find').onsubmit = (ev) => {
    ev.preventDefault();
    call('GET', '/api/v1/bookings/' + encodeURIComponent($('fcode').value.trim().toUpperCase())).then((b) => { show(b); say(''); }, fail);
  };

  call('GET', '/api/v1/booking/offices').then((list) => {
    offices = list;
    list.forEach((o) => option($('office'), o.office, o.name));
    fillOffice();
    let saved = null;
    try { saved = localStorage.getItem('antre-booking'); } catch (e) { /* storage may be off */ }
    if (saved) $('fcode').value = saved;
  }, fail);
})();
