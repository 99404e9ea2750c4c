// voice.js: what the applicant's-voice pages share (the survey on a phone and on a counter's
// tablet, the complaint page, the information kiosk, the transparency page): requests to the
// hub with a device token when the page has one, building elements, and the kiosk lock-down.
(function (global) {
  'use strict';

  // api calls the hub's JSON API like AntreLive.api, with the device token (a tablet's or the
  // kiosk's) as a bearer token when one is given.
  function api(method, path, body, lang, token) {
    const sep = path.includes('?') ? '&' : '?';
    const init = { method: method, credentials: 'same-origin', cache: 'no-store', headers: {} };
    if (token) init.headers.Authorization = 'Bearer ' + token;
    if (body !== undefined) {
      init.headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    return fetch(path + sep + 'lang=' + (lang || 'id'), init).then((r) => {
      if (r.status === 204) return {};
      return r.json().catch(() => ({})).then((j) => {
        if (r.ok) return j;
        const e = new Error((j.error && j.error.message) || ('HTTP ' + r.status));
        e.status = r.status;
        e.code = j.error && j.error.code;
        throw e;
      });
    }, (err) => {
      const e = new Error(global.AntreLive.translator(lang === 'en' ? 'en' : 'id')('unreachable'));
      e.status = 0;
      e.cause = err;
      throw e;
    });
  }

  // h builds an element: h('li', {class: 'x', dataset: {k: 'v'}, onclick: f}, child, 'text').
  function h(tag, attrs, ...children) {
    const e = document.createElement(tag);
    Object.entries(attrs || {}).forEach(([k, v]) => {
      if (v == null || v === false) return;
      if (k === 'dataset') Object.assign(e.dataset, v);
      else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
      else if (k === 'class') e.className = v;
      else e.setAttribute(k, v === true ? '' : v);
    });
    children.flat().forEach((c) => { if (c != null && c !== false) e.append(c.nodeType ? c : String(c)); });
    return e;
  }

  // pick is a two-language text ({id, en}) in lang.
  function pick(text, lang) {
    if (!text) return '';
    return (lang === 'en' && text.en) ? text.en : (text.id || '');
  }

  // lockDown keeps a touch page from being left: no context menu, selection outside inputs,
  // dragging, zoom, browser shortcuts or function keys.
  function lockDown() {
    const field = (e) => e.target && e.target.closest && e.target.closest('input, textarea, select');
    for (const ev of ['contextmenu', 'dragstart', 'dragover', 'drop', 'gesturestart', 'auxclick']) {
      document.addEventListener(ev, (e) => e.preventDefault());
    }
    document.addEventListener('selectstart', (e) => { if (!field(e)) e.preventDefault(); });
    document.addEventListener('keydown', (e) => {
      if (e.ctrlKey || e.altKey || e.metaKey || /^F\d+$/.test(e.key) || e.key === 'Escape') e.preventDefault();
    });
    document.addEventListener('wheel', (e) => { if (e.ctrlKey) e.preventDefault(); }, { passive: false });
    document.addEventListener('touchmove', (e) => { if (e.touches.length > 1) e.preventDefault(); }, { passive: false });
    document.addEventListener('click', (e) => {
      const a = e.target.closest && e.target.closest('a[href]');
      if (a) e.preventDefault();
    }, true);
  }

  // idle calls back after ms without a touch or a key, again after every new touch or key.
  function idle(ms, back) {
    let timer = 0;
    const arm = () => { clearTimeout(timer); timer = setTimeout(back, ms); };
    for (const ev of ['pointerdown', 'keydown']) document.addEventListener(ev, arm, true);
    arm();
    return arm;
  }

  // fmtDate turns YYYY-MM-DD into DD-MM-YYYY, as Indonesians write dates.
  function fmtDate(d) { return d ? d.split('-').reverse().join('-') : ''; }

  // clock is HH:MM of an instant in time zone tz (the office's), with WIB/WITA/WIT.
  function clock(iso, tz) {
    try {
      return new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', hour12: false, timeZone: tz || undefined }).format(new Date(iso)) +
        (tz ? ' ' + global.AntreLive.zoneLabel(tz) : '');
    } catch (e) { return ''; }
  }

  global.AntreVoice = { api: api, h: h, pick: pick, lockDown: lockDown, idle: idle, fmtDate: fmtDate, clock: clock };
})(window);
