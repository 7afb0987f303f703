// Cotenant dashboard: plain JS against job-api's REST API, authenticated with the same bearer
// token; live from GET /api/v1/events (SSE read with fetch, since EventSource cannot send an
// Authorization header).
'use strict';

const API = '/api/v1';
const TOKEN_KEY = 'cotenant.token';
const state = {
  token: null,
  lastSeq: 0,
  bars: new Map(), // pod@gpu -> bar
  cards: [],
  jobs: [],
  settings: {},
  selected: null,
  windowMinutes: 10,
  following: null,
  started: false,
  timers: false,
};
const $ = (sel) => document.querySelector(sel);

function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined) continue;
    if (k === 'class') e.className = v;
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v);
  }
  for (const c of children.flat()) {
    if (c !== null && c !== undefined) e.append(c instanceof Node ? c : String(c));
  }
  return e;
}

const SVG = 'http://www.w3.org/2000/svg';
function svg(tag, attrs = {}, ...children) {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== null && v !== undefined) e.setAttribute(k, v);
  for (const c of children.flat()) if (c !== null && c !== undefined) e.append(c instanceof Node ? c : String(c));
  return e;
}

function debounce(fn, ms) {
  let t = null;
  return () => {
    clearTimeout(t);
    t = setTimeout(fn, ms);
  };
}

// --- authentication -------------------------------------------------------------------------

function claims(token) {
  try {
    const part = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    return JSON.parse(atob(part));
  } catch (e) {
    return null;
  }
}

function signIn(token) {
  const c = claims(token);
  if (!c || !c.tenant) {
    $('#sign-in-error').textContent = 'That is not a Cotenant token (no tenant claim).';
    return;
  }
  sessionStorage.setItem(TOKEN_KEY, token);
  state.token = token;
  $('#sign-in').hidden = true;
  $('#app').hidden = false;
  $('#sign-out').hidden = false;
  const admin = (c.groups || []).includes('admin');
  $('#who').textContent = `tenant ${c.tenant}${admin ? ' (admin)' : ''}`;
  start();
}

function signOut(message) {
  sessionStorage.removeItem(TOKEN_KEY);
  state.token = null;
  if (state.following) state.following.abort();
  $('#app').hidden = true;
  $('#sign-out').hidden = true;
  $('#sign-in').hidden = false;
  $('#who').textContent = '';
  $('#sign-in-error').textContent = message || '';
  setLive(false);
}

async function api(path, options = {}) {
  const headers = { ...(options.headers || {}), Authorization: `Bearer ${state.token}` };
  const res = await fetch(API + path, { ...options, headers });
  if (res.status === 401) {
    signOut('The token was refused (expired or signed by another key). Sign in again.');
    throw new Error('unauthorized');
  }
  const type = res.headers.get('content-type') || '';
  const body = type.includes('json') ? await res.json() : await res.text();
  if (!res.ok) {
    const err = new Error((body && body.title) || `HTTP ${res.status}`);
    err.problem = body;
    throw err;
  }
  return body;
}

// --- live updates ---------------------------------------------------------------------------

function setLive(on) {
  const b = $('#live');
  b.textContent = on ? 'live' : 'offline';
  b.className = `badge ${on ? 'on' : 'off'}`;
}

async function follow() {
  while (state.token) {
    const controller = new AbortController();
    state.following = controller;
    try {
      const res = await fetch(`${API}/events`, {
        headers: {
          Authorization: `Bearer ${state.token}`,
          Accept: 'text/event-stream',
          'Last-Event-ID': String(state.lastSeq),
        },
        signal: controller.signal,
      });
      if (res.status === 401) {
        signOut('The token was refused. Sign in again.');
        return;
      }
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      setLive(true);
      const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer = (buffer + value).replace(/\r\n?/g, '\n');
        let end;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          dispatch(buffer.slice(0, end));
          buffer = buffer.slice(end + 2);
        }
      }
    } catch (e) {
      if (!state.token) return;
    }
    setLive(false);
    await new Promise((r) => setTimeout(r, 2000)); // then resume after the last seq seen
  }
  state.started = false;
}

function dispatch(block) {
  let id = null;
  let type = null;
  const data = [];
  for (const line of block.split('\n')) {
    if (line.startsWith('id:')) id = line.slice(3).trim();
    else if (line.startsWith('event:')) type = line.slice(6).trim();
    else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
  }
  if (id !== null) state.lastSeq = Math.max(state.lastSeq, Number(id));
  if (!type || data.length === 0) return;
  let event;
  try {
    event = JSON.parse(data.join('\n'));
  } catch (e) {
    return;
  }
  onEvent(type, event);
}

const refreshJobs = debounce(loadJobs, 300);
const refreshCluster = debounce(loadCluster, 500);
const redrawTimeline = debounce(drawTimeline, 300);

function onEvent(type, e) {
  const gpus = e.gpus && e.gpus.length ? e.gpus.map((g) => g.index) : [-1];
  if (type === 'dev.cotenant.pod.started') {
    for (const gpu of gpus) {
      const key = `${e.pod}@${gpu}`;
      if (!state.bars.has(key)) {
        state.bars.set(key, { node: e.node, gpu, pod: e.pod, jobId: e.jobId, app: e.app, start: e.time, end: null, outcome: null });
      }
    }
    redrawTimeline();
    refreshCluster();
  } else if (type === 'dev.cotenant.pod.finished') {
    for (const gpu of gpus) {
      state.bars.set(`${e.pod}@${gpu}`, {
        node: e.node, gpu, pod: e.pod, jobId: e.jobId, app: e.app,
        start: e.startedAt || e.time, end: e.time, outcome: e.outcome,
      });
    }
    redrawTimeline();
    refreshCluster();
  }
  if (state.selected && e.jobId === state.selected && type === 'dev.cotenant.job.placed') {
    loadDecision(state.selected);
  }
  refreshJobs();
}

// --- cluster --------------------------------------------------------------------------------

async function loadCluster() {
  const cluster = await api('/dashboard/cluster');
  state.cards = cluster.cards;
  $('#cluster-at').textContent = `as reported at ${new Date(cluster.at).toLocaleTimeString()}`;
  const byNode = new Map();
  for (const c of cluster.cards) {
    if (!byNode.has(c.node)) byNode.set(c.node, []);
    byNode.get(c.node).push(c);
  }
  const root = $('#cluster');
  root.replaceChildren();
  if (byNode.size === 0) {
    root.append(el('p', {}, 'No GPU telemetry yet: the monitor reports every card after its first scrape.'));
  }
  for (const [node, cards] of byNode) {
    root.append(
      el('div', { class: 'node', 'data-node': node },
        el('h3', {}, node),
        el('div', { class: 'cards' }, cards.map(card))));
  }
}

function meter(fraction, cls, title) {
  const pct = Math.max(0, Math.min(1, fraction)) * 100;
  return el('div', { class: `meter ${cls}`, title }, el('div', { style: `width:${pct.toFixed(1)}%` }));
}

function card(c) {
  const mem = c.memoryTotalMiB > 0 ? c.memoryUsedMiB / c.memoryTotalMiB : 0;
  return el('div', {
      class: `card${c.stale ? ' stale' : ''}`, 'data-node': c.node, 'data-gpu': c.gpu,
      title: `${c.uuid || ''}${c.stale ? ' — not reported lately' : ''}`,
    },
    el('div', {}, el('b', {}, `GPU ${c.gpu}`), ` ${c.model || ''}`),
    el('div', {}, `SM ${(c.smActivity * 100).toFixed(0)}% · util ${c.utilizationPercent.toFixed(0)}%`),
    meter(c.smActivity, 'sm', 'SM activity'),
    el('div', {}, `memory ${c.memoryUsedMiB} / ${c.memoryTotalMiB} MiB`),
    meter(mem, 'mem', 'framebuffer used'),
    el('div', { class: 'pods' },
      c.pods.map((p) =>
        el('span', {
          class: 'pod', 'data-pod': p.pod, 'data-job': p.jobId,
          title: p.pod, onclick: p.jobId ? () => select(p.jobId) : null,
        }, p.jobName || p.pod)),
      c.otherPods > 0 ? el('span', { class: 'others' }, ` +${c.otherPods} of other tenants`) : null));
}

// --- jobs and decisions ---------------------------------------------------------------------

function traceUrl(jobId) {
  const t = state.settings.traceSearchUrl;
  return t ? t.replace('{job}', encodeURIComponent(jobId)) : null;
}

async function loadJobs() {
  const page = await api('/jobs?limit=50');
  state.jobs = page.items;
  const rows = page.items.map((j) => {
    const pods = (j.pods || []).map((p) => `${p.node || '?'}${(p.gpus || []).map((g) => `/gpu${g.index}`).join('')}`);
    const trace = traceUrl(j.id);
    return el('tr', { class: 'job', 'data-job': j.id, 'data-status': j.status, onclick: () => select(j.id) },
      el('td', { title: j.id }, j.spec.name),
      el('td', { class: 'status', title: j.reason || '' }, j.status, j.reason ? el('small', { class: 'reason' }, ` ${j.reason}`) : null),
      el('td', { class: 'where' }, pods.join(', ')),
      el('td', {}, new Date(j.submittedAt).toLocaleTimeString()),
      el('td', {}, trace ? el('a', { href: trace, target: '_blank', onclick: (ev) => ev.stopPropagation() }, 'trace') : ''));
  });
  $('#jobs tbody').replaceChildren(...rows);
}

async function select(jobId) {
  state.selected = jobId;
  await loadDecision(jobId);
}

async function loadDecision(jobId) {
  const d = await api(`/dashboard/jobs/${encodeURIComponent(jobId)}/decision`);
  const job = state.jobs.find((j) => j.id === jobId);
  $('#decision-section').hidden = false;
  $('#decision-job').textContent = job ? `${job.spec.name} (${jobId})` : jobId;
  const root = $('#decision');
  root.replaceChildren();
  const trace = d.traceUrl ? el('a', { href: d.traceUrl, target: '_blank' }, 'open its trace') : null;
  if (!d.policy) {
    root.append(el('p', {}, 'Not placed yet. ', job && job.reason ? job.reason : '', ' ', trace));
    return;
  }
  root.append(el('p', {}, `Placed by ${d.policy} at ${new Date(d.placedAt).toLocaleTimeString()}. `, trace));
  root.append(el('ul', {}, d.pods.map((p) =>
    el('li', {}, `${p.pod} → ${p.node}${p.gpus.map((g) => ` GPU ${g.index}`).join('')}`))));
  const plugins = [...new Set(d.topCandidates.flatMap((c) => Object.keys(c.plugins)))].sort();
  root.append(el('table', { id: 'candidates' },
    el('thead', {}, el('tr', {}, el('th', {}, 'candidate'), el('th', {}, 'total'), plugins.map((p) => el('th', {}, p)))),
    el('tbody', {}, d.topCandidates.map((c) =>
      el('tr', {},
        el('td', {}, `${c.node}${c.gpuIndex >= 0 ? ` / GPU ${c.gpuIndex}` : ''}`),
        el('td', {}, c.total.toFixed(1)),
        plugins.map((p) => el('td', {}, c.plugins[p] === undefined ? '' : c.plugins[p].toFixed(1))))))));
}

// --- timeline -------------------------------------------------------------------------------

async function loadTimeline() {
  const t = await api(`/dashboard/timeline?minutes=${state.windowMinutes}`);
  state.lastSeq = Math.max(state.lastSeq, t.lastSeq);
  state.bars = new Map(t.bars.map((b) => [`${b.pod}@${b.gpu}`, b]));
  drawTimeline();
}

function color(app) {
  let h = 0;
  for (const ch of app || '?') h = (h * 31 + ch.charCodeAt(0)) % 360;
  return `hsl(${h} 55% 55%)`;
}

function drawTimeline() {
  const now = Date.now();
  const from = now - state.windowMinutes * 60_000;
  const rows = new Map();
  for (const c of state.cards) rows.set(`${c.node}/${c.gpu}`, []);
  for (const b of state.bars.values()) {
    const end = b.end ? Date.parse(b.end) : now;
    if (end < from) continue;
    const key = `${b.node}/${b.gpu}`;
    if (!rows.has(key)) rows.set(key, []);
    rows.get(key).push(b);
  }
  const keys = [...rows.keys()].sort((a, b) => a.localeCompare(b, undefined, { numeric: true }));
  const label = 150, width = 1100, rowH = 18, top = 18;
  const x = (t) => label + ((t - from) / (now - from)) * (width - label - 10);
  const root = svg('svg', { viewBox: `0 0 ${width} ${top + keys.length * rowH + 4}`, width: '100%', id: 'gantt' });
  for (let m = 0; m <= state.windowMinutes; m += Math.max(1, Math.round(state.windowMinutes / 10))) {
    const t = now - m * 60_000;
    root.append(svg('line', { x1: x(t), x2: x(t), y1: top - 4, y2: top + keys.length * rowH, stroke: '#e4e6eb' }));
    root.append(svg('text', { x: x(t), y: 12, 'text-anchor': 'middle', fill: '#667' }, m === 0 ? 'now' : `-${m}m`));
  }
  keys.forEach((key, i) => {
    const y = top + i * rowH;
    const [node, gpu] = key.split('/');
    root.append(svg('text', { x: 4, y: y + 13 }, `${node} ${gpu === '-1' ? 'CPU' : `GPU ${gpu}`}`));
    const lanes = [];
    for (const b of rows.get(key).sort((p, q) => Date.parse(p.start) - Date.parse(q.start))) {
      const s = Math.max(Date.parse(b.start), from);
      const e = b.end ? Date.parse(b.end) : now;
      // co-tenants overlap in time: each gets a thin lane of the row
      let lane = lanes.findIndex((endT) => endT <= s);
      if (lane < 0) { lane = lanes.length; lanes.push(e); } else lanes[lane] = e;
      b.lane = lane;
    }
    const n = Math.max(1, lanes.length);
    for (const b of rows.get(key)) {
      const s = Math.max(Date.parse(b.start), from);
      const e = b.end ? Date.parse(b.end) : now;
      const h = (rowH - 4) / n;
      const bad = b.outcome && b.outcome !== 'SUCCEEDED';
      root.append(svg('rect', {
          x: x(s), y: y + 2 + b.lane * h, width: Math.max(1.5, x(e) - x(s)), height: h,
          fill: color(b.app), stroke: bad ? '#a33' : 'none', 'data-pod': b.pod, 'data-job': b.jobId, class: 'bar',
        },
        svg('title', {}, `${b.jobName || b.jobId} · ${b.pod} · ${b.app || ''}\n${new Date(b.start).toLocaleTimeString()} – ${b.end ? new Date(b.end).toLocaleTimeString() : 'running'}${b.outcome ? ` · ${b.outcome}` : ''}`)));
    }
  });
  $('#timeline').replaceChildren(keys.length ? root : el('p', {}, 'No pods ran in this window.'));
}

// --- interference ---------------------------------------------------------------------------

async function loadInterference() {
  const m = await api('/dashboard/interference');
  const apps = [...new Set([...m.apps.map((a) => a.app), ...m.pairs.map((p) => p.with)])].sort();
  const root = $('#interference');
  if (apps.length === 0) {
    root.replaceChildren(el('p', {}, 'No profiles yet: the profiler publishes them as runs finish.'));
    return;
  }
  const pairs = new Map(m.pairs.map((p) => [`${p.app}|${p.with}`, p]));
  const cell = 46, label = 110;
  const size = label + apps.length * cell + 4;
  const root2 = svg('svg', { viewBox: `0 0 ${size} ${size}`, width: Math.min(720, size * 1.2), id: 'heatmap' });
  apps.forEach((a, i) => {
    root2.append(svg('text', { x: label - 4, y: label + i * cell + cell / 2 + 4, 'text-anchor': 'end' }, a));
    root2.append(svg('text', {
      x: label + i * cell + cell / 2, y: label - 4,
      transform: `rotate(-45 ${label + i * cell + cell / 2} ${label - 4})`,
    }, a));
  });
  apps.forEach((a, i) => apps.forEach((w, j) => {
    const p = pairs.get(`${a}|${w}`);
    const x = label + j * cell, y = label + i * cell;
    if (!p) {
      root2.append(svg('rect', { x, y, width: cell - 2, height: cell - 2, fill: '#f3f3f3' }));
      return;
    }
    const v = p.normalizedThroughput;
    const fill = p.incompatible ? '#555' : `hsl(${Math.round(120 * Math.max(0, Math.min(1, v)))} 65% 55%)`;
    root2.append(svg('rect', {
        x, y, width: cell - 2, height: cell - 2, fill, class: p.predicted ? 'predicted' : 'measured',
        stroke: p.predicted ? '#333' : 'none', 'stroke-dasharray': p.predicted ? '3 2' : null,
        'data-app': a, 'data-with': w,
      },
      svg('title', {}, `${a} beside ${w}: ${p.incompatible ? 'cannot share' : v.toFixed(2)} ± ${p.uncertainty.toFixed(2)}, ${p.predicted ? 'predicted' : `measured from ${p.count} runs`}`)));
    root2.append(svg('text', { x: x + cell / 2 - 1, y: y + cell / 2 + 3, 'text-anchor': 'middle', fill: '#111' },
      p.incompatible ? '×' : `${p.predicted ? '≈' : ''}${v.toFixed(2)}`));
  }));
  root.replaceChildren(root2);
}

// --- submit ---------------------------------------------------------------------------------

function uuid() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

async function submit(ev) {
  ev.preventDefault();
  const f = new FormData(ev.target);
  const num = (k) => Number(f.get(k));
  const job = {
    name: f.get('name'),
    image: f.get('image'),
    replicas: num('replicas'),
    resources: { cpuMilli: num('cpuMilli'), memoryMiB: num('memoryMiB') },
  };
  if (num('gpuMilli') > 0) job.resources.gpu = { milli: num('gpuMilli'), memoryMiB: num('gpuMemoryMiB') };
  if (f.get('policy')) job.policy = f.get('policy');
  const out = $('#submit-result');
  try {
    const accepted = await api('/jobs', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Idempotency-Key': uuid() },
      body: JSON.stringify(job),
    });
    out.replaceChildren(el('p', { id: 'accepted', 'data-job': accepted.id }, `Accepted: ${accepted.id}`));
    await loadJobs();
    select(accepted.id);
  } catch (e) {
    const v = (e.problem && e.problem.violations) || [];
    out.replaceChildren(el('p', { class: 'error' }, e.message),
      el('ul', {}, v.map((x) => el('li', { class: 'error' }, `${x.field}: ${x.message}`))));
  }
}

// --- start ----------------------------------------------------------------------------------

async function start() {
  try {
    state.settings = await api('/dashboard/settings');
    await loadCluster();
    await Promise.all([loadJobs(), loadTimeline(), loadInterference()]);
  } catch (e) {
    if (!state.token) return;
    $('#cluster').prepend(el('p', { class: 'error' }, `Loading failed: ${e.message}`));
  }
  if (!state.started) {
    state.started = true;
    follow();
  }
  if (!state.timers) {
    state.timers = true;
    setInterval(() => state.token && loadCluster().catch(() => {}), 2000);
    setInterval(() => state.token && loadInterference().catch(() => {}), 10000);
    setInterval(() => state.token && drawTimeline(), 5000);
  }
}

function init() {
  const fromFragment = location.hash.match(/token=([^&]+)/);
  if (fromFragment) {
    // The fragment never reaches the server; drop it from the address bar and history.
    sessionStorage.setItem(TOKEN_KEY, decodeURIComponent(fromFragment[1]));
    history.replaceState(null, '', location.pathname + location.search);
  }
  $('#token-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    signIn($('#token-input').value.trim());
  });
  $('#sign-out').addEventListener('click', () => signOut());
  $('#submit-form').addEventListener('submit', submit);
  $('#window').addEventListener('change', (ev) => {
    state.windowMinutes = Number(ev.target.value);
    loadTimeline();
  });
  const token = sessionStorage.getItem(TOKEN_KEY);
  if (token) signIn(token);
  else signOut();
}

init();
