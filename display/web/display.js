// display.js: the waiting-room TV. It follows the hub's stream (live.js), draws the current call,
// the previous calls, waiting counts and the walk-in quota left per group, the running text, the
// clock and the media playlist, and speaks every call and recall, one after another.
(function () {
  'use strict';
  const L = window.AntreLive;
  const params = new URLSearchParams(location.search);
  // The device token: the admin console's pairing address (#token=…), ?token=, or the one kept
  // (see AntreLive.deviceToken).
  const token = L.deviceToken('antre-display-token');
  const $ = (id) => document.getElementById(id);

  // STALE_MS: a call older than this when it reaches the page (after a long outage) is shown
  // but not spoken. LOST_MS: after this long without a connection the page says so.
  const STALE_MS = 120000;
  const LOST_MS = 8000;

  let lang = L.lang();
  let t = L.translator(lang);
  let settings = {};
  let runningText = [];
  const office = new L.Office(10);

  // Test and monitoring hooks: what the page showed and played, and when.
  const probe = {
    shown: [],
    waiters: [],
    audio: { queued: 0, started: 0, ended: 0, failed: 0, skipped: 0, blocked: false, playing: false },
    played: [], // {url, start, end} of the latest announcements, oldest first
    errors: [], // script errors, for tests and for whoever looks at the screen's console
    snapshots: 0, // full resyncs; a resumed connection takes none
  };
  window.addEventListener('error', (e) => { probe.errors.push(String(e.message)); if (probe.errors.length > 20) probe.errors.shift(); });

  function applyTexts() {
    document.documentElement.lang = lang;
    document.querySelectorAll('[data-t]').forEach((el) => { el.textContent = t(el.dataset.t); });
  }

  function setLayout() {
    const want = params.get('layout') || settings.layout;
    const portrait = want ? want === 'portrait' : window.matchMedia('(orientation: portrait)').matches;
    document.documentElement.classList.toggle('portrait', portrait);
    document.body.classList.toggle('portrait', portrait);
    document.body.classList.toggle('landscape', !portrait);
    measureRows();
    renderTicker(true);
  }

  // shows reports whether this display shows calls of group at counter (its device settings).
  function shows(group, counter) {
    const gs = settings.groups, cs = settings.counters;
    if (Array.isArray(gs) && gs.length && !gs.includes(group)) return false;
    if (Array.isArray(cs) && cs.length && counter && !cs.includes(counter)) return false;
    return true;
  }

  function shownGroups() {
    const all = Array.from(office.groups.values());
    const gs = settings.groups;
    return Array.isArray(gs) && gs.length ? all.filter((g) => gs.includes(g.code)) : all;
  }

  function soundOn() {
    if (params.get('sound') === '0' || params.get('sound') === 'off') return false;
    return settings.sound !== false;
  }

  // ---- Drawing -------------------------------------------------------------------------------

  function calls() { return office.loaded ? office.recent.filter((r) => shows(r.group, r.counter)) : []; }

  // fitRows is how many previous calls fit the list on this screen; it is measured when the
  // layout changes, so drawing a call never waits for a layout.
  let fitRows = 8;

  function renderCalls() {
    const list = calls();
    const cur = list[0];
    setText($('current-code'), cur ? cur.code : '—');
    setText($('current-counter'), cur ? String(cur.counter) : '—');
    $('current-recall').hidden = !(cur && cur.recall);
    // Rows are kept when they stay: a new call usually adds one row on top and drops one at the
    // bottom, and the rows in between (layers of their own) move without being drawn again.
    const ol = $('recent');
    const want = list.slice(1, 1 + fitRows);
    const keys = want.map(rowKey);
    Array.from(ol.children).forEach((li) => { if (!keys.includes(li.dataset.key)) li.remove(); });
    want.forEach((r, i) => {
      const at = ol.children[i];
      if (!at || at.dataset.key !== keys[i]) ol.insertBefore(recentRow(r), at || null);
    });
    while (ol.children.length > want.length) ol.lastElementChild.remove();
    $('recent-empty').hidden = list.length > 1;
  }

  function rowKey(r) { return r.code + '@' + r.counter + (r.recall ? 'r' : ''); }

  function recentRow(r) {
    const li = document.createElement('li');
    li.dataset.key = rowKey(r);
    if (r.recall) li.className = 'recall';
    const code = document.createElement('span');
    code.className = 'code';
    code.textContent = r.code;
    const to = document.createElement('span');
    to.className = 'to';
    to.textContent = t('counter');
    const b = document.createElement('b');
    b.textContent = r.counter;
    to.appendChild(b);
    li.append(code, to);
    return li;
  }

  // measureRows fills the list with sample rows and keeps the number that fit the panel.
  function measureRows() {
    const ol = $('recent');
    ol.textContent = '';
    for (let i = 0; i < 8; i++) ol.appendChild(recentRow({ code: 'A000', counter: 88 + i }));
    const bottom = ol.parentElement.getBoundingClientRect().bottom;
    fitRows = Array.from(ol.children).filter((li) => li.getBoundingClientRect().bottom <= bottom + 1).length;
    ol.textContent = '';
    renderCalls();
  }

  // setText changes an element's text only when it differs, so nothing unchanged is repainted.
  function setText(el, s) {
    if (el.textContent !== s) el.textContent = s;
  }

  // flash blinks the new call's number and counter twice, starting after it has been seen. It
  // switches a class rather than running a CSS animation, so the screen changes four times, not
  // sixty times a second.
  let flashTimer = 0;
  function flash() {
    const el = $('call');
    let n = 0;
    clearInterval(flashTimer);
    el.classList.remove('dim');
    flashTimer = setInterval(() => {
      n++;
      el.classList.toggle('dim', n % 2 === 1);
      if (n >= 4) clearInterval(flashTimer);
    }, 450);
  }

  // buildGroups makes one tile per shown group; updateGroups fills in their figures.
  function buildGroups() {
    const box = $('groups');
    box.textContent = '';
    if (!office.loaded) return;
    shownGroups().forEach((g) => {
      const div = document.createElement('div');
      div.className = 'group';
      div.dataset.group = g.code;
      div.innerHTML = '<div class="head-row"><div class="letter"></div><div class="name"></div></div>' +
        '<div class="stat waiting"><div class="k"></div><div class="v"></div></div>' +
        '<div class="stat remaining"><div class="k"></div><div class="v"><span></span><small></small></div></div><div class="bar"><i></i></div>';
      div.querySelector('.letter').textContent = g.code;
      div.querySelector('.name').textContent = lang === 'en' && g.name_en ? g.name_en : g.name_id;
      div.querySelector('.waiting .k').textContent = t('waiting');
      div.querySelector('.remaining .k').textContent = t('remaining');
      box.appendChild(div);
    });
    updateGroups();
  }

  function updateGroups() {
    document.querySelectorAll('#groups .group').forEach((div) => {
      const code = div.dataset.group;
      const r = office.remaining(code);
      const cls = 'group' + (r.left === 0 ? ' out' : r.left <= r.total * 0.2 ? ' low' : '');
      if (div.className !== cls) div.className = cls;
      setText(div.querySelector('.waiting .v'), String(office.waitingIn(code)));
      setText(div.querySelector('.remaining .v span'), String(r.left));
      setText(div.querySelector('.remaining .v small'), ' / ' + r.total);
      const w = (r.total ? Math.round(100 * r.left / r.total) : 0) + '%';
      const bar = div.querySelector('.bar i');
      if (bar.style.width !== w) bar.style.width = w;
    });
  }

  // ---- Running text ------------------------------------------------------------------------------
  // Two ways to run it: "scroll", one line moving right to left without end, as on the LED
  // running-text boards offices know (the default); or "paged", one message at a time, held
  // still and moved only when longer than the screen, for screens that prefer less motion
  // (prefers-reduced-motion, or the device setting ticker: "paged") and for weak PCs, since a
  // still page costs nothing to draw. Either way new texts start with the next pass, so nothing
  // jumps while it is being read.

  const TICKER_SPEED = 7; // rem per second
  const ticker = { items: [], pending: null, key: '', page: 0, timer: 0, moveTimer: 0 };

  function tickerMode() {
    if (settings.ticker === 'paged' || settings.ticker === 'scroll') return settings.ticker;
    return window.matchMedia('(prefers-reduced-motion: reduce)').matches ? 'paged' : 'scroll';
  }

  // tickerItems are the messages: the day's quota broadcast (each group's walk-in quota and
  // what remains of it, what an applicant arriving now can still get; one message per group
  // when paged), then the configured texts.
  function tickerItems() {
    const quota = !office.loaded ? [] : shownGroups().map((g) => {
      const r = office.remaining(g.code);
      const name = lang === 'en' && g.name_en ? g.name_en : g.name_id;
      return g.code + ' (' + name + ') ' + r.total + ', ' + (r.left ? t('left', r.left) : t('used_up'));
    });
    let q = [];
    if (quota.length && tickerMode() === 'paged') q = quota.map((x) => t('quota_today') + ' · ' + x);
    else if (quota.length) q = [t('quota_today') + ': ' + quota.join('; ') + '.'];
    return q.concat(runningText).filter(Boolean);
  }

  function renderTicker(force) {
    const items = tickerItems();
    const key = tickerMode() + '\u0000' + items.join('\u0000');
    if (key === ticker.key && !force) return;
    ticker.key = key;
    ticker.pending = items;
    if (force || !ticker.items.length) startTicker();
  }

  // startTicker begins a pass with the newest messages.
  function startTicker() {
    clearTimeout(ticker.timer);
    clearTimeout(ticker.moveTimer);
    if (ticker.pending) ticker.items = ticker.pending;
    ticker.pending = null;
    ticker.page = 0;
    const el = $('ticker');
    el.classList.remove('scrolling', 'paged');
    el.style.transition = 'none';
    el.style.transform = '';
    if (tickerMode() === 'scroll') scrollPass(el);
    else showPage(el);
  }

  function tickerRem() { return parseFloat(getComputedStyle(document.documentElement).fontSize) || 16; }

  function scrollPass(el) {
    el.textContent = '';
    ticker.items.forEach((s, i) => {
      if (i) {
        const sep = document.createElement('span');
        sep.className = 'sep';
        sep.textContent = '•';
        el.appendChild(sep);
      }
      el.appendChild(document.createTextNode(s));
    });
    const win = el.parentElement.clientWidth;
    el.style.setProperty('--ticker-from', win + 'px');
    el.style.setProperty('--ticker-to', -el.scrollWidth + 'px');
    el.style.setProperty('--ticker-duration', ((win + el.scrollWidth) / (TICKER_SPEED * tickerRem())).toFixed(1) + 's');
    void el.offsetWidth;
    el.classList.add('scrolling');
  }
  $('ticker').addEventListener('animationiteration', () => { if (ticker.pending) startTicker(); });

  // showPage shows message ticker.page: still for a while, or, when longer than the screen,
  // still, then moved once to its end, then still again; then the next message.
  function showPage(el) {
    if (!ticker.items.length) {
      el.textContent = '';
      return;
    }
    el.classList.add('paged');
    el.style.transition = 'none';
    el.style.transform = 'translateX(0)';
    el.textContent = ticker.items[ticker.page];
    const over = el.scrollWidth - el.parentElement.clientWidth;
    let hold = 7000;
    if (over > 0) {
      const move = over / (TICKER_SPEED * tickerRem()) * 1000;
      ticker.moveTimer = setTimeout(() => {
        el.style.transition = 'transform ' + Math.round(move) + 'ms linear';
        el.style.transform = 'translateX(' + -over + 'px)';
      }, 2500);
      hold = 2500 + move + 2500;
    }
    ticker.timer = setTimeout(() => {
      ticker.page++;
      if (ticker.page >= ticker.items.length) {
        ticker.page = 0;
        if (ticker.pending) ticker.items = ticker.pending;
        ticker.pending = null;
      }
      showPage(el);
    }, hold);
  }

  function renderAll() {
    $('office-name').textContent = office.officeName || '';
    drawClock();
    buildGroups();
    measureRows();
    renderTicker(false);
  }

  // ---- The clock, in the office's time zone ------------------------------------------------------

  // The clock shows hours and minutes, so the screen changes once a minute, not every second.
  let lastResync = 0;
  function drawClock() {
    const tz = office.timeZone || undefined;
    const n = new Date(L.now());
    const locale = lang === 'en' ? 'en-GB' : 'id-ID';
    try {
      setText($('date'), new Intl.DateTimeFormat(locale, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', timeZone: tz }).format(n));
      setText($('time'), new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', hour12: false, timeZone: tz }).format(n));
    } catch (e) { /* an unknown zone: keep the last drawing */ }
    setText($('zone'), L.zoneLabel(office.timeZone));
    return n;
  }

  function tick() {
    const n = drawClock();
    // A new business date starts at the office's midnight: take the hub's new snapshot.
    if (office.loaded && L.localDate(n.getTime(), office.timeZone) > office.businessDate && Date.now() - lastResync > 60000) {
      lastResync = Date.now();
      stream.resync();
    }
    renderConn();
    setTimeout(tick, 1000 - (L.now() % 1000) + 5);
  }

  // ---- Connection state ----------------------------------------------------------------------------

  let connState = 'connecting';
  let downSince = Date.now();

  function renderConn() {
    let s = connState;
    if (s !== 'open' && s !== 'replaced' && s !== 'unauthorized' && Date.now() - downSince > LOST_MS) s = 'lost';
    const el = $('conn');
    if (el.dataset.state !== s) el.dataset.state = s;
    setText($('conn-text'), t('conn_' + s));
    const banner = $('banner');
    if (banner.hidden !== (s !== 'lost')) banner.hidden = s !== 'lost';
    if (s === 'lost') {
      banner.textContent = t('lost_banner', new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false, timeZone: office.timeZone || undefined }).format(new Date(downSince)));
    }
  }

  function overlay(kind, button) {
    const box = $('overlay');
    if (!kind) {
      box.hidden = true;
      return;
    }
    $('overlay-title').textContent = t(kind + '_title');
    $('overlay-text').textContent = t(kind + '_text');
    const b = $('overlay-button');
    b.hidden = !button;
    if (button) {
      b.textContent = t(button.label);
      b.onclick = button.action;
    }
    box.hidden = false;
  }

  function onState(s) {
    if (s === 'open' && connState !== 'open') overlay(null);
    if (s !== 'open' && connState === 'open') downSince = Date.now();
    connState = s;
    if (s === 'replaced') overlay('replaced', { label: 'take_over', action: () => { overlay(null); stream.takeOver(); } });
    if (s === 'unauthorized') overlay('unauthorized');
    renderConn();
  }

  // ---- Messages from the hub --------------------------------------------------------------------

  function onMessage(msg) {
    if (msg.type === 'snapshot') {
      probe.snapshots++;
      office.load(msg.snapshot);
      settings = msg.device && typeof msg.device === 'object' ? msg.device : {};
      const d = msg.display || {};
      // DisplayConfig travels with the field names the hub gives it.
      runningText = d.running_text || d.RunningText || [];
      if (!params.get('lang') && (settings.lang === 'en' || settings.lang === 'id') && settings.lang !== lang) {
        lang = settings.lang;
        t = L.translator(lang);
        applyTexts();
      }
      setLayout();
      loadMedia();
      renderAll();
      return;
    }
    if (!office.apply(msg)) return;
    if (msg.type === 'display.changed') {
      // an admin changed the running text: it runs at once
      runningText = (msg.data && msg.data.running_text) || [];
      renderTicker(true);
      return;
    }
    const call = msg.type === 'ticket.called' || msg.type === 'ticket.recalled';
    if (call && shows(msg.group, msg.counter)) {
      renderCalls();
      markShown(msg);
      flash();
      if (L.now() - Date.parse(msg.at) < STALE_MS) announce(msg.ticket, msg.counter);
      else probe.audio.skipped++;
    }
    updateGroups();
    renderTicker(false);
  }

  // markShown records when a call was drawn and when the frame showing it was done: a task
  // posted from the frame's animation callback runs once that frame has been painted.
  const afterFrame = new MessageChannel();
  const painted = [];
  afterFrame.port1.onmessage = () => {
    const rec = painted.shift();
    rec.painted = performance.timeOrigin + performance.now();
    probe.waiters = probe.waiters.filter((w) => {
      if (w.code !== rec.code) return true;
      w.resolve(rec);
      return false;
    });
  };
  function markShown(msg) {
    const rec = { id: msg.id, code: msg.ticket, counter: msg.counter, applied: performance.timeOrigin + performance.now(), painted: 0 };
    probe.shown.push(rec);
    if (probe.shown.length > 500) probe.shown.shift();
    requestAnimationFrame(() => {
      painted.push(rec);
      afterFrame.port2.postMessage(0);
    });
  }

  // ---- Announcements: one audio element, one announcement at a time ------------------------------

  const player = $('announcer');
  const queue = [];
  let current = null;

  function announce(code, counter) {
    if (!soundOn()) return;
    let url = '/display/announce?code=' + encodeURIComponent(code) + '&counter=' + counter;
    if (settings.digits) url += '&digits=1';
    queue.push({ url: url, at: Date.now() });
    if (queue.length > 20) queue.shift();
    probe.audio.queued++;
    pump();
  }

  function pump() {
    while (queue.length && Date.now() - queue[0].at > STALE_MS) {
      queue.shift();
      probe.audio.skipped++;
    }
    if (current || probe.audio.blocked || !queue.length) return;
    const item = queue.shift();
    current = item;
    probe.audio.playing = true;
    item.guard = setTimeout(() => done(item, 'failed'), 30000); // a player that never ends
    player.src = item.url;
    player.play().then(() => {
      if (current !== item) return;
      probe.audio.started++;
      item.start = performance.timeOrigin + performance.now();
    }, (err) => {
      if (current !== item) return;
      if (err && err.name === 'NotAllowedError') {
        clearTimeout(item.guard);
        current = null;
        probe.audio.playing = false;
        queue.unshift(item);
        probe.audio.blocked = true;
        $('sound-button').hidden = false;
        document.body.classList.add('show-cursor');
        return;
      }
      done(item, 'failed');
    });
  }

  function done(item, how) {
    if (current !== item) return;
    clearTimeout(item.guard);
    probe.played.push({ url: item.url, start: item.start || 0, end: performance.timeOrigin + performance.now(), how: how });
    if (probe.played.length > 50) probe.played.shift();
    current = null;
    probe.audio.playing = false;
    probe.audio[how]++;
    pump();
  }

  player.addEventListener('ended', () => { if (current) done(current, 'ended'); });
  player.addEventListener('error', () => { if (current) done(current, 'failed'); });
  $('sound-button').addEventListener('click', () => {
    probe.audio.blocked = false;
    $('sound-button').hidden = true;
    document.body.classList.remove('show-cursor');
    pump();
  });

  // ---- Media playlist -----------------------------------------------------------------------------

  let playlist = [];
  let mediaIndex = -1;
  let mediaTimer = 0;
  let mediaLoadTimer = 0;

  function loadMedia() {
    clearTimeout(mediaLoadTimer);
    mediaLoadTimer = setTimeout(loadMedia, 5 * 60000);
    if (settings.media === false) return setPlaylist([]);
    fetch('/display/media/', { cache: 'no-store' }).then((r) => (r.ok ? r.json() : { items: [] })).then((j) => setPlaylist(j.items || []), () => {});
  }

  function setPlaylist(items) {
    const same = JSON.stringify(items) === JSON.stringify(playlist);
    playlist = items;
    const has = items.length > 0;
    if (document.body.classList.contains('has-media') !== has) {
      document.body.classList.toggle('has-media', has);
      document.body.classList.toggle('no-media', !has);
      measureRows();
      renderTicker(true);
    }
    if (!same) {
      mediaIndex = -1;
      nextMedia();
    }
  }

  // mediaImg is the media area's image, made when the playlist first shows one: an <img> in
  // the page before then would have no src, which HTML does not allow.
  function mediaImg() {
    let img = $('media-img');
    if (img) return img;
    img = document.createElement('img');
    img.id = 'media-img';
    img.alt = '';
    img.hidden = true;
    img.addEventListener('error', () => { clearTimeout(mediaTimer); mediaTimer = setTimeout(nextMedia, 3000); });
    $('media').insertBefore(img, $('media-video'));
    return img;
  }

  function nextMedia() {
    clearTimeout(mediaTimer);
    const img = $('media-img'), vid = $('media-video');
    if (!playlist.length) {
      if (img) img.hidden = true;
      vid.hidden = true;
      vid.removeAttribute('src');
      return;
    }
    mediaIndex = (mediaIndex + 1) % playlist.length;
    const item = playlist[mediaIndex];
    const seconds = Number(settings.media_seconds) > 0 ? Number(settings.media_seconds) : 12;
    if (item.type === 'video') {
      if (img) img.hidden = true;
      vid.hidden = false;
      vid.src = item.url;
      vid.play().catch(() => {});
      mediaTimer = setTimeout(nextMedia, 15 * 60000); // a video that never ends
    } else {
      vid.hidden = true;
      vid.pause();
      const shown = mediaImg();
      shown.src = item.url;
      shown.hidden = false;
      mediaTimer = setTimeout(nextMedia, seconds * 1000);
    }
  }
  $('media-video').addEventListener('ended', () => (playlist.length === 1 ? $('media-video').play().catch(() => {}) : nextMedia()));
  $('media-video').addEventListener('error', () => { clearTimeout(mediaTimer); mediaTimer = setTimeout(nextMedia, 3000); });

  // ---- Watchdog --------------------------------------------------------------------------------
  // Every 10 s: a socket that looks open but whose hub stopped answering is reconnected; a page
  // that cannot reconnect for three minutes, or whose drawing stopped, reloads itself once the
  // hub serves the page again (so it never reloads into an error page); after the machine slept,
  // the stream resumes from its last event.

  let lastBeat = Date.now();
  let frameAsked = 0; // when the watchdog asked for a frame that has not come yet
  let healthFails = 0;
  let lastHealth = 0;

  function reloadWhenServed() {
    fetch(location.href, { method: 'HEAD', cache: 'no-store' }).then((r) => { if (r.ok) location.reload(); }, () => {});
  }

  function watchdog() {
    const nowMs = Date.now();
    const late = nowMs - lastBeat > 30000;
    lastBeat = nowMs;
    if (connState === 'replaced' || connState === 'unauthorized') return;
    if (late) {
      stream.reconnect();
      return;
    }
    if (connState === 'open' && nowMs - lastHealth > 30000) {
      lastHealth = nowMs;
      const ctl = new AbortController();
      const timer = setTimeout(() => ctl.abort(), 5000);
      const sent = Date.now();
      fetch('/healthz', { cache: 'no-store', signal: ctl.signal }).then((r) => {
        clearTimeout(timer);
        L.noteServerDate(r, sent);
        healthFails = r.ok ? 0 : healthFails + 1;
      }, () => { clearTimeout(timer); healthFails++; }).then(() => {
        if (healthFails >= 2) {
          healthFails = 0;
          stream.reconnect();
        }
      });
    }
    if (connState !== 'open' && nowMs - downSince > 3 * 60000) reloadWhenServed();
    // Drawing is alive when a frame asked for comes: one frame per check, so an idle page
    // stays idle.
    if (document.visibilityState === 'visible') {
      if (!frameAsked) {
        frameAsked = nowMs;
        requestAnimationFrame(() => { frameAsked = 0; });
      } else if (nowMs - frameAsked > 60000) {
        reloadWhenServed();
      }
    }
  }

  // ---- Start ---------------------------------------------------------------------------------------

  const stream = new L.Stream({ token: token, onMessage: onMessage, onState: onState, maxDelay: 15000 });

  window.antreDisplay = {
    state: () => connState,
    lastId: () => stream.lastId,
    connects: () => stream.connects,
    snapshots: () => probe.snapshots,
    current: () => ($('current-code').textContent),
    shown: () => probe.shown.slice(),
    audio: () => Object.assign({ queue: queue.length }, probe.audio),
    played: () => probe.played.slice(),
    errors: () => probe.errors.slice(),
    // waitShown resolves with the record {id, code, counter, applied, painted} of the latest
    // call of code once the frame showing it has been painted (at once when it already has).
    waitShown: (code) => new Promise((resolve) => {
      const rec = probe.shown.slice().reverse().find((r) => r.code === code);
      if (rec && rec.painted) resolve(rec);
      else probe.waiters.push({ code: code, resolve: resolve });
    }),
  };

  applyTexts();
  setLayout();
  window.addEventListener('resize', setLayout);
  document.addEventListener('keydown', (e) => {
    if (e.key === 'l' || e.key === 'L') {
      lang = lang === 'en' ? 'id' : 'en';
      t = L.translator(lang);
      applyTexts();
      renderAll();
      renderTicker(true);
    }
  });
  tick();
  if (!token) {
    onState('unauthorized');
    overlay('no_token');
    return;
  }
  L.api('GET', '/api/v1/office', undefined, lang).then((info) => { office.setGroupsInfo(info.groups); }, () => {});
  stream.start();
  setInterval(watchdog, 10000);
})();
