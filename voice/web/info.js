// info.js: the information kiosk (/info; a touch PC, ?token=DISPLAY_TOKEN for the live
// queue). Services A–F with what to bring, the fee and the completion time (the office's
// texts, else the passport workflow's fee table and checklists), the flow of a file, the live
// queue (now serving per counter; waiting and the walk-in quota left per group), complaints,
// and a status check: a USB barcode scanner types a ticket's or receipt's code and Enter (or a
// person types it) and the kiosk shows its state, nothing personal. Back to the start, in
// Indonesian, after the office's idle time; no way out of the page.
(function () {
  'use strict';
  const L = window.AntreLive;
  const V = window.AntreVoice;
  const $ = (id) => document.getElementById(id);
  const token = new URLSearchParams(location.search).get('token') || '';
  const CATEGORIES = ['procedure', 'time', 'fee', 'conduct', 'broker', 'facilities', 'information', 'other'];
  let lang = 'id';
  let t = L.translator(lang);
  let screen = 'home';
  let info = null;
  let office = null;
  let fees = null;
  let quota = null;
  let shownGroup = '';
  let category = 'other';
  let status = null;
  let live = null;

  function applyTexts() {
    document.documentElement.lang = lang;
    document.querySelectorAll('[data-t]').forEach((e) => { e.textContent = t(e.dataset.t); });
    $('lang').textContent = t('info.other_lang');
    document.title = t('info.title');
    render();
  }

  function go(name) {
    screen = name;
    document.querySelectorAll('.screen').forEach((s) => { s.hidden = s.id !== 'screen-' + name; });
    $('back').hidden = name === 'home';
    render();
    focusScan();
  }

  // focusScan keeps the scan field focused whenever no other field is, so a scanner's code
  // always lands there.
  function focusScan() {
    const a = document.activeElement;
    if (!a || a === document.body || !a.closest('input, textarea, select')) $('scan').focus();
  }

  function render() {
    renderServices();
    renderService();
    renderFlow();
    renderQueue();
    renderStatus();
    $('categories').replaceChildren(...CATEGORIES.map((c) => V.h('button', {
      type: 'button', class: 'chip' + (c === category ? ' chosen' : ''), dataset: { category: c },
      onclick: () => { category = c; render(); },
    }, t('cp.cat_' + c))));
  }

  function renderServices() {
    if (!info) return;
    $('services').replaceChildren(...info.services.map((s) => V.h('button', {
      type: 'button', class: 'tile', dataset: { group: s.group }, onclick: () => { shownGroup = s.group; go('service'); },
    }, V.h('span', { class: 'tile-letter' }, s.group), V.h('span', { class: 'tile-title' }, V.pick(s.name, lang)))));
  }

  // kindInfo is the workflow's fee and documents for a kind, when the workflow runs.
  function kindInfo(k) { return fees && fees.kinds ? fees.kinds.find((x) => x.kind === k) : null; }

  function docName(d) { return d.split('|').map((x) => t('doc.' + x)).join(' / '); }

  function renderService() {
    const s = info && info.services.find((x) => x.group === shownGroup);
    if (!s) return;
    $('service-title').textContent = s.group + ' · ' + V.pick(s.name, lang);
    $('service-about').textContent = V.pick(s.about, lang);
    let reqs = s.requirements.map((r) => V.pick(r, lang));
    if (!reqs.length) {
      const seen = new Set();
      s.kinds.forEach((k) => {
        const ki = kindInfo(k);
        (ki ? ki.documents : []).forEach((alts) => {
          const n = docName(alts.join('|'));
          if (!seen.has(n)) { seen.add(n); reqs.push(n); }
        });
      });
    }
    $('service-requirements').replaceChildren(...(reqs.length ? reqs : [t('info.ask_officer')]).map((r) => V.h('li', null, r)));
    let fee = s.fee.id ? [V.pick(s.fee, lang)] : s.kinds.map(kindInfo).filter(Boolean)
      .map((ki) => (lang === 'en' ? ki.name_en : ki.name_id) + ': ' + rupiah(ki.fee));
    if (!fee.length) fee = [t('info.fee_none')];
    $('service-fee').replaceChildren(...fee.map((f) => V.h('li', null, f)));
    const ki = s.kinds.map(kindInfo).find(Boolean);
    $('service-time').textContent = s.time.id ? V.pick(s.time, lang) : ki ? t('info.days', ki.completion_days) : t('info.same_day');
  }

  function rupiah(n) { return 'Rp' + String(n).replace(/\B(?=(\d{3})+(?!\d))/g, '.'); }

  function renderFlow() {
    if (!info) return;
    $('flow').replaceChildren(...info.flow.map((f) => V.h('li', null, V.pick(f, lang))));
  }

  function renderQueue() {
    let groups = [];
    if (live && live.loaded) {
      groups = [...live.groups.values()].map((g) => ({ code: g.code, name_id: g.name_id, name_en: g.name_en, waiting: live.waitingIn(g.code), left: live.remaining(g.code) }));
      const counters = [...live.counters.values()].sort((a, b) => a.number - b.number);
      $('counters').replaceChildren(...counters.map((c) => V.h('li', { dataset: { counter: c.number } },
        V.h('span', null, c.name || t('info.counter', c.number)), V.h('strong', null, c.current ? c.current.code : '—'))));
    } else if (quota) {
      groups = quota.groups.map((g) => ({ code: g.group, name_id: g.name_id, name_en: g.name_en, waiting: g.waiting,
        left: { left: Math.max(g.remaining.walkin, 0), total: g.quota.walkin } }));
    }
    $('counters-panel').hidden = !(live && live.loaded);
    $('groups').replaceChildren(...groups.map((g) => V.h('tr', { dataset: { group: g.code } },
      V.h('td', null, g.code + ' · ' + (lang === 'en' && g.name_en ? g.name_en : g.name_id)),
      V.h('td', null, g.waiting), V.h('td', null, g.left.left + ' / ' + g.left.total))));
  }

  function renderStatus() {
    if (!status) return;
    $('status-error').hidden = !status.error;
    $('status-result').hidden = !!status.error;
    if (status.error) {
      $('status-error').textContent = status.error;
      return;
    }
    $('status-kind').textContent = t('info.kind_' + status.kind);
    $('status-code').textContent = status.code;
    $('status-text').textContent = status.text;
    $('status-detail').textContent = status.detail || '';
  }

  function check(code) {
    code = (code || '').trim();
    if (!code) return;
    V.api('GET', '/api/v1/info/status?code=' + encodeURIComponent(code), undefined, lang).then((a) => {
      status = a;
      go('status');
    }, (err) => {
      status = { error: err.message };
      go('status');
    });
  }

  function reset() {
    lang = 'id';
    t = L.translator(lang);
    category = 'other';
    status = null;
    $('complaint-form').reset();
    $('complaint-form').hidden = false;
    $('complaint-done').hidden = true;
    $('complaint-error').hidden = true;
    $('scan').value = '';
    if (document.activeElement && document.activeElement.blur) document.activeElement.blur();
    applyTexts();
    go('home');
  }

  function load() {
    V.api('GET', '/api/v1/info', undefined, lang).then((i) => {
      info = i;
      V.idle(Math.max(i.idle_seconds || 60, 5) * 1000, reset);
      render();
    }, () => setTimeout(load, 5000));
    V.api('GET', '/api/v1/workflow/fees', undefined, lang).then((f) => { fees = f; render(); }, () => { fees = null; });
    L.api('GET', '/api/v1/office', undefined, lang).then((o) => { office = o; $('office').textContent = o.name; tick(); }, () => {});
  }

  function pollQuota() {
    V.api('GET', '/api/v1/quota', undefined, lang).then((q) => { quota = q; renderQueue(); }, () => {})
      .finally(() => setTimeout(pollQuota, 20000));
  }

  function follow() {
    live = new L.Office(1);
    const stream = new L.Stream({
      token: token,
      onMessage: (msg) => {
        if (msg.type === 'snapshot') live.load(msg.snapshot);
        else if (!live.apply(msg)) return;
        if (screen === 'queue') renderQueue();
      },
      onState: () => {},
    });
    stream.start();
  }

  function tick() {
    const tz = office && office.time_zone;
    $('time').textContent = V.clock(new Date(L.now()).toISOString(), tz);
  }

  document.querySelectorAll('[data-go]').forEach((b) => b.addEventListener('click', () => go(b.dataset.go)));
  $('back').addEventListener('click', () => go(screen === 'service' ? 'services' : 'home'));
  $('lang').addEventListener('click', () => {
    lang = lang === 'en' ? 'id' : 'en';
    t = L.translator(lang);
    applyTexts();
  });
  $('scan-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const code = $('scan').value;
    $('scan').value = '';
    check(code);
  });
  $('complaint-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const ref = $('complaint-ref').value.trim();
    const body = { category: category, text: $('complaint-text').value, phone: $('complaint-phone').value };
    if (/^\d{10}$/.test(ref)) body.application = ref;
    else if (ref) body.ticket = ref;
    V.api('POST', '/api/v1/complaints', body, lang).then((c) => {
      $('complaint-form').hidden = true;
      $('complaint-done').hidden = false;
      $('complaint-number').textContent = c.number;
      $('complaint-due').textContent = t('info.complaint_due', V.fmtDate(c.due));
    }, (err) => {
      $('complaint-error').textContent = err.message;
      $('complaint-error').hidden = false;
    });
  });
  document.addEventListener('pointerup', () => setTimeout(focusScan, 0));

  V.lockDown();
  applyTexts();
  go('home');
  load();
  if (token) follow();
  else pollQuota();
  setInterval(tick, 1000);
})();
