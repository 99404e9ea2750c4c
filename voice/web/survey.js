// survey.js: the satisfaction survey, on the applicant's phone (/survei/CODE?k=TOKEN, from the
// ticket's QR code or the SMS link) and on a counter's feedback tablet (/feedback?token=…,
// which shows the survey of the ticket just finished at its counter, and nothing else).
// The questions come from the hub (the regulation in force, the office's texts); one answer
// per element, 1 to 4; questions about the respondent are optional.
(function () {
  'use strict';
  const L = window.AntreLive;
  const V = window.AntreVoice;
  const $ = (id) => document.getElementById(id);
  const params = new URLSearchParams(location.search);
  const tablet = location.pathname === '/feedback';
  // The tablet's device token: the admin console's pairing address (#token=…), ?token=, or the
  // one kept (see AntreLive.deviceToken).
  const device = tablet ? L.deviceToken('antre-feedback-token') : '';
  let lang = L.lang('antre.survey.lang');
  let t = L.translator(lang);
  let form = null;
  let ticket = tablet ? '' : decodeURIComponent((location.pathname.match(/^\/survei\/([^/]+)$/) || [])[1] || '').toUpperCase();
  let token = tablet ? '' : (params.get('k') || '');
  const via = tablet ? 'tablet' : (params.get('via') === 'sms' ? 'sms' : 'qr');
  let answers = [];
  let busy = false;

  function show(id) {
    ['waiting', 'form', 'done', 'message'].forEach((s) => { $(s).hidden = s !== id; });
  }

  function message(text) {
    $('message-text').textContent = text;
    show('message');
  }

  function applyTexts() {
    document.documentElement.lang = lang;
    document.querySelectorAll('[data-t]').forEach((e) => { e.textContent = t(e.dataset.t); });
    $('lang-toggle').textContent = t('sv.other_lang');
    document.title = t('sv.title');
    if (form) renderForm();
  }

  function renderForm() {
    $('ticket').textContent = ticket;
    $('elements').replaceChildren(...form.elements.map((el, i) => V.h('li', { class: 'element', dataset: { element: el.element } },
      V.h('p', { class: 'question' }, V.h('strong', null, V.pick(el.name, lang)), ' — ', V.pick(el.question, lang)),
      V.h('div', { class: 'scale' }, el.scale.map((s, j) => V.h('button', {
        type: 'button', class: 'answer' + (answers[i] === j + 1 ? ' chosen' : ''), dataset: { value: j + 1 },
        onclick: () => { answers[i] = j + 1; $('form-error').hidden = true; renderForm(); },
      }, V.h('span', { class: 'n' }, j + 1), V.pick(s, lang)))))));
    const chosen = {};
    document.querySelectorAll('#profile select').forEach((s) => { chosen[s.name] = s.value; });
    $('profile-box').hidden = form.profile.length === 0;
    $('profile').replaceChildren(...form.profile.map((q) => V.h('label', { class: 'pf' }, V.pick(q.label, lang),
      V.h('select', { name: q.key }, V.h('option', { value: '' }, t('sv.no_answer')),
        q.options.map((o) => V.h('option', { value: o.key, selected: chosen[q.key] === o.key }, V.pick(o.text, lang)))))));
  }

  function start(code, key) {
    ticket = code;
    token = key;
    answers = [];
    $('suggestion').value = '';
    $('form-error').hidden = true;
    document.querySelectorAll('#profile select').forEach((s) => { s.value = ''; });
    renderForm();
    show('form');
    window.scrollTo(0, 0);
  }

  function submit(e) {
    e.preventDefault();
    if (busy) return;
    const missing = form.elements.findIndex((_, i) => !answers[i]);
    if (missing >= 0) {
      $('form-error').textContent = t('sv.answer_all', missing + 1);
      $('form-error').hidden = false;
      return;
    }
    const profile = {};
    document.querySelectorAll('#profile select').forEach((s) => { if (s.value) profile[s.name] = s.value; });
    busy = true;
    V.api('POST', '/api/v1/surveys', { ticket: ticket, token: token, answers: answers, profile: profile, suggestion: $('suggestion').value, via: via }, lang)
      .then(() => {
        show('done');
        if (tablet) setTimeout(() => { ticket = ''; show('waiting'); }, 8000);
      }, (err) => {
        if (err.code === 'conflict') { message(err.message); return; }
        $('form-error').textContent = err.message;
        $('form-error').hidden = false;
      }).finally(() => { busy = false; });
  }

  // poll asks the hub, as this tablet, which survey it may show: only the ticket just finished
  // at its own counter. A new ticket replaces an unanswered form; none puts the tablet back to
  // waiting (the applicant has gone, or answered elsewhere).
  function poll() {
    V.api('GET', '/api/v1/surveys/tablet', undefined, lang, device).then((r) => {
      const s = r.survey;
      if (s && s.ticket !== ticket) start(s.ticket, s.token);
      else if (!s && !$('form').hidden && !busy) { ticket = ''; show('waiting'); }
    }, (err) => {
      if (err.status === 401 || err.status === 403 || err.status === 409) message(err.message);
    }).finally(() => setTimeout(poll, 2000));
  }

  $('form').addEventListener('submit', submit);
  $('lang-toggle').addEventListener('click', () => {
    lang = lang === 'en' ? 'id' : 'en';
    try { localStorage.setItem('antre.survey.lang', lang); } catch (e) { /* storage may be disabled */ }
    t = L.translator(lang);
    applyTexts();
  });

  applyTexts();
  L.api('GET', '/api/v1/office', undefined, lang).then((o) => { $('office').textContent = o.name; }, () => {});
  V.api('GET', '/api/v1/surveys/form', undefined, lang).then((f) => {
    form = f;
    if (tablet) {
      V.lockDown();
      show('waiting');
      poll();
      return;
    }
    if (!ticket || !token) { message(t('sv.no_token')); return; }
    V.api('GET', '/api/v1/surveys/state?ticket=' + encodeURIComponent(ticket) + '&token=' + encodeURIComponent(token), undefined, lang).then((s) => {
      if (s.state === 'open') start(s.ticket, token);
      else message(t('sv.state_' + s.state));
    }, (err) => message(err.message));
  }, (err) => message(err.message));
})();
