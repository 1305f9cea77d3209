// Attribute paths inside a resource instance: how they are written in findings
// (`connection[0].password`, `data["tls.key"]`), how Terraform records sensitive ones
// (cty paths of get_attr / index steps) and how the secret-attribute table names them.

/** One step into a value: an attribute or map key (string) or a list/tuple index (number). */
export type Step = string | number;
export type AttributePath = readonly Step[];

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** `connection[0].password`; map keys that are not identifiers are quoted: `data["tls.key"]`. */
export function formatPath(path: AttributePath): string {
  let out = '';
  for (const step of path) {
    if (typeof step === 'number') out += `[${step}]`;
    else if (out === '' && !IDENTIFIER.test(step)) out += JSON.stringify(step);
    else if (out === '') out += step;
    else out += IDENTIFIER.test(step) ? `.${step}` : `[${JSON.stringify(step)}]`;
  }
  return out;
}

/** A v3 flat attribute key (`connection.0.password`) as a path; count keys (`tags.%`, `x.#`) give null. */
export function flatKeyPath(key: string): AttributePath | null {
  const parts = key.split('.');
  const last = parts[parts.length - 1];
  if (last === '%' || last === '#') return null;
  return parts.map((p) => (/^(?:0|[1-9]\d*)$/.test(p) ? Number(p) : p));
}

/**
 * The paths listed in an instance's `sensitive_attributes`: each is a list of
 * `{type:"get_attr",value:"name"}` / `{type:"index",value:{value:0,type:"number"}}` steps.
 * Steps this reader does not understand end the path there (the whole prefix is then sensitive,
 * which errs on the side of reporting).
 */
export function parseSensitivePaths(raw: unknown): AttributePath[] {
  if (!Array.isArray(raw)) return [];
  const paths: AttributePath[] = [];
  for (const entry of raw) {
    if (typeof entry === 'string') {
      paths.push([entry]);
      continue;
    }
    if (!Array.isArray(entry)) continue;
    const path: Step[] = [];
    for (const step of entry as unknown[]) {
      const parsed = parseStep(step);
      if (parsed === undefined) break;
      path.push(parsed);
    }
    if (path.length > 0) paths.push(path);
  }
  return paths;
}

function parseStep(step: unknown): Step | undefined {
  if (typeof step !== 'object' || step === null) return undefined;
  const { type, value } = step as { type?: unknown; value?: unknown };
  if (type === 'get_attr' && typeof value === 'string') return value;
  if (type === 'index') {
    const key = typeof value === 'object' && value !== null ? (value as { value?: unknown }).value : value;
    if (typeof key === 'string' || typeof key === 'number') return key;
  }
  return undefined;
}

/** True when `prefix` is `path` or an ancestor of it. */
export function startsWithPath(path: AttributePath, prefix: AttributePath): boolean {
  if (prefix.length > path.length) return false;
  return prefix.every((step, i) => step === path[i]);
}

/** A table pattern (`user[*].password`) as steps; `*` matches any index. */
export type PathPattern = readonly (Step | '*')[];

export function parsePattern(pattern: string): PathPattern {
  const steps: (Step | '*')[] = [];
  for (const part of pattern.split('.')) {
    const name = part.replace(/\[.*$/, '');
    if (name) steps.push(name);
    for (const index of part.matchAll(/\[(\*|\d+)\]/g)) steps.push(index[1] === '*' ? '*' : Number(index[1]));
  }
  return steps;
}

/** True when `path` is at or below the place `pattern` names. */
export function matchesPattern(path: AttributePath, pattern: PathPattern): boolean {
  if (pattern.length > path.length) return false;
  return pattern.every((step, i) => (step === '*' ? typeof path[i] === 'number' : step === path[i]));
}
