// aduan.js: complaints on a phone (/aduan): the web form (the answer comes by SMS when a
// number is given, and always under the complaint's number) and a complaint's state by its
// number (/aduan/ADU-…), with the office's answer; nothing personal is shown.
(function () {
  'use strict';
  const L = window.AntreLive;
  const V = window.AntreVoice;
  const $ = (id) => document.getElementById(id);
  const CATEGORIES = ['procedure', 'time', 'fee', 'conduct', 'broker', 'facilities', 'information', 'other'];
  let lang = L.lang('antre.aduan.lang');
  let t = L.translator(lang);
  let last = '';

  function applyTexts() {
    document.documentElement.lang = lang;
    document.querySelectorAll('[data-t]').forEach((e) => { e.textContent = t(e.dataset.t); });
    $('lang-toggle').textContent = t('cp.other_lang');
    document.title = t('cp.title');
    const cur = $('category').value || 'other';
    $('category').replaceChildren(...CATEGORIES.map((c) => V.h('option', { value: c, selected: c === cur }, t('cp.cat_' + c))));
  }

  function fail(err) {
    $('error').textContent = err.message;
    $('error').hidden = false;
  }

  function show(c) {
    $('error').hidden = true;
    $('result').hidden = false;
    $('res-number').textContent = c.number;
    $('res-status').textContent = c.status_text;
    $('res-facts').textContent = t('cp.facts', c.category_text, V.fmtDate(c.received_date), V.fmtDate(c.due));
    const a = c.answer || c.reject_reason || '';
    $('res-answer').hidden = !a;
    $('res-answer').textContent = a ? t(c.answer ? 'cp.answer' : 'cp.reason', a) : '';
  }

  function lookup(n) {
    n = (n || '').trim();
    if (!n) return;
    last = n;
    V.api('GET', '/api/v1/complaints/' + encodeURIComponent(n), undefined, lang).then((c) => {
      show(c);
      if (location.pathname !== '/aduan/' + c.number) history.replaceState(null, '', '/aduan/' + c.number + location.search);
    }, (err) => { $('result').hidden = true; fail(err); });
  }

  $('lookup').addEventListener('submit', (e) => { e.preventDefault(); lookup($('number').value); });
  $('file').addEventListener('submit', (e) => {
    e.preventDefault();
    const ref = $('ref').value.trim();
    const body = { category: $('category').value, text: $('text').value, phone: $('phone').value };
    if (/^\d{10}$/.test(ref)) body.application = ref;
    else if (ref) body.ticket = ref;
    V.api('POST', '/api/v1/complaints', body, lang).then((c) => {
      $('file').reset();
      show(c);
      history.replaceState(null, '', '/aduan/' + c.number + location.search);
      window.scrollTo(0, 0);
    }, fail);
  });
  $('lang-toggle').addEventListener('click', () => {
    lang = lang === 'en' ? 'id' : 'en';
    try { localStorage.setItem('antre.aduan.lang', lang); } catch (e) { /* storage may be disabled */ }
    t = L.translator(lang);
    applyTexts();
    if (last) lookup(last);
  });

  applyTexts();
  L.api('GET', '/api/v1/office', undefined, lang).then((o) => { $('office').textContent = o.name; }, () => {});
  const m = location.pathname.match(/^\/aduan\/([^/]+)$/);
  if (m) lookup(decodeURIComponent(m[1]));
})();
