// Terraform states built at run time for the tests (fake secrets are generated, never literal).
import { BASE62, randomString, rng, type Rng } from '../helpers/secrets.js';

export interface ResourceSpec {
  type: string;
  name: string;
  module?: string;
  mode?: 'managed' | 'data';
  instances: InstanceSpec[];
}

export interface InstanceSpec {
  index_key?: number | string;
  attributes: Record<string, unknown>;
  sensitive_attributes?: unknown[];
}

export interface StateSpec {
  serial?: number;
  lineage?: string;
  resources?: ResourceSpec[];
  outputs?: Record<string, { value: unknown; sensitive?: boolean; type?: unknown }>;
}

/** A v4 state as Terraform writes it (2-space indented JSON). */
export function stateV4(spec: StateSpec): string {
  const state = {
    version: 4,
    terraform_version: '1.9.5',
    serial: spec.serial ?? 1,
    lineage: spec.lineage ?? '3f1c2b7e-0d4a-4c8e-9b1a-2f6d5e4c3b2a',
    outputs: spec.outputs ?? {},
    resources: (spec.resources ?? []).map((r) => ({
      ...(r.module ? { module: r.module } : {}),
      mode: r.mode ?? 'managed',
      type: r.type,
      name: r.name,
      provider: `provider["registry.terraform.io/hashicorp/${r.type.split('_')[0]}"]`,
      instances: r.instances.map((i) => ({
        ...(i.index_key !== undefined ? { index_key: i.index_key } : {}),
        schema_version: 0,
        attributes: i.attributes,
        sensitive_attributes: i.sensitive_attributes ?? [],
      })),
    })),
    check_results: null,
  };
  return JSON.stringify(state, null, 2) + '\n';
}

/** A cty path as Terraform records it in sensitive_attributes. */
export function ctyPath(...steps: (string | number)[]): unknown[] {
  return steps.map((s) =>
    typeof s === 'number' ? { type: 'index', value: { value: s, type: 'number' } } : { type: 'get_attr', value: s },
  );
}

/** A map-key step (`tags["Name"]`) in a cty path. */
export function ctyKey(key: string): unknown {
  return { type: 'index', value: { value: key, type: 'string' } };
}

/** 1-based line where `needle` first occurs in `text`. */
export function lineOf(text: string, needle: string): number {
  const at = text.indexOf(needle);
  if (at < 0) throw new Error(`not in text: ${needle.slice(0, 8)}…`);
  return text.slice(0, at).split('\n').length;
}

/** 1-based line of an offset. */
export function lineAt(text: string, offset: number): number {
  return text.slice(0, offset).split('\n').length;
}

let shared: Rng = rng(0x7f5a7e);

/** A random password-like value of `n` base62 characters. */
export function fakeValue(n = 20, random: Rng = shared): string {
  return randomString(random, BASE62, n);
}

export function resetFakeValues(seed = 0x7f5a7e): void {
  shared = rng(seed);
}

/** A fake PEM private key, multi-line (as a provider stores it, with real newlines). */
export function fakePem(random: Rng = shared): string {
  const body = Array.from({ length: 6 }, () => randomString(random, BASE62 + '+/', 64)).join('\n');
  const label = 'RSA ' + 'PRIVATE KEY';
  return `-----BEGIN ${label}-----\n${body}\n-----END ${label}-----\n`;
}
