// desk.js: the stage console of the passport workflow. An officer logs in (the hub sets a
// session cookie), chooses a stage their role works, and sees the stage's worklist in file order,
// kept live by the hub's stream (every workflow event carries the file's whole state). "Next"
// takes the oldest waiting file; a barcode scanner typing a receipt's number and Enter opens that
// file (at pickup it takes it). The stage's form records the work, pass or fail with a reason.
// Every word comes from the catalogue (texts.js?page=workflow).
(function () {
  'use strict';
  const L = window.AntreLive;
  const $ = (id) => document.getElementById(id);
  const STORE = 'antre.desk.';
  const WORKABLE = ['open', 'retake', 'biometric_review', 'duplicate_review'];
  const CAPTURES = ['photo'].concat(Array.from({ length: 10 }, (_, i) => 'finger_' + (i + 1)), ['signature']);
  const KINDS = ['', 'new', 'replacement', 'lost', 'damaged', 'change'];
  const CATEGORIES = ['other', 'urgent_travel', 'special_needs', 'earlier_stuck', 'equipment'];

  let lang = L.lang(STORE + 'lang');
  let t = L.translator(lang);
  let me = null; // {name, role}
  let stages = []; // the public figures, with the roles of each stage
  let stage = '';
  let files = new Map(); // number → worklist entry of this stage
  let current = null; // the open file, as /file answered
  let stream = null;
  let alerts = new Map();
  let desks = [];
  let timeZone; // the office's, for the times the console shows

  function store(key, value) {
    try {
      if (value === undefined) return localStorage.getItem(STORE + key);
      if (value === null) localStorage.removeItem(STORE + key);
      else localStorage.setItem(STORE + key, value);
    } catch (e) { /* storage may be disabled */ }
    return null;
  }

  function api(method, path, body) { return L.api(method, path, body, lang); }

  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    return e;
  }

  function applyTexts() {
    document.documentElement.lang = lang;
    document.querySelectorAll('[data-t]').forEach((e) => { e.textContent = t(e.dataset.t); });
    $('lang-toggle').textContent = t('desk.other_lang');
    document.title = t('desk.title');
  }

  let toastTimer = 0;
  function toast(msg, isError) {
    const e = $('toast');
    e.textContent = msg;
    e.className = 'toast' + (isError ? ' error' : '');
    e.hidden = false;
    clearTimeout(toastTimer);
    toastTimer = setTimeout(() => { e.hidden = true; }, isError ? 12000 : 6000);
  }
  function fail(err) { toast(err.message, true); }

  function clock(iso) {
    if (!iso) return '';
    try {
      return new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', hour12: false, timeZone: timeZone }).format(new Date(iso));
    } catch (e) { return ''; }
  }

  // ---- Screens -------------------------------------------------------------------------------

  function screen(name) {
    ['login', 'choose', 'console'].forEach((s) => { $(s).hidden = s !== name; });
    $('who').hidden = $('logout').hidden = name === 'login';
    $('where').hidden = $('conn').hidden = name !== 'console';
    if (me) $('who').textContent = me.name + ' · ' + me.role;
    if (name === 'login') $('login-name').focus();
  }

  function loginScreen(message) {
    if (stream) stream.stop();
    stream = null;
    me = null;
    screen('login');
    $('login-error').hidden = !message;
    $('login-error').textContent = message || '';
  }

  function boot() {
    applyTexts();
    api('GET', '/api/v1/office').then((o) => {
      $('office-name').textContent = o.name;
      timeZone = o.time_zone || undefined;
      renderWorklist();
    }, () => {});
    api('GET', '/api/v1/me').then((p) => {
      me = { name: p.name, role: p.role };
      enter();
    }, (err) => loginScreen(err.status === 401 || err.status === 403 ? '' : err.message));
  }

  function mine() { return stages.filter((s) => (s.roles || []).includes(me.role)); }

  function enter() {
    api('GET', '/api/v1/stages').then((r) => {
      stages = r.stages || [];
      const ok = mine();
      if (!ok.length) {
        loginScreen(t('desk.no_stage'));
        return;
      }
      const saved = store('stage');
      if (saved && ok.some((s) => s.stage === saved)) startStage(saved);
      else if (ok.length === 1) startStage(ok[0].stage);
      else chooseStage();
    }, fail);
    api('GET', '/api/v1/workflow/desks').then((r) => {
      desks = r.desks || [];
      fillDesks();
    }, () => {});
  }

  function chooseStage() {
    screen('choose');
    const box = $('stages');
    box.textContent = '';
    mine().forEach((s) => {
      const b = el('button');
      b.type = 'button';
      b.dataset.stage = s.stage;
      b.appendChild(el('span', 'n', t('stage.' + s.stage)));
      b.appendChild(el('span', 'c', t('desk.stage_waiting', s.waiting)));
      b.addEventListener('click', () => startStage(s.stage));
      box.appendChild(b);
    });
  }

  function startStage(s) {
    stage = s;
    store('stage', s);
    $('stage-name').textContent = t('stage.' + s);
    $('open-card').hidden = s !== 'intake';
    $('alerts-card').hidden = me.role !== 'head';
    $('category-row').hidden = s === 'pickup';
    screen('console');
    closeFile();
    loadWorklist();
    if (me.role === 'head') loadAlerts();
    if (!stream) {
      stream = new L.Stream({ onMessage: onMessage, onState: onState });
      stream.start();
    }
    $('scan').focus();
  }

  function onState(s) {
    const c = $('conn');
    c.dataset.state = s === 'waiting' ? 'lost' : s;
    $('conn-text').textContent = t('desk.conn_' + s);
    if (s === 'unauthorized') loginScreen('');
  }

  // ---- The worklist ---------------------------------------------------------------------------

  // loadWorklist reads the stage's worklist. The stream's events go on arriving meanwhile: those
  // after the list's last_event_id are applied again over it (each carries its file's whole state,
  // so applying one twice changes nothing), and an answer overtaken by a later read is dropped.
  let loads = 0;
  let recent = []; // the latest workflow events, to apply over a list read while they arrived
  function loadWorklist() {
    const n = ++loads;
    api('GET', '/api/v1/stages/' + stage + '/worklist').then((w) => {
      if (n !== loads) return;
      files = new Map();
      [].concat(w.waiting, w.taken, w.other).forEach((f) => files.set(f.number, f));
      recent = recent.filter((e) => e.id > w.last_event_id);
      recent.forEach((e) => apply(e, true));
      renderWorklist();
    }, fail);
  }

  // apply folds one workflow event into the worklist: the event carries the file's state after
  // the change, so the file is placed (or removed) whatever came before.
  function apply(e, quiet) {
    const d = e.data || {};
    if (e.type === 'workflow.alert') {
      alerts.set(d.number, d);
      renderAlerts();
      return;
    }
    if (!d.number || d.stage === undefined || !d.status) return;
    const final = ['picked_up', 'refused', 'returned'].includes(d.status);
    if (d.stage !== stage || final) {
      files.delete(d.number);
    } else {
      files.set(d.number, { number: d.number, stage: d.stage, status: d.status, holder: d.holder || '', vip: d.vip || '',
        kind: d.kind, since: d.since, order: d.order, book: d.book, book_seq: d.book_seq, retakes: d.retakes || 0 });
    }
    if (current && current.number === d.number) {
      current.stage = d.stage;
      current.status = d.status;
      current.holder = d.holder || '';
      renderFile();
    }
    if (!quiet) renderWorklist();
  }

  function onMessage(msg) {
    if (msg.type === 'snapshot') {
      loadWorklist(); // (re)connected: events may have been missed
      return;
    }
    if (typeof msg.type === 'string' && msg.type.indexOf('workflow.') === 0) {
      recent.push(msg);
      if (recent.length > 2000) recent.shift();
      apply(msg);
    }
  }

  // byOrder is the order "next" takes files in: the VIP book (book 0) first, by its number,
  // then the regular book, by file order.
  function byOrder(a, b) {
    return (a.book - b.book) || ((a.book_seq || 0) - (b.book_seq || 0)) || (a.order - b.order);
  }

  function renderWorklist() {
    const all = Array.from(files.values()).sort(byOrder);
    const waiting = all.filter((f) => !f.holder && WORKABLE.includes(f.status));
    const taken = all.filter((f) => f.holder);
    const other = all.filter((f) => !f.holder && !WORKABLE.includes(f.status));
    fillList($('worklist-waiting'), waiting, (f) => (f.status !== 'open' ? t('st.' + f.status) + ' · ' : '') + t('desk.since', clock(f.since)));
    fillList($('worklist-taken'), taken, (f) => f.holder);
    fillList($('worklist-other'), other, (f) => t('st.' + f.status));
    $('waiting-count').textContent = String(waiting.length);
    $('worklist-empty').hidden = waiting.length > 0;
  }

  function fillList(ul, list, meta) {
    ul.textContent = '';
    list.forEach((f) => {
      const li = el('li', f.vip ? 'vip' : '');
      li.dataset.number = f.number;
      li.appendChild(el('span', 'no', f.number));
      if (f.vip) li.appendChild(el('span', 'badge', f.vip));
      li.appendChild(el('span', 'meta', meta(f)));
      ul.appendChild(li);
    });
  }

  // ---- Alerts (the head) ------------------------------------------------------------------------

  function loadAlerts() {
    api('GET', '/api/v1/workflow/alerts').then((r) => {
      alerts = new Map();
      (r.files || []).forEach((a) => alerts.set(a.number, a));
      renderAlerts();
    }, () => {});
  }

  function renderAlerts() {
    const ul = $('alerts');
    ul.textContent = '';
    alerts.forEach((a) => {
      const li = el('li', '', a.number + ' · ' + t('desk.level_' + a.level) + ' · ' + t('stage.' + a.stage) + ' · ' + a.due);
      li.dataset.number = a.number;
      ul.appendChild(li);
    });
  }

  // ---- The open file --------------------------------------------------------------------------

  function closeFile() {
    current = null;
    $('file').hidden = true;
  }

  function openFile(number, purpose) {
    return api('GET', '/api/v1/applications/' + encodeURIComponent(number) + '/file?purpose=' + (purpose || 'open')).then((f) => {
      current = f;
      $('reason').value = '';
      renderFile(true);
      return f;
    });
  }

  function fact(dl, key, value) {
    if (value === undefined || value === null || value === '') return;
    const d = el('div');
    d.appendChild(el('dt', '', t(key)));
    d.appendChild(el('dd', '', String(value)));
    dl.appendChild(d);
  }

  function renderFile(fresh) {
    const f = current;
    if (!f) return;
    $('file').hidden = false;
    $('file-number').textContent = f.number;
    $('file-status').textContent = t('stage.' + f.stage) + ' · ' + t('st.' + f.status);
    $('file-vip').hidden = !f.vip;
    $('file-vip').textContent = f.vip || '';
    $('file-text').textContent = f.status_text ? f.status_text[lang] : '';
    const dl = $('file-facts');
    dl.textContent = '';
    const a = f.applicant || {};
    fact(dl, 'desk.name', a.name);
    fact(dl, 'desk.nik', a.nik);
    fact(dl, 'desk.birth', [a.birth_place, a.birth_date].filter(Boolean).join(', '));
    fact(dl, 'desk.kind', t('kind.' + f.kind));
    fact(dl, 'desk.ticket', f.ticket);
    fact(dl, 'desk.holder', f.holder || '—');
    fact(dl, 'desk.due', f.due);
    fact(dl, 'desk.fee', f.fee ? 'Rp' + f.fee.toLocaleString('id-ID') : '');
    fact(dl, 'desk.billing', f.billing_code);
    fact(dl, 'desk.retakes', f.retakes || '');
    if (fresh) renderStageForm();
    $('pdf-link').href = '/api/v1/applications/' + f.number + '/receipt.pdf?lang=' + lang;
    $('head-actions').hidden = me.role !== 'head';
  }

  function checkbox(name, value, label, checked) {
    const l = el('label');
    const i = el('input');
    i.type = 'checkbox';
    i.name = name;
    i.value = value;
    i.checked = !!checked;
    l.appendChild(i);
    l.appendChild(document.createTextNode(label));
    return l;
  }

  function checks(name, values, labelOf, checked) {
    const box = el('div', 'checks');
    box.dataset.group = name;
    values.forEach((v) => box.appendChild(checkbox(name, v, labelOf(v), (checked || []).includes(v))));
    return box;
  }

  function input(name, labelKey, value) {
    const l = el('label');
    l.appendChild(el('span', '', t(labelKey)));
    const i = el('input');
    i.name = name;
    i.autocomplete = 'off';
    i.value = value || '';
    l.appendChild(i);
    return l;
  }

  // renderStageForm draws what the file's stage records.
  function renderStageForm() {
    const box = $('stage-form');
    box.textContent = '';
    const f = current;
    switch (f.stage) {
      case 'intake': {
        const docs = [];
        (f.required_documents || []).forEach((r) => r.forEach((d) => docs.push(d)));
        box.appendChild(el('h2', '', t('desk.documents')));
        box.appendChild(checks('documents', docs, (d) => t('doc.' + d), f.documents));
        if (f.status === 'bap_required') {
          box.appendChild(el('h2', '', t('desk.bap')));
          box.appendChild(input('bap_ref', 'desk.bap_ref'));
          box.appendChild(input('bap_date', 'desk.bap_date'));
        }
        break;
      }
      case 'biometrics': {
        box.appendChild(el('h2', '', t('desk.captures')));
        box.appendChild(checks('captures', CAPTURES, (c) => t('cap.' + c), f.captures));
        const all = el('button', '', t('desk.all'));
        all.type = 'button';
        all.id = 'btn-all-captures';
        all.addEventListener('click', () => box.querySelectorAll('input[name=captures]').forEach((i) => { i.checked = true; }));
        box.appendChild(all);
        break;
      }
      case 'adjudication': {
        box.appendChild(el('h2', '', t('desk.checks')));
        const ul = el('ul', 'list');
        ul.id = 'check-results';
        ['cekal', 'duplicate', 'biometric', 'identity'].forEach((k) => {
          const c = (f.checks || {})[k];
          ul.appendChild(el('li', '', t('check.' + k) + ': ' + (c ? t('result.' + c.result) : t('result.pending'))));
        });
        box.appendChild(ul);
        const run = el('button', '', t('desk.run_checks'));
        run.type = 'button';
        run.addEventListener('click', () => {
          api('POST', '/api/v1/applications/' + f.number + '/checks').then(() => openFile(f.number, 'checks'), fail);
        });
        box.appendChild(run);
        break;
      }
      case 'payment':
        box.appendChild(input('receipt', 'desk.receipt_no'));
        break;
      case 'printing':
        box.appendChild(input('serial', 'desk.serial'));
        box.appendChild(el('h2', '', t('desk.qa')));
        box.appendChild(checks('qa', f.qa_required || [], (q) => t('qa.' + q), f.qa));
        break;
      case 'pickup':
        box.appendChild(checks('face_check', ['yes'], () => t('desk.face_check'), []));
        break;
    }
  }

  function checked(name) {
    return Array.from(document.querySelectorAll('#stage-form input[name=' + name + ']:checked')).map((i) => i.value);
  }
  function field(name) {
    const i = document.querySelector('#stage-form input[name=' + name + ']');
    return i ? i.value.trim() : '';
  }

  // details gathers the stage form into the completion's details.
  function details() {
    const d = {};
    switch (current.stage) {
      case 'intake':
        d.documents = checked('documents');
        if (field('bap_ref')) d.bap = { ref: field('bap_ref'), date: field('bap_date') || undefined };
        break;
      case 'biometrics':
        d.captures = checked('captures');
        break;
      case 'payment':
        if (field('receipt')) d.receipt = field('receipt').toUpperCase();
        break;
      case 'printing':
        if (field('serial')) d.serial = field('serial').toUpperCase();
        d.qa = checked('qa');
        break;
      case 'pickup':
        d.face_check = checked('face_check').length > 0;
        break;
    }
    if (current.stage !== 'pickup') d.category = $('category').value;
    return d;
  }

  function complete(outcome) {
    if (!current) return;
    const f = current;
    const body = { stage: f.stage, outcome: outcome, details: details() };
    const reason = $('reason').value.trim();
    if (reason) body.reason = reason;
    api('POST', '/api/v1/applications/' + f.number + '/complete', body).then((s) => {
      toast(t('desk.done', f.number, t('stage.' + s.stage) + ' · ' + t('st.' + s.status)));
      closeFile();
      $('scan').focus();
    }, fail);
  }

  $('btn-pass').addEventListener('click', () => complete('pass'));
  $('btn-fail').addEventListener('click', () => complete('fail'));
  $('btn-release').addEventListener('click', () => {
    if (!current) return;
    api('POST', '/api/v1/applications/' + current.number + '/release').then(() => { closeFile(); }, fail);
  });
  $('btn-next').addEventListener('click', () => {
    api('POST', '/api/v1/stages/' + stage + '/next').then((s) => openFile(s.number, 'next'), fail);
  });
  $('btn-print').addEventListener('click', () => {
    if (!current) return;
    api('POST', '/api/v1/applications/' + current.number + '/receipt', { desk: $('desk-select').value }).then(() => toast(t('desk.printed')), fail);
  });
  $('btn-vip').addEventListener('click', () => {
    if (!current) return;
    api('POST', '/api/v1/applications/' + current.number + '/vip', { reason: $('reason').value.trim() }).then(() => openFile(current.number, 'vip'), fail);
  });
  ['clear', 'refuse'].forEach((d) => {
    $('btn-' + d).addEventListener('click', () => {
      if (!current) return;
      const n = current.number;
      const reason = $('reason').value.trim();
      const run = current.status === 'held'
        ? api('POST', '/api/v1/applications/' + n + '/enforcement', { ref: reason || '-' })
        : Promise.resolve();
      run.then(() => api('POST', '/api/v1/applications/' + n + '/decision', { decision: d === 'clear' ? 'cleared' : 'refused', reason: reason }))
        .then(() => openFile(n, 'decision'), fail);
    });
  });

  // A barcode scanner types the receipt's number and Enter: open that file (at pickup, take it).
  $('scan').addEventListener('keydown', (e) => {
    if (e.key !== 'Enter') return;
    e.preventDefault();
    const n = $('scan').value.replace(/\D/g, '');
    $('scan').value = '';
    if (!n) return;
    const take = stage === 'pickup'
      ? api('POST', '/api/v1/stages/pickup/take', { number: n }).catch((err) => { if (err.status !== 409) throw err; })
      : Promise.resolve();
    take.then(() => openFile(n, 'scan')).catch(fail);
  });

  $('open-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const form = e.target;
    const body = {};
    ['ticket', 'nik', 'name', 'birth_date', 'birth_place', 'phone', 'kind', 'pre_application'].forEach((k) => {
      const v = form.elements[k].value.trim();
      if (v) body[k] = k === 'ticket' ? v.toUpperCase() : v;
    });
    api('POST', '/api/v1/applications', body).then((s) => {
      form.reset();
      toast(t('desk.opened', s.number));
      return openFile(s.number, 'open');
    }).catch(fail);
  });

  function fillDesks() {
    const sel = $('desk-select');
    sel.textContent = '';
    desks.forEach((d) => {
      const o = el('option', '', d);
      o.value = d;
      sel.appendChild(o);
    });
    const saved = store('desk');
    if (saved && desks.includes(saved)) sel.value = saved;
    $('btn-print').disabled = desks.length === 0;
  }
  $('desk-select').addEventListener('change', () => store('desk', $('desk-select').value));

  function fillSelects() {
    const kind = $('open-kind');
    kind.textContent = '';
    KINDS.forEach((k) => {
      const o = el('option', '', k ? t('kind.' + k) : t('desk.kind_auto'));
      o.value = k;
      kind.appendChild(o);
    });
    const cat = $('category');
    cat.textContent = '';
    CATEGORIES.forEach((c) => {
      const o = el('option', '', t('take.' + c));
      o.value = c;
      cat.appendChild(o);
    });
  }

  // ---- Log-in, language, stage --------------------------------------------------------------------

  $('login-form').addEventListener('submit', (e) => {
    e.preventDefault();
    api('POST', '/api/v1/login', { name: $('login-name').value.trim(), password: $('login-password').value }).then((r) => {
      $('login-password').value = '';
      me = { name: r.name, role: r.role };
      enter();
    }, (err) => {
      $('login-error').hidden = false;
      $('login-error').textContent = err.message;
    });
  });
  $('logout').addEventListener('click', () => {
    api('POST', '/api/v1/logout').catch(() => {}).then(() => loginScreen(''));
  });
  $('change-stage').addEventListener('click', () => {
    store('stage', null);
    closeFile();
    chooseStage();
  });
  $('lang-toggle').addEventListener('click', () => {
    lang = lang === 'en' ? 'id' : 'en';
    store('lang', lang);
    t = L.translator(lang);
    applyTexts();
    fillSelects();
    if (stage) $('stage-name').textContent = t('stage.' + stage);
    renderWorklist();
    renderAlerts();
    if (current) renderFile(true);
  });

  fillSelects();
  boot();
})();
