// Walks a parsed Terraform state and lists every string value with the resource address and
// attribute path it belongs to. Knows the formats: v4 (Terraform >= 0.12, OpenTofu), v3
// (`modules[].resources{}.primary.attributes`, flat keys) and the backend block that
// `.terraform/terraform.tfstate` keeps.
import { member, toPlain, type JsonNode } from './json.js';
import { flatKeyPath, parseSensitivePaths, startsWithPath, type AttributePath, type Step } from './paths.js';

export type StringNode = JsonNode & { kind: 'string' };

export interface StateValue {
  node: StringNode;
  /** Full address: `module.db.aws_db_instance.main[0]`, `output.db_password`, `terraform.backend.s3`. */
  resource: string;
  /** Resource type used to look up the secret-attribute table (`aws_db_instance`), if any. */
  resourceType?: string;
  path: AttributePath;
  /** Listed in `sensitive_attributes`, or part of an output marked sensitive. */
  sensitive: boolean;
}

export interface StateHeader {
  version?: number;
  serial?: number;
  lineage?: string;
  /** OpenTofu state encryption: the whole state is ciphertext. */
  encrypted?: string;
  /** SOPS-encrypted file: values are `ENC[...]`. */
  sops: boolean;
}

export function readHeader(root: JsonNode): StateHeader {
  const num = (n: JsonNode | undefined) => (n?.kind === 'number' ? n.value : undefined);
  const str = (n: JsonNode | undefined) => (n?.kind === 'string' ? n.value : undefined);
  const encryption = member(root, 'encryption_version');
  return {
    version: num(member(root, 'version')),
    serial: num(member(root, 'serial')),
    lineage: str(member(root, 'lineage')),
    encrypted: encryption ? (str(encryption) ?? 'unknown') : undefined,
    sops: member(root, 'sops')?.kind === 'object',
  };
}

/** True when the parsed JSON has the shape of a Terraform state (any version) or backend file. */
export function isStateShape(root: JsonNode): boolean {
  if (root.kind !== 'object') return false;
  const keys = new Set(root.entries.map(([k]) => k));
  return (
    keys.has('encryption_version') ||
    (keys.has('lineage') && keys.has('version')) ||
    keys.has('resources') ||
    keys.has('modules') ||
    (keys.has('backend') && keys.has('version'))
  );
}

/** Every string value below `node`, with its path relative to `node`. */
function* strings(node: JsonNode, path: Step[]): Generator<[StringNode, AttributePath]> {
  switch (node.kind) {
    case 'string':
      yield [node, path];
      return;
    case 'object':
      for (const [key, child] of node.entries) yield* strings(child, [...path, key]);
      return;
    case 'array':
      for (let i = 0; i < node.items.length; i++) yield* strings(node.items[i], [...path, i]);
      return;
    default:
      return;
  }
}

function indexSuffix(key: JsonNode | undefined): string {
  if (key?.kind === 'number') return `[${key.value}]`;
  if (key?.kind === 'string') return `[${JSON.stringify(key.value)}]`;
  return '';
}

function join(module: string | undefined, local: string): string {
  return module ? `${module}.${local}` : local;
}

function* outputValues(outputs: JsonNode | undefined, module?: string): Generator<StateValue> {
  if (outputs?.kind !== 'object') return;
  for (const [name, output] of outputs.entries) {
    const value = member(output, 'value');
    if (!value) continue;
    const sensitive = member(output, 'sensitive')?.kind === 'boolean' && (member(output, 'sensitive') as { value: boolean }).value;
    for (const [node, path] of strings(value, ['value'])) {
      yield { node, resource: join(module, `output.${name}`), path, sensitive };
    }
  }
}

function* v4Resources(root: JsonNode): Generator<StateValue> {
  const resources = member(root, 'resources');
  if (resources?.kind !== 'array') return;
  for (const resource of resources.items) {
    const str = (key: string) => {
      const n = member(resource, key);
      return n?.kind === 'string' ? n.value : undefined;
    };
    const type = str('type') ?? 'unknown';
    const local = `${str('mode') === 'data' ? 'data.' : ''}${type}.${str('name') ?? 'unknown'}`;
    const instances = member(resource, 'instances');
    if (instances?.kind !== 'array') continue;
    for (const instance of instances.items) {
      const address = join(str('module'), local) + indexSuffix(member(instance, 'index_key'));
      const sensitiveNode = member(instance, 'sensitive_attributes');
      const sensitivePaths = sensitiveNode ? parseSensitivePaths(toPlain(sensitiveNode)) : [];
      const isSensitive = (path: AttributePath) => sensitivePaths.some((p) => startsWithPath(path, p));
      const attributes = member(instance, 'attributes');
      if (attributes) {
        for (const [node, path] of strings(attributes, [])) {
          yield { node, resource: address, resourceType: type, path, sensitive: isSensitive(path) };
        }
      }
      // States upgraded from 0.11 may keep the v3 flat form until the provider rewrites them.
      const flat = member(instance, 'attributes_flat');
      if (flat?.kind === 'object') yield* flatAttributes(flat, address, type, isSensitive);
    }
  }
}

function* flatAttributes(
  flat: JsonNode & { kind: 'object' },
  address: string,
  type: string,
  isSensitive: (path: AttributePath) => boolean,
): Generator<StateValue> {
  for (const [key, node] of flat.entries) {
    const path = flatKeyPath(key);
    if (!path || node.kind !== 'string') continue;
    yield { node, resource: address, resourceType: type, path, sensitive: isSensitive(path) };
  }
}

/** v3 module path `["root","network","subnets"]` → `module.network.module.subnets`. */
function v3ModuleAddress(path: JsonNode | undefined): string | undefined {
  if (path?.kind !== 'array') return undefined;
  const names = path.items.slice(1).flatMap((n) => (n.kind === 'string' ? [`module.${n.value}`] : []));
  return names.length ? names.join('.') : undefined;
}

/** v3 resource key `aws_instance.web.1` / `data.aws_ami.ubuntu` → type and local address. */
function v3ResourceAddress(key: string): { type: string; local: string } {
  const parts = key.split('.');
  const data = parts[0] === 'data';
  if (data) parts.shift();
  const [type = 'unknown', name = 'unknown', index] = parts;
  const suffix = index !== undefined && /^\d+$/.test(index) ? `[${index}]` : '';
  return { type, local: `${data ? 'data.' : ''}${type}.${name}${suffix}` };
}

function* v3Modules(root: JsonNode): Generator<StateValue> {
  const modules = member(root, 'modules');
  if (modules?.kind !== 'array') return;
  for (const mod of modules.items) {
    const moduleAddress = v3ModuleAddress(member(mod, 'path'));
    const resources = member(mod, 'resources');
    if (resources?.kind === 'object') {
      for (const [key, resource] of resources.entries) {
        const { type, local } = v3ResourceAddress(key);
        const address = join(moduleAddress, local);
        const objects = [member(resource, 'primary')];
        const deposed = member(resource, 'deposed');
        if (deposed?.kind === 'array') objects.push(...deposed.items);
        for (const object of objects) {
          const attributes = member(object, 'attributes');
          if (attributes?.kind === 'object') yield* flatAttributes(attributes, address, type, () => false);
        }
      }
    }
    yield* outputValues(member(mod, 'outputs'), moduleAddress);
  }
}

/** The backend block of `.terraform/terraform.tfstate` (its config can hold credentials). */
function* backendValues(root: JsonNode): Generator<StateValue> {
  const backend = member(root, 'backend');
  if (backend?.kind !== 'object') return;
  const typeNode = member(backend, 'type');
  const resourceType = `terraform.backend.${typeNode?.kind === 'string' ? typeNode.value : 'unknown'}`;
  for (const [key, child] of backend.entries) {
    if (key === 'type' || key === 'hash') continue;
    for (const [node, path] of strings(child, [key])) {
      yield { node, resource: resourceType, resourceType, path, sensitive: false };
    }
  }
}

/** Every string value of the state with where it belongs. */
export function* stateValues(root: JsonNode): Generator<StateValue> {
  yield* v4Resources(root);
  yield* outputValues(member(root, 'outputs'));
  yield* v3Modules(root);
  yield* backendValues(root);
}
