// The same checks as the server, from the rules it serves (GET /api/form-rules), with the
// same messages as hypersdk-core's validation ("must be between 1 and 60 seconds (got: 0)").

export async function loadRules() {
  const r = await fetch('/api/form-rules', { headers: { Accept: 'application/json' } });
  if (!r.ok) throw Object.assign(new Error('cannot load the form rules: HTTP ' + r.status), { status: r.status });
  return r.json();
}

/** Problems of the options, as { field: message }; only fields that are set are checked. */
export function check(rules, options) {
  const problems = {};
  for (const [field, rule] of Object.entries(rules)) {
    const value = options[field];
    if (value === undefined || value === '') continue;
    if (rule.pattern !== undefined) {
      if (!new RegExp(rule.pattern).test(value)) {
        problems[field] = `invalid instance name '${value}': use ${rule.rule} (the NAME of hyper2kvm@NAME.service, e.g. vsphere-prod)`;
      }
    } else if (typeof rule.min === 'number') {
      const n = Number(value);
      const unit = rule.unit ? ' ' + rule.unit : '';
      if (!Number.isInteger(n) || n < rule.min || n > rule.max) {
        problems[field] = `must be between ${rule.min} and ${rule.max}${unit} (got: ${value})`;
      }
    }
  }
  for (const dir of ['hyper2kvm_watch_dir', 'hyper2kvm_output_dir']) {
    const v = options[dir];
    if (v && !v.startsWith('/')) problems[dir] = `"${v}" must be an absolute path`;
  }
  return problems;
}
