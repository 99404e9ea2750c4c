// live.js: the hub's live state in the browser, shared by the display (TV) and caller (officer)
// pages. AntreLive.Stream follows /ws with resume and backoff; AntreLive.Office folds a snapshot
// and the events after it into the office state the pages draw.
// AntreLive.translator gives a page its words from the one catalogue, which the page loads first
// (/static/texts.js?page=NAME,live: the page's entries and live.js's own).
(function (global) {
  'use strict';

  // lang is "en" when the page is asked for English (?lang=en, or the stored choice), else "id".
  function lang(storeKey) {
    const q = new URLSearchParams(location.search).get('lang');
    if (q) return q === 'en' ? 'en' : 'id';
    try {
      if (storeKey && localStorage.getItem(storeKey) === 'en') return 'en';
    } catch (e) { /* storage may be disabled */ }
    return 'id';
  }

  // translator returns t(key, ...args) in language current over the words of the catalogue the
  // page loaded before its scripts (/static/texts.js?page=NAME,live sets window.ANTRE_TEXTS);
  // "{0}", "{1}" are replaced by the arguments. A key the catalogue lacks shows as itself.
  function translator(current) {
    const words = (global.ANTRE_TEXTS && global.ANTRE_TEXTS[current]) || {};
    return function t(key, ...args) {
      let s = typeof words[key] === 'string' ? words[key] : key;
      args.forEach((a, i) => { s = s.split('{' + i + '}').join(String(a)); });
      return s;
    };
  }

  // deviceToken is a device page's token: from the admin console's pairing address
  // (#token=…, a fragment the browser never sends to the hub, so no request line or log holds
  // it), which is kept in this browser under storeKey and cleared from the address bar; else
  // ?token= (a device started with its address); else the token kept before.
  function deviceToken(storeKey) {
    const frag = new URLSearchParams(location.hash.replace(/^#/, '')).get('token');
    if (frag) {
      try { localStorage.setItem(storeKey, frag); } catch (e) { /* storage may be disabled */ }
      history.replaceState(null, '', location.pathname + location.search);
      return frag;
    }
    const q = new URLSearchParams(location.search).get('token');
    if (q) return q;
    try { return localStorage.getItem(storeKey) || ''; } catch (e) { return ''; }
  }

  // now is the current time corrected by the hub's clock (see Stream.probe).
  let skewMs = 0;
  function now() { return Date.now() + skewMs; }

  // zoneLabel names Indonesia's three time zones as people say them; other zones by their name.
  function zoneLabel(tz) {
    const wib = ['Asia/Jakarta', 'Asia/Pontianak'];
    const wita = ['Asia/Makassar', 'Asia/Ujung_Pandang'];
    if (wib.includes(tz)) return 'WIB';
    if (wita.includes(tz)) return 'WITA';
    if (tz === 'Asia/Jayapura') return 'WIT';
    return tz || '';
  }

  // localDate is the YYYY-MM-DD date of instant ms in time zone tz.
  function localDate(ms, tz) {
    try {
      return new Intl.DateTimeFormat('en-CA', { timeZone: tz || undefined, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(ms));
    } catch (e) {
      return new Date(ms).toISOString().slice(0, 10);
    }
  }

  // Stream follows the hub's event stream. Every message carries its event id; a reconnect asks
  // for the events after the last one seen (?since=ID) and the hub answers with exactly those,
  // or with a fresh snapshot when it cannot. Reconnects back off exponentially with jitter.
  // A "replaced" close (another tab or screen took this display's token) stops reconnecting,
  // so two tabs never fight over one token; takeOver() connects again on request.
  //
  // opts: token (device token; officers use their session cookie), since (resume point),
  // maxDelay (ms), onMessage(msg), onState(state, detail). States: connecting, open, waiting,
  // replaced, unauthorized, stopped.
  class Stream {
    constructor(opts) {
      this.opts = Object.assign({ maxDelay: 15000 }, opts);
      this.lastId = opts.since == null ? null : opts.since;
      this.attempt = 0;
      this.ws = null;
      this.timer = 0;
      this.state = 'stopped';
      this.connects = 0;
      this.lastMessageAt = 0;
    }

    url() {
      const p = new URLSearchParams();
      if (this.opts.token) p.set('token', this.opts.token);
      if (this.lastId != null) p.set('since', String(this.lastId));
      const q = p.toString();
      return (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/ws' + (q ? '?' + q : '');
    }

    setState(s, detail) {
      this.state = s;
      if (this.opts.onState) this.opts.onState(s, detail || {});
    }

    start() {
      this.stopped = false;
      this.connect();
    }

    stop() {
      this.stopped = true;
      clearTimeout(this.timer);
      this.drop();
      this.setState('stopped');
    }

    // drop closes the current socket without reacting to its close.
    drop() {
      const ws = this.ws;
      this.ws = null;
      if (ws) {
        ws.onclose = null;
        ws.onmessage = null;
        try { ws.close(); } catch (e) { /* already closed */ }
      }
      clearInterval(this.keepalive);
    }

    connect() {
      clearTimeout(this.timer);
      this.drop();
      this.setState('connecting');
      this.connects++;
      let opened = false;
      const ws = new WebSocket(this.url());
      this.ws = ws;
      ws.onopen = () => {
        opened = true;
        this.setState('open');
        // The hub ignores what clients send; a small message every 20 s makes a dead TCP
        // connection fail (and close) instead of hanging silently.
        this.keepalive = setInterval(() => { if (ws.readyState === 1) ws.send('.'); }, 20000);
      };
      ws.onmessage = (e) => {
        let msg;
        try { msg = JSON.parse(e.data); } catch (err) { return; }
        if (msg.type !== 'snapshot' && this.lastId != null && msg.id <= this.lastId) return;
        this.lastId = msg.id;
        this.lastMessageAt = Date.now();
        this.attempt = 0;
        this.opts.onMessage(msg);
      };
      ws.onclose = (e) => {
        clearInterval(this.keepalive);
        if (this.ws !== ws) return;
        this.ws = null;
        if (this.stopped) return;
        if (e.code === 1008 && /^replaced/.test(e.reason || '')) {
          this.setState('replaced');
          return;
        }
        if (opened) {
          this.retry();
          return;
        }
        this.probe().then((status) => {
          if (this.ws || this.stopped) return;
          if (status === 401 || status === 403) this.setState('unauthorized');
          else this.retry();
        });
      };
    }

    // probe asks the hub who this client is; it answers the HTTP status (0 when unreachable)
    // and corrects the page clock by the hub's Date header.
    probe() {
      const headers = this.opts.token ? { Authorization: 'Bearer ' + this.opts.token } : {};
      const sent = Date.now();
      return fetch('/api/v1/me', { cache: 'no-store', credentials: 'same-origin', headers: headers }).then((r) => {
        noteServerDate(r, sent);
        return r.status;
      }, () => 0);
    }

    retry() {
      const ceiling = Math.min(this.opts.maxDelay, 500 * Math.pow(2, this.attempt));
      const delay = Math.round(ceiling * (0.5 + Math.random() * 0.5));
      this.attempt++;
      this.setState('waiting', { delay: delay });
      this.timer = setTimeout(() => this.connect(), delay);
    }

    // resync drops the resume point and reconnects, so the hub sends a full snapshot.
    resync() {
      this.lastId = null;
      if (!this.stopped) this.connect();
    }

    // reconnect connects again at once from the last event id (after a suspected dead socket).
    reconnect() {
      if (!this.stopped && this.state !== 'replaced' && this.state !== 'unauthorized') this.connect();
    }

    // takeOver connects after a "replaced" close, taking the token back from the other tab.
    takeOver() {
      this.attempt = 0;
      this.stopped = false;
      this.connect();
    }
  }

  // noteServerDate corrects the page clock when it is more than two seconds off the hub's
  // (Date has whole seconds); sent is Date.now() when the request left.
  function noteServerDate(resp, sent) {
    const d = Date.parse(resp.headers.get('Date') || '');
    if (isNaN(d)) return;
    const local = (sent + Date.now()) / 2;
    const s = d + 500 - local;
    skewMs = Math.abs(s) > 2000 ? s : 0;
  }

  // Office is the office state of one business date, built from a snapshot and then kept current
  // by applying each later event, exactly as the hub changed it:
  //   groups: code → {code, name_id, name_en, quota, used}; remaining = quota − used per pool
  //   waitCount: group (the queue) → how many tickets wait in it: the snapshot's counts, then
  //     each event's change (events say which state a ticket came "from")
  //   counters: number → {number, name, groups, current: {code, group, status, ...} | null}
  //   recent: the latest calls and recalls, newest first, one entry per ticket
  //   alerts: "device|kind" → {device, kind, message, at}
  //   printFailed: ticket code → {code, group, detail, at}
  class Office {
    constructor(recentMax) {
      this.recentMax = recentMax || 10;
      this.loaded = false;
      this.prefixes = {};
    }

    // setGroupsInfo records each group's ticket prefix (from /api/v1/office), so a ticket's own
    // group is known when its quota pool changes; by default the prefix is the group code.
    setGroupsInfo(groups) {
      (groups || []).forEach((g) => { this.prefixes[g.prefix] = g.code; });
    }

    groupOfCode(code) {
      const p = (code || '').charAt(0).toUpperCase();
      return this.prefixes[p] || p;
    }

    load(snap) {
      this.loaded = true;
      this.lastId = snap.last_event_id;
      this.office = snap.office;
      this.officeName = snap.office_name;
      this.timeZone = snap.time_zone;
      this.businessDate = snap.business_date;
      this.groups = new Map();
      (snap.groups || []).forEach((g) => {
        this.groups.set(g.group, { code: g.group, name_id: g.name_id, name_en: g.name_en, quota: Object.assign({}, g.quota), used: Object.assign({}, g.used) });
      });
      this.waitCount = new Map();
      (snap.groups || []).forEach((g) => this.waitCount.set(g.group, g.waiting || 0));
      this.counters = new Map();
      (snap.counters || []).forEach((c) => {
        this.counters.set(c.number, { number: c.number, name: c.name, groups: c.groups || [], current: c.current ? ticketOf(c.current) : null });
      });
      this.recent = [];
      (snap.recent_calls || []).forEach((e) => this.remember(e, false));
      this.alerts = new Map();
      (snap.alerts || []).forEach((a) => this.alerts.set(a.device + '|' + a.kind, a));
      this.printFailed = new Map();
      this.printSettled = new Set();
    }

    // addHeld adds tickets whose print failed before the state was loaded (the hub's
    // /api/v1/tickets/held), except those the stream has since seen printed, called or cancelled.
    addHeld(tickets) {
      (tickets || []).forEach((t) => {
        if (t.status === 'waiting' && !this.printSettled.has(t.code) && !this.printFailed.has(t.code)) {
          this.printFailed.set(t.code, { code: t.code, group: t.group, detail: '', at: t.issued_at, device: t.issued_by || '' });
        }
      });
    }

    settlePrint(code) {
      this.printFailed.delete(code);
      this.printSettled.add(code);
    }

    // remember adds a call or recall to the recent list, newest first, once per ticket.
    remember(e, newest) {
      const entry = { id: e.id, code: e.ticket, counter: e.counter, group: e.group, at: e.at, recall: e.type === 'ticket.recalled' };
      this.recent = this.recent.filter((r) => r.code !== entry.code);
      if (newest) this.recent.unshift(entry);
      else this.recent.push(entry);
      this.recent.length = Math.min(this.recent.length, this.recentMax);
    }

    // apply folds one event into the state; it returns false for events before the snapshot.
    apply(e) {
      if (!this.loaded || e.id <= this.lastId) return false;
      this.lastId = e.id;
      const d = e.data || {};
      const code = e.ticket;
      switch (e.type) {
        case 'ticket.issued': {
          this.countWaiting(e.group, 1);
          const g = this.groups.get(e.group);
          if (g && d.pool) g.used[d.pool] = (g.used[d.pool] || 0) + 1;
          break;
        }
        case 'ticket.called':
        case 'ticket.recalled':
          if (e.type === 'ticket.called') this.countWaiting(e.group, -1);
          this.settlePrint(code); // the applicant came with the number after all
          this.release(code);
          this.setCurrent(e.counter, { code: code, group: e.group, status: 'called', called_at: e.at, called_by: e.actor });
          this.remember(e, true);
          break;
        case 'ticket.started': {
          const c = this.counters.get(e.counter);
          if (c && c.current && c.current.code === code) c.current.status = 'serving';
          break;
        }
        case 'ticket.finished':
        case 'ticket.no_show':
          this.release(code);
          break;
        case 'ticket.transferred':
        case 'ticket.reactivated': {
          this.release(code);
          if (e.type === 'ticket.transferred' && d.from === 'waiting') this.countWaiting(d.from_group || e.group, -1);
          this.countWaiting(e.group, 1);
          break;
        }
        case 'ticket.cancelled':
          if (d.from === 'waiting') this.countWaiting(e.group, -1);
          this.release(code);
          this.settlePrint(code);
          break;
        case 'ticket.dispensation': {
          const g = this.groups.get(this.groupOfCode(code));
          if (g && d.from_pool && d.from_pool !== 'priority') {
            g.used[d.from_pool] = Math.max((g.used[d.from_pool] || 0) - 1, 0);
            g.used.priority = (g.used.priority || 0) + 1;
          }
          break;
        }
        case 'ticket.printed':
          this.settlePrint(code);
          break;
        case 'ticket.print_failed':
          this.printSettled.delete(code);
          this.printFailed.set(code, { code: code, group: e.group, detail: d.detail || '', at: e.at, device: e.actor });
          break;
        case 'quota.changed': {
          if (d.date && d.date !== this.businessDate) break; // a coming day's quota, not today's
          const g = this.groups.get(e.group);
          if (g) g.quota = { walkin: d.walkin || 0, online: d.online || 0, priority: d.priority || 0 };
          break;
        }
        case 'counter.changed': {
          // an admin renamed the counter or changed the groups it serves
          const c = this.counters.get(e.counter);
          if (c) { c.name = d.name || c.name; c.groups = d.groups || c.groups; }
          break;
        }
        case 'device.alert':
          this.alerts.set(e.actor + '|' + d.kind, { device: e.actor, kind: d.kind, message: d.message, at: Date.parse(e.at) });
          break;
        case 'device.alert_cleared':
          this.alerts.delete(e.actor + '|' + d.kind);
          break;
      }
      return true;
    }

    setCurrent(counter, t) {
      let c = this.counters.get(counter);
      if (!c) {
        c = { number: counter, name: '', groups: [], current: null };
        this.counters.set(counter, c);
      }
      c.current = t;
    }

    // release takes a ticket off whichever counter holds it.
    release(code) {
      this.counters.forEach((c) => { if (c.current && c.current.code === code) c.current = null; });
    }

    // countWaiting changes the number of tickets waiting in group's queue by delta.
    countWaiting(group, delta) {
      this.waitCount.set(group, Math.max((this.waitCount.get(group) || 0) + delta, 0));
    }

    // waitingIn is the number of tickets waiting in group's queue.
    waitingIn(group) {
      return this.waitCount.get(group) || 0;
    }

    // remaining is what an applicant who walks in can still get in group today, the figure
    // every page shows, as the kiosk does: the walk-in pool's numbers left (left) of its
    // quota (total). pools breaks the day down per pool for officers: {walkin, online,
    // priority}, each {left, total}.
    remaining(group) {
      const g = this.groups.get(group);
      const pools = {};
      ['walkin', 'online', 'priority'].forEach((p) => {
        const q = g ? g.quota[p] || 0 : 0;
        pools[p] = { left: Math.max(q - ((g && g.used[p]) || 0), 0), total: q };
      });
      return { left: pools.walkin.left, total: pools.walkin.total, pools: pools };
    }
  }

  // ticketOf keeps the fields of a hub ticket that the pages show.
  function ticketOf(t) {
    return {
      code: t.code, group: t.queue_group || t.group, status: t.status, category: t.category || '', pool: t.pool,
      issued_at: t.issued_at, called_at: t.called_at, started_at: t.started_at, recalls: t.recalls || 0, called_by: t.called_by || '',
    };
  }

  // api calls the hub's JSON API in the page's language and resolves to the decoded body; a
  // refusal rejects with an Error whose message is the hub's (Indonesian by default) and whose
  // status and code are the HTTP status and the application code.
  function api(method, path, body, language) {
    const sep = path.includes('?') ? '&' : '?';
    const url = path + sep + 'lang=' + (language || 'id');
    const init = { method: method, credentials: 'same-origin', cache: 'no-store', headers: {} };
    if (body !== undefined) {
      init.headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    return fetch(url, init).then((r) => {
      if (r.status === 204) return {};
      return r.json().catch(() => ({})).then((j) => {
        if (r.ok) return j;
        const e = new Error((j.error && j.error.message) || ('HTTP ' + r.status));
        e.status = r.status;
        e.code = j.error && j.error.code;
        throw e;
      });
    }, (err) => {
      const t = translator(language === 'en' ? 'en' : 'id');
      const e = new Error(t('unreachable'));
      e.status = 0;
      e.cause = err;
      throw e;
    });
  }

  global.AntreLive = { Stream: Stream, Office: Office, api: api, lang: lang, translator: translator, deviceToken: deviceToken, now: now, zoneLabel: zoneLabel, localDate: localDate, noteServerDate: noteServerDate };
})(window);
