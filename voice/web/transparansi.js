// transparansi.js: the transparency page (/transparansi, public: on a display's TV and on
// phones). Today's calls in order with the rule that chose each (an officer's specific call
// shows that it was one, never the officer's note), today's dispensations by category
// (counts only), the passport workflow's out-of-order takes by stage and category, and last
// month's satisfaction index. It refreshes itself every 30 seconds.
(function () {
  'use strict';
  const L = window.AntreLive;
  const V = window.AntreVoice;
  const $ = (id) => document.getElementById(id);
  let lang = L.lang('antre.transparency.lang');
  let t = L.translator(lang);
  let office = null;
  let data = null;
  let stages = null;

  function applyTexts() {
    document.documentElement.lang = lang;
    document.querySelectorAll('[data-t]').forEach((e) => { e.textContent = t(e.dataset.t); });
    $('lang-toggle').textContent = t('tr.other_lang');
    document.title = t('tr.title');
    render();
  }

  function render() {
    if (!data) return;
    const tz = office && office.time_zone;
    $('date').textContent = V.fmtDate(data.date);
    const m = data.index_last_month;
    $('index').textContent = m.index == null ? t('tr.index_none', V.fmtDate(m.from), V.fmtDate(m.to))
      : t('tr.index_value', m.index.toFixed(2), m.category, t('tr.cat_' + m.category), m.responses, V.fmtDate(m.from), V.fmtDate(m.to));
    $('calls').replaceChildren(...data.calls.map((c) => V.h('tr', { dataset: { ticket: c.ticket, kind: c.kind } },
      V.h('td', null, V.clock(c.at, tz)), V.h('td', { class: 'code' }, c.ticket), V.h('td', null, c.counter),
      V.h('td', { class: 'reason ' + c.kind }, t('tr.reason_' + c.reason)))));
    $('calls-empty').hidden = data.calls.length > 0;
    $('calls-summary').textContent = t('tr.calls_summary', data.calls.length, data.specific);
    $('dispensations').replaceChildren(...data.dispensations.map((d) => V.h('li', { dataset: { category: d.category } },
      V.h('span', null, t('tr.dcat_' + d.category)), V.h('strong', null, d.count))));
    $('takes-box').hidden = !stages;
    if (stages) {
      const takes = stages.out_of_order_today || [];
      $('takes').replaceChildren(...takes.map((o) => V.h('li', null,
        V.h('span', null, V.clock(o.at, tz) + ' · ' + t('stage.' + o.stage)), V.h('strong', null, t('take.' + o.category)))));
      $('takes-empty').hidden = takes.length > 0;
    }
    $('updated').textContent = t('tr.updated', V.clock(new Date().toISOString(), tz));
  }

  function refresh() {
    Promise.all([
      V.api('GET', '/api/v1/transparency', undefined, lang),
      V.api('GET', '/api/v1/stages', undefined, lang).catch(() => null),
    ]).then(([d, s]) => {
      data = d;
      stages = s;
      $('error').hidden = true;
      render();
    }, (err) => {
      $('error').textContent = err.message;
      $('error').hidden = false;
    });
  }

  $('lang-toggle').addEventListener('click', () => {
    lang = lang === 'en' ? 'id' : 'en';
    try { localStorage.setItem('antre.transparency.lang', lang); } catch (e) { /* storage may be disabled */ }
    t = L.translator(lang);
    applyTexts();
  });
  applyTexts();
  L.api('GET', '/api/v1/office', undefined, lang).then((o) => {
    office = o;
    $('office').textContent = o.name;
  }, () => {}).then(refresh);
  setInterval(refresh, 30000);
})();
