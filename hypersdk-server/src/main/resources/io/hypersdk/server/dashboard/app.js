import { loadRules } from './rules.js';
import { setUpForm } from './form.js';

const $ = (id) => document.getElementById(id);
const csrf = () => document.querySelector('meta[name="csrf-token"]').content;
const views = ['login-view', 'jobs-view', 'job-view', 'form-view'];
let source = null;
let listTimer = null;

function show(view) {
  for (const v of views) $(v).hidden = v !== view;
  if (source) { source.close(); source = null; }
  if (listTimer) { clearInterval(listTimer); listTimer = null; }
}

async function route() {
  const hash = location.hash || '#/';
  if (hash === '#/new') {
    show('form-view');
    $('vm_path').focus();
  } else if (hash.startsWith('#/jobs/')) {
    show('job-view');
    openJob(decodeURIComponent(hash.slice('#/jobs/'.length)));
  } else {
    show('jobs-view');
    await refreshList();
    listTimer = setInterval(refreshList, 2000);
  }
}

async function refreshList() {
  const r = await fetch('/jobs/query');
  if (r.status === 401) { location.reload(); return; } // the session ended (server restarted)
  const body = await r.json();
  const rows = body.jobs.slice().reverse().map((j) => {
    const tr = document.createElement('tr');
    const a = document.createElement('a');
    a.href = '#/jobs/' + encodeURIComponent(j.id);
    a.textContent = j.definition.name || j.id;
    const cells = [a, text(j.definition.vm_path), status(j.status), text(j.updated_at)];
    for (const c of cells) { const td = document.createElement('td'); td.append(c); tr.append(td); }
    tr.dataset.jobId = j.id;
    return tr;
  });
  $('jobs-table').tBodies[0].replaceChildren(...rows);
  $('jobs-empty').hidden = rows.length > 0;
}

function text(s) { return document.createTextNode(s ?? ''); }
function status(s) { const e = document.createElement('span'); e.className = 'status ' + s; e.textContent = s; return e; }

function setStatus(s) {
  const e = $('job-status');
  e.textContent = s;
  e.className = 'status ' + s;
  $('job-cancel').hidden = !['pending', 'running'].includes(s);
  $('job-resume').hidden = !['interrupted', 'failed', 'cancelled'].includes(s);
}

function setProgress(p) {
  const pct = Math.round(p.percent_complete || 0);
  $('job-progress').value = pct;
  $('job-progress-text').textContent = pct + '%';
  $('job-file').textContent = p.current_file ? (p.phase || '') + ': ' + p.current_file : '';
}

function setResult(r) {
  $('job-result').hidden = false;
  $('job-images').replaceChildren(...(r.converted_images || []).map((i) => { const li = document.createElement('li'); li.textContent = i; return li; }));
  $('job-domain').textContent = r.libvirt_domain || '-';
  $('job-output').textContent = r.output_dir || '';
  if (r.conversion_mode) $('job-mode').textContent = r.conversion_mode;
  if (r.conversion_mode_reason) $('job-reason').textContent = r.conversion_mode_reason;
  if (r.success) { $('job-progress').value = 100; $('job-progress-text').textContent = '100%'; }
}

function logEvent(type, data) {
  const li = document.createElement('li');
  li.textContent = type + ': ' + (data.detail || data.message || data.status || data.mode || data.stage || '');
  $('job-events').append(li);
}

async function openJob(id) {
  $('job-title').textContent = 'Job ' + id;
  $('job-events').replaceChildren();
  $('job-result').hidden = true;
  for (const f of ['job-stage', 'job-mode', 'job-reason']) $(f).textContent = '-';
  $('job-error').hidden = true;
  const r = await fetch('/jobs/' + encodeURIComponent(id));
  if (!r.ok) { $('job-error').hidden = false; $('job-error').textContent = 'job ' + id + ' not found'; return; }
  const job = await r.json();
  $('job-vm').textContent = job.definition.vm_path;
  setStatus(job.status);
  if (job.progress) setProgress(job.progress);
  if (job.result) setResult(job.result);
  if (job.error) { $('job-error').hidden = false; $('job-error').textContent = job.error; }
  $('job-cancel').onclick = async () => {
    await fetch('/jobs/cancel', { method: 'POST', headers: { 'Content-Type': 'application/json',
      'X-CSRF-Token': csrf() }, body: JSON.stringify({ job_ids: [id] }) });
  };
  $('job-resume').onclick = async () => {
    const r = await fetch('/jobs/' + encodeURIComponent(id) + '/resume', { method: 'POST', headers: { 'X-CSRF-Token': csrf() } });
    if (r.ok) { openJob(id); return; }
    const body = await r.json().catch(() => ({}));
    $('job-error').hidden = false;
    $('job-error').textContent = body.error || ('HTTP ' + r.status);
  };
  if (['pending', 'running'].includes(job.status)) follow(id);
}

function follow(id) {
  source = new EventSource('/jobs/' + encodeURIComponent(id) + '/events');
  const on = (type, fn) => source.addEventListener(type, (e) => { const d = JSON.parse(e.data); fn(d); });
  on('status', (d) => {
    setStatus(d.status);
    if (d.error) { $('job-error').hidden = false; $('job-error').textContent = d.error; }
    logEvent('status', d);
    if (!['pending', 'running'].includes(d.status)) { source.close(); source = null; }
  });
  on('progress', setProgress);
  on('stage', (d) => { $('job-stage').textContent = d.stage + (d.detail ? ' (' + d.detail + ')' : ''); logEvent('stage', d); });
  on('mode', (d) => { $('job-mode').textContent = d.mode; $('job-reason').textContent = d.reason; logEvent('mode', d); });
  on('notice', (d) => logEvent('notice', d));
  on('result', (d) => setResult(d.result));
}

/** Shows the sign-in form until the server accepts the token (it then sets a session cookie). */
function signIn() {
  show('login-view');
  $('token').focus();
  return new Promise((resolve) => {
    $('login-form').onsubmit = async (ev) => {
      ev.preventDefault();
      const r = await fetch('/login', { method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf() },
        body: JSON.stringify({ token: $('token').value }) });
      $('token').value = '';
      if (r.ok) { $('token-error').hidden = true; resolve(); return; }
      const body = await r.json().catch(() => ({}));
      $('token-error').hidden = false;
      $('token-error').textContent = body.error || ('HTTP ' + r.status);
      $('token').setAttribute('aria-invalid', 'true');
      $('token').focus();
    };
  });
}

async function main() {
  let rules;
  try {
    rules = await loadRules();
  } catch (e) {
    if (e.status !== 401) throw e;
    await signIn();
    rules = await loadRules();
  }
  const providers = rules.providers || [];
  delete rules.providers;
  setUpForm(rules, providers, (id) => { location.hash = '#/jobs/' + encodeURIComponent(id); });
  window.addEventListener('hashchange', route);
  await route();
}

main().catch((e) => { document.body.prepend(Object.assign(document.createElement('p'), { className: 'error', textContent: e.message })); });
