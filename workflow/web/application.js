// application.js: the applicant's status page (/application/NUMBER, the receipt's QR code; the
// information kiosk's barcode scanner types the number and Enter). It shows the stage and status
// in plain words, the promised date and what to do next, from the public API; nothing personal.
(function () {
  'use strict';
  const L = window.AntreLive;
  const $ = (id) => document.getElementById(id);
  const STAGES = ['intake', 'biometrics', 'adjudication', 'payment', 'printing', 'approval', 'pickup'];
  let lang = L.lang('antre.application.lang');
  let t = L.translator(lang);
  let last = '';

  function applyTexts() {
    document.documentElement.lang = lang;
    document.querySelectorAll('[data-t]').forEach((e) => { e.textContent = t(e.dataset.t); });
    $('lang-toggle').textContent = t('desk.other_lang');
    document.title = t('app.title');
  }

  function show(s) {
    $('error').hidden = true;
    $('result').hidden = false;
    $('res-number').textContent = s.number;
    $('res-text').textContent = s.text;
    $('res-next').textContent = s.next;
    $('res-due').hidden = !s.due;
    $('res-due').textContent = s.due ? t('app.due', s.due.split('-').reverse().join('-')) : '';
    const ol = $('steps');
    ol.textContent = '';
    const at = STAGES.indexOf(s.stage);
    STAGES.forEach((st, i) => {
      const li = document.createElement('li');
      li.textContent = t('stage.' + st);
      if (i < at || s.status === 'picked_up') li.className = 'done';
      else if (i === at) li.className = 'now';
      ol.appendChild(li);
    });
  }

  function lookup(number) {
    const n = (number || '').replace(/\D/g, '');
    if (!n) return;
    last = n;
    if (location.pathname !== '/application/' + n) history.replaceState(null, '', '/application/' + n + location.search);
    L.api('GET', '/api/v1/applications/' + n, undefined, lang).then(show, (err) => {
      $('result').hidden = true;
      $('error').hidden = false;
      $('error').textContent = err.message;
    });
  }

  $('lookup').addEventListener('submit', (e) => {
    e.preventDefault();
    lookup($('number').value);
    $('number').value = '';
    $('number').focus();
  });
  $('lang-toggle').addEventListener('click', () => {
    lang = lang === 'en' ? 'id' : 'en';
    try { localStorage.setItem('antre.application.lang', lang); } catch (e) { /* storage may be disabled */ }
    t = L.translator(lang);
    applyTexts();
    if (last) lookup(last);
  });

  applyTexts();
  const m = location.pathname.match(/^\/application\/(\d+)$/);
  if (m) lookup(m[1]);
})();
