// admin.js: the office's admin console. Every change goes through the API that owns it (the
// hub's or a module's); a refusal shows the API's own message next to the field that was sent
// (data-err="…"), and the audit log below records who changed what, before → after. Settings
// that come from the configuration file are shown with a note that a restart is needed.
(function () {
  'use strict';
  const L = window.AntreLive;
  let lang = L.lang('antre-lang');
  let t = L.translator(lang);
  const $ = (s, root) => (root || document).querySelector(s);

  // el builds an element: el('td', {class: 'x'}, 'text', child …).
  function el(tag, attrs, ...kids) {
    const e = document.createElement(tag);
    Object.entries(attrs || {}).forEach(([k, v]) => {
      if (v === undefined || v === null || v === false) return;
      if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
      else if (k === 'value') e.value = v;
      else if (k === 'checked') e.checked = !!v;
      else e.setAttribute(k, v === true ? '' : v);
    });
    kids.flat().forEach((c) => { if (c !== undefined && c !== null) e.append(c instanceof Node ? c : String(c)); });
    return e;
  }
  const api = (method, path, body) => L.api(method, path, body, lang);
  const errBox = (key) => el('p', { class: 'err', 'data-err': key });
  const note = (text) => el('p', { class: 'note' }, text);
  const live = (text) => el('p', { class: 'live' }, text);

  // clear removes the refusal shown for key; fail shows err's message (the API's) there and
  // marks the fields that were sent.
  function clear(key) {
    document.querySelectorAll('[data-err="' + key + '"]').forEach((e) => { e.textContent = ''; });
    document.querySelectorAll('[data-field="' + key + '"]').forEach((e) => e.classList.remove('bad'));
  }
  function fail(key, err) {
    document.querySelectorAll('[data-err="' + key + '"]').forEach((e) => { e.textContent = err.message; });
    document.querySelectorAll('[data-field="' + key + '"]').forEach((e) => e.classList.add('bad'));
  }
  // change runs one change for the field key, then redraws the sections named and the audit.
  // body[data-busy] counts the changes not yet redrawn (tests wait for "0").
  let busy = 0;
  function setBusy(d) { busy += d; document.body.dataset.busy = String(busy); }
  function change(key, call, ...redraw) {
    clear(key);
    setBusy(1);
    return call().then((res) => {
      return Promise.all(redraw.concat(['audit']).map((s) => loaders[s] && loaders[s]().catch(() => {}))).then(() => res);
    }, (err) => { fail(key, err); return undefined; }).finally(() => setBusy(-1));
  }
  function body(id) { const s = document.getElementById(id); return $('.body', s); }
  function fill(id, ...kids) { body(id).replaceChildren(...kids.flat()); }
  // detail names how a thing changed (added, revoked …) in the page's language.
  function detail(d) {
    if (!d) return '';
    return d.split('+').map((p) => { const k = 'det_' + p; const v = t(k); return v === k ? p : v; }).join(', ');
  }
  // maskPhone shows a number as the logs do: 6281****890.
  function maskPhone(p) { p = String(p || ''); return p.length < 8 ? '*'.repeat(p.length) : p.slice(0, 4) + '*'.repeat(p.length - 7) + p.slice(-3); }
  function when(ms) { return new Date(ms).toLocaleString(lang === 'en' ? 'en-GB' : 'id-ID'); }

  let office = null;
  // paired is the device just added: its token is shown this once (only its hash is kept),
  // with its pairing address and QR code, until the page is left.
  let paired = null;
  function pairing(res) {
    return el('div', { class: 'pair' },
      el('img', { src: res.qr, alt: t('pair_qr'), id: 'pair-qr' }),
      el('div', {}, el('p', {}, el('b', {}, t('pair_title', res.name))), el('p', {}, t('pair_help_' + res.role)),
        el('p', {}, t('pair_token'), ' ', el('code', { id: 'pair-token' }, res.token)),
        el('p', {}, t('pair_url'), ' ', el('code', { id: 'pair-url' }, res.pair_url)),
        el('p', { class: 'note' }, t('pair_once'))));
  }

  const loaders = {
    office: async () => {
      office = await api('GET', '/api/v1/office');
      fill('office',
        el('table', {}, el('tbody', {},
          [['office_name', office.name], ['office_code', office.code], ['office_tz', office.time_zone],
            ['office_hours', office.opens + '–' + office.closes], ['office_periods', (office.periods || []).join(', ')],
            ['office_public', office.public_url]].map(([k, v]) => el('tr', {}, el('th', {}, t(k)), el('td', {}, v))))),
        note(t('restart_config', 'office.*, public_url')));
    },

    groups: async () => {
      office = await api('GET', '/api/v1/office');
      const q = await api('GET', '/api/v1/quota');
      const today = {};
      q.groups.forEach((g) => { today[g.group] = g; });
      const pools = ['walkin', 'online', 'priority'];
      const rows = office.groups.map((g) => {
        const cur = today[g.code] || { quota: g.quota, used: {}, remaining: {} };
        const key = 'quota-' + g.code;
        const inputs = pools.map((p) => el('input', { type: 'number', min: 0, value: cur.quota[p], 'data-field': key, 'data-pool': p, name: key + '-' + p }));
        const dkey = 'default-' + g.code;
        const defaults = pools.map((p) => el('input', { type: 'number', min: 0, value: g.quota[p], 'data-field': dkey, 'data-pool': p, name: dkey + '-' + p }));
        const saveDefault = el('button', { type: 'button', class: 'secondary', 'data-save': dkey, onclick: () => {
          const v = {};
          defaults.forEach((i) => { v[i.dataset.pool] = i.value === '' ? '' : Number(i.value); });
          change(dkey, () => api('PUT', '/api/v1/groups/' + g.code + '/default-quota', v).then((r) => { office = null; return r; }), 'groups');
        } }, t('save'));
        const save = el('button', { type: 'button', 'data-save': key, onclick: () => {
          const v = {};
          inputs.forEach((i) => { v[i.dataset.pool] = i.value === '' ? '' : Number(i.value); });
          change(key, () => api('PUT', '/api/v1/groups/' + g.code + '/quota', v), 'groups');
        } }, t('save'));
        return el('tr', { 'data-group': g.code },
          el('td', {}, g.code), el('td', {}, lang === 'en' && g.name_en ? g.name_en : g.name_id),
          el('td', {}, defaults, ' ', saveDefault, errBox(dkey)),
          el('td', {}, inputs, ' ', save, errBox(key)),
          el('td', { 'data-remaining': g.code }, pools.map((p) => (cur.remaining[p] !== undefined ? cur.remaining[p] : '–')).join(' / ')));
      });
      fill('groups',
        live(t('groups_live')),
        el('table', {}, el('thead', {}, el('tr', {}, ['col_code', 'col_name', 'col_default', 'col_today', 'col_remaining'].map((k) => el('th', {}, t(k))))),
          el('tbody', {}, rows)),
        el('p', {}, t('pools_legend')),
        note(t('default_note')));
    },

    counters: async () => {
      if (!office) office = await api('GET', '/api/v1/office');
      const codes = office.groups.map((g) => g.code);
      const rows = office.counters.map((c) => {
        const k = 'counter-' + c.number;
        const name = el('input', { value: c.name, name: k + '-name', 'data-field': k, size: 14 });
        const boxes = codes.map((g) => el('label', { class: 'check' }, el('input', { type: 'checkbox', value: g, name: k + '-group', 'data-field': k, checked: (c.groups || []).includes(g) }), g));
        const save = el('button', { type: 'button', 'data-save': k, onclick: () => {
          const groups = boxes.map((b) => b.firstChild).filter((i) => i.checked).map((i) => i.value);
          change(k, () => api('PUT', '/api/v1/counters/' + c.number, { name: name.value.trim(), groups: groups }).then((r) => { office = null; return r; }), 'counters');
        } }, t('save'));
        return el('tr', { 'data-counter': c.number }, el('td', {}, c.number), el('td', {}, name), el('td', {}, boxes, ' ', save, errBox(k)));
      });
      fill('counters', live(t('counters_live')),
        el('table', {}, el('thead', {}, el('tr', {}, ['col_number', 'col_name', 'col_serves'].map((k) => el('th', {}, t(k))))), el('tbody', {}, rows)),
        note(t('counters_add')));
    },

    devices: async () => {
      const d = await api('GET', '/api/v1/devices');
      const rows = d.devices.map((dev) => {
        const k = 'device-' + dev.name;
        const rename = el('input', { value: dev.name, 'data-field': k + '-name', size: 14 });
        const settings = el('textarea', { rows: 2, 'data-field': k + '-settings' }, JSON.stringify(dev.settings || {}));
        return el('tr', { 'data-device': dev.name },
          el('td', {}, rename, ' ', el('button', { type: 'button', class: 'secondary', onclick: () => change(k + '-name', () => api('PATCH', '/api/v1/devices/' + encodeURIComponent(dev.name), { name: rename.value.trim() }), 'devices') }, t('rename')), errBox(k + '-name')),
          el('td', {}, t('role_' + dev.role)),
          el('td', {}, settings, el('button', { type: 'button', class: 'secondary', onclick: () => {
            clear(k + '-settings');
            let v;
            try { v = JSON.parse(settings.value); } catch (e) { fail(k + '-settings', new Error(t('bad_json'))); return; }
            change(k + '-settings', () => api('PUT', '/api/v1/devices/' + encodeURIComponent(dev.name) + '/settings', v), 'devices');
          } }, t('save')), el('small', {}, ' ', t('settings_hint_' + dev.role)), errBox(k + '-settings')),
          el('td', {}, el('button', { type: 'button', class: 'danger', onclick: () => {
            if (confirm(t('revoke_confirm', dev.name))) change(k + '-revoke', () => api('DELETE', '/api/v1/devices/' + encodeURIComponent(dev.name)), 'devices');
          } }, t('revoke')), errBox(k + '-revoke')));
      });
      const name = el('input', { name: 'name', 'data-field': 'device-add', required: true, placeholder: 'display-2' });
      const role = el('select', { name: 'role', 'data-field': 'device-add' }, ['display', 'kiosk', 'feedback'].map((r) => el('option', { value: r }, t('role_' + r))));
      const add = el('form', { class: 'inline', id: 'device-add', onsubmit: (e) => {
        e.preventDefault();
        change('device-add', () => api('POST', '/api/v1/devices', { name: name.value.trim(), role: role.value }).then((res) => { paired = res; return res; }), 'devices');
      } }, el('label', {}, t('device_name'), name), el('label', {}, t('device_role'), role), el('button', { type: 'submit' }, t('add')));
      fill('devices', live(t('devices_live')),
        el('table', {}, el('thead', {}, el('tr', {}, ['col_name', 'col_role', 'col_settings', ''].map((k) => el('th', {}, k ? t(k) : '')))), el('tbody', {}, rows)),
        el('h3', {}, t('device_add')), add, errBox('device-add'), el('div', { id: 'pairing' }, paired ? pairing(paired) : []));
    },

    users: async () => {
      const u = await api('GET', '/api/v1/users');
      const roleSelect = (cur, field) => el('select', { 'data-field': field }, u.roles.map((r) => el('option', { value: r, selected: r === cur }, t('role_' + r))));
      const rows = u.users.map((x) => {
        const k = 'user-' + x.name;
        const role = roleSelect(x.role, k + '-role');
        const pw = el('input', { type: 'password', autocomplete: 'new-password', 'data-field': k + '-password', size: 12 });
        return el('tr', { 'data-user': x.name },
          el('td', {}, x.name),
          el('td', {}, role, ' ', el('button', { type: 'button', class: 'secondary', onclick: () => change(k + '-role', () => api('PATCH', '/api/v1/users/' + encodeURIComponent(x.name), { role: role.value }), 'users') }, t('save')), errBox(k + '-role')),
          el('td', {}, pw, ' ', el('button', { type: 'button', class: 'secondary', onclick: () => change(k + '-password', () => api('PATCH', '/api/v1/users/' + encodeURIComponent(x.name), { password: pw.value }), 'users') }, t('reset_password')), errBox(k + '-password')),
          el('td', {}, x.disabled ? t('disabled') : t('active'), ' ',
            el('button', { type: 'button', class: x.disabled ? 'secondary' : 'danger', onclick: () => change(k + '-disabled', () => api('PATCH', '/api/v1/users/' + encodeURIComponent(x.name), { disabled: !x.disabled }), 'users') }, x.disabled ? t('enable') : t('disable')),
            errBox(k + '-disabled')));
      });
      const name = el('input', { 'data-field': 'user-add', required: true });
      const role = roleSelect('officer', 'user-add');
      const pw = el('input', { type: 'password', autocomplete: 'new-password', 'data-field': 'user-add' });
      const add = el('form', { class: 'inline', onsubmit: (e) => {
        e.preventDefault();
        change('user-add', () => api('POST', '/api/v1/users', { name: name.value.trim(), role: role.value, password: pw.value }), 'users');
      } }, el('label', {}, t('user_name'), name), el('label', {}, t('user_role'), role), el('label', {}, t('user_password'), pw), el('button', { type: 'submit' }, t('add')));
      fill('users', live(t('users_live')),
        el('table', {}, el('thead', {}, el('tr', {}, ['col_name', 'col_role', 'col_password', 'col_state'].map((k) => el('th', {}, t(k))))), el('tbody', {}, rows)),
        el('h3', {}, t('user_add')), add, errBox('user-add'));
    },

    display: async () => {
      const s = await api('GET', '/api/v1/display/running-text');
      const area = el('textarea', { rows: 5, name: 'running-text', 'data-field': 'running-text' }, (s.running_text || []).join('\n'));
      const save = el('button', { type: 'button', 'data-save': 'running-text', onclick: () => {
        const lines = area.value.split('\n').map((x) => x.trim()).filter((x) => x);
        change('running-text', () => api('PUT', '/api/v1/display/running-text', { running_text: lines }), 'display');
      } }, t('save'));
      fill('display', live(t('display_live')), el('label', {}, t('running_text'), area), save, errBox('running-text'),
        note(t('restart_config', 'display.media_dir, display.recent')));
    },

    sms: async () => {
      const [tp, dead, subs] = await Promise.all([api('GET', '/api/v1/sms/templates'), api('GET', '/api/v1/sms/outbox?status=dead'), api('GET', '/api/v1/sms/subscribers')]);
      const subscribers = subs.subscribers.map((x) => el('tr', { 'data-subscriber': x.id },
        el('td', {}, x.phone), el('td', {}, x.lang), el('td', {}, x.active ? t('active') : t('stopped')), el('td', {}, when(Date.parse(x.updated_at))),
        el('td', {}, x.active ? el('button', { type: 'button', class: 'danger', onclick: () => change('sms-sub-' + x.id, () => api('POST', '/api/v1/sms/subscribers/' + x.id + '/stop'), 'sms') }, t('stop')) : '', errBox('sms-sub-' + x.id))));
      const tpl = tp.templates.map((x) => {
        const k = 'sms-' + x.name + '-' + x.lang;
        const area = el('textarea', { rows: 2, 'data-field': k }, x.body);
        return el('tr', { 'data-template': x.name + '/' + x.lang },
          el('td', {}, x.name, ' (', x.lang, ')', x.edited ? el('small', {}, ' · ' + t('edited')) : ''),
          el('td', {}, area, el('small', {}, (x.params || []).map((p) => '{' + p + '}').join(' ')), errBox(k)),
          el('td', {}, el('button', { type: 'button', onclick: () => change(k, () => api('PUT', '/api/v1/sms/templates/' + x.name, { body: area.value, lang: x.lang }), 'sms') }, t('save')),
            ' ', el('button', { type: 'button', class: 'secondary', onclick: () => change(k, () => api('PUT', '/api/v1/sms/templates/' + x.name, { body: '', lang: x.lang }), 'sms') }, t('reset_default'))));
      });
      const outbox = dead.messages.map((x) => el('tr', { 'data-sms': x.id },
        el('td', {}, x.id), el('td', {}, x.kind), el('td', {}, maskPhone(x.phone)), el('td', {}, x.last_error || ''), el('td', {}, x.attempts),
        el('td', {}, el('button', { type: 'button', onclick: () => change('sms-retry-' + x.id, () => api('POST', '/api/v1/sms/outbox/' + x.id + '/retry'), 'sms') }, t('retry')), errBox('sms-retry-' + x.id))));
      fill('sms', live(t('sms_live')),
        el('h3', {}, t('sms_templates')),
        el('table', {}, el('tbody', {}, tpl)),
        el('h3', {}, t('sms_subscribers', subs.active)),
        subscribers.length ? el('table', { id: 'sms-subscribers' }, el('thead', {}, el('tr', {}, ['col_phone', 'col_lang', 'col_state', 'col_since', ''].map((k) => el('th', {}, k ? t(k) : '')))), el('tbody', {}, subscribers)) : el('p', {}, t('sms_no_subscribers')),
        el('h3', {}, t('sms_dead')),
        outbox.length ? el('table', {}, el('thead', {}, el('tr', {}, ['#', 'col_kind', 'col_phone', 'col_error', 'col_attempts', ''].map((k) => el('th', {}, k.startsWith('col') ? t(k) : k)))), el('tbody', {}, outbox)) : el('p', {}, t('sms_none_dead')),
        note(t('restart_config', 'sms.*')));
    },

    holidays: async () => {
      const hs = await api('GET', '/api/v1/holidays');
      const kinds = ['national', 'cuti_bersama', 'regional', 'office'];
      const rows = hs.holidays.map((h) => el('tr', { 'data-holiday': h.date },
        el('td', {}, h.date), el('td', {}, h.name), el('td', {}, t('kind_' + h.kind)),
        el('td', {}, el('button', { type: 'button', class: 'danger', onclick: () => change('holiday-' + h.date, () => api('DELETE', '/api/v1/holidays/' + h.date), 'holidays') }, t('remove')), errBox('holiday-' + h.date))));
      const date = el('input', { type: 'date', 'data-field': 'holiday-add', required: true });
      const name = el('input', { 'data-field': 'holiday-add', required: true });
      const kind = el('select', { 'data-field': 'holiday-add' }, kinds.map((k) => el('option', { value: k }, t('kind_' + k))));
      const add = el('form', { class: 'inline', onsubmit: (e) => {
        e.preventDefault();
        change('holiday-add', () => api('PUT', '/api/v1/holidays/' + date.value, { name: name.value.trim(), kind: kind.value }), 'holidays');
      } }, el('label', {}, t('holiday_date'), date), el('label', {}, t('holiday_name'), name), el('label', {}, t('holiday_kind'), kind), el('button', { type: 'submit' }, t('add')));
      fill('holidays', live(t('holidays_live')),
        el('table', {}, el('thead', {}, el('tr', {}, ['col_date', 'col_name', 'col_kind', ''].map((k) => el('th', {}, k ? t(k) : '')))), el('tbody', {}, rows)),
        add, errBox('holiday-add'));
    },

    info: async () => {
      const [info, fees] = await Promise.all([api('GET', '/api/v1/info'), api('GET', '/api/v1/workflow/fees').catch(() => null)]);
      const rows = info.services.map((s) => {
        const fee = el('input', { value: (s.fee && s.fee.id) || '', 'data-field': 'info', 'data-group': s.group, 'data-part': 'fee', size: 30 });
        const req = el('textarea', { rows: 3, 'data-field': 'info', 'data-group': s.group, 'data-part': 'requirements' }, (s.requirements || []).map((r) => r.id).join('\n'));
        return el('tr', {}, el('td', {}, s.group), el('td', {}, fee), el('td', {}, req));
      });
      const save = el('button', { type: 'button', onclick: () => {
        const services = info.services.map((s) => {
          const fee = $('[data-part="fee"][data-group="' + s.group + '"]').value.trim();
          const req = $('[data-part="requirements"][data-group="' + s.group + '"]').value.split('\n').map((x) => x.trim()).filter((x) => x);
          const old = s.requirements || [];
          return { group: s.group, fee: fee ? { id: fee, en: (s.fee && s.fee.id === fee) ? s.fee.en : '' } : undefined,
            requirements: req.map((r, i) => ({ id: r, en: old[i] && old[i].id === r ? old[i].en : '' })) };
        });
        change('info', () => api('PUT', '/api/v1/info', { services: services }), 'info');
      } }, t('save'));
      const feeTable = fees && fees.fees ? el('pre', {}, JSON.stringify(fees.fees, null, 1)) : null;
      fill('info', live(t('info_live')),
        el('table', {}, el('thead', {}, el('tr', {}, ['col_code', 'col_fee', 'col_requirements'].map((k) => el('th', {}, t(k))))), el('tbody', {}, rows)),
        save, errBox('info'),
        feeTable ? [el('h3', {}, t('workflow_fees')), feeTable, note(t('restart_config', 'workflow.fees'))] : []);
    },

    survey: async () => {
      const f = await api('GET', '/api/v1/surveys/form');
      fill('survey', el('p', {}, t('survey_regulation'), ' ', el('b', {}, String(f.regulation))),
        el('ol', {}, (f.elements || []).map((e) => el('li', {}, el('b', {}, lang === 'en' ? e.name.en : e.name.id), ': ', lang === 'en' ? e.question.en : e.question.id))),
        note(t('restart_config', 'survey.regulation, survey.elements')));
    },

    audit: async () => {
      const f = auditFilter;
      const qs = new URLSearchParams();
      Object.entries(f).forEach(([k, v]) => { if (v) qs.set(k, v); });
      let list;
      clear('audit');
      try { list = await api('GET', '/api/v1/audit?' + qs.toString()); } catch (err) { fail('audit', err); return; }
      const show = (v) => (v === null || v === undefined ? '—' : JSON.stringify(v));
      const rows = list.entries.map((e) => el('tr', { 'data-audit': e.id, 'data-action': e.action, 'data-subject': e.subject },
        el('td', {}, when(e.at)), el('td', {}, e.actor || t('cli')), el('td', {}, t('act_' + e.action.replace('.', '_'))), el('td', {}, e.subject),
        el('td', {}, detail(e.detail)),
        el('td', {}, el('span', { class: 'before' }, show(e.before)), ' → ', el('span', { class: 'after' }, show(e.after)))));
      const inp = (k, type) => el('input', { type: type || 'text', value: f[k] || '', name: k, 'data-field': 'audit', onchange: (e) => { auditFilter[k] = e.target.value; } });
      const actions = el('select', { name: 'action', 'data-field': 'audit', onchange: (e) => { auditFilter.action = e.target.value; } },
        el('option', { value: '' }, t('all')), ['quota', 'group', 'counter', 'calendar', 'user', 'device', 'display', 'sms', 'info'].map((a) => el('option', { value: a, selected: f.action === a }, t('act_' + a))));
      const form = el('form', { class: 'inline', id: 'audit-filter', onsubmit: (e) => { e.preventDefault(); auditFilter.before = ''; loaders.audit(); } },
        el('label', {}, t('from'), inp('from', 'date')), el('label', {}, t('to'), inp('to', 'date')), el('label', {}, t('actor'), inp('actor')),
        el('label', {}, t('action'), actions), el('label', {}, t('subject'), inp('subject')), el('button', { type: 'submit' }, t('filter')));
      const last = list.entries.length ? list.entries[list.entries.length - 1].id : 0;
      const paging = el('p', {},
        f.before ? el('button', { type: 'button', class: 'secondary', id: 'audit-newest', onclick: () => { auditFilter.before = ''; loaders.audit(); } }, t('newest')) : '',
        ' ', list.entries.length === 100 ? el('button', { type: 'button', class: 'secondary', id: 'audit-older', onclick: () => { auditFilter.before = String(last); loaders.audit(); } }, t('older')) : '');
      fill('audit', form, errBox('audit'), paging,
        el('table', { id: 'audit-table' }, el('thead', {}, el('tr', {}, ['col_when', 'col_who', 'col_what', 'col_subject', 'col_detail', 'col_change'].map((k) => el('th', {}, t(k))))), el('tbody', {}, rows)));
    },
  };
  const auditFilter = { from: '', to: '', actor: '', action: '', subject: '', before: '' };

  function texts() {
    document.documentElement.lang = lang;
    document.querySelectorAll('[data-t]').forEach((e) => { e.textContent = t(e.dataset.t); });
    document.title = t('title') + ' · Antre';
    const nav = $('#nav');
    nav.replaceChildren(...Array.from(document.querySelectorAll('main section')).map((s) => el('a', { href: '#' + s.id }, $('h2', s).textContent)));
  }

  function loadAll() {
    return Promise.all(Object.entries(loaders).map(([name, f]) => f().catch((err) => {
      fill(name, el('p', { class: 'err', 'data-err': 'section-' + name }, err.message));
    })));
  }

  async function start() {
    texts();
    let me = null;
    try { me = await api('GET', '/api/v1/me'); } catch (e) { me = null; }
    if (!me || me.role !== 'admin') {
      $('#login').hidden = false;
      $('#main').hidden = $('#nav').hidden = true;
      $('#logout').hidden = !me;
      if (me) $('[data-err="login"]').textContent = t('admin_only', me.name);
      return;
    }
    $('#who').textContent = t('logged_in', me.name);
    $('#login').hidden = true;
    $('#main').hidden = $('#nav').hidden = false;
    $('#logout').hidden = false;
    await loadAll();
    document.body.dataset.ready = '1';
  }

  $('#login').addEventListener('submit', (e) => {
    e.preventDefault();
    const f = e.target;
    clear('login');
    api('POST', '/api/v1/login', { name: f.name.value, password: f.password.value }).then(start, (err) => fail('login', err));
  });
  $('#logout').addEventListener('click', () => api('POST', '/api/v1/logout').then(() => location.reload()));
  $('#lang').addEventListener('click', () => {
    lang = lang === 'en' ? 'id' : 'en';
    try { localStorage.setItem('antre-lang', lang); } catch (e) { /* storage may be disabled */ }
    t = L.translator(lang);
    texts();
    if (!$('#main').hidden) loadAll();
  });
  start();
})();
