// The local console: plain JavaScript, no build step, nothing fetched from outside this runtime.
'use strict';

const view = document.getElementById('view');
let current = { page: 'mail', arg: null, render: null };
let users = [];

// ---- small helpers

function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else el.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

async function api(path) {
  const r = await fetch('/_local/api/' + path);
  const body = await r.json();
  if (!r.ok) throw new Error(body.message || r.status);
  return body;
}

async function post(url, body) {
  const r = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body || {}) });
  const text = await r.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch (e) { json = text; }
  return { status: r.status, body: json };
}

const act = (path, body) => post('/_local/api/' + path, body);

function toast(text) {
  const t = document.getElementById('toast');
  t.textContent = text;
  t.hidden = false;
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => { t.hidden = true; }, 4000);
}

const time = iso => iso ? new Date(iso).toLocaleTimeString() : '';
const dateTime = iso => iso ? new Date(iso).toLocaleString() : '';
const pretty = v => JSON.stringify(v, null, 2);
const email = id => (users.find(u => u.userId === id) || {}).email || id;
const pill = s => h('span', { class: 'pill ' + (s || '') }, s || '—');
const table = (head, rows) => h('table', {}, h('thead', {}, h('tr', {}, head.map(x => h('th', {}, x)))), h('tbody', {}, rows));
const empty = (text, cols) => h('tr', {}, h('td', { colspan: cols, class: 'muted' }, text));
const obj = s => h('a', { href: '/_local/api/bucket/object?key=' + encodeURIComponent(s), target: '_blank' }, s);

async function loadUsers() {
  users = (await api('users')).items;
  return users;
}

// ---- charts (inline SVG)

function svg(tag, attrs, ...children) {
  const el = document.createElementNS('http://www.w3.org/2000/svg', tag);
  for (const [k, v] of Object.entries(attrs || {})) el.setAttribute(k, v);
  children.flat(Infinity).forEach(c => el.append(c instanceof Node ? c : document.createTextNode(String(c))));
  return el;
}

/** A step line of values over time: points [{t: Date, y: number}]. */
function lineChart(points, label) {
  const w = 640, hgt = 200, pad = 34;
  if (!points.length) return h('p', { class: 'muted' }, 'no data yet');
  const t0 = points[0].t.getTime(), t1 = Math.max(points[points.length - 1].t.getTime(), t0 + 1);
  const ymax = Math.max(1, ...points.map(p => p.y));
  const x = t => pad + (w - 2 * pad) * (t - t0) / (t1 - t0);
  const y = v => hgt - pad + 10 - (hgt - 2 * pad) * v / ymax;
  let d = '';
  points.forEach((p, i) => {
    d += (i ? ` H${x(p.t.getTime()).toFixed(1)} V${y(p.y).toFixed(1)}` : `M${x(p.t.getTime()).toFixed(1)} ${y(p.y).toFixed(1)}`);
  });
  return svg('svg', { class: 'chart', width: '100%', viewBox: `0 0 ${w} ${hgt}`, role: 'img', 'aria-label': label },
    svg('line', { x1: pad, y1: y(0), x2: w - pad, y2: y(0), stroke: '#ccd' }),
    svg('text', { x: 4, y: y(ymax) + 4 }, ymax), svg('text', { x: 4, y: y(0) + 4 }, 0),
    svg('text', { x: pad, y: hgt - 6 }, dateTime(points[0].t.toISOString())),
    svg('text', { x: w - pad, y: hgt - 6, 'text-anchor': 'end' }, dateTime(points[points.length - 1].t.toISOString())),
    svg('path', { d, fill: 'none', stroke: '#2f6fde', 'stroke-width': 2 }),
    points.map(p => svg('circle', { cx: x(p.t.getTime()), cy: y(p.y), r: 3, fill: '#2f6fde' }, svg('title', {}, `${p.y} at ${dateTime(p.t.toISOString())}`))),
    svg('text', { x: w / 2, y: 14, 'text-anchor': 'middle' }, label));
}

/** Bars with labels: [{label, value, color?}]. */
function barChart(bars, label) {
  const w = Math.max(320, bars.length * 26 + 60), hgt = 190, pad = 30;
  const max = Math.max(1, ...bars.map(b => b.value));
  const bw = (w - 2 * pad) / Math.max(1, bars.length);
  return svg('svg', { class: 'chart', width: w, height: hgt, viewBox: `0 0 ${w} ${hgt}`, role: 'img', 'aria-label': label },
    svg('text', { x: w / 2, y: 14, 'text-anchor': 'middle' }, label), svg('text', { x: 4, y: 30 }, max),
    bars.map((b, i) => {
      const bh = (hgt - 2 * pad - 10) * b.value / max;
      return [svg('rect', { x: pad + i * bw + 2, y: hgt - pad - bh, width: Math.max(2, bw - 4), height: bh, fill: b.color || '#2f6fde' },
        svg('title', {}, `${b.label}: ${b.value}`)),
      (bars.length <= 31 || i % 2 === 0) ? svg('text', { x: pad + i * bw + bw / 2, y: hgt - pad + 14, 'text-anchor': 'middle' }, b.label) : null]
        .filter(Boolean);
    }));
}

// ---- pages

const pages = {};

pages.mail = async () => {
  const mail = (await api('mail')).items;
  return [h('h2', {}, 'Mail ', h('span', { class: 'muted' }, '— every confirmation and reset code the backend sent, newest first')),
    table(['time', 'to', 'code', ''], mail.length ? mail.map(m => h('tr', { dataset: { email: m.to } },
      h('td', {}, time(m.at)), h('td', {}, m.to), h('td', { class: 'code mono' }, m.code),
      h('td', {}, h('button', { class: 'confirm', title: 'POST /auth/confirm with this code (the real route)', onclick: async e => {
        e.target.disabled = true;
        const r = await post('/auth/confirm', { email: m.to, code: m.code });
        toast(`POST /auth/confirm → ${r.status} ${JSON.stringify(r.body)}`);
        e.target.disabled = false;
      } }, 'Confirm with this code')))) : [empty('no mail yet: register a user', 4)])];
};

pages.users = async () => {
  await loadUsers();
  return [h('h2', {}, 'Users ', h('span', { class: 'muted' }, `— the pool's ${users.length} users, newest first`)),
    table(['email', 'name', 'status', 'role', 'credits', 'created', ''], users.length ? users.map(u => h('tr', {
      class: 'link', dataset: { email: u.email || '', user: u.userId }, onclick: e => {
        if (e.target.tagName !== 'BUTTON') location.hash = '#users/' + u.userId;
      } },
    h('td', {}, u.email), h('td', {}, u.name), h('td', { class: 'status' }, pill(u.status)), h('td', { class: 'role' }, u.role || '—'),
    h('td', { class: 'credits' }, u.credits ?? '—'), h('td', {}, dateTime(u.createdAt)),
    h('td', {}, u.status === 'UNCONFIRMED' ? h('button', { class: 'admin-confirm', title: "cognito-local's AdminConfirmSignUp", onclick: async () => {
      const r = await act(`users/${encodeURIComponent(u.username)}/confirm`);
      toast(`AdminConfirmSignUp → ${r.status}`);
      refresh();
    } }, 'Confirm') : null))) : [empty('no users yet', 7)])];
};

pages.user = async id => {
  await loadUsers();
  const u = await api('users/' + encodeURIComponent(id));
  const p = u.profile || {};
  let balance = 0;
  const points = u.ledger.map(e => ({ t: new Date(e.createdAt), y: (balance += Number(e.delta)) }));
  const roles = ['User', 'Coach', 'Staff', 'Admin'];
  const select = h('select', { id: 'role' }, roles.map(r => h('option', { value: r, selected: r === p.role }, r)));
  const result = h('span', { id: 'role-result', class: 'muted' });
  return [h('h2', {}, h('a', { href: '#users' }, 'Users'), ' / ', u.account.email),
    h('div', { class: 'two' },
      h('div', { class: 'card' }, h('h3', {}, 'Account (cognito-local)'), h('pre', {}, pretty(u.account))),
      h('div', { class: 'card' }, h('h3', {}, 'Profile (Users table)'), h('pre', { id: 'profile' }, pretty(u.profile)),
        h('div', { class: 'row' }, 'Role ', select, h('button', { id: 'change-role', class: 'primary', onclick: async () => {
          const r = await act(`users/${encodeURIComponent(u.account.username)}/role`, { role: select.value });
          result.textContent = `PUT /admin/users/{userId}/role → ${r.status} ${JSON.stringify(r.body)}`;
          result.dataset.status = r.status;
        } }, 'Change role')), result)),
    h('div', { class: 'two' },
      h('div', {}, h('h3', {}, `Credits: ${p.credits ?? '—'}`), lineChart(points, 'credit balance over time (from the CreditLedger)')),
      h('div', {}, h('h3', {}, `Images (${u.images.length})`),
        h('div', { class: 'objects' }, u.images.map(i => h('div', { class: 'object' },
          i.s3Key ? h('img', { class: 'thumb', src: '/_local/api/bucket/object?key=' + encodeURIComponent(i.s3Key), alt: i.prompt }) : null,
          pill(i.status), ' ', i.prompt))))),
    h('h3', {}, 'Credit ledger'),
    table(['time', 'delta', 'reason', 'ref'], u.ledger.map(e => h('tr', {}, h('td', {}, dateTime(e.createdAt)), h('td', {}, e.delta),
      h('td', {}, e.reason), h('td', { class: 'mono' }, e.ref)))),
    h('h3', {}, `Payments (${u.payments.length})`),
    table(['transaction', 'package', 'amount', 'status', 'created'], u.payments.map(t => h('tr', {}, h('td', { class: 'mono' }, t.transactionId),
      h('td', {}, t.packageId), h('td', {}, t.amountVnd), h('td', {}, pill(t.status)), h('td', {}, dateTime(t.createdAt))))),
    h('h3', {}, `Rooms (${u.rooms.length})`),
    table(['room', 'role', 'joined'], u.rooms.map(r => h('tr', {}, h('td', { class: 'mono' }, r.roomId), h('td', {}, r.role), h('td', {}, dateTime(r.joinedAt))))),
    h('h3', {}, `Live connections (${u.connections.length})`),
    table(['connection', 'since', 'frames pushed'], u.connections.map(c => h('tr', {}, h('td', { class: 'mono' }, c.connectionId),
      h('td', {}, dateTime(c.connectedAt)), h('td', {}, c.framesOut))))];
};

function requestRow(r, fresh) {
  const s = String(r.status)[0];
  return h('tr', { class: 'link' + (fresh ? ' new' : ''), dataset: { id: r.id, correlation: r.correlationId, route: r.route, shownAt: Date.now() },
    onclick: () => { location.hash = '#requests/' + r.id; } },
  h('td', {}, time(r.at)), h('td', {}, r.kind), h('td', { class: 'function' }, r.function), h('td', {}, r.method),
  h('td', { class: 'route mono' }, r.route), h('td', { class: 'status-' + s }, r.status), h('td', {}, r.durationMs.toFixed(1) + ' ms'),
  h('td', { class: 'mono' }, r.correlationId));
}

pages.requests = async () => {
  const items = (await api('requests?limit=300')).items;
  const filter = h('input', { id: 'filter', placeholder: 'filter: function, route, status, correlation id', size: 44, oninput: () => {
    const q = filter.value.toLowerCase();
    document.querySelectorAll('#requests tbody tr').forEach(tr => { tr.hidden = q && !tr.textContent.toLowerCase().includes(q); });
  } });
  return [h('h2', {}, 'Requests ', h('span', { class: 'muted' }, '— every REST and WebSocket invocation, live')),
    h('div', { class: 'row' }, filter),
    h('div', { id: 'requests' }, table(['time', 'kind', 'function', 'method', 'route / action', 'status', 'duration', 'correlation id'],
      items.map(r => requestRow(r, false))))];
};

pages.request = async id => {
  const r = await api('requests/' + id);
  return [h('h2', {}, h('a', { href: '#requests' }, 'Requests'), ` / ${r.method} ${r.route}`),
    h('p', {}, `${dateTime(r.at)} · ${r.function} · status ${r.status} · ${r.durationMs.toFixed(1)} ms · correlation id `,
      h('code', {}, r.correlationId), r.userId ? [' · user ', h('a', { href: '#users/' + r.userId }, r.userId)] : null),
    h('p', { class: 'muted' }, 'Passwords, tokens, codes, signatures and secrets are redacted.'),
    h('div', { class: 'two' }, h('div', {}, h('h3', {}, 'Request'), h('pre', { id: 'request-body' }, pretty(r.request))),
      h('div', {}, h('h3', {}, 'Response'), h('pre', { id: 'response-body' }, r.error ? r.error : pretty(r.response)))),
    h('h3', {}, `Log lines of ${r.correlationId} (${r.logs.length})`),
    h('div', { class: 'logs card mono' }, r.logs.length ? r.logs.map(l => h('div', { class: 'line' }, `${time(l.at)} ${l.level} `,
      h('span', { class: 'muted' }, l.logger.replace(/.*\./, '')), ' ', l.message)) : h('span', { class: 'muted' }, 'none'))];
};

const cursors = {};

pages.data = async arg => {
  const tables = (await api('tables')).items;
  const which = arg || 'bucket';
  const side = h('div', { class: 'side' }, h('a', { href: '#data/bucket', class: which === 'bucket' ? 'active' : null }, 'Bucket (S3)'),
    tables.map(t => h('a', { href: '#data/' + t.logicalId, class: which === t.logicalId ? 'active' : null }, `${t.logicalId} (${t.items})`)));
  let body;
  const stack = cursors[which] || (cursors[which] = { pages: [null], i: 0, eq: '' });
  const cursor = stack.pages[stack.i];
  const pager = next => h('div', { class: 'row' },
    h('button', { disabled: stack.i === 0, onclick: () => { stack.i--; refresh(); } }, '← previous'),
    h('span', { class: 'muted' }, `page ${stack.i + 1}`),
    h('button', { disabled: !next, onclick: () => { stack.pages[stack.i + 1] = next; stack.i++; refresh(); } }, 'next →'));
  if (which === 'bucket') {
    const b = await api('bucket' + (cursor ? '?cursor=' + encodeURIComponent(cursor) : ''));
    body = [h('h3', {}, `Bucket ${b.bucket}`), pager(b.nextCursor),
      h('div', { id: 'objects', class: 'objects' }, b.items.length ? b.items.map(o => h('div', { class: 'object', dataset: { key: o.key } },
        o.image ? h('img', { class: 'thumb', src: '/_local/api/bucket/object?key=' + encodeURIComponent(o.key), alt: o.key, loading: 'lazy' }) : null,
        obj(o.key), h('div', { class: 'muted' }, `${o.size.toLocaleString()} bytes`))) : h('p', { class: 'muted' }, 'empty'))];
  } else {
    const t = tables.find(x => x.logicalId === which);
    const eq = h('input', { placeholder: 'attribute:value', value: stack.eq, size: 30 });
    const q = `tables/${which}?limit=25` + (cursor ? '&cursor=' + encodeURIComponent(cursor) : '') + (stack.eq ? '&eq=' + encodeURIComponent(stack.eq) : '');
    const page = await api(q);
    body = [h('h3', {}, `${which} `, h('span', { class: 'muted mono' }, `${t ? t.name : ''} · key ${t ? t.key.join(' + ') : ''}`)),
      h('div', { class: 'row' }, 'only items where ', eq, h('button', { onclick: () => {
        cursors[which] = { pages: [null], i: 0, eq: eq.value.trim() };
        refresh();
      } }, 'Filter')),
      pager(page.nextCursor),
      page.items.length ? page.items.map(i => h('pre', { class: 'item' }, pretty(i))) : h('p', { class: 'muted' }, 'no items')];
  }
  return [h('h2', {}, 'Data ', h('span', { class: 'muted' }, '— every table of the template and the bucket')), h('div', { class: 'cols' }, side, h('div', {}, body))];
};

pages.chat = async () => {
  await loadUsers();
  const [rooms, members, conns] = await Promise.all([api('tables/RoomsTable?limit=200'), api('tables/RoomMembersTable?limit=500'), api('connections')]);
  const byRoom = {};
  members.items.forEach(m => (byRoom[m.roomId] = byRoom[m.roomId] || []).push(m));
  const connSel = h('select', { id: 'send-connection' }, conns.items.map(c => h('option', { value: c.connectionId }, `${email(c.userId)} · ${c.connectionId}`)));
  const roomSel = h('select', { id: 'send-room' }, rooms.items.map(r => h('option', { value: r.roomId }, `${r.name || r.type} · ${r.roomId}`)));
  const text = h('input', { id: 'send-text', placeholder: 'message text', size: 30 });
  const out = h('span', { class: 'muted' });
  return [h('h2', {}, 'Chat ', h('span', { class: 'muted' }, '— rooms, members and live WebSocket connections')),
    h('div', { class: 'card' }, h('strong', {}, 'Send a frame as a user '), h('span', { class: 'muted' }, '(on one of their open connections; watch the fan-out in Requests)'),
      h('div', { class: 'row' }, connSel, roomSel, text, h('button', { class: 'primary', disabled: !conns.items.length, onclick: async () => {
        const frame = { action: 'sendMessage', roomId: roomSel.value, text: text.value || 'hello from the console', clientMessageId: 'console-' + Date.now() };
        const r = await act('chat/send', { connectionId: connSel.value, frame });
        out.textContent = r.status === 200 ? 'sent: ' + JSON.stringify(frame) : 'the connection is gone';
      } }, 'Send')), out),
    h('h3', {}, `Live connections (${conns.items.length})`),
    table(['user', 'connection', 'since', 'frames pushed'], conns.items.length ? conns.items.map(c => h('tr', {},
      h('td', {}, h('a', { href: '#users/' + c.userId }, email(c.userId))), h('td', { class: 'mono' }, c.connectionId),
      h('td', {}, dateTime(c.connectedAt)), h('td', {}, c.framesOut))) : [empty('nobody is connected', 4)]),
    h('h3', {}, `Rooms (${rooms.items.length})`),
    table(['room', 'type', 'name', 'members', 'last activity'], rooms.items.length ? rooms.items.map(r => h('tr', {},
      h('td', { class: 'mono' }, r.roomId), h('td', {}, r.type), h('td', {}, r.name),
      h('td', {}, (byRoom[r.roomId] || []).map(m => h('div', {}, h('a', { href: '#users/' + m.userId }, email(m.userId)), ' ', h('span', { class: 'muted' }, m.role)))),
      h('td', {}, dateTime(r.lastActivityAt || r.updatedAt || r.createdAt)))) : [empty('no rooms yet', 5)])];
};

pages.payments = async () => {
  await loadUsers();
  const [txs, overview] = await Promise.all([api('tables/TransactionsTable?limit=200'), api('overview')]);
  txs.items.sort((a, b) => String(b.createdAt).localeCompare(String(a.createdAt)));
  const standIn = overview.vnpayStandIn;
  return [h('h2', {}, 'Payments ', h('span', { class: 'muted' }, '— VNPAY transactions' + (standIn ? ' (local stand-in)' : ' (real sandbox: replay needs the stand-in)'))),
    table(['transaction', 'user', 'package', 'credits', 'amount (VND)', 'status', 'created', ''], txs.items.length ? txs.items.map(t => h('tr', { dataset: { tx: t.transactionId } },
      h('td', { class: 'mono' }, t.transactionId), h('td', {}, email(t.userId)), h('td', {}, t.packageId), h('td', {}, t.credits),
      h('td', {}, Number(t.amountVnd).toLocaleString()), h('td', {}, pill(t.status)), h('td', {}, dateTime(t.createdAt)),
      h('td', {}, h('button', { disabled: !standIn, title: 'a paid IPN signed with the local VNPAY secret, to GET /payment/vnpay-ipn', onclick: async () => {
        const r = await act(`payments/${t.transactionId}/ipn`, { result: 'pay' });
        toast('IPN → ' + JSON.stringify(r.body));
      } }, 'Replay signed IPN'), ' ',
      h('button', { disabled: !standIn, onclick: async () => { window.open((await api(`payments/${t.transactionId}/page`)).url, '_blank'); } }, 'Payment page'))))
      : [empty('no transactions yet: POST /user/pay-vnpay', 8)])];
};

pages.schedules = async () => {
  const items = (await api('schedules')).items;
  return [h('h2', {}, 'Schedules ', h('span', { class: 'muted' }, '— every schedule of the template')),
    table(['function', 'event', 'expression', 'next run', 'last run', 'duration', 'last result', ''], items.map(s => h('tr', { dataset: { function: s.function } },
      h('td', {}, s.function), h('td', {}, s.event), h('td', { class: 'mono' }, s.expression), h('td', {}, s.next ? dateTime(s.next) : 'on demand'),
      h('td', { class: 'last-run' }, dateTime(s.lastRun) || '—'), h('td', {}, s.lastDurationMs != null ? s.lastDurationMs + ' ms' : ''),
      h('td', { class: 'result mono' }, s.lastResult || ''),
      h('td', {}, h('button', { class: 'run primary', onclick: async e => {
        e.target.disabled = true;
        const r = await act('schedules/' + s.function);
        toast(`${s.function} → ${r.status}`);
        refresh();
      } }, 'Run now')))))];
};

pages.coaching = async arg => {
  await loadUsers();
  const [profiles, assignments] = await Promise.all([api('tables/QuitProfilesTable?limit=200'), api('tables/CoachClientsTable?limit=200')]);
  const client = arg || (profiles.items[0] || {}).userId;
  let detail = h('p', { class: 'muted' }, 'no quit profile yet: PUT /quit/profile');
  if (client) {
    const entries = (await api(`tables/ProgressEntriesTable?limit=500&eq=${encodeURIComponent('userId:' + client)}`)).items
      .sort((a, b) => a.date.localeCompare(b.date));
    let streak = 0, prev = null;
    const bars = entries.map(e => {
      const day = new Date(e.date + 'T00:00:00Z');
      const next = prev && (day - prev) === 86400000;
      streak = Number(e.smoked) === 0 ? (next ? streak + 1 : 1) : 0;
      prev = day;
      return { label: e.date.slice(5), value: streak, color: Number(e.smoked) === 0 ? '#1f8a4c' : '#c23b3b' };
    });
    detail = [h('h3', {}, `${email(client)}: smoke-free streak by day`),
      entries.length ? barChart(bars, 'streak (days) at each logged day; red = a slip') : h('p', { class: 'muted' }, 'no entries yet'),
      table(['date', 'smoked', 'cravings', 'mood', 'triggers', 'note'], entries.slice().reverse().map(e => h('tr', {}, h('td', {}, e.date), h('td', {}, e.smoked),
        h('td', {}, e.cravings ?? ''), h('td', {}, e.mood ?? ''), h('td', {}, (e.triggers || []).join(', ')), h('td', {}, e.note || ''))))];
  }
  const coachOf = {};
  assignments.items.forEach(a => { coachOf[a.userId] = a.coachId; });
  return [h('h2', {}, 'Coaching ', h('span', { class: 'muted' }, '— quit profiles, coaches and progress')),
    table(['client', 'quit date', 'per day', 'pack price', 'zone', 'coach'], profiles.items.length ? profiles.items.map(p => h('tr', {
      class: 'link', onclick: () => { location.hash = '#coaching/' + p.userId; } },
    h('td', {}, email(p.userId)), h('td', {}, p.quitDate), h('td', {}, p.cigarettesPerDay), h('td', {}, `${p.packPrice} ${p.currency || ''}`),
    h('td', {}, p.timezone), h('td', {}, coachOf[p.userId] ? email(coachOf[p.userId]) : '—'))) : [empty('no quit profiles yet', 6)]),
    detail];
};

pages.gym = async arg => {
  const gyms = (await api('tables/GymsTable?limit=200')).items;
  const gym = gyms.find(g => g.gymId === arg) || gyms[0];
  let detail = h('p', { class: 'muted' }, 'no gyms yet: POST /admin/gyms');
  if (gym) {
    const visits = (await api(`tables/VisitsTable?limit=500&eq=${encodeURIComponent('gymId:' + gym.gymId)}`)).items;
    const hours = Array.from({ length: 24 }, (_, i) => ({ label: String(i), value: 0 }));
    const fmt = new Intl.DateTimeFormat('en-GB', { hour: 'numeric', hourCycle: 'h23', timeZone: gym.timezone || 'UTC' });
    // occupancy by hour: each visit counts once in every hour of the day it spent inside (open visits until now)
    visits.forEach(v => {
      const end = v.checkedOutAt ? new Date(v.checkedOutAt).getTime() : Date.now();
      const seen = new Set();
      for (let t = new Date(v.checkedInAt).getTime(); t <= end && seen.size < 24; t += 3600000) {
        seen.add(Number(fmt.format(new Date(t))) % 24);
      }
      seen.forEach(hr => { hours[hr].value++; });
    });
    const inside = visits.filter(v => !v.checkedOutAt).length;
    detail = [h('h3', {}, `${gym.name}: occupancy ${gym.occupancy ?? 0} / ${gym.capacity} (members inside: ${inside})`),
      barChart(hours, `occupancy by hour of day (${gym.timezone}): visits inside during each hour, ${visits.length} visits`),
      table(['visit', 'user', 'in', 'out', 'closed by'], visits.slice(0, 100).map(v => h('tr', {}, h('td', { class: 'mono' }, v.visitId), h('td', {}, v.userId),
        h('td', {}, dateTime(v.checkedInAt)), h('td', {}, dateTime(v.checkedOutAt)), h('td', {}, v.closedBy || ''))))];
  }
  return [h('h2', {}, 'Gym ', h('span', { class: 'muted' }, '— gyms, occupancy and visits')),
    table(['gym', 'capacity', 'occupancy', 'zone', 'address'], gyms.length ? gyms.map(g => h('tr', { class: 'link', onclick: () => { location.hash = '#gym/' + g.gymId; } },
      h('td', {}, g.name), h('td', {}, g.capacity), h('td', {}, g.occupancy ?? 0), h('td', {}, g.timezone), h('td', {}, g.address || ''))) : [empty('no gyms yet', 5)]),
    detail];
};

pages.api = async () => [h('div', { class: 'row' }, h('a', { href: '/_local/docs', target: '_blank' }, 'open the reference'), ' · ',
  h('a', { href: '/_local/openapi.yaml' }, 'openapi.yaml'), ' · ', h('a', { href: '/_local/asyncapi.yaml' }, 'asyncapi.yaml'), ' · ',
  h('a', { href: '/_local/docs/websocket', target: '_blank' }, 'WebSocket frames')),
h('iframe', { class: 'docs', src: '/_local/docs', title: 'API reference' })];

// ---- routing and live updates

const detailPages = { users: 'user', requests: 'request' };

async function render() {
  const [page, ...rest] = (location.hash.slice(1) || 'mail').split('/');
  const arg = rest.length ? decodeURIComponent(rest.join('/')) : null;
  const name = arg && detailPages[page] ? detailPages[page] : page;
  const fn = pages[name] || pages.mail;
  current = { page, name, arg, render: fn };
  document.querySelectorAll('#tabs a').forEach(a => a.classList.toggle('active', a.dataset.page === page));
  await draw();
}

// Requests streamed while a page was being fetched: the fetched list may predate them, so they are added after it.
let drawing = 0;
let streamedWhileDrawing = [];

async function draw() {
  const mine = current;
  drawing++;
  try {
    const nodes = await mine.render(mine.arg);
    if (mine !== current) return;
    view.replaceChildren(...[nodes].flat(Infinity));
    view.dataset.page = mine.name;
    streamedWhileDrawing.forEach(addRequestRow);
  } catch (e) {
    if (mine === current) view.replaceChildren(h('p', { class: 'status-5' }, 'could not load: ' + e.message));
  } finally {
    if (--drawing === 0) streamedWhileDrawing = [];
  }
}

/** Prepends a streamed request to the Requests page when it shows and lacks it; answers whether the page shows. */
function addRequestRow(r) {
  const body = document.querySelector('#requests tbody');
  if (current.name !== 'requests' || !body) return false;
  if (body.querySelector('tr[data-id="' + CSS.escape(String(r.id)) + '"]')) return true;
  const row = requestRow(r, true);
  const f = document.getElementById('filter');
  if (f && f.value && !row.textContent.toLowerCase().includes(f.value.toLowerCase())) row.hidden = true;
  body.prepend(row);
  while (body.children.length > 1000) body.lastChild.remove();
  return true;
}

let pending = null;
function refresh(always) {
  clearTimeout(pending);
  pending = setTimeout(() => {
    const a = document.activeElement;
    if (!always && a && view.contains(a) && (a.tagName === 'INPUT' || a.tagName === 'SELECT')) return;
    if (current.name === 'api' || current.name === 'request') return;
    draw();
  }, 250);
}

function connect() {
  const live = document.getElementById('live');
  const events = new EventSource('/_local/events');
  // after a reconnection, redraw: what happened meanwhile was not streamed
  events.onopen = () => { if (live.className === 'live lost') refresh(true); live.className = 'live on'; };
  events.onerror = () => { live.className = 'live lost'; };
  events.addEventListener('request', e => {
    window.consoleEvents = (window.consoleEvents || 0) + 1;
    const r = JSON.parse(e.data);
    if (drawing) streamedWhileDrawing.push(r);
    if (!addRequestRow(r)) refresh();
  });
  events.addEventListener('mail', () => { if (current.name === 'mail' || current.name === 'users') refresh(); });
}

window.addEventListener('hashchange', render);
connect();
render();
