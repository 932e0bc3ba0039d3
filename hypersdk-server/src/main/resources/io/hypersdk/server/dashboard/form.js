import { check } from './rules.js';

const csrf = () => document.querySelector('meta[name="csrf-token"]').content;
const $ = (id) => document.getElementById(id);
const DAEMON_FIELDS = ['hyper2kvm_instance', 'hyper2kvm_watch_dir', 'hyper2kvm_output_dir',
  'hyper2kvm_poll_interval', 'hyper2kvm_daemon_timeout'];

export function setUpForm(rules, providers, onCreated) {
  const form = $('job-form');
  const daemon = $('hyper2kvm_daemon');
  const select = $('provider');
  select.replaceChildren(...providers.map((p) => new Option(p, p)));
  const toggle = () => {
    $('daemon-fields').hidden = !daemon.checked;
    daemon.setAttribute('aria-expanded', String(daemon.checked));
  };
  daemon.addEventListener('change', toggle);
  toggle();
  followInstance(rules);
  // checked on submit only: an error appearing on blur would move the submit button under the pointer

  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const job = readJob(providers);
    const problems = check(rules, job.options);
    if (!job.vm_path) problems.vm_path = 'is required (the VM\'s inventory path, e.g. /DC1/vm/web-01)';
    if (showErrors(problems)) return;
    $('submit').disabled = true;
    try {
      const r = await fetch('/jobs/submit', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf() },
        body: JSON.stringify(job),
      });
      const body = await r.json();
      if (r.status === 400 && body.violations) {
        const server = {};
        for (const v of body.violations) server[v.field.replace(/^options\./, '')] = v.message;
        showErrors(server);
      } else if (!r.ok) {
        showErrors({ $: body.error || ('HTTP ' + r.status) });
      } else if (body.accepted !== 1) {
        showErrors({ $: (body.errors || []).join('; ') || 'the job was not accepted' });
      } else {
        form.reset();
        toggle();
        $('hyper2kvm_instance').dispatchEvent(new Event('input'));
        onCreated(body.job_ids[0]);
      }
    } catch (e) {
      showErrors({ $: 'cannot reach the server: ' + e.message });
    } finally {
      $('submit').disabled = false;
    }
  });
}

/**
 * The watch and output directory placeholders follow the instance typed: the server answers
 * GET /daemons/NAME with the directories that instance's unit declares (else the convention).
 */
function followInstance(rules) {
  const instance = $('hyper2kvm_instance');
  const fields = { hyper2kvm_watch_dir: 'watch_dir', hyper2kvm_output_dir: 'output_dir' };
  for (const f of Object.keys(fields)) $(f).dataset.default = $(f).placeholder;
  let timer = null;
  let asked = 0;
  instance.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      const name = instance.value.trim();
      const n = ++asked;
      const rule = rules.hyper2kvm_instance;
      if (name === '' || (rule && !new RegExp(rule.pattern).test(name))) {
        for (const f of Object.keys(fields)) $(f).placeholder = $(f).dataset.default;
        return;
      }
      const r = await fetch('/daemons/' + encodeURIComponent(name), { headers: { Accept: 'application/json' } });
      if (!r.ok || n !== asked) return;
      const d = await r.json();
      for (const [f, key] of Object.entries(fields)) if (d[key]) $(f).placeholder = d[key];
    }, 200);
  });
}

function readOptions() {
  const o = {};
  o.enable_pipeline = $('enable_pipeline').checked;
  o.converter = $('converter').value;
  o.libvirt_integration = $('libvirt_integration').checked;
  if ($('libvirt_uri').value.trim()) o.libvirt_uri = $('libvirt_uri').value.trim();
  o.hyper2kvm_daemon = $('hyper2kvm_daemon').checked;
  if (o.hyper2kvm_daemon) {
    for (const f of DAEMON_FIELDS) {
      const v = $(f).value.trim();
      if (v === '') continue;
      o[f] = $(f).type === 'number' && /^-?\d+$/.test(v) ? Number(v) : v;
    }
  }
  return o;
}

function readJob(providers) {
  const job = { vm_path: $('vm_path').value.trim(), format: $('format').value, options: readOptions() };
  const out = $('output_dir').value.trim();
  if (out) job.output_dir = out;
  if (providers.length > 1) job.metadata = { provider: $('provider').value };
  return job;
}

/** Shows the problems beside their fields (and in a summary); true when there were any. */
function showErrors(problems) {
  const fields = ['vm_path', 'output_dir', 'libvirt_uri', ...DAEMON_FIELDS];
  for (const f of fields) {
    const el = $(f + '-error');
    const input = $(f);
    if (!el || !input) continue;
    const msg = problems[f];
    el.hidden = !msg;
    el.textContent = msg ? labelOf(f) + ' ' + msg : '';
    if (msg) input.setAttribute('aria-invalid', 'true'); else input.removeAttribute('aria-invalid');
  }
  const summary = $('form-errors');
  const list = Object.entries(problems);
  summary.hidden = list.length === 0;
  summary.textContent = list.map(([f, m]) => (f === '$' ? m : labelOf(f) + ' ' + m)).join(' · ');
  if (list.length) {
    const first = list.find(([f]) => $(f));
    (first ? $(first[0]) : summary).focus();
  }
  return list.length > 0;
}

function labelOf(field) {
  const label = document.querySelector(`label[for="${field}"]`);
  return label ? label.textContent.replace('*', '').trim() + ':' : field + ':';
}
